package ui

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"golang.org/x/image/math/fixed"

	"pushback/client/scene"
)

// Text is drawn from the Go fonts with golang.org/x/image's own
// rasteriser (client/scene measures it and hands the glyphs' coverage),
// each glyph kept as a small image.

// glyphKey is a character at one of four positions within a pixel, so that
// text keeps its exact advances without blurring every glyph.
type glyphKey struct {
	r   rune
	sub fixed.Int26_6
}

// glyphImage is a rasterised glyph, white on transparent, and where its
// top-left corner sits from the pen (on the baseline); nil for a blank.
type glyphImage struct {
	img  *ebiten.Image
	x, y int
}

// atlas holds the glyphs drawn so far, per face. The scenes keep at most
// scene.MaxFaces faces; past as many here the atlas starts again (the
// glyph images go with the garbage collector).
var atlas = map[*scene.Face]map[glyphKey]glyphImage{}

// glyph is r in f rasterised with the pen sub pixels past a whole pixel.
func glyph(f *scene.Face, r rune, sub fixed.Int26_6) glyphImage {
	gs := atlas[f]
	if gs == nil {
		if len(atlas) >= scene.MaxFaces {
			clear(atlas)
		}
		gs = map[glyphKey]glyphImage{}
		atlas[f] = gs
	}
	k := glyphKey{r, sub}
	if g, ok := gs[k]; ok {
		return g
	}
	var g glyphImage
	// The mask is the face's own buffer, reused by the next glyph: copied.
	dr, mask := f.Glyph(r, sub)
	if a, ok := mask.(*image.Alpha); ok && !dr.Empty() {
		// White, premultiplied: each coverage byte four times.
		pix := make([]byte, 4*len(a.Pix))
		for i, v := range a.Pix {
			pix[4*i], pix[4*i+1], pix[4*i+2], pix[4*i+3] = v, v, v, v
		}
		g = glyphImage{img: ebiten.NewImage(dr.Dx(), dr.Dy()), x: dr.Min.X, y: dr.Min.Y}
		g.img.WritePixels(pix)
	}
	gs[k] = g
	return g
}

// Text draws s in f with the left of its baseline's line box at the whole
// pixel (x, top): the baseline is at top plus the font's ascent.
func (d *canvas) Text(s string, f *scene.Face, x fixed.Int26_6, top int, c color.Color) {
	var op ebiten.DrawImageOptions
	op.ColorScale.ScaleWithColor(c)
	baseline := top + f.Ascent()
	for _, r := range s {
		sub := x & 63 &^ 15 // to the quarter pixel
		if g := glyph(f, r, sub); g.img != nil {
			op.GeoM.Reset()
			op.GeoM.Translate(float64(x.Floor()+g.x), float64(baseline+g.y))
			d.dst.DrawImage(g.img, &op)
		}
		x += f.Advance(r)
	}
}
