// Package layout is the client's geometry, focus and hit-testing, apart
// from any graphics: boxes in layout units, text wrapped by a Measurer,
// and one pass's controls with which of them the pointer or the keyboard
// reached. client/ui lays its scenes out with it and paints with
// Ebitengine; this package imports neither Ebitengine nor the fonts, so its
// tests of focus order, clicks and keys run without a display.
package layout

import (
	"math"
	"strings"
)

// Rect is a box in layout units.
type Rect struct{ X, Y, W, H float64 }

// Has reports whether (x, y) is inside r.
func (r Rect) Has(x, y float64) bool { return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H }

// Right and Bottom are r's far edges; CX and CY its centre.
func (r Rect) Right() float64  { return r.X + r.W }
func (r Rect) Bottom() float64 { return r.Y + r.H }
func (r Rect) CX() float64     { return r.X + r.W/2 }
func (r Rect) CY() float64     { return r.Y + r.H/2 }

// Measurer gives the width of a text in layout units: the UI's fonts, or
// anything else in a test.
type Measurer interface {
	Width(s string, size float64, bold bool) float64
}

// Wrap breaks s into lines no wider than w (a word wider than w is cut);
// a newline starts a new line.
func Wrap(m Measurer, s string, w, size float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		cur := ""
		for _, word := range words {
			try := word
			if cur != "" {
				try = cur + " " + word
			}
			if cur != "" && m.Width(try, size, bold) > w {
				lines = append(lines, cur)
				cur = word
			} else {
				cur = try
			}
			for m.Width(cur, size, bold) > w && len([]rune(cur)) > 1 { // one word wider than the box
				rs := []rune(cur)
				n := len(rs) - 1
				for n > 1 && m.Width(string(rs[:n]), size, bold) > w {
					n--
				}
				lines = append(lines, string(rs[:n]))
				cur = string(rs[n:])
			}
		}
		lines = append(lines, cur)
	}
	return lines
}

// Input is one tick of what the player did, as focus and hit-testing need
// it: the pointer in layout units (scroll included), and the keys.
type Input struct {
	X, Y           float64
	Pointer        bool // X, Y are meaningful (and not on a header that covers them)
	Press, Release bool
	Tab, Shift     bool
	Enter, Space   bool
	Escape         bool
	Up, Down       bool
	Left, Right    bool
	Activate       string // a control pressed through the accessibility mirror
}

// Focus is what focus and hit-testing remember between ticks.
type Focus struct {
	ID         string  // the control with the keyboard focus
	KeyFocused bool    // it came from the keyboard: scroll it into view
	Pressed    string  // the control the pointer went down on
	Dragged    float64 // how far a finger moved since: a drag is no tap
	Hover      string  // the control under the pointer this tick
}

// Control is a focusable control as laid out.
type Control struct {
	ID    string
	R     Rect
	Text  bool // a text field: takes characters, Space is a character
	Fixed bool // in the header, which does not scroll
}

// Pass is one tick's run over a screen's controls. In is nil in a pass
// that only draws: then nothing is hit and Focus is only read.
type Pass struct {
	F      *Focus
	In     *Input
	Order  []Control // the controls in focus order, as registered
	DownAt string    // the control the pointer went down on this tick
	Submit bool      // Enter in a text field acted (a form was sent): do not move on
}

// Control registers a focusable control and reports whether it was
// activated this tick: clicked or tapped (press and release on it, not a
// drag), or Enter or Space while it has the focus.
func (p *Pass) Control(id string, r Rect) bool {
	p.Order = append(p.Order, Control{ID: id, R: r})
	in := p.In
	if in == nil {
		return false
	}
	if in.Activate == id {
		p.F.ID = id
		return true
	}
	over := in.Pointer && r.Has(in.X, in.Y)
	if over {
		p.F.Hover = id
	}
	if in.Press && over {
		p.DownAt = id
	}
	if in.Release && over && p.F.Pressed == id && math.Abs(p.F.Dragged) < 12 {
		p.F.ID, p.F.KeyFocused = id, false
		return true
	}
	return p.F.ID == id && (in.Enter || in.Space)
}

