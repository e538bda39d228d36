package scene

import (
	qrcode "github.com/skip2/go-qrcode"
)

// qrCache keeps the last code's modules: encoding every frame is waste.
var qrCache struct {
	text string
	bits [][]bool
}

// qrBits returns the modules of a QR code for s, quiet zone included.
func qrBits(s string) [][]bool {
	if s == qrCache.text && qrCache.bits != nil {
		return qrCache.bits
	}
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return nil
	}
	qrCache.text, qrCache.bits = s, q.Bitmap()
	return qrCache.bits
}

// qr draws a QR code for s filling the square r, with whole device pixels
// per module so that phone cameras read it off a projector.
func (c *ctx) qr(r rect, s string) {
	c.grow(r)
	if !c.drawing() || s == "" {
		return
	}
	bits := qrBits(s)
	if len(bits) == 0 {
		return
	}
	n := float64(len(bits))
	mod := float64(int(r.w*c.scale/n)) / c.scale // whole pixels per module
	if mod <= 0 {
		return
	}
	c.p.fill(rect{r.x, r.y, mod * n, mod * n}, ColPanel)
	c.p.spots = append(c.p.spots, Spot{Bar: c.device(r).box(), QR: bits, Mod: mod * c.scale})
	for y, row := range bits {
		for x, on := range row {
			if on {
				c.p.fill(rect{r.x + float64(x)*mod, r.y + float64(y)*mod, mod, mod}, ColInk)
			}
		}
	}
}
