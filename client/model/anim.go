package model

import "time"

// MeterAnimation is how long a meter takes to glide to a new value: long
// enough for a player to see it move and read which way, short enough that
// the reveal does not drag.
const MeterAnimation = 900 * time.Millisecond

// Anim is one animated number: it eases from From to To over Dur, starting
// at Start. It is plain state with a clock passed in, so that tests can step
// it without waiting and the UI can draw it at any frame.
type Anim struct {
	From, To float64
	Start    time.Duration
	Dur      time.Duration
	set      bool
}

// Target moves the animation toward v from wherever it is at now. The first
// value is shown at once: a meter that appears should not grow from zero.
func (a *Anim) Target(v float64, now time.Duration) {
	if !a.set {
		*a = Anim{From: v, To: v, Start: now, Dur: MeterAnimation, set: true}
		return
	}
	if v == a.To {
		return
	}
	a.From, a.To, a.Start, a.Dur = a.Value(now), v, now, MeterAnimation
}

// Value is the number to draw at now.
func (a *Anim) Value(now time.Duration) float64 {
	if a.Dur <= 0 || now >= a.Start+a.Dur {
		return a.To
	}
	if now <= a.Start {
		return a.From
	}
	return a.From + (a.To-a.From)*EaseOutCubic(float64(now-a.Start)/float64(a.Dur))
}

// Done reports whether the animation has reached its target at now.
func (a *Anim) Done(now time.Duration) bool { return a.Value(now) == a.To }

// EaseOutCubic starts fast and settles gently, the way a needle comes to
// rest; t runs 0..1.
func EaseOutCubic(t float64) float64 {
	if t <= 0 {
		return 0
	}
	if t >= 1 {
		return 1
	}
	u := 1 - t
	return 1 - u*u*u
}
