package scene

import (
	"pushback/client/model"
	"pushback/client/ui/layout"
)

// Input is one tick's worth of what the player did, in device pixels. The
// Ebitengine shell (client/ui) reads it from the devices; tests write it by
// hand, which is how the keyboard paths are tested without a keyboard.
type Input struct {
	X, Y        float64 // pointer (mouse or touch)
	Pointer     bool    // X, Y are meaningful
	Press       bool    // the pointer went down this tick
	Release     bool    // it went up this tick
	Touch       bool    // the pointer is a finger
	Wheel       float64 // lines scrolled, positive up
	Drag        float64 // device pixels a finger dragged vertically this tick
	Tab         bool
	Shift       bool
	Enter       bool
	Space       bool
	Backspace   bool
	Escape      bool
	Up, Down    bool
	Left, Right bool
	Chars       []rune
	// From the accessibility mirror: a control activated, focused, or a
	// field's new text, as a screen reader user did it in the DOM.
	Activate string
	FocusTo  string
	SetID    string
	SetText  string
}

// ctx is one pass over a screen. The same scene code runs twice a frame:
// in Update with in set, to find what was clicked or typed, and in Draw
// with p set, to paint. Widgets are functions that lay themselves out, so
// the two passes agree on where everything is.
type ctx struct {
	m       *model.Model
	st      *state
	p       *painter // nil in the update pass
	in      *Input   // nil in the draw pass
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
	fields    TextInput          // nil: the tick's typed characters
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
	if c.in == nil || !c.in.Pointer || c.in.Y/c.scale < c.st.sticky {
		return 0, 0, false // nothing, or on the header, which covers what scrolls under it
	}
	return c.in.X / c.scale, c.in.Y/c.scale + c.st.scroll, true
}

// layoutInput is in as focus and hit-testing take it, nil in the draw pass.
func (c *ctx) layoutInput() *layout.Input {
	in := c.in
	if in == nil {
		return nil
	}
	x, y, ok := c.pointer()
	return &layout.Input{X: x, Y: y, Pointer: ok, Press: in.Press, Release: in.Release,
		Tab: in.Tab, Shift: in.Shift, Enter: in.Enter, Space: in.Space, Escape: in.Escape,
		Up: in.Up, Down: in.Down, Left: in.Left, Right: in.Right, Activate: in.Activate}
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

// Spot is a meter or QR code as drawn, in device pixels, so the render
// test can check the pixels against the numbers.
type Spot struct {
	Bar   layout.Rect // device pixels
	Gauge model.Gauge
	QR    [][]bool
	Mod   float64 // QR module size, device pixels
}
