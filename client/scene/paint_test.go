package scene

import (
	"fmt"
	"image/color"
	"maps"
	"reflect"
	"slices"
	"testing"

	"golang.org/x/image/math/fixed"

	"pushback/client/model"
	. "pushback/client/scene/scenetest"
	"pushback/client/session"
	"pushback/client/ui/layout"
	"pushback/server/protocol/report"
)

// calls is a Device that counts what it was asked to draw and draws
// nothing: what the scenes do when they paint, without a display.
type calls struct {
	h int
	n map[string]int
}

func (d *calls) Height() int                                         { return d.h }
func (d *calls) Fill(x, y, w, h float32, c color.Color)              { d.n["fill"]++ }
func (d *calls) Stroke(x, y, w, h, width float32, c color.Color)     { d.n["stroke"]++ }
func (d *calls) Polygon(c color.Color, xy ...float32)                { d.n["polygon"]++ }
func (d *calls) Line(x0, y0, x1, y1, width float32, c color.Color)   { d.n["line"]++ }
func (d *calls) Dot(x, y, r float32, c color.Color)                  { d.n["dot"]++ }
func (d *calls) Text(string, *Face, fixed.Int26_6, int, color.Color) { d.n["text"]++ }
func (d *calls) Flush()                                              { d.n["flush"]++ }

// Draw only reads: painting any screen changes neither the model nor the
// state the update keeps (focus, scroll, panel heights, the mirror's nodes).
func TestDrawOnlyReads(t *testing.T) {
	for _, fx := range Fixtures(t) {
		t.Run(fx.Name, func(t *testing.T) {
			a := New(session.New(fx.M, nil, nil, &Recorder{}), nil)
			a.Geo = layout.Fit(Laptop.W, Laptop.H, 1)
			a.Step(&Input{})
			a.Step(&Input{})
			st, m := a.st, *a.M
			st.panels = maps.Clone(a.st.panels)
			st.nodes = slices.Clone(a.st.nodes)
			d := &calls{h: a.Geo.DH, n: map[string]int{}}
			a.Paint(d)
			if d.n["fill"] == 0 || d.n["text"] == 0 {
				t.Fatalf("the paint drew %v", d.n)
			}
			if !reflect.DeepEqual(st, a.st) {
				t.Errorf("Draw changed the UI state:\n%+v\n%+v", st, a.st)
			}
			if !reflect.DeepEqual(m, *a.M) {
				t.Error("Draw changed the model")
			}
		})
	}
}

// TestDebriefKeys steps the debrief with the arrow keys and the buttons,
// and tabs to every control, with no pointer at all.
func TestDebriefKeys(t *testing.T) {
	var m *model.Model
	for _, fx := range Fixtures(t) {
		if fx.Name == "debrief" {
			m = fx.M
		}
	}
	d := newDriver(t, m, Laptop)
	a := d.a
	d.tick(Input{})
	last := m.Report.Played
	keys := []struct {
		in   Input
		want int
	}{
		{Input{Left: true}, last - 1},
		{Input{Left: true}, last - 2},
		{Input{Right: true}, last - 1},
		{Input{Right: true}, last},
		{Input{Right: true}, last}, // clamps
	}
	for i, k := range keys {
		d.tick(k.in)
		if m.Step != k.want {
			t.Fatalf("key %d: cursor at %d, want %d", i, m.Step, k.want)
		}
	}
	// Tab to "From the start" and press Enter.
	for i := 0; i < 20 && a.st.nav.ID != "deb.start"; i++ {
		d.tick(Input{Tab: true})
	}
	if a.st.nav.ID != "deb.start" {
		t.Fatalf("Tab never reached the From the start button (focus %q)", a.st.nav.ID)
	}
	d.tick(Input{Enter: true})
	if m.Step != 0 {
		t.Fatalf("Enter on From the start: cursor at %d", m.Step)
	}
	for i := 0; i < 20 && a.st.nav.ID != "deb.back"; i++ {
		d.tick(Input{Tab: true})
	}
	d.tick(Input{Enter: true})
	if m.Screen() == model.ScreenDebrief {
		t.Fatal("Enter on Back left the debrief up")
	}
}

// Each seat's chart style is report.Styles' (the table the HTML report
// draws with too): its dash pattern and its marker. (client/ui's
// TestDebriefEightStyles reads their colours back from the pixels.)
func TestDebriefStylesAreTheTable(t *testing.T) {
	for i, st := range report.Styles {
		if got := styleOf(i); got.shape != st.Marker || fmt.Sprint(got.dash) != fmt.Sprint(st.Dash) {
			t.Errorf("seat %d drawn with marker %d dash %v, the table says %d %v", i+1, got.shape, got.dash, st.Marker, st.Dash)
		}
	}
}

// Text stays readable: the smallest text is at least 12 device pixels at
// every size the screens are drawn for.
func TestSmallTextReadable(t *testing.T) {
	for _, sz := range []Size{Laptop, Phone, BigScreen} {
		if px := sizeSmall * layout.Fit(sz.W, sz.H, 1).Scale; px < 12 {
			t.Errorf("%s: small text is %.1f px", sz.Name, px)
		}
	}
}
