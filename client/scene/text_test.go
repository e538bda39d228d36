package scene

import (
	"slices"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestFontsKeepEveryGlyph: the fonts the client ships without their
// hinting (fonts/README.md) map every character of the Go fonts to the same
// glyph, with the same advance and the same outline, and have the same
// vertical metrics: only bytes the renderer never read are gone.
func TestFontsKeepEveryGlyph(t *testing.T) {
	for _, c := range []struct {
		name      string
		orig, got []byte
	}{{"Go Regular", goregular.TTF, regularTTF}, {"Go Bold", gobold.TTF, boldTTF}} {
		orig, err := sfnt.Parse(c.orig)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sfnt.Parse(c.got)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(c.got) >= len(c.orig) {
			t.Errorf("%s: %d bytes, the original %d", c.name, len(c.got), len(c.orig))
		}
		if got.NumGlyphs() != orig.NumGlyphs() {
			t.Errorf("%s: %d glyphs, want %d", c.name, got.NumGlyphs(), orig.NumGlyphs())
		}
		const ppem = fixed.Int26_6(17 << 6)
		var bo, bg sfnt.Buffer
		mo, _ := orig.Metrics(&bo, ppem, font.HintingNone)
		mg, _ := got.Metrics(&bg, ppem, font.HintingNone)
		if mo != mg {
			t.Errorf("%s: metrics %+v, want %+v", c.name, mg, mo)
		}
		mapped := 0
		for r := rune(0); r <= 0xffff; r++ {
			io, _ := orig.GlyphIndex(&bo, r)
			ig, _ := got.GlyphIndex(&bg, r)
			if io != ig {
				t.Fatalf("%s: %U is glyph %d, want %d", c.name, r, ig, io)
			}
			if io == 0 {
				continue
			}
			mapped++
			ao, _ := orig.GlyphAdvance(&bo, io, ppem, font.HintingNone)
			ag, _ := got.GlyphAdvance(&bg, ig, ppem, font.HintingNone)
			so, err1 := orig.LoadGlyph(&bo, io, ppem, nil)
			sg, err2 := got.LoadGlyph(&bg, ig, ppem, nil)
			if err1 != nil || err2 != nil || ao != ag || !slices.Equal(so, sg) {
				t.Fatalf("%s: %U differs (advance %v, want %v; errors %v, %v)", c.name, r, ag, ao, err2, err1)
			}
		}
		if mapped < 600 {
			t.Errorf("%s: only %d characters mapped", c.name, mapped)
		}
	}
}
