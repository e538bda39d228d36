package ui

import (
	"image"
	"image/color"
	"slices"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
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

// TestTextLandsWhereMeasured draws text left, centred and right-aligned on a
// white image and reads the pixels back: the ink lies within the measured
// width from where each alignment puts it, and between the top of the line
// and its line height, and the colour is the one asked for.
func TestTextLandsWhereMeasured(t *testing.T) {
	const s, size, top = "HIxl", 30.0, 10.0
	w := measure(s, size, true)
	for _, c := range []struct {
		a    align
		x    float64
		left float64
	}{{alignLeft, 20, 20}, {alignCenter, 150, 150 - w/2}, {alignRight, 280, 280 - w}} {
		var img *image.RGBA
		onMain(func() {
			dst := ebiten.NewImage(300, 60)
			defer dst.Deallocate()
			dst.Fill(color.White)
			measureScale = 1
			(&painter{dst: dst, scale: 1}).text(s, c.x, top, size, true, ColBlue, c.a)
			img = image.NewRGBA(image.Rect(0, 0, 300, 60))
			dst.ReadPixels(img.Pix)
		})
		minX, maxX, minY, maxY, exact := 300, -1, 60, -1, 0
		for y := 0; y < 60; y++ {
			for x := 0; x < 300; x++ {
				p := img.RGBAAt(x, y)
				if p == (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
					continue
				}
				minX, maxX, minY, maxY = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y)
				if p == ColBlue {
					exact++
				}
			}
		}
		if float64(minX) < c.left-1 || float64(maxX) > c.left+w+1 || maxX-minX < int(w*0.8) {
			t.Errorf("align %d: ink from x %d to %d, measured %.1f to %.1f", c.a, minX, maxX, c.left, c.left+w)
		}
		if float64(minY) < top || float64(maxY) > top+lineHeight(size) || maxY-minY < size/2 {
			t.Errorf("align %d: ink from y %d to %d, the line from %.0f to %.0f", c.a, minY, maxY, top, top+lineHeight(size))
		}
		if exact < 50 {
			t.Errorf("align %d: %d pixels of the text's own colour", c.a, exact)
		}
	}
}
