package debrief

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"pushback/server/protocol/report"
)

// A chart is a line chart over turns, drawn as inline SVG: no scripts, no
// fonts fetched, and every series told apart by its dash pattern and marker
// as well as its colour, so that it reads in greyscale and on a projector.
type chart struct {
	Title  string // for screen readers and the caption
	XLabel string
	YLabel string
	XMax   int // turns 0..XMax
	YMin   float64
	YMax   float64
	YStep  float64
	Lines  []series
	Points []point
	Shade  []int     // x positions with a light band behind them
	Rows   []markRow // per-turn codes under the x axis
}

type series struct {
	Name  string
	Y     []float64 // per x from 0; NaN leaves a gap
	Style int       // index into report.Styles, the same the screen draws
	Ghost bool      // a benchmark: thinner and paler, behind the game's own lines
}

type point struct {
	X, Y  float64
	Shape report.Marker
	Label string
}

type markRow struct {
	Name  string
	Codes []string // per x from 0
}

const visitLegend = "front-line visit"

// Geometry in viewBox units; the SVG scales to its column.
const (
	chartW    = 480.0
	plotLeft  = 58.0
	plotRight = 12.0
	plotH     = 170.0
	legendH   = 22.0
	rowH      = 15.0
	fontSize  = 12.0
)

