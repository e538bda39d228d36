// Package ui is the client's Ebitengine shell: App is the ebiten.Game that
// reads the devices' input into client/scene's Input, runs the scenes'
// update pass and paints them with Ebitengine (vector shapes and a glyph
// atlas, paint.go and glyphs.go); in the browser it also holds the text
// field that brings up a phone's keyboard. The screens themselves, their
// layout, focus and hit-testing live in client/scene, which needs no
// display.
package ui

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"pushback/client/model"
	"pushback/client/scene"
	"pushback/client/session"
)

// App is the ebiten.Game of the client.
type App struct {
	UI *scene.UI // the screens

	s      *session.Session
	in     scene.Input
	touchY map[ebiten.TouchID]int
	now    func() time.Time
}

// Snapshot is the model as of the last update (session.Snapshot).
func (a *App) Snapshot() *model.Snapshot { return a.s.Snapshot() }

// NewApp makes the game around a session.
func NewApp(s *session.Session) *App {
	return &App{UI: scene.New(s, textInput()), s: s, now: time.Now, touchY: map[ebiten.TouchID]int{}}
}

// Layout implements ebiten.Game: the screen is the device's own pixels.
func (a *App) Layout(outsideW, outsideH int) (int, int) {
	dsf := 1.0
	if mon := ebiten.Monitor(); mon != nil {
		dsf = mon.DeviceScaleFactor()
	}
	a.UI.Fit(float64(outsideW), float64(outsideH), dsf)
	return a.UI.Geo.DW, a.UI.Geo.DH
}

// Update implements ebiten.Game: the tick's input goes to the screens
// (scene.UI.Update), which hand the session its intents.
func (a *App) Update() error {
	a.readInput()
	a.UI.Update(a.now(), &a.in)
	return nil
}

// Draw implements ebiten.Game.
func (a *App) Draw(screen *ebiten.Image) {
	screen.Fill(scene.ColGround)
	a.paint(screen)
}

// paint draws the screen onto dst; it returns what the scenes drew where,
// for tests.
func (a *App) paint(dst *ebiten.Image) scene.Drawn {
	return a.UI.Paint(&canvas{dst: dst})
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
	chars := in.Chars[:0]
	*in = scene.Input{}
	x, y := ebiten.CursorPosition()
	in.X, in.Y, in.Pointer = float64(x), float64(y), true
	in.Press = inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft)
	in.Release = inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft)
	if ids := inpututil.AppendJustPressedTouchIDs(nil); len(ids) > 0 {
		tx, ty := ebiten.TouchPosition(ids[0])
		in.X, in.Y, in.Press, in.Touch = float64(tx), float64(ty), true, true
	}
	for _, id := range ebiten.AppendTouchIDs(nil) {
		_, ty := ebiten.TouchPosition(id)
		if prev, ok := a.touchY[id]; ok {
			in.Drag += float64(ty - prev)
		}
		a.touchY[id] = ty
		tx, _ := ebiten.TouchPosition(id)
		in.X, in.Y, in.Touch = float64(tx), float64(ty), true
		break
	}
	if ids := inpututil.AppendJustReleasedTouchIDs(nil); len(ids) > 0 {
		tx, ty := inpututil.TouchPositionInPreviousTick(ids[0])
		in.X, in.Y, in.Release, in.Touch = float64(tx), float64(ty), true, true
		for _, id := range ids {
			delete(a.touchY, id)
		}
	}
	_, in.Wheel = ebiten.Wheel()
	in.Tab = inpututil.IsKeyJustPressed(ebiten.KeyTab)
	in.Shift = ebiten.IsKeyPressed(ebiten.KeyShift)
	in.Enter = inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter)
	in.Space = inpututil.IsKeyJustPressed(ebiten.KeySpace)
	in.Escape = inpututil.IsKeyJustPressed(ebiten.KeyEscape)
	in.Backspace = repeat(ebiten.KeyBackspace)
	in.Up, in.Down = repeat(ebiten.KeyArrowUp), repeat(ebiten.KeyArrowDown)
	in.Left, in.Right = repeat(ebiten.KeyArrowLeft), repeat(ebiten.KeyArrowRight)
	in.Chars = ebiten.AppendInputChars(chars)
}
