package scene

import (
	"image/color"

	"pushback/client/model"
)

// The render tests (client/ui) read back the pixels of a lone meter and of
// a line of text against what the scenes meant; these draw them as a
// screen does.

// PaintMeter draws g in a box of 500×50 layout units at (10, 10), at
// scale, and returns where its bar went.
func PaintMeter(d Device, scale float64, g model.Gauge) []Spot {
	measureScale = scale
	c := &ctx{m: model.New(model.Saved{}), st: &state{}, p: &painter{dev: d, scale: scale}, scale: scale}
	c.meter(rect{10, 10, 500, 50}, g)
	c.p.flush()
	return c.p.spots
}

// PaintText draws one line of s at scale 1 with its top at y and x its
// left (a < 0), centre (a == 0) or right (a > 0); it returns the width the
// layout measured for it and its line's height.
func PaintText(d Device, s string, x, y, size float64, bold bool, c color.Color, a int) (w, h float64) {
	measureScale = 1
	al := alignCenter
	if a < 0 {
		al = alignLeft
	} else if a > 0 {
		al = alignRight
	}
	(&painter{dev: d, scale: 1}).text(s, x, y, size, bold, c, al)
	return measure(s, size, bold), lineHeight(size)
}
