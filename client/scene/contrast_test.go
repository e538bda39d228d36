package scene

import (
	"fmt"
	"image/color"
	"testing"
)

// TestContrast computes the WCAG 2.2 contrast of every text colour against
// every background it is drawn on (AA: 4.5:1), and of every meter fill
// against the track (non-text contrast: 3:1).
func TestContrast(t *testing.T) {
	white := rgb(0xff, 0xff, 0xff)
	text := []struct {
		what   string
		fg, bg color.RGBA
	}{
		{"ink on a panel", ColInk, ColPanel},
		{"ink on the ground", ColInk, ColGround},
		{"ink on a selected chip", ColInk, ColSelected},
		{"muted on a panel", ColMuted, ColPanel},
		{"muted on the ground", ColMuted, ColGround},
		{"muted on a selected chip", ColMuted, ColSelected},
		{"disabled button label", ColMuted, ColTrack},
		{"button label", white, ColBlue},
		{"button label, hovered", white, ColHover},
		{"framing and case quotes", ColBlue, ColPanel},
		{"▲ rise", ColUp, ColPanel},
		{"▼ fall", ColDown, ColPanel},
		{"▲ rise on the ground", ColUp, ColGround},
		{"▼ fall on the ground", ColDown, ColGround},
		{"good news (sent, here, ruling)", ColGood, ColPanel},
		{"bad news (changed, away)", ColBad, ColPanel},
		{"header text", ColPanel, ColInk},
		{"header title", ColYellow, ColInk},
	}
	lowest, lowWhat := 21.0, ""
	for _, p := range text {
		r := contrast(p.fg, p.bg)
		if r < lowest {
			lowest, lowWhat = r, p.what
		}
		if r < 4.5 {
			t.Errorf("%s: %.2f:1, want ≥ 4.5:1", p.what, r)
		}
	}
	t.Logf("lowest text contrast %.2f:1 (%s)", lowest, lowWhat)
	lowest, lowWhat = 21, ""
	for i, fill := range MeterColour {
		r := contrast(fill, ColTrack)
		what := fmt.Sprintf("meter colour %d (%02x%02x%02x) on the track", i, fill.R, fill.G, fill.B)
		if r < lowest {
			lowest, lowWhat = r, what
		}
		if r < 3 {
			t.Errorf("%s: %.2f:1, want ≥ 3:1", what, r)
		}
	}
	t.Logf("lowest meter contrast %.2f:1 (%s)", lowest, lowWhat)
}

// TestContrastFormula checks the ratio against values WCAG's own examples give.
func TestContrastFormula(t *testing.T) {
	for _, c := range []struct {
		a, b color.RGBA
		want float64
	}{
		{rgb(0, 0, 0), rgb(0xff, 0xff, 0xff), 21},
		{rgb(0x77, 0x77, 0x77), rgb(0xff, 0xff, 0xff), 4.48},
		{rgb(0xff, 0xff, 0xff), rgb(0xff, 0xff, 0xff), 1},
	} {
		if got := contrast(c.a, c.b); got < c.want-0.01 || got > c.want+0.01 {
			t.Errorf("contrast(%v, %v) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}
