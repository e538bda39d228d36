package ui

import (
	"image"
	"image/color"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"pushback/client/scene"
)

// TestTextLandsWhereMeasured draws text left, centred and right-aligned on a
// white image and reads the pixels back: the ink lies within the measured
// width from where each alignment puts it, and between the top of the line
// and its line height, and the colour is the one asked for.
func TestTextLandsWhereMeasured(t *testing.T) {
	const s, size, top = "HIxl", 30.0, 10.0
	for _, c := range []struct {
		a     int     // left, centre, right
		x     float64 // where
		shift float64 // the left of the text from x, in widths
	}{{-1, 20, 0}, {0, 150, -0.5}, {1, 280, -1}} {
		var img *image.RGBA
		var w, lh float64
		onMain(func() {
			dst := ebiten.NewImage(300, 60)
			defer dst.Deallocate()
			dst.Fill(color.White)
			w, lh = scene.PaintText(&canvas{dst: dst}, s, c.x, top, size, true, scene.ColBlue, c.a)
			img = image.NewRGBA(image.Rect(0, 0, 300, 60))
			dst.ReadPixels(img.Pix)
		})
		left := c.x + c.shift*w
		minX, maxX, minY, maxY, exact := 300, -1, 60, -1, 0
		for y := 0; y < 60; y++ {
			for x := 0; x < 300; x++ {
				p := img.RGBAAt(x, y)
				if p == (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
					continue
				}
				minX, maxX, minY, maxY = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y)
				if p == scene.ColBlue {
					exact++
				}
			}
		}
		if float64(minX) < left-1 || float64(maxX) > left+w+1 || maxX-minX < int(w*0.8) {
			t.Errorf("align %d: ink from x %d to %d, measured %.1f to %.1f", c.a, minX, maxX, left, left+w)
		}
		if float64(minY) < top || float64(maxY) > top+lh || maxY-minY < size/2 {
			t.Errorf("align %d: ink from y %d to %d, the line from %.0f to %.0f", c.a, minY, maxY, top, top+lh)
		}
		if exact < 50 {
			t.Errorf("align %d: %d pixels of the text's own colour", c.a, exact)
		}
	}
}
