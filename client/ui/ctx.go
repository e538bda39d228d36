package ui

import (
	"math"

	"pushback/client/model"
)

// input is one tick's worth of what the player did, in device pixels. The
// app reads it from Ebitengine; tests write it by hand, which is how the
// keyboard paths are tested without a keyboard.
type input struct {
	px, py     float64 // pointer (mouse or touch)
	pointer    bool    // px, py are meaningful
	press      bool    // the pointer went down this tick
	release    bool    // it went up this tick
	touch      bool    // the pointer is a finger
	wheel      float64 // lines scrolled, positive up
	drag       float64 // device pixels a finger dragged vertically this tick
	tab        bool
	shift      bool
	enter      bool
	space      bool
	backspace  bool
	escape     bool
	up, down   bool
	left, rght bool
	chars      []rune
	// From the accessibility mirror: a control activated, focused, or a
	// field's new text, as a screen reader user did it in the DOM.
	activate string
	focusTo  string
	setID    string
	setText  string
}

// focusable is a control keyboard navigation can reach.
type focusable struct {
	id    string
	r     rect
	txt   bool // a text field: takes characters, Space is a character
	fixed bool // in the header, which does not scroll
}

// ctx is one pass over a screen. The same scene code runs twice a frame:
// in Update with in set, to find what was clicked or typed, and in Draw
// with p set, to paint. Widgets are functions that lay themselves out, so
// the two passes agree on where everything is.
type ctx struct {
	m       *model.Model
	st      *state
	p       *painter // nil in the update pass
	in      *input   // nil in the draw pass
	w, h    float64  // the screen in layout units
	scale   float64  // device pixels per layout unit
	narrow  bool     // a phone in portrait: one column
	out     []model.Intent
	order   []focusable
	bottom  float64 // lowest point drawn, for scrolling
	downAt  string  // the control the pointer went down on this tick
	joinURL string  // for the projector
	nodes   []node  // the screen's widgets as plain data, for the accessibility mirror
	semKeys map[string]int
	label   string   // the last label laid out: a field's accessible name
	submit  bool     // Enter in a text field acted (a form was sent): do not move on
	sticky  float64  // the header's height: it stays on top while the page scrolls
	overlay []func() // painted after the scene, over it: the sticky header
}

// state is what the UI remembers between frames: focus, scroll, the
// control a press started on, text field sessions.
type state struct {
	focus      string
	scroll     float64
	contentH   float64
	pressed    string // control under the pointer when it went down
	hover      string
	dragged    float64
	blink      int
	fields     fieldSessions
	panels     map[string]float64 // panel heights, from the last update
	keyFocused bool               // the focus came from the keyboard: scroll it into view
	nodes      []node             // the screen's widgets as of the last update, for the mirror
	sticky     float64            // the header's height as of the last update
	mirrorHas  bool               // the focus is in the accessibility mirror, not the canvas
}

func (c *ctx) drawing() bool { return c.p != nil }

// do queues an intent for the model.
func (c *ctx) do(in model.Intent) { c.out = append(c.out, in) }

// pointer is the pointer in layout units, scroll included.
func (c *ctx) pointer() (float64, float64, bool) {
	if c.in == nil || !c.in.pointer || c.in.py/c.scale < c.st.sticky {
		return 0, 0, false // nothing, or on the header, which covers what scrolls under it
	}
	return c.in.px / c.scale, c.in.py/c.scale + c.st.scroll, true
}

// control registers a focusable control and reports whether it was
// activated this tick: clicked or tapped (press and release on it), or
// Enter or Space while it has the focus.
func (c *ctx) control(id string, r rect) bool {
	c.order = append(c.order, focusable{id: id, r: r})
	c.grow(r)
	if c.in == nil {
		return false
	}
	if c.in.activate == id { // pressed through the accessibility mirror
		c.st.focus = id
		return true
	}
	x, y, ok := c.pointer()
	over := ok && r.has(x, y)
	if over {
		c.st.hover = id
	}
	if c.in.press && over {
		c.downAt = id
	}
	if c.in.release && over && c.st.pressed == id && math.Abs(c.st.dragged) < 12 {
		c.st.focus = id
		c.st.keyFocused = false
		return true
	}
	return c.st.focus == id && (c.in.enter || c.in.space)
}

