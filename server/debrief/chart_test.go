package debrief

import (
	"strings"
	"testing"
)

// TestChartsReadInGreyscale: no two series share a dash pattern or a
// marker, so colour is never the only difference; both axes are labelled.
func TestChartsReadInGreyscale(t *testing.T) {
	dashes, shapes := map[string]bool{}, map[int]bool{}
	for _, st := range lineStyles {
		if dashes[st.Dash] || shapes[st.Shape] {
			t.Errorf("style %+v repeats a dash pattern or a marker", st)
		}
		dashes[st.Dash], shapes[st.Shape] = true, true
	}
	c := chart{Title: "t", XLabel: "Turn (month)", YLabel: "Meter (0–100)", XMax: 3, YMax: 100, YStep: 20}
	for i := range lineStyles {
		c.Lines = append(c.Lines, series{Name: "s", Y: []float64{10, 20, 30, 40}, Style: i})
	}
	svg := string(c.svg())
	for _, want := range []string{">Turn (month)</text>", ">Meter (0–100)</text>", ">100</text>", ">3</text>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	if n := strings.Count(svg, "stroke-dasharray"); n != 2*(len(lineStyles)-1) { // each dashed line and its legend sample
		t.Errorf("%d dashed strokes, want %d", n, 2*(len(lineStyles)-1))
	}
}
