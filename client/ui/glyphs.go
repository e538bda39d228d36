package ui

import (
	_ "embed"
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Text is drawn from the Go fonts with golang.org/x/image's own rasteriser,
// each glyph kept as a small image. Ebitengine's text/v2 package would do the
// same but brings a whole text shaper (go-text/typesetting, HarfBuzz's port)
// that Latin text does not need: 0.56 MB of the browser's compressed
// download, nearly 3 s on a slow conference link (client/README.md, "Sizes
// of the wasm module").

// The Go fonts without the hinting this renderer does not use (fonts/README.md).
var (
	//go:embed fonts/Go-Regular.ttf
	regularTTF []byte
	//go:embed fonts/Go-Bold.ttf
	boldTTF []byte

	fontRegular = mustFont(regularTTF)
	fontBold    = mustFont(boldTTF)
)

func mustFont(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(err)
	}
	return f
}

// fontFace is one of the fonts at one size in device pixels, with the
// glyphs drawn so far.
type fontFace struct {
	face     font.Face
	ascent   int // from the top of the line to the baseline, in pixels
	glyphs   map[glyphKey]glyphImage
	advances map[rune]fixed.Int26_6
}

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

type faceKey struct {
	size float64
	bold bool
}

// faces holds the faces in use. A window being resized asks for a new size
// at each step; past maxFaces the cache starts again (the glyph images go
// with the garbage collector).
var faces = map[faceKey]*fontFace{}

const maxFaces = 24

// face is the regular or bold font at size device pixels.
func face(size float64, bold bool) *fontFace {
	k := faceKey{size, bold}
	if f := faces[k]; f != nil {
		return f
	}
	if len(faces) >= maxFaces {
		clear(faces)
	}
	src := fontRegular
	if bold {
		src = fontBold
	}
	ff, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err) // only for a size that is not a number
	}
	f := &fontFace{face: ff, ascent: ff.Metrics().Ascent.Round(), glyphs: map[glyphKey]glyphImage{}, advances: map[rune]fixed.Int26_6{}}
	faces[k] = f
	return f
}

// advance is the width of s in pixels: the glyphs' advances. (The Go fonts
// have no kerning.)
func (f *fontFace) advance(s string) fixed.Int26_6 {
	var w fixed.Int26_6
	for _, r := range s {
		w += f.glyphAdvance(r)
	}
	return w
}

// glyphAdvance is how far r moves the pen, looked up once per face.
func (f *fontFace) glyphAdvance(r rune) fixed.Int26_6 {
	a, ok := f.advances[r]
	if !ok {
		a, _ = f.face.GlyphAdvance(r)
		f.advances[r] = a
	}
	return a
}

// glyph is r rasterised with the pen sub pixels past a whole pixel.
func (f *fontFace) glyph(r rune, sub fixed.Int26_6) glyphImage {
	k := glyphKey{r, sub}
	if g, ok := f.glyphs[k]; ok {
		return g
	}
	var g glyphImage
	// A character the font lacks comes out as its empty box, as before. The
	// mask is the face's own buffer, reused by the next glyph: copied.
	dr, mask, _, _, _ := f.face.Glyph(fixed.Point26_6{X: sub}, r)
	if a, ok := mask.(*image.Alpha); ok && !dr.Empty() {
		// White, premultiplied: each coverage byte four times.
		pix := make([]byte, 4*len(a.Pix))
		for i, v := range a.Pix {
			pix[4*i], pix[4*i+1], pix[4*i+2], pix[4*i+3] = v, v, v, v
		}
		g = glyphImage{img: ebiten.NewImage(dr.Dx(), dr.Dy()), x: dr.Min.X, y: dr.Min.Y}
		g.img.WritePixels(pix)
	}
	f.glyphs[k] = g
	return g
}

// drawText draws s in f with the left of its baseline's line box at the
// whole pixel (x, top): the baseline is at top plus the font's ascent.
func drawText(dst *ebiten.Image, s string, f *fontFace, x fixed.Int26_6, top int, c color.Color) {
	var op ebiten.DrawImageOptions
	op.ColorScale.ScaleWithColor(c)
	baseline := top + f.ascent
	for _, r := range s {
		sub := x & 63 &^ 15 // to the quarter pixel
		if g := f.glyph(r, sub); g.img != nil {
			op.GeoM.Reset()
			op.GeoM.Translate(float64(x.Floor()+g.x), float64(baseline+g.y))
			dst.DrawImage(g.img, &op)
		}
		x += f.glyphAdvance(r)
	}
}

// fixedPx is a length in pixels as a 26.6 fixed-point number.
func fixedPx(v float64) fixed.Int26_6 { return fixed.Int26_6(math.Round(v * 64)) }
