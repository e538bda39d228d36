package ui

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"pushback/client/ui/layout"
)

// The palette: Okabe and Ito's eight colours, which stay distinct for the
// common kinds of colour blindness, on a light ground that survives a
// washed-out projector. Colour never carries meaning alone: every change
// also has a sign and an arrow, every choice a ● or ○.
var (
	colInk      = rgb(0x1b, 0x1f, 0x2a)
	colMuted    = rgb(0x5a, 0x60, 0x6e)
	colGround   = rgb(0xf3, 0xf1, 0xeb)
	colPanel    = rgb(0xff, 0xff, 0xff)
	colLine     = rgb(0xc9, 0xc6, 0xbd)
	colTrack    = rgb(0xe4, 0xe1, 0xd8)
	colOrange   = rgb(0xe6, 0x9f, 0x00)
	colSky      = rgb(0x56, 0xb4, 0xe9)
	colGreen    = rgb(0x00, 0x9e, 0x73)
	colYellow   = rgb(0xf0, 0xe4, 0x42)
	colBlue     = rgb(0x00, 0x72, 0xb2)
	colVermil   = rgb(0xd5, 0x5e, 0x00)
	colPurple   = rgb(0xcc, 0x79, 0xa7)
	colUp       = colBlue
	colDown     = rgb(0xb0, 0x4a, 0x00) // vermilion darkened for text: 5.5:1 on white
	colGood     = rgb(0x00, 0x77, 0x5a) // bluish green darkened for text: 5.6:1 on white
	colBad      = colDown
	colFocus    = rgb(0x1b, 0x1f, 0x2a)
	colSelected = rgb(0xdc, 0xec, 0xf7)
	colHover    = rgb(0x00, 0x5a, 0x8c)
)

// meterColour gives each meter its own hue; the label says which it is.
// They are Okabe and Ito's hues darkened until each fill stands out from
// the track by at least 3:1 (WCAG 2.2 non-text contrast); TestContrast
// computes the ratios.
var meterColour = [...]color.RGBA{
	rgb(0xa8, 0x64, 0x00), // orange
	colBlue,
	rgb(0x00, 0x80, 0x5d), // bluish green
	rgb(0xa8, 0x52, 0x8a), // reddish purple
	rgb(0x2a, 0x7a, 0xb0), // sky blue
	rgb(0xc2, 0x54, 0x00), // vermilion
	rgb(0x84, 0x77, 0x00), // yellow
}

// colorT is the palette's colour type.
type colorT = color.RGBA

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

// Text sizes in layout units.
const (
	sizeSmall = 14
	sizeBody  = 17
	sizeHead  = 21
	sizeTitle = 30
)

// rect is a box in layout units.
type rect struct{ x, y, w, h float64 }

func (r rect) has(x, y float64) bool { return r.box().Has(x, y) }
func (r rect) inset(d float64) rect  { return rect{r.x + d, r.y + d, r.w - 2*d, r.h - 2*d} }
func (r rect) right() float64        { return r.x + r.w }
func (r rect) bottom() float64       { return r.y + r.h }
func (r rect) cx() float64           { return r.x + r.w/2 }
func (r rect) cy() float64           { return r.y + r.h/2 }

// box is r for focus and hit-testing; unbox the way back.
func (r rect) box() layout.Rect { return layout.Rect{X: r.x, Y: r.y, W: r.w, H: r.h} }
func unbox(b layout.Rect) rect  { return rect{b.X, b.Y, b.W, b.H} }

// painter draws in layout units onto a screen of device pixels: everything
// is multiplied by scale and shifted by the scroll, so text is rendered at
// its real size and stays sharp on a projector and a phone alike.
type painter struct {
	dst    *ebiten.Image
	scale  float64
	scroll float64
	spots  []spot       // the meters and codes drawn, for the render test
	points []chartPoint // the debrief charts' data points drawn, likewise

	// The frame's anti-aliased shapes (lines, dots, arrowheads), drawn
	// together by flush: each anti-aliased draw call is a pass of its own
	// over an offscreen buffer, and a console of six managers' sparklines
	// and arrows made hundreds a frame (about one frame a second in
	// headless Chromium's software GL; ten once batched).
	aaV []ebiten.Vertex
	aaI []uint16
}

