package ui

import (
	"pushback/client/model"
	"pushback/client/ui/layout"
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
	pass    layout.Pass // the controls, what the pointer and the keys reached
	bottom  float64     // lowest point drawn, for scrolling
	joinURL string      // for the projector
	nodes   []node      // the screen's widgets as plain data, for the accessibility mirror
	semKeys map[string]int
	label   string   // the last label laid out: a field's accessible name
	sticky  float64  // the header's height: it stays on top while the page scrolls
	overlay []func() // painted after the scene, over it: the sticky header
}

// state is what the UI remembers between frames: focus, scroll, the
// control a press started on, text field sessions.
type state struct {
	nav       layout.Focus // focus, hover, the press under way
	scroll    float64
	contentH  float64
	blink     int
	fields    fieldSessions
	panels    map[string]float64 // panel heights, from the last update
	nodes     []node             // the screen's widgets as of the last update, for the mirror
	sticky    float64            // the header's height as of the last update
	mirrorHas bool               // the focus is in the accessibility mirror, not the canvas
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

// layoutInput is in as focus and hit-testing take it, nil in the draw pass.
func (c *ctx) layoutInput() *layout.Input {
	in := c.in
	if in == nil {
		return nil
	}
	x, y, ok := c.pointer()
	return &layout.Input{X: x, Y: y, Pointer: ok, Press: in.press, Release: in.release,
		Tab: in.tab, Shift: in.shift, Enter: in.enter, Space: in.space, Escape: in.escape,
		Up: in.up, Down: in.down, Left: in.left, Right: in.rght, Activate: in.activate}
}

// control registers a focusable control and reports whether it was
// activated this tick (layout.Pass.Control).
func (c *ctx) control(id string, r rect) bool {
	c.grow(r)
	return c.pass.Control(id, r.box())
}

// field registers a text field; typing goes to it while it has the focus.
func (c *ctx) field(id string, r rect) bool {
	c.grow(r)
	return c.pass.Field(id, r.box())
}

func (c *ctx) grow(r rect) {
	if b := r.bottom(); b > c.bottom {
		c.bottom = b
	}
}

// focused reports whether id has the keyboard focus (for drawing the ring).
func (c *ctx) focused(id string) bool { return c.st.nav.ID == id }

// spot is a meter or QR code as drawn, in device pixels, so the render
// test can check the pixels against the numbers.
type spot struct {
	bar   rect // device pixels
	gauge model.Gauge
	qr    [][]bool
	mod   float64 // QR module size, device pixels
}
