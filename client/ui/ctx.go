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
}

// focusable is a control keyboard navigation can reach.
type focusable struct {
	id  string
	r   rect
	txt bool // a text field: takes characters, Space is a character
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
	panels     map[string]float64 // panel heights, from the last frame
	keyFocused bool               // the focus came from the keyboard: scroll it into view
	spots      []spot             // the meters and codes drawn last frame, for the render test
	points     []chartPoint       // the debrief charts' data points drawn last frame, likewise
}

func (c *ctx) drawing() bool { return c.p != nil }

// do queues an intent for the model.
func (c *ctx) do(in model.Intent) { c.out = append(c.out, in) }

// pointer is the pointer in layout units, scroll included.
func (c *ctx) pointer() (float64, float64, bool) {
	if c.in == nil || !c.in.pointer {
		return 0, 0, false
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
	case in.enter && inText:
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

// nearest finds the control closest to the current one in direction
// (dx, dy), preferring ones straight ahead; with no focus, the first.
func (c *ctx) nearest(cur int, dx, dy float64) int {
	if cur < 0 {
		return 0
	}
	from := c.order[cur].r
	best, bestD := -1, math.Inf(1)
	for i, f := range c.order {
		if i == cur {
			continue
		}
		vx, vy := f.r.cx()-from.cx(), f.r.cy()-from.cy()
		if dx != 0 && vx*dx <= 4 {
			continue
		}
		if dy != 0 && (vy*dy <= 0 || math.Abs(vy) < 4) {
			continue
		}
		along, across := vx*dx+vy*dy, math.Abs(vx*dy)+math.Abs(vy*dx)
		d := along + 3*across
		if d < bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return -2
	}
	return best
}

// spot is a meter or QR code as drawn, in device pixels, so the render
// test can check the pixels against the numbers.
type spot struct {
	bar   rect // device pixels
	gauge model.Gauge
	qr    [][]bool
	mod   float64 // QR module size, device pixels
}
