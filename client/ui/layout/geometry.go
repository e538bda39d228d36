package layout

import "math"

// Geometry is how layout units map to the device this frame.
type Geometry struct {
	W, H   float64 // layout units
	Scale  float64 // device pixels per unit
	Narrow bool    // one column: a phone in portrait, or text too large for two
	DW, DH int     // device pixels
	DSF    float64 // device pixels per CSS or window pixel
}

// Fit chooses the layout for a window of outside size w×h (in CSS or
// window pixels) on a device with the given scale factor: a laptop's
// 1280×720 is one unit per pixel, a projector's 1920×1080 is 1.5, and a
// portrait phone gets a single column about 380 units wide.
func Fit(w, h, dsf float64) Geometry {
	g := Geometry{DW: int(math.Ceil(w * dsf)), DH: int(math.Ceil(h * dsf)), DSF: dsf}
	if w >= 900 && w >= h {
		g.Scale = math.Max(math.Min(w/1280, h/720), 0.7) * dsf
	} else {
		g.Narrow = true
		g.Scale = math.Min(w/380, 1.25) * dsf
	}
	g.W, g.H = float64(g.DW)/g.Scale, float64(g.DH)/g.Scale
	return g
}

// FitText is Fit for a reader whose browser draws text at text times the
// usual size (its root font size over 16 px): everything is drawn text
// times larger, and a layout that gets too narrow for two columns becomes
// the one column of a phone.
func FitText(w, h, dsf, text float64) Geometry {
	g := Fit(w, h, dsf)
	if text <= 0 || math.IsNaN(text) || text == 1 {
		return g
	}
	g.Scale *= math.Max(0.75, math.Min(text, 3))
	g.W, g.H = float64(g.DW)/g.Scale, float64(g.DH)/g.Scale
	if g.W < 900 { // too narrow for two columns at this size
		g.Narrow = true
	}
	return g
}

// Wheel is how far, in layout units, a wheel movement scrolls: the browser
// reports pixels (CSS pixels, which is what the wheel would move a web page
// by), the desktop lines (40 units each).
func (g Geometry) Wheel(wheel float64, pixels bool) float64 {
	if pixels {
		dsf := g.DSF
		if dsf == 0 {
			dsf = 1
		}
		return wheel * dsf / g.Scale
	}
	return wheel * 40
}