func (c *chart) svg() template.HTML {
	var b strings.Builder
	// Legend: as many columns as the longest name allows.
	items, longest := len(c.Lines), 0
	if len(c.Points) > 0 {
		items, longest = items+1, len(visitLegend)
	}
	for _, l := range c.Lines {
		longest = max(longest, len([]rune(l.Name)))
	}
	cols := max(1, min(items, int((chartW-16)/(36+float64(longest)*fontSize*0.62))))
	legendRows := (items + cols - 1) / cols
	colW := (chartW - 16) / float64(cols)
	top := 14 + float64(legendRows)*legendH
	bottom := top + plotH
	h := bottom + 40 + float64(len(c.Rows))*rowH
	pw := chartW - plotLeft - plotRight
	x := func(v float64) float64 {
		if c.XMax == 0 {
			return plotLeft + pw/2
		}
		return plotLeft + pw*v/float64(c.XMax)
	}
	y := func(v float64) float64 { return bottom - plotH*(v-c.YMin)/(c.YMax-c.YMin) }
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" role="img" aria-label="%s" font-size="%g">`,
		chartW, h, template.HTMLEscapeString(c.Title), fontSize)
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(c.Title))
	// Shaded turns, behind everything.
	for _, t := range c.Shade {
		w := pw / float64(max(c.XMax, 1)) * 0.8
		lo, hi := max(plotLeft, x(float64(t))-w/2), min(chartW-plotRight, x(float64(t))+w/2)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#e9e9e9"/>`, lo, top, hi-lo, plotH)
	}
	// Grid and y axis.
	for v := c.YMin; v <= c.YMax+1e-9; v += c.YStep {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#d0d0d0" stroke-width="0.8"/>`, plotLeft, chartW-plotRight, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#333">%g</text>`, plotLeft-5, y(v)+4, v)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#555"/>`, plotLeft, plotLeft, top, bottom)
	fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#555"/>`, plotLeft, chartW-plotRight, bottom, bottom)
	fmt.Fprintf(&b, `<text transform="translate(12 %.1f) rotate(-90)" text-anchor="middle" fill="#222">%s</text>`, (top+bottom)/2, template.HTMLEscapeString(c.YLabel))
	// X ticks and label.
	for t := 0; t <= c.XMax; t++ {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#555"/>`, x(float64(t)), x(float64(t)), bottom, bottom+4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#333">%d</text>`, x(float64(t)), bottom+16, t)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#222">%s</text>`, plotLeft+pw/2, bottom+32, template.HTMLEscapeString(c.XLabel))
	// Decision codes under the axis.
	for i, row := range c.Rows {
		ry := bottom + 40 + float64(i)*rowH + 10
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#555" font-size="%g">%s</text>`, plotLeft-5, ry, fontSize-2, template.HTMLEscapeString(row.Name))
		for t, code := range row.Codes {
			if code != "" {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-weight="bold" fill="#111">%s</text>`, x(float64(t)), ry, template.HTMLEscapeString(code))
			}
		}
	}
	// Lines with markers.
	for _, s := range c.Lines {
		st := report.StyleOf(s.Style)
		var path strings.Builder
		pen := false
		for t, v := range s.Y {
			if math.IsNaN(v) {
				pen = false
				continue
			}
			op := "L"
			if !pen {
				op = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", op, x(float64(t)), y(v))
			pen = true
		}
		width, r, op := 2.0, 3.5, ""
		if s.Ghost {
			width, r, op = 1.4, 2.8, ` opacity="0.7"`
		}
		fmt.Fprintf(&b, `<g%s><path d="%s" fill="none" stroke="%s" stroke-width="%g"%s/>`, op, strings.TrimSpace(path.String()), st.Hex(), width, dashArray(st))
		for t, v := range s.Y {
			if !math.IsNaN(v) {
				fill := st.Hex()
				if s.Ghost {
					fill = "#fff"
				}
				marker(&b, st.Marker, x(float64(t)), y(v), r, st.Hex(), fill)
			}
		}
		b.WriteString(`</g>`)
	}
	for _, p := range c.Points {
		marker(&b, p.Shape, x(p.X), y(p.Y), 6, "#000", "#fff")
		if p.Label != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#000" font-size="%g">%s</text>`, x(p.X), y(p.Y)-9, fontSize-1, template.HTMLEscapeString(p.Label))
		}
	}
	// Legend: a sample of each line with its marker, three to a row.
	for i := 0; i <= len(c.Lines); i++ {
		lx := 8 + float64(i%cols)*colW
		ly := 6 + float64(i/cols)*legendH + 11
		if i == len(c.Lines) {
			if len(c.Points) > 0 {
				marker(&b, c.Points[0].Shape, lx+13, ly-4, 5, "#000", "#fff")
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#111">%s</text>`, lx+32, ly, visitLegend)
			}
			break
		}
		st := report.StyleOf(c.Lines[i].Style)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`, lx, lx+26, ly-4, ly-4, st.Hex(), dashArray(st))
		marker(&b, st.Marker, lx+13, ly-4, 3.5, st.Hex(), st.Hex())
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#111">%s</text>`, lx+32, ly, template.HTMLEscapeString(c.Lines[i].Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// dashArray is a style's dash pattern as an SVG attribute; empty when solid.
func dashArray(st report.Style) string {
	if st.Dash == nil {
		return ""
	}
	return fmt.Sprintf(` stroke-dasharray="%s"`, strings.Trim(fmt.Sprint(st.Dash), "[]"))
}

// marker draws a point's shape; shapes differ so that series stay apart
// where their colours print alike.
func marker(b *strings.Builder, shape report.Marker, x, y, r float64, stroke, fill string) {
	switch shape {
	case report.MarkCircle:
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s" stroke="%s" stroke-width="1.5"/>`, x, y, r, fill, stroke)
	case report.MarkSquare:
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="%s" stroke-width="1.5"/>`, x-r, y-r, 2*r, 2*r, fill, stroke)
	case report.MarkBox: // hollow, with a dot
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fff" stroke="%s" stroke-width="1.5"/><circle cx="%.1f" cy="%.1f" r="1.2" fill="%s"/>`, x-r, y-r, 2*r, 2*r, stroke, x, y, stroke)
	case report.MarkTriangle:
		fmt.Fprintf(b, `<path d="M%.1f %.1fL%.1f %.1fL%.1f %.1fZ" fill="%s" stroke="%s" stroke-width="1.5"/>`, x, y-r*1.2, x+r*1.1, y+r*0.8, x-r*1.1, y+r*0.8, fill, stroke)
	case report.MarkDiamond:
		fmt.Fprintf(b, `<path d="M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ" fill="%s" stroke="%s" stroke-width="1.5"/>`, x, y-r*1.3, x+r*1.1, y, x, y+r*1.3, x-r*1.1, y, fill, stroke)
	case report.MarkDown:
		fmt.Fprintf(b, `<path d="M%.1f %.1fL%.1f %.1fL%.1f %.1fZ" fill="%s" stroke="%s" stroke-width="1.5"/>`, x, y+r*1.2, x+r*1.1, y-r*0.8, x-r*1.1, y-r*0.8, fill, stroke)
	case report.MarkPlus:
		fmt.Fprintf(b, `<path d="M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f" stroke="%s" stroke-width="2.4"/>`, x-r*1.2, y, x+r*1.2, y, x, y-r*1.2, x, y+r*1.2, stroke)
	default: // cross
		fmt.Fprintf(b, `<path d="M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f" stroke="%s" stroke-width="2.2"/>`, x-r, y-r, x+r, y+r, x-r, y+r, x+r, y-r, stroke)
	}
}

// niceMax rounds a chart's top up to a multiple of step, at least floor.
func niceMax(v, step, floor float64) float64 {
	return math.Max(floor, math.Ceil(v/step)*step)
}
