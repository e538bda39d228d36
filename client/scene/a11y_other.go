//go:build !js

package scene

// wheelPixels: on the desktop the wheel reports lines.
const wheelPixels = false

// mirror is the browser's accessibility mirror; the desktop has none (its
// screen readers do not see into a GL window).
type mirror struct{}

// pull takes what a screen reader did since the last tick; it returns the
// text scale, which on the desktop stays where it is.
func (*mirror) pull(in *Input, text float64) float64 { return text }

// push brings the mirror up to date with the screen.
func (*mirror) push(*UI) {}
