//go:build js

package ui

import "github.com/hajimehoshi/ebiten/v2/exp/textinput"

// fieldSessions keeps the browser's text input: Ebitengine's textinput
// focuses a hidden textarea, which is what brings up a phone's keyboard.
type fieldSessions struct {
	id string
	f  textinput.Field
}

// edit applies this tick's typing to s.
func (f *fieldSessions) edit(id, s string, in *input, x, y int) string {
	if f.id != id {
		f.blur()
		f.id = id
		f.f.Focus()
	}
	if f.f.Text() != s {
		f.f.SetTextAndSelection(s, len(s), len(s))
	}
	handled, err := f.f.HandleInput(x, y)
	if err != nil || !handled {
		s = typed(f.f.Text(), in)
		f.f.SetTextAndSelection(s, len(s), len(s))
		return s
	}
	return f.f.Text()
}

// blur ends the session.
func (f *fieldSessions) blur() {
	if f.id != "" {
		f.f.Blur()
		f.id = ""
	}
}