// path adds a filled (or, with width, stroked) path to the anti-aliased
// batch in colour c.
func (p *painter) path(path *vector.Path, width float64, c color.Color) {
	if len(p.aaV) > 60000 { // indices are 16 bits
		p.flush()
	}
	n := len(p.aaV)
	if width > 0 {
		p.aaV, p.aaI = path.AppendVerticesAndIndicesForStroke(p.aaV, p.aaI, &vector.StrokeOptions{Width: float32(width * p.scale)})
	} else {
		p.aaV, p.aaI = path.AppendVerticesAndIndicesForFilling(p.aaV, p.aaI)
	}
	r, g, b, a := c.RGBA()
	for i := n; i < len(p.aaV); i++ {
		v := &p.aaV[i]
		v.SrcX, v.SrcY = 1, 1
		v.ColorR, v.ColorG, v.ColorB, v.ColorA = float32(r)/0xffff, float32(g)/0xffff, float32(b)/0xffff, float32(a)/0xffff
	}
}

// flush draws the anti-aliased batch: before anything that must cover it
// (the sticky header), and at the end of the frame.
func (p *painter) flush() {
	if len(p.aaI) > 0 {
		p.dst.DrawTriangles(p.aaV, p.aaI, whitePixel, &ebiten.DrawTrianglesOptions{AntiAlias: true})
	}
	p.aaV, p.aaI = p.aaV[:0], p.aaI[:0]
}

func (p *painter) px(x, y float64) (float32, float32) {
	return float32(x * p.scale), float32((y - p.scroll) * p.scale)
}

// off reports whether the band y..y+h (layout units) is wholly above or
// below the screen: what the scroll hides is not drawn (a long console
// would otherwise cost its every line each frame).
func (p *painter) off(y, h float64) bool {
	top := (y - p.scroll) * p.scale
	return top > float64(p.dst.Bounds().Dy()) || top+h*p.scale < 0
}

func (p *painter) fill(r rect, c color.Color) {
	if p.off(r.y, r.h) {
		return
	}
	x, y := p.px(r.x, r.y)
	vector.DrawFilledRect(p.dst, x, y, float32(r.w*p.scale), float32(r.h*p.scale), c, false)
}

// box is fill in the anti-aliased batch, for a shape among batched ones
// (a chart's square marker over its line) so that their order holds.
func (p *painter) box(r rect, c color.Color) {
	if p.off(r.y, r.h) {
		return
	}
	var path vector.Path
	path.MoveTo(p.px(r.x, r.y))
	path.LineTo(p.px(r.right(), r.y))
	path.LineTo(p.px(r.right(), r.bottom()))
	path.LineTo(p.px(r.x, r.bottom()))
	path.Close()
	p.path(&path, 0, c)
}

func (p *painter) stroke(r rect, width float64, c color.Color) {
	if p.off(r.y-width, r.h+2*width) {
		return
	}
	x, y := p.px(r.x, r.y)
	vector.StrokeRect(p.dst, x, y, float32(r.w*p.scale), float32(r.h*p.scale), float32(width*p.scale), c, false)
}

func (p *painter) line(x0, y0, x1, y1, width float64, c color.Color) {
	if p.off(math.Min(y0, y1)-width, math.Abs(y1-y0)+2*width) {
		return
	}
	var path vector.Path
	path.MoveTo(p.px(x0, y0))
	path.LineTo(p.px(x1, y1))
	p.path(&path, width, c)
}

func (p *painter) dot(x, y, r float64, c color.Color) {
	if p.off(y-r, 2*r) {
		return
	}
	cx, cy := p.px(x, y)
	var path vector.Path
	path.Arc(cx, cy, float32(r*p.scale), 0, 2*math.Pi, vector.Clockwise)
	path.Close()
	p.path(&path, 0, c)
}

// triangle draws a filled arrowhead pointing up (dir > 0) or down.
func (p *painter) triangle(x, y, size float64, dir int, c color.Color) {
	if p.off(y, size) {
		return
	}
	var path vector.Path
	h := size * 0.8
	if dir > 0 {
		path.MoveTo(p.px(x, y+h))
		path.LineTo(p.px(x+size/2, y))
		path.LineTo(p.px(x+size, y+h))
	} else {
		path.MoveTo(p.px(x, y))
		path.LineTo(p.px(x+size/2, y+h))
		path.LineTo(p.px(x+size, y))
	}
	path.Close()
	p.path(&path, 0, c)
}

var whitePixel = func() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(img.Bounds()).(*ebiten.Image)
}()

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

// align says where text sits against its x.
type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// text draws one line with its top at y.
func (p *painter) text(s string, x, y, size float64, bold bool, c color.Color, a align) {
	if p.off(y, lineHeight(size)) {
		return
	}
	f := face(size*p.scale, bold)
	px, py := p.px(x, y)
	left := fixedPx(math.Round(float64(px)))
	switch a {
	case alignCenter:
		left -= f.advance(s) / 2
	case alignRight:
		left -= f.advance(s)
	}
	drawText(p.dst, s, f, left, int(math.Round(float64(py))), c)
}

// lineHeight is the distance between lines of a paragraph.
func lineHeight(size float64) float64 { return math.Ceil(size * 1.35) }

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
