// Package scene is the client's screens without a device: scenes are
// functions that lay out and draw one screen in layout units, run twice a
// frame — in the update pass to find what the mouse, touch, keys or the
// accessibility mirror reached and turn it into the model's intents, and in
// the paint to draw through a Device. A painter scales them to the device,
// so one layout serves a laptop, a projector and (in one column) a phone.
// Nothing here imports Ebitengine (client/ui is the shell that does), so
// the input tests run without a display.
package scene

import (
	"math"
	"time"

	"pushback/client/model"
	"pushback/client/session"
	"pushback/client/ui/layout"
)

// UI is the client's screens over a session: what layout must remember
// between frames (focus, scroll, panel heights) and how layout units map to
// the device.
type UI struct {
	M       *model.Model    // the session's, read only
	JoinURL string          // shown and encoded as a QR code on the projector
	Geo     layout.Geometry // how layout units map to the device this frame

	s      *session.Session
	st     state
	screen model.Screen // the screen of the last step
	mirror mirror       // the accessibility mirror (browser only)
	text   float64      // the browser's text scale: its root font size over 16 px
}

// New makes the screens around a session; text is the platform's text
// entry, or nil for the tick's typed characters.
func New(s *session.Session, text TextInput) *UI {
	return &UI{M: s.M, s: s, st: state{fields: text}}
}

// Fit sizes the layout to a device of w×h pixels at dsf device pixels per
// CSS pixel (and the browser's text scale).
func (u *UI) Fit(w, h, dsf float64) {
	u.Geo = layout.FitText(w, h, dsf, u.text)
	measureScale = u.Geo.Scale
}

// Update is one tick: the session takes the link's news and advances the
// clocks, a scenario file the trainer chose in the browser is checked, then
// the tick's input (and the mirror's) becomes intents for the session.
// Nothing here blocks.
func (u *UI) Update(now time.Time, in *Input) {
	u.s.Step(now)
	if name, data, ok := takePicked(); ok {
		u.s.Do(model.CheckFile{File: name, Source: data})
	}
	u.text = u.mirror.pull(in, u.text)
	u.Step(in)
	u.s.Publish(u.st.nav.ID)
	u.mirror.push(u)
}

func (u *UI) ctx(in *Input, p *painter) *ctx {
	c := &ctx{m: u.M, st: &u.st, p: p, in: in, w: u.Geo.W, h: u.Geo.H, scale: u.Geo.Scale, narrow: u.Geo.Narrow, joinURL: u.JoinURL}
	c.pass = layout.Pass{F: &u.st.nav, In: c.layoutInput()}
	return c
}

// Step runs one update pass of the current scene with in, then keyboard
// navigation, scrolling and the intents it produced.
func (u *UI) Step(in *Input) {
	st := &u.st
	st.blink++
	st.nav.Hover = ""
	if u.Geo.Scale == 0 {
		u.Geo = layout.Fit(1280, 720, 1)
	}
	measureScale = u.Geo.Scale
	screen := u.M.Screen()
	if screen != u.screen { // a new screen starts at its top, with no focus
		st.scroll, st.nav.ID, u.screen = 0, "", screen
	}
	if in.FocusTo != "" { // a screen reader moved the focus in the mirror
		st.nav.ID, st.nav.KeyFocused, st.mirrorHas = in.FocusTo, true, true
	} else if in.Press || in.Tab || in.Enter || in.Space || in.Up || in.Down || in.Left || in.Right || len(in.Chars) > 0 {
		st.mirrorHas = false // back in the canvas
	}
	c := u.ctx(in, nil)
	scenes[screen](c)
	c.helpButton()
	st.nodes, st.sticky = c.nodes, c.sticky
	if in.Press {
		st.nav.Pressed = c.pass.DownAt
		st.nav.Dragged = 0
	}
	st.nav.Dragged += in.Drag
	before := st.nav.ID
	if in.FocusTo != "" {
		before = ""
	}
	c.pass.Navigate()
	if in.Release {
		st.nav.Pressed = ""
	}
	focusIsText := false
	for _, f := range c.pass.Order {
		if f.ID == st.nav.ID {
			focusIsText = f.Text
			if st.nav.ID != before && st.nav.KeyFocused && !f.Fixed {
				u.reveal(unbox(f.R))
			}
		}
	}
	if !focusIsText && st.fields != nil {
		st.fields.Blur()
	}
	st.contentH = c.bottom + c.margin()
	st.scroll += -u.Geo.Wheel(in.Wheel, wheelPixels) - in.Drag/u.Geo.Scale
	st.scroll = math.Max(0, math.Min(st.scroll, st.contentH-u.Geo.H))
	u.s.Do(c.out...)
}

// ContentHeight is how tall the screen's content was at the last step, in
// layout units.
func (u *UI) ContentHeight() float64 { return u.st.contentH }

// reveal scrolls so that r is on screen.
func (u *UI) reveal(r rect) {
	st := &u.st
	if r.y < st.scroll+st.sticky+8 { // under the header counts as off screen
		st.scroll = r.y - st.sticky - 60
	} else if r.bottom() > st.scroll+u.Geo.H-8 {
		st.scroll = r.bottom() - u.Geo.H + 60
	}
}

// Drawn is what a paint put where, in device pixels, for the render tests.
type Drawn struct {
	Spots  []Spot
	Points []ChartPoint
}

// Paint draws the screen onto d (cleared to ColGround) from the model and
// the last update's state, which it only reads.
func (u *UI) Paint(d Device) Drawn {
	p := &painter{dev: d, scale: u.Geo.Scale, scroll: u.st.scroll}
	defer p.flush() // whatever anti-aliased shapes the overlays added
	c := u.ctx(nil, p)
	scenes[u.M.Screen()](c)
	p.flush()
	for _, f := range c.overlay {
		f()
	}
	c.helpButton()
	if u.st.contentH > u.Geo.H { // a scroll bar, so a phone user knows there is more
		track := u.Geo.H
		frac := u.Geo.H / u.st.contentH
		y := u.st.scroll / u.st.contentH * track
		p.scroll = 0
		p.fill(rect{u.Geo.W - 5, y, 4, track * frac}, ColMuted)
	}
	return Drawn{p.spots, p.points}
}

// Controls are the current screen's controls as the update pass lays them
// out, in Tab order.
func (u *UI) Controls() []layout.Control {
	c := u.ctx(&Input{}, nil)
	scenes[u.M.Screen()](c)
	c.helpButton()
	return c.pass.Order
}
