package loadtest

import (
	"sync"
	"time"
)

// tracker measures, for one room, the time from a command being sent to the
// view it caused reaching every seat. The commanding client learns the
// version its command produced from the last view before its ok (the room
// broadcasts before it answers); each seat remembers when it first saw each
// version, so seats that got there before the ok are counted too. A seat
// whose connection is down is not waited for.
type tracker struct {
	mu      sync.Mutex
	r       *run
	seats   []seatLog
	waiters []waiter
}

type seatLog struct {
	absent bool
	ring   [32]arrival
	n      int // arrivals recorded, ring index n%32 is next
}

type arrival struct {
	v  uint64
	at time.Time
}

type waiter struct {
	v       uint64
	sent    time.Time
	last    time.Time
	missing uint32 // bit per seat still to receive version ≥ v
}

func newTracker(seats int, r *run) *tracker {
	return &tracker{r: r, seats: make([]seatLog, seats)}
}

func (t *tracker) present(seat int) {
	if seat < 0 || seat >= len(t.seats) {
		return
	}
	t.mu.Lock()
	t.seats[seat].absent = false
	t.mu.Unlock()
}

// absent stops waiting for seat until it reconnects.
func (t *tracker) absent(seat int) {
	if seat < 0 || seat >= len(t.seats) {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seats[seat].absent = true
	t.settle(seat, ^uint64(0), time.Time{})
}

// arrive records that seat received a view of version v at at.
func (t *tracker) arrive(seat int, v uint64, at time.Time) {
	if seat < 0 || seat >= len(t.seats) {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &t.seats[seat]
	if s.n > 0 && s.ring[(s.n-1)%len(s.ring)].v >= v {
		return // not new: a join or a leave re-sends the same version
	}
	s.ring[s.n%len(s.ring)] = arrival{v, at}
	s.n++
	t.settle(seat, v, at)
}

// settle marks seat as served for every waiter up to version v.
func (t *tracker) settle(seat int, v uint64, at time.Time) {
	bit := uint32(1) << seat
	keep := t.waiters[:0]
	for _, w := range t.waiters {
		if w.missing&bit != 0 && w.v <= v {
			w.missing &^= bit
			if at.After(w.last) {
				w.last = at
			}
		}
		if w.missing == 0 {
			t.record(w)
			continue
		}
		keep = append(keep, w)
	}
	t.waiters = keep
}

// acked starts the clock of a command sent at sent whose result is version v.
func (t *tracker) acked(sent time.Time, v uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := waiter{v: v, sent: sent, last: sent}
	for i := range t.seats {
		s := &t.seats[i]
		if s.absent {
			continue
		}
		found := false
		for k := max(0, s.n-len(s.ring)); k < s.n; k++ {
			if a := s.ring[k%len(s.ring)]; a.v >= v {
				found = true
				if a.at.After(w.last) {
					w.last = a.at
				}
				break
			}
		}
		if !found {
			w.missing |= 1 << i
		}
	}
	if w.missing == 0 {
		t.record(w)
		return
	}
	t.waiters = append(t.waiters, w)
}

func (t *tracker) record(w waiter) {
	d := w.last.Sub(w.sent)
	t.r.h.add(d)
	t.r.iv.add(d)
	if t.r.ramped.Load() {
		t.r.steady.add(d)
	}
}
