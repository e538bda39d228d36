package sim

import "slices"

// DecideBothWays is what the bot for seat decides from the State (as Bots
// does) and from the seat's full View (as a client does), from the same
// randomness; the bots' randomness is left as it was.
func (b *Bots) DecideBothWays(s *State, seat Seat) (fromState, fromView Command, ok bool) {
	saved := b.pcg
	fromState, ok = b.Decide(s, seat)
	b.pcg = saved
	if ok && s.Phase != PhaseReveal {
		v := s.View(seat)
		if seat == Executive {
			fromView = PersonaMove(b.persona, s.Scn, &v, b.rng)
		} else {
			fromView = StyleMove(b.styles[seat-1], s.Scn, &v, b.rng)
		}
		b.pcg = saved
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
		x, y := &a.mgr[i], &b.mgr[i]
		if x.response.Voiced() {
			card := a.card
			if x.response == ResponseEscalate {
				card = x.escalate
			}
			if *a.caseOf(x) != *b.caseOf(y) || a.gradeOf(s.Scn, x, card) != b.gradeOf(s.Scn, y, card) {
				return false
			}
		}
		if x.seat != y.seat || x.response != y.response || x.verdict != y.verdict || x.quota != y.quota ||
			x.standing != y.standing || x.escalate != y.escalate {
			return false
		}
	}
	return true
}
