// Package ui draws the client's model with Ebitengine and turns mouse,
// touch and keyboard input into the model's intents. Scenes are functions
// that lay out and draw one screen in layout units; a painter scales them to
// the device, so one layout serves a laptop, a projector and (in one
// column) a phone.
package ui

import (
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"pushback/client/model"
	"pushback/client/session"
	"pushback/client/ui/layout"
)

// App is the ebiten.Game of the client.
type App struct {
	M       *model.Model // the session's, read only
	JoinURL string       // shown and encoded as a QR code on the projector

	s      *session.Session
	st     state
	in     input
	geo    geometry
	touchY map[ebiten.TouchID]int
	now    func() time.Time
	screen model.Screen // the screen of the last step
	mirror mirror       // the accessibility mirror (browser only)
	text   float64      // the browser's text scale: its root font size over 16 px
}

// geometry is how layout units map to the device this frame.
type geometry = layout.Geometry

// Snapshot is the model as of the last update (session.Snapshot).
func (a *App) Snapshot() *model.Snapshot { return a.s.Snapshot() }

// NewApp makes the game around a session.
func NewApp(s *session.Session) *App {
	return &App{M: s.M, s: s, now: time.Now, touchY: map[ebiten.TouchID]int{}}
}

// Layout implements ebiten.Game: the screen is the device's own pixels.
func (a *App) Layout(outsideW, outsideH int) (int, int) {
	dsf := 1.0
	if mon := ebiten.Monitor(); mon != nil {
		dsf = mon.DeviceScaleFactor()
	}
	a.geo = layout.FitText(float64(outsideW), float64(outsideH), dsf, a.text)
	measureScale = a.geo.Scale
	return a.geo.DW, a.geo.DH
}

// Update implements ebiten.Game: the session takes the link's news and
// advances the clocks, then the tick's input becomes intents for it.
// Nothing here blocks.
func (a *App) Update() error {
	a.s.Step(a.now())
	if name, data, ok := takePicked(); ok { // a scenario file the trainer chose in the browser
		a.s.Do(model.CheckFile{File: name, Source: data})
	}
	a.readInput()
	a.text = a.mirror.pull(&a.in, a.text)
	a.step(&a.in)
	a.s.Publish(a.st.nav.ID)
	a.mirror.push(a)
	return nil
}

func (a *App) ctx(in *input, p *painter) *ctx {
	c := &ctx{m: a.M, st: &a.st, p: p, in: in, w: a.geo.W, h: a.geo.H, scale: a.geo.Scale, narrow: a.geo.Narrow, joinURL: a.JoinURL}
	c.pass = layout.Pass{F: &a.st.nav, In: c.layoutInput()}
	return c
}

// step runs one update pass of the current scene with in, then keyboard
// navigation, scrolling and the intents it produced.
func (a *App) step(in *input) {
	st := &a.st
	st.blink++
	st.nav.Hover = ""
	if a.geo.Scale == 0 {
		a.geo = layout.Fit(1280, 720, 1)
	}
	measureScale = a.geo.Scale
	screen := a.M.Screen()
	if screen != a.screen { // a new screen starts at its top, with no focus
		st.scroll, st.nav.ID, a.screen = 0, "", screen
	}
	if in.focusTo != "" { // a screen reader moved the focus in the mirror
		st.nav.ID, st.nav.KeyFocused, st.mirrorHas = in.focusTo, true, true
	} else if in.press || in.tab || in.enter || in.space || in.up || in.down || in.left || in.rght || len(in.chars) > 0 {
		st.mirrorHas = false // back in the canvas
	}
	c := a.ctx(in, nil)
	scenes[screen](c)
	c.helpButton()
	st.nodes, st.sticky = c.nodes, c.sticky
	if in.press {
		st.nav.Pressed = c.pass.DownAt
		st.nav.Dragged = 0
	}
	st.nav.Dragged += in.drag
	before := st.nav.ID
	if in.focusTo != "" {
		before = ""
	}
	c.pass.Navigate()
	if in.release {
		st.nav.Pressed = ""
	}
	focusIsText := false
	for _, f := range c.pass.Order {
		if f.ID == st.nav.ID {
			focusIsText = f.Text
			if st.nav.ID != before && st.nav.KeyFocused && !f.Fixed {
				a.reveal(unbox(f.R))
			}
		}
	}
	if !focusIsText {
		st.fields.blur()
	}
	st.contentH = c.bottom + c.margin()
	st.scroll += -a.geo.Wheel(in.wheel, wheelPixels) - in.drag/a.geo.Scale
	st.scroll = math.Max(0, math.Min(st.scroll, st.contentH-a.geo.H))
	a.s.Do(c.out...)
}

