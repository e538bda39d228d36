package room

import (
	"fmt"
	"time"

	"pushback/server/protocol"
	"pushback/sim"
)

// Notices tell players what the facilitator did (paused, ended, injected
// news, handed a seat to a bot …), so that no screen has to guess it from a
// changed flag. They live in memory only: after a restart the flags (paused,
// over) still say the state, and a notice is news of the moment.

// keptNotices is how many the room keeps; noticesShown how many a view
// carries, the latest, oldest first.
const (
	keptNotices  = 32
	noticesShown = 5
)

// notify records a notice for everyone (seat < 0) or for one seat's holder.
func (r *table) notify(kind string, s sim.Seat, text string, now time.Time) {
	n := protocol.Notice{At: now.UnixMilli(), Kind: kind, Seat: s, Everyone: s < 0, Text: text}
	if s < 0 {
		n.Seat = 0
	}
	if len(r.notices) >= keptNotices {
		r.notices = append(r.notices[:0], r.notices[1:]...)
	}
	r.notices = append(r.notices, n)
}

// noticesFor is what seat s is told: the notices for everyone and for its
// own seat; the facilitator sees them all.
func (r *table) noticesFor(s sim.Seat) []protocol.Notice {
	out := []protocol.Notice{}
	for i := len(r.notices) - 1; i >= 0 && len(out) < noticesShown; i-- {
		n := r.notices[i]
		if n.Everyone || s == sim.Facilitator || (s >= 0 && n.Seat == s) {
			out = append(out, n)
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// answered is how many of the seats the current phase waits on have
// decided, and how many it waits on (0 between phases).
func (r *table) answered() (answered, waiting int) {
	var seats []sim.Seat
	switch r.game.Phase {
	case sim.PhaseMandate, sim.PhaseRuling:
		seats = []sim.Seat{sim.Executive}
	case sim.PhaseResponse, sim.PhaseReveal:
		for s := sim.Seat(1); int(s) <= r.game.Managers(); s++ {
			seats = append(seats, s)
		}
		if r.game.Phase == sim.PhaseReveal {
			seats = append(seats, sim.Executive)
		}
	}
	if !r.meta.Started || r.over {
		return 0, 0
	}
	for _, s := range seats {
		waiting++
		if !r.game.Pending(s) {
			answered++
		}
	}
	return answered, waiting
}

// everyone addresses a notice to every seat.
const everyone sim.Seat = -1

// seconds says a duration in words: "1 minute", "90 seconds".
func seconds(n int) string {
	switch {
	case n == 60:
		return "1 minute"
	case n%60 == 0:
		return fmt.Sprintf("%d minutes", n/60)
	case n == 1:
		return "1 second"
	}
	return fmt.Sprintf("%d seconds", n)
}
