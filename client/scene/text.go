package scene

import (
	_ "embed"
	"image"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"pushback/client/ui/layout"
)

// Text is measured, and its glyphs rasterised, from the Go fonts with
// golang.org/x/image's own opentype package; the Ebitengine shell keeps
// each glyph as a small image (client/ui/glyphs.go). Ebitengine's text/v2
// package would do the same but brings a whole text shaper
// (go-text/typesetting, HarfBuzz's port) that Latin text does not need:
// 0.56 MB of the browser's compressed download, nearly 3 s on a slow
// conference link (client/README.md, "Sizes of the wasm module").

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

// Face is one of the fonts at one size in device pixels, with the advances
// looked up so far.
type Face struct {
	face     font.Face
	ascent   int // from the top of the line to the baseline, in pixels
	advances map[rune]fixed.Int26_6
}

type faceKey struct {
	size float64
	bold bool
}

// faces holds the faces in use. A window being resized asks for a new size
// at each step; past MaxFaces the cache starts again.
var faces = map[faceKey]*Face{}

// MaxFaces is how many faces are kept at once (the shell keeps the glyph
// images of as many).
const MaxFaces = 24

// face is the regular or bold font at size device pixels.
func face(size float64, bold bool) *Face {
	k := faceKey{size, bold}
	if f := faces[k]; f != nil {
		return f
	}
	if len(faces) >= MaxFaces {
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
	f := &Face{face: ff, ascent: ff.Metrics().Ascent.Round(), advances: map[rune]fixed.Int26_6{}}
	faces[k] = f
	return f
}

// advance is the width of s in pixels: the glyphs' advances. (The Go fonts
// have no kerning.)
func (f *Face) advance(s string) fixed.Int26_6 {
	var w fixed.Int26_6
	for _, r := range s {
		w += f.Advance(r)
	}
	return w
}

// Advance is how far r moves the pen, looked up once per face.
func (f *Face) Advance(r rune) fixed.Int26_6 {
	a, ok := f.advances[r]
	if !ok {
		a, _ = f.face.GlyphAdvance(r)
		f.advances[r] = a
	}
	return a
}

// Ascent is the distance from the top of a line to its baseline, in pixels.
func (f *Face) Ascent() int { return f.ascent }

// Glyph is r's coverage with the pen sub pixels past a whole pixel, and
// where it lies from the pen (on the baseline); the mask is the face's own
// buffer, reused by the next glyph. A character the font lacks comes out as
// its empty box.
func (f *Face) Glyph(r rune, sub fixed.Int26_6) (image.Rectangle, image.Image) {
	dr, mask, _, _, _ := f.face.Glyph(fixed.Point26_6{X: sub}, r)
	return dr, mask
}

// fixedPx is a length in pixels as a 26.6 fixed-point number.
func fixedPx(v float64) fixed.Int26_6 { return fixed.Int26_6(math.Round(v * 64)) }

// measureScale is the scale text is drawn at this frame: glyph widths do
// not scale exactly with size (hinting, rounding), so text is measured at
// the size it will be drawn at.
var measureScale = 1.0

// measure is the width of s in layout units.
func measure(s string, size float64, bold bool) float64 {
	k := textKey{s, size * measureScale, bold, 0}
	if w, ok := measured[k]; ok {
		return w
	}
	w := float64(face(size*measureScale, bold).advance(s)) / 64 / measureScale
	if len(measured) >= maxCached {
		clear(measured)
	}
	measured[k] = w
	return w
}

// textKey names a measured text or a wrapped paragraph (with its width).
type textKey struct {
	s     string
	size  float64 // device pixels
	bold  bool
	width float64
}

// measured and wrapped keep what text layout costs to find again: every
// frame lays out the screen twice (update and draw) with the same words,
// and shaping them is most of a frame in the browser. Emptied when full;
// Ebitengine calls Update and Draw on one goroutine.
var (
	measured  = map[textKey]float64{}
	wrapped   = map[textKey][]string{}
	maxCached = 8192
)

// wrap breaks s into lines no wider than w.
func wrap(s string, w, size float64, bold bool) []string {
	k := textKey{s, size * measureScale, bold, w}
	if ls, ok := wrapped[k]; ok {
		return ls
	}
	ls := layout.Wrap(fonts{}, s, w, size, bold)
	if len(wrapped) >= maxCached {
		clear(wrapped)
	}
	wrapped[k] = ls
	return ls
}

// fonts measures text with the game's fonts, for layout.Wrap.
type fonts struct{}

func (fonts) Width(s string, size float64, bold bool) float64 { return measure(s, size, bold) }
