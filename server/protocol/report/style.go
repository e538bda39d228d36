package report

import "fmt"

// Marker is the shape drawn at each point of a series.
type Marker uint8

// The markers, one per style.
const (
	MarkCircle Marker = iota
	MarkSquare
	MarkTriangle
	MarkDiamond
	MarkCross
	MarkDown // a triangle pointing down
	MarkPlus
	MarkBox // a hollow square
)

// Style is how one manager's line looks in every chart of the report, the
// HTML page's and the screen's alike: an Okabe–Ito colour for colour-blind
// readers, and a dash pattern and a marker of its own so that the lines
// stay apart in greyscale and on a washed-out projector.
type Style struct {
	Colour uint32    // 0xRRGGBB
	Dash   []float64 // on, off, … in units of a 2-wide line; nil is solid
	Marker Marker
}

// Styles are the managers' styles in seat order; a ninth manager starts
// over (StyleOf).
var Styles = [8]Style{
	{0x0072B2, nil, MarkCircle},                        // blue
	{0xD55E00, []float64{8, 4}, MarkSquare},            // vermilion
	{0x009E73, []float64{2, 3}, MarkTriangle},          // bluish green
	{0xCC79A7, []float64{10, 3, 2, 3}, MarkDiamond},    // reddish purple
	{0xE69F00, []float64{4, 2, 1, 2}, MarkCross},       // orange
	{0x1B1F2A, []float64{14, 4}, MarkDown},             // ink
	{0x56B4E9, []float64{14, 3, 2, 3, 2, 3}, MarkPlus}, // sky blue
	{0x5A606E, []float64{3, 6}, MarkBox},               // grey
}

// StyleOf is the style of the i-th series (from 0).
func StyleOf(i int) Style { return Styles[i%len(Styles)] }

// RGB splits the colour into its channels.
func (s Style) RGB() (r, g, b uint8) {
	return uint8(s.Colour >> 16), uint8(s.Colour >> 8), uint8(s.Colour)
}

// Hex is the colour as CSS writes it.
func (s Style) Hex() string { return fmt.Sprintf("#%06X", s.Colour) }
