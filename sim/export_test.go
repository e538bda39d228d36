package sim

import "slices"

// DecideBothWays is what the bot for seat decides from the State (as Bots
// does) and from the seat's full View (as a client does), from the same
// randomness; the bots' randomness is left as it was.
func (b *Bots) DecideBothWays(s *State, seat Seat) (fromState, fromView Command, ok bool) {
	saved := *b.pcg
	fromState, ok = b.Decide(s, seat)
	*b.pcg = saved
	if ok && s.Phase != PhaseReveal {
		v := s.View(seat)
		if seat == Executive {
			fromView = PersonaMove(b.persona, s.Scn, &v, b.rng)
		} else {
			fromView = StyleMove(b.styles[seat-1], s.Scn, &v, b.rng)
		}
		*b.pcg = saved
	} else {
		fromView = fromState
	}
	return fromState, fromView, ok
}

// SeenAgrees reports whether what a bot in seat reads straight from the
// State is exactly what it would read from the seat's View: the bots' path
// shows nothing the view hides, and hides nothing it shows.
func SeenAgrees(s *State, seat Seat) bool {
	var a, b seen
	a.fromState(s, seat, nil)
	v := s.View(seat)
	b.fromView(&v)
	if a.seat != b.seat || a.phase != b.phase || a.turn != b.turn || a.card != b.card || a.target != b.target ||
		a.visit != b.visit || a.company != b.company || a.n != b.n ||
		!slices.Equal(a.news, b.news) || !slices.Equal(a.played, b.played) ||
		!slices.Equal(a.evidence, b.evidence) || !slices.Equal(a.inForce, b.inForce) {
		return false
	}
	for i := range a.n {
		x, y := a.mgr[i], b.mgr[i]
		if (x.kase == nil) != (y.kase == nil) || x.kase != nil && *x.kase != *y.kase {
			return false
		}
		card := a.card
		if x.response == ResponseEscalate {
			card = x.escalate
		}
		if x.grade != nil && *x.grade != GradeCase(s.Scn, card, *x.kase, a.news) {
			return false // a grade at hand is the one the view's case gets
		}
		x.kase, y.kase, x.grade, y.grade = nil, nil, nil, nil
		if x != y {
			return false
		}
	}
	return true
}