// field registers a text field; typing goes to it while it has the focus.
func (c *ctx) field(id string, r rect) bool {
	c.order = append(c.order, focusable{id: id, r: r, txt: true})
	c.grow(r)
	if c.in == nil {
		return c.st.focus == id
	}
	x, y, ok := c.pointer()
	if ok && r.has(x, y) {
		c.st.hover = id
		if c.in.press {
			c.downAt = id
		}
		if c.in.release && c.st.pressed == id {
			c.st.focus = id
			c.st.keyFocused = false
		}
	}
	return c.st.focus == id
}

func (c *ctx) grow(r rect) {
	if b := r.bottom(); b > c.bottom {
		c.bottom = b
	}
}

// focused reports whether id has the keyboard focus (for drawing the ring).
func (c *ctx) focused(id string) bool { return c.st.focus == id }

// navigate moves the focus after the scene has registered its controls:
// Tab and Shift-Tab walk the order, arrows move to the nearest control in
// their direction, Escape drops the focus.
func (c *ctx) navigate() {
	in := c.in
	if in == nil || len(c.order) == 0 {
		return
	}
	cur := -1
	for i, f := range c.order {
		if f.id == c.st.focus {
			cur = i
		}
	}
	inText := cur >= 0 && c.order[cur].txt
	next := -2
	switch {
	case in.escape:
		c.st.focus = ""
		return
	case in.tab && in.shift:
		next = cur - 1
		if next < 0 {
			next = len(c.order) - 1
		}
	case in.tab:
		next = (cur + 1) % len(c.order)
	case in.enter && inText && !c.submit:
		next = (cur + 1) % len(c.order) // Enter leaves a text field for the next control
	case in.up:
		next = c.nearest(cur, 0, -1)
	case in.down:
		next = c.nearest(cur, 0, 1)
	case in.left && !inText:
		next = c.nearest(cur, -1, 0)
	case in.rght && !inText:
		next = c.nearest(cur, 1, 0)
	}
	if next >= 0 {
		c.st.focus = c.order[next].id
		c.st.keyFocused = true
	}
}

// nearest finds the control the arrow (dx, dy) leads to from the current
// one, by rows and columns: ArrowDown goes to the next row of controls
// below (the second row of a wrapped set of chips before the next set),
// and in it to the control most nearly under this one; ArrowLeft and
// ArrowRight stay in the row. With no focus, the first control.
func (c *ctx) nearest(cur int, dx, dy float64) int {
	if cur < 0 {
		return 0
	}
	from := c.order[cur].r
	best, bestD, bestTie := -1, math.Inf(1), math.Inf(1)
	for i, f := range c.order {
		if i == cur {
			continue
		}
		var d, tie float64
		if dy != 0 {
			rows := (f.r.y - from.y) * dy // how many units of rows away, in the arrow's direction
			if rows <= 4 {
				continue
			}
			// Lexically: the nearest row first, then in it the control
			// most nearly under this one.
			d = math.Round(rows)*1e6 + gapBetween(from.x, from.right(), f.r.x, f.r.right())
			tie = math.Abs(f.r.cx() - from.cx())
		} else {
			along := (f.r.cx() - from.cx()) * dx
			if along <= 4 || math.Abs(f.r.cy()-from.cy()) >= from.h/2+f.r.h/2 {
				continue // behind, or not in this row
			}
			d, tie = along, math.Abs(f.r.cy()-from.cy())
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

// spot is a meter or QR code as drawn, in device pixels, so the render
// test can check the pixels against the numbers.
type spot struct {
	bar   rect // device pixels
	gauge model.Gauge
	qr    [][]bool
	mod   float64 // QR module size, device pixels
}
