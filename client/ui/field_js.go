//go:build js

package ui

import (
	"github.com/hajimehoshi/ebiten/v2/exp/textinput"

	"pushback/client/scene"
)

// textInput: the browser types into its own hidden textarea.
func textInput() scene.TextInput { return &fieldSessions{} }

// fieldSessions keeps the browser's text input: Ebitengine's textinput
// focuses a hidden textarea, which is what brings up a phone's keyboard.
type fieldSessions struct {
	id string
	f  textinput.Field
}

// Edit applies this tick's typing to s.
func (f *fieldSessions) Edit(id, s string, in *scene.Input, x, y int) string {
	if f.id != id {
		f.Blur()
		f.id = id
		f.f.Focus()
	}
	if f.f.Text() != s {
		f.f.SetTextAndSelection(s, len(s), len(s))
	}
	handled, err := f.f.HandleInput(x, y)
	if err != nil || !handled {
		s = scene.Typed(f.f.Text(), in)
		f.f.SetTextAndSelection(s, len(s), len(s))
		return s
	}
	return f.f.Text()
}

// Blur ends the session.
func (f *fieldSessions) Blur() {
	if f.id != "" {
		f.f.Blur()
		f.id = ""
	}
}