// reveal scrolls so that r is on screen.
func (a *App) reveal(r rect) {
	st := &a.st
	if r.y < st.scroll+st.sticky+8 { // under the header counts as off screen
		st.scroll = r.y - st.sticky - 60
	} else if r.bottom() > st.scroll+a.geo.H-8 {
		st.scroll = r.bottom() - a.geo.H + 60
	}
}

// Draw implements ebiten.Game.
func (a *App) Draw(screen *ebiten.Image) {
	screen.Fill(colGround)
	a.paint(screen)
}

// paint draws the screen from the model and the last update's state, which
// it only reads; it returns the painter with what it drew, for tests.
func (a *App) paint(dst *ebiten.Image) *painter {
	p := &painter{dst: dst, scale: a.geo.Scale, scroll: a.st.scroll}
	defer p.flush() // whatever anti-aliased shapes the overlays added
	c := a.ctx(nil, p)
	scenes[a.M.Screen()](c)
	p.flush()
	for _, f := range c.overlay {
		f()
	}
	c.helpButton()
	if a.st.contentH > a.geo.H { // a scroll bar, so a phone user knows there is more
		track := a.geo.H
		frac := a.geo.H / a.st.contentH
		y := a.st.scroll / a.st.contentH * track
		p.scroll = 0
		p.fill(rect{a.geo.W - 5, y, 4, track * frac}, colMuted)
	}
	return p
}

// repeat is true on the tick a key goes down and then every few ticks
// while it is held, like typing.
func repeat(k ebiten.Key) bool {
	d := inpututil.KeyPressDuration(k)
	return d == 1 || d >= 30 && d%4 == 0
}

// readInput collects the tick's input from Ebitengine.
func (a *App) readInput() {
	in := &a.in
	chars := in.chars[:0]
	*in = input{}
	x, y := ebiten.CursorPosition()
	in.px, in.py, in.pointer = float64(x), float64(y), true
	in.press = inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft)
	in.release = inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft)
	if ids := inpututil.AppendJustPressedTouchIDs(nil); len(ids) > 0 {
		tx, ty := ebiten.TouchPosition(ids[0])
		in.px, in.py, in.press, in.touch = float64(tx), float64(ty), true, true
	}
	for _, id := range ebiten.AppendTouchIDs(nil) {
		_, ty := ebiten.TouchPosition(id)
		if prev, ok := a.touchY[id]; ok {
			in.drag += float64(ty - prev)
		}
		a.touchY[id] = ty
		tx, _ := ebiten.TouchPosition(id)
		in.px, in.py, in.touch = float64(tx), float64(ty), true
		break
	}
	if ids := inpututil.AppendJustReleasedTouchIDs(nil); len(ids) > 0 {
		tx, ty := inpututil.TouchPositionInPreviousTick(ids[0])
		in.px, in.py, in.release, in.touch = float64(tx), float64(ty), true, true
		for _, id := range ids {
			delete(a.touchY, id)
		}
	}
	_, in.wheel = ebiten.Wheel()
	in.tab = inpututil.IsKeyJustPressed(ebiten.KeyTab)
	in.shift = ebiten.IsKeyPressed(ebiten.KeyShift)
	in.enter = inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter)
	in.space = inpututil.IsKeyJustPressed(ebiten.KeySpace)
	in.escape = inpututil.IsKeyJustPressed(ebiten.KeyEscape)
	in.backspace = repeat(ebiten.KeyBackspace)
	in.up, in.down = repeat(ebiten.KeyArrowUp), repeat(ebiten.KeyArrowDown)
	in.left, in.rght = repeat(ebiten.KeyArrowLeft), repeat(ebiten.KeyArrowRight)
	in.chars = ebiten.AppendInputChars(chars)
}