// Field registers a text field and reports whether it has the focus
// (typing goes to it); a click or tap on it focuses it.
func (p *Pass) Field(id string, r Rect) bool {
	p.Order = append(p.Order, Control{ID: id, R: r, Text: true})
	in := p.In
	if in != nil && in.Pointer && r.Has(in.X, in.Y) {
		p.F.Hover = id
		if in.Press {
			p.DownAt = id
		}
		if in.Release && p.F.Pressed == id {
			p.F.ID, p.F.KeyFocused = id, false
		}
	}
	return p.F.ID == id
}

// Navigate moves the focus once the controls are registered: Tab and
// Shift-Tab walk the order, arrows move to the nearest control in their
// direction (left and right stay in a text field), Enter leaves a text
// field for the next control, Escape drops the focus.
func (p *Pass) Navigate() {
	in := p.In
	if in == nil || len(p.Order) == 0 {
		return
	}
	cur := -1
	for i, c := range p.Order {
		if c.ID == p.F.ID {
			cur = i
		}
	}
	inText := cur >= 0 && p.Order[cur].Text
	next := -2
	switch {
	case in.Escape:
		p.F.ID = ""
		return
	case in.Tab && in.Shift:
		next = cur - 1
		if next < 0 {
			next = len(p.Order) - 1
		}
	case in.Tab:
		next = (cur + 1) % len(p.Order)
	case in.Enter && inText && !p.Submit:
		next = (cur + 1) % len(p.Order)
	case in.Up:
		next = Nearest(p.Order, cur, 0, -1)
	case in.Down:
		next = Nearest(p.Order, cur, 0, 1)
	case in.Left && !inText:
		next = Nearest(p.Order, cur, -1, 0)
	case in.Right && !inText:
		next = Nearest(p.Order, cur, 1, 0)
	}
	if next >= 0 {
		p.F.ID, p.F.KeyFocused = p.Order[next].ID, true
	}
}

// Nearest finds the control the arrow (dx, dy) leads to from order[cur],
// by rows and columns: ArrowDown goes to the next row of controls below
// (the second row of a wrapped set of chips before the next set), and in
// it to the control most nearly under this one; ArrowLeft and ArrowRight
// stay in the row. With no focus (cur < 0), the first control; -2 when
// there is none that way.
func Nearest(order []Control, cur int, dx, dy float64) int {
	if cur < 0 {
		return 0
	}
	from := order[cur].R
	best, bestD, bestTie := -1, math.Inf(1), math.Inf(1)
	for i, f := range order {
		if i == cur {
			continue
		}
		var d, tie float64
		if dy != 0 {
			rows := (f.R.Y - from.Y) * dy // how many units of rows away, in the arrow's direction
			if rows <= 4 {
				continue
			}
			// Lexically: the nearest row first, then in it the control
			// most nearly under this one.
			d = math.Round(rows)*1e6 + gapBetween(from.X, from.Right(), f.R.X, f.R.Right())
			tie = math.Abs(f.R.CX() - from.CX())
		} else {
			along := (f.R.CX() - from.CX()) * dx
			if along <= 4 || math.Abs(f.R.CY()-from.CY()) >= from.H/2+f.R.H/2 {
				continue // behind, or not in this row
			}
			d, tie = along, math.Abs(f.R.CY()-from.CY())
		}
		if d < bestD || d == bestD && tie < bestTie {
			best, bestD, bestTie = i, d, tie
		}
	}
	if best < 0 {
		return -2
	}
	return best
}

// gapBetween is the distance between two spans, 0 when they overlap.
func gapBetween(a0, a1, b0, b1 float64) float64 {
	return math.Max(0, math.Max(b0-a1, a0-b1))
}
