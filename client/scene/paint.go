package scene

import (
	"image/color"
	"math"

	"golang.org/x/image/math/fixed"

	"pushback/client/ui/layout"
)

// The palette: Okabe and Ito's eight colours, which stay distinct for the
// common kinds of colour blindness, on a light ground that survives a
// washed-out projector. Colour never carries meaning alone: every change
// also has a sign and an arrow, every choice a ● or ○.
var (
	ColInk      = rgb(0x1b, 0x1f, 0x2a)
	ColMuted    = rgb(0x5a, 0x60, 0x6e)
	ColGround   = rgb(0xf3, 0xf1, 0xeb)
	ColPanel    = rgb(0xff, 0xff, 0xff)
	ColLine     = rgb(0xc9, 0xc6, 0xbd)
	ColTrack    = rgb(0xe4, 0xe1, 0xd8)
	ColOrange   = rgb(0xe6, 0x9f, 0x00)
	ColSky      = rgb(0x56, 0xb4, 0xe9)
	ColGreen    = rgb(0x00, 0x9e, 0x73)
	ColYellow   = rgb(0xf0, 0xe4, 0x42)
	ColBlue     = rgb(0x00, 0x72, 0xb2)
	ColVermil   = rgb(0xd5, 0x5e, 0x00)
	ColPurple   = rgb(0xcc, 0x79, 0xa7)
	ColUp       = ColBlue
	ColDown     = rgb(0xb0, 0x4a, 0x00) // vermilion darkened for text: 5.5:1 on white
	ColGood     = rgb(0x00, 0x77, 0x5a) // bluish green darkened for text: 5.6:1 on white
	ColBad      = ColDown
	ColFocus    = rgb(0x1b, 0x1f, 0x2a)
	ColSelected = rgb(0xdc, 0xec, 0xf7)
	ColHover    = rgb(0x00, 0x5a, 0x8c)
)

// MeterColour gives each meter its own hue; the label says which it is.
// They are Okabe and Ito's hues darkened until each fill stands out from
// the track by at least 3:1 (WCAG 2.2 non-text contrast); TestContrast
// computes the ratios.
var MeterColour = [...]color.RGBA{
	rgb(0xa8, 0x64, 0x00), // orange
	ColBlue,
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

// Device is what the scenes paint on, in device pixels: the Ebitengine
// shell (client/ui) implements it with its vector package and the glyph
// atlas. Fill and Stroke draw at once; Polygon, Line and Dot join a batch of
// anti-aliased shapes that Flush draws (before anything that must cover
// them, and at the end of the frame).
type Device interface {
	Height() int // in pixels
	Fill(x, y, w, h float32, c color.Color)
	Stroke(x, y, w, h, width float32, c color.Color)
	Polygon(c color.Color, xy ...float32) // filled, corners as x, y pairs
	Line(x0, y0, x1, y1, width float32, c color.Color)
	Dot(x, y, r float32, c color.Color)
	// Text draws s in f with the left of its line box at the whole pixel
	// (x, top): the baseline is at top plus the face's ascent.
	Text(s string, f *Face, x fixed.Int26_6, top int, c color.Color)
	Flush()
}

// painter draws in layout units onto a device: everything is multiplied by
// scale and shifted by the scroll, so text is rendered at its real size and
// stays sharp on a projector and a phone alike.
type painter struct {
	dev    Device
	scale  float64
	scroll float64
	spots  []Spot       // the meters and codes drawn, for the render test
	points []ChartPoint // the debrief charts' data points drawn, likewise
}

func (p *painter) flush() { p.dev.Flush() }

func (p *painter) px(x, y float64) (float32, float32) {
	return float32(x * p.scale), float32((y - p.scroll) * p.scale)
}

// off reports whether the band y..y+h (layout units) is wholly above or
// below the screen: what the scroll hides is not drawn (a long console
// would otherwise cost its every line each frame).
func (p *painter) off(y, h float64) bool {
	top := (y - p.scroll) * p.scale
	return top > float64(p.dev.Height()) || top+h*p.scale < 0
}

func (p *painter) fill(r rect, c color.Color) {
	if p.off(r.y, r.h) {
		return
	}
	x, y := p.px(r.x, r.y)
	p.dev.Fill(x, y, float32(r.w*p.scale), float32(r.h*p.scale), c)
}

// box is fill in the anti-aliased batch, for a shape among batched ones
// (a chart's square marker over its line) so that their order holds.
func (p *painter) box(r rect, c color.Color) {
	if p.off(r.y, r.h) {
		return
	}
	x0, y0 := p.px(r.x, r.y)
	x1, y1 := p.px(r.right(), r.bottom())
	p.dev.Polygon(c, x0, y0, x1, y0, x1, y1, x0, y1)
}

func (p *painter) stroke(r rect, width float64, c color.Color) {
	if p.off(r.y-width, r.h+2*width) {
		return
	}
	x, y := p.px(r.x, r.y)
	p.dev.Stroke(x, y, float32(r.w*p.scale), float32(r.h*p.scale), float32(width*p.scale), c)
}

func (p *painter) line(x0, y0, x1, y1, width float64, c color.Color) {
	if p.off(math.Min(y0, y1)-width, math.Abs(y1-y0)+2*width) {
		return
	}
	ax, ay := p.px(x0, y0)
	bx, by := p.px(x1, y1)
	p.dev.Line(ax, ay, bx, by, float32(width*p.scale), c)
}

func (p *painter) dot(x, y, r float64, c color.Color) {
	if p.off(y-r, 2*r) {
		return
	}
	cx, cy := p.px(x, y)
	p.dev.Dot(cx, cy, float32(r*p.scale), c)
}

// triangle draws a filled arrowhead pointing up (dir > 0) or down.
func (p *painter) triangle(x, y, size float64, dir int, c color.Color) {
	if p.off(y, size) {
		return
	}
	h := size * 0.8
	if dir > 0 {
		ax, ay := p.px(x, y+h)
		bx, by := p.px(x+size/2, y)
		cx, cy := p.px(x+size, y+h)
		p.dev.Polygon(c, ax, ay, bx, by, cx, cy)
	} else {
		ax, ay := p.px(x, y)
		bx, by := p.px(x+size/2, y+h)
		cx, cy := p.px(x+size, y)
		p.dev.Polygon(c, ax, ay, bx, by, cx, cy)
	}
}

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
	p.dev.Text(s, f, left, int(math.Round(float64(py))), c)
}

// lineHeight is the distance between lines of a paragraph.
func lineHeight(size float64) float64 { return math.Ceil(size * 1.35) }
