package ui

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// canvas is scene.Device on an Ebitengine image: the scenes' shapes drawn
// with vector, their text from the glyph atlas (glyphs.go).
type canvas struct {
	dst *ebiten.Image

	// The frame's anti-aliased shapes (lines, dots, arrowheads), drawn
	// together by Flush: each anti-aliased draw call is a pass of its own
	// over an offscreen buffer, and a console of six managers' sparklines
	// and arrows made hundreds a frame (about one frame a second in
	// headless Chromium's software GL; ten once batched).
	aaV []ebiten.Vertex
	aaI []uint16
}

func (d *canvas) Height() int { return d.dst.Bounds().Dy() }

// path adds a filled (or, with width, stroked) path to the anti-aliased
// batch in colour c.
func (d *canvas) path(path *vector.Path, width float32, c color.Color) {
	if len(d.aaV) > 60000 { // indices are 16 bits
		d.Flush()
	}
	n := len(d.aaV)
	if width > 0 {
		d.aaV, d.aaI = path.AppendVerticesAndIndicesForStroke(d.aaV, d.aaI, &vector.StrokeOptions{Width: width})
	} else {
		d.aaV, d.aaI = path.AppendVerticesAndIndicesForFilling(d.aaV, d.aaI)
	}
	r, g, b, a := c.RGBA()
	for i := n; i < len(d.aaV); i++ {
		v := &d.aaV[i]
		v.SrcX, v.SrcY = 1, 1
		v.ColorR, v.ColorG, v.ColorB, v.ColorA = float32(r)/0xffff, float32(g)/0xffff, float32(b)/0xffff, float32(a)/0xffff
	}
}

// Flush draws the anti-aliased batch.
func (d *canvas) Flush() {
	if len(d.aaI) > 0 {
		d.dst.DrawTriangles(d.aaV, d.aaI, whitePixel, &ebiten.DrawTrianglesOptions{AntiAlias: true})
	}
	d.aaV, d.aaI = d.aaV[:0], d.aaI[:0]
}

func (d *canvas) Fill(x, y, w, h float32, c color.Color) {
	vector.DrawFilledRect(d.dst, x, y, w, h, c, false)
}

func (d *canvas) Stroke(x, y, w, h, width float32, c color.Color) {
	vector.StrokeRect(d.dst, x, y, w, h, width, c, false)
}

func (d *canvas) Polygon(c color.Color, xy ...float32) {
	var path vector.Path
	path.MoveTo(xy[0], xy[1])
	for i := 2; i+1 < len(xy); i += 2 {
		path.LineTo(xy[i], xy[i+1])
	}
	path.Close()
	d.path(&path, 0, c)
}

func (d *canvas) Line(x0, y0, x1, y1, width float32, c color.Color) {
	var path vector.Path
	path.MoveTo(x0, y0)
	path.LineTo(x1, y1)
	d.path(&path, width, c)
}

func (d *canvas) Dot(x, y, r float32, c color.Color) {
	var path vector.Path
	path.Arc(x, y, r, 0, 2*math.Pi, vector.Clockwise)
	path.Close()
	d.path(&path, 0, c)
}

var whitePixel = func() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(img.Bounds()).(*ebiten.Image)
}()
