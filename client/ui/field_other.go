//go:build !js

package ui

// fieldSessions is where a platform's text input lives. On the desktop the
// typed characters arrive with the tick's input, so there is nothing to keep.
type fieldSessions struct{}

// edit applies this tick's typing to s.
func (f *fieldSessions) edit(id, s string, in *input, x, y int) string {
	return typed(s, in)
}

// blur ends any platform session.
func (f *fieldSessions) blur() {}
