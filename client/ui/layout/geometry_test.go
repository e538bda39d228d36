package layout

import (
	"math"
	"testing"
)

// TestTextScale: a browser set to a larger font gets a larger UI, and at
// twice the size a laptop's window the roomier one-column layout.
func TestTextScale(t *testing.T) {
	base := FitText(1280, 720, 1, 1)
	big := FitText(1280, 720, 1, 1.25)
	if big.Scale <= base.Scale || big.DW != base.DW || big.DH != base.DH {
		t.Errorf("1.25× text: scale %.2f (was %.2f), device %dx%d", big.Scale, base.Scale, big.DW, big.DH)
	}
	if double := FitText(1280, 720, 1, 2); !double.Narrow || math.Abs(double.Scale-2) > 1e-9 || double.DW != 1280 {
		t.Errorf("2× text on a laptop: %+v", double)
	}
}

// TestWheelScrollsByPixels: a browser's wheel notch scrolls the pixels the
// browser reports (about 100), not 40 times that; the desktop's wheel
// counts lines.
func TestWheelScrollsByPixels(t *testing.T) {
	g := Fit(1280, 720, 1)
	if got := g.Wheel(-100, true); got != -100 {
		t.Errorf("a browser notch of 100 px scrolls %.0f units", got)
	}
	if p := Fit(360, 740, 3); p.Wheel(-100, true)*p.Scale != -300 {
		t.Errorf("on a 3× phone, 100 CSS px should be 300 device px, got %.0f", p.Wheel(-100, true)*p.Scale)
	}
	if got := g.Wheel(-1, false); got != -40 {
		t.Errorf("a desktop line scrolls %.0f units", got)
	}
}

// A laptop, a projector and a phone.
func TestFit(t *testing.T) {
	for _, tc := range []struct {
		w, h, dsf, scale float64
		narrow           bool
	}{
		{1280, 720, 1, 1, false},
		{1920, 1080, 1, 1.5, false},
		{1280, 720, 2, 2, false},
		{380, 800, 1, 1, true},
	} {
		g := Fit(tc.w, tc.h, tc.dsf)
		if math.Abs(g.Scale-tc.scale) > 1e-9 || g.Narrow != tc.narrow || g.DW != int(tc.w*tc.dsf) {
			t.Errorf("Fit(%v, %v, %v) = %+v", tc.w, tc.h, tc.dsf, g)
		}
	}
}
