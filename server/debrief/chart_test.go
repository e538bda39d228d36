package debrief

import (
	"fmt"
	"strings"
	"testing"

	"pushback/server/protocol/report"
)

// TestChartsReadInGreyscale: a chart of eight managers draws eight lines,
// each in its own style of report.Styles (the table the screen draws from
// too): its colour, its dash pattern, its marker; both axes are labelled.
func TestChartsReadInGreyscale(t *testing.T) {
	c := chart{Title: "t", XLabel: "Turn (month)", YLabel: "Meter (0–100)", XMax: 3, YMax: 100, YStep: 20}
	for i := range report.Styles {
		c.Lines = append(c.Lines, series{Name: "s", Y: []float64{10, 20, 30, 40}, Style: i})
	}
	svg := string(c.svg())
	for _, want := range []string{">Turn (month)</text>", ">Meter (0–100)</text>", ">100</text>", ">3</text>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	lines := map[string]bool{}
	for _, path := range strings.Split(svg, "<path d=\"M")[1:] {
		if strings.Contains(path, `fill="none"`) { // a series' line, not a marker
			lines[path[strings.Index(path, "stroke="):strings.Index(path, "/>")]] = true
		}
	}
	if len(lines) != len(report.Styles) {
		t.Errorf("%d distinct line styles drawn, want %d: %v", len(lines), len(report.Styles), lines)
	}
	for i, st := range report.Styles {
		want := fmt.Sprintf(`stroke="%s" stroke-width="2"%s`, st.Hex(), dashArray(st))
		if !lines[want] {
			t.Errorf("style %d (%s) is not drawn as %s", i, st.Hex(), want)
		}
	}
	if n := strings.Count(svg, "stroke-dasharray"); n != 2*(len(report.Styles)-1) { // each dashed line and its legend sample
		t.Errorf("%d dashed strokes, want %d", n, 2*(len(report.Styles)-1))
	}
}
