package room

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/store"
	"pushback/sim"
)

// A room's meta (seats, tokens, flags) is stored as it was at creation; each
// later change is a typed record appended to the room's log through the
// store's group commit, before the change is acknowledged. The meta in
// memory is derived: the creation meta with every record applied in order.

// Record kinds.
const (
	recSeat  = "seat"  // a seat's person, token, hold or bot-only flag
	recStart = "start" // the game started
	recLock  = "lock"  // On: joins refused
	recPause = "pause" // On: paused, with Remaining ms of deadline kept
)

// record is one change of a room's meta. Seat records carry the seat whole.
type record struct {
	Kind      string   `msgpack:"kind"`
	Seat      sim.Seat `msgpack:"seat,omitempty"`
	Name      string   `msgpack:"name,omitempty"`
	Token     string   `msgpack:"token,omitempty"`
	Owned     bool     `msgpack:"owned,omitempty"`
	Hold      bool     `msgpack:"hold,omitempty"`
	BotOnly   bool     `msgpack:"bot_only,omitempty"`
	On        bool     `msgpack:"on,omitempty"`
	Remaining int64    `msgpack:"remaining,omitempty"`
}

// changes lists the records that turn prev into m.
func changes(prev, m *meta) []record {
	var out []record
	for i := range m.Seats {
		a, b := &prev.Seats[i], &m.Seats[i]
		if a.Name != b.Name || a.Token != b.Token || a.Owned != b.Owned || a.Hold != b.Hold || a.BotOnly != b.BotOnly {
			out = append(out, record{Kind: recSeat, Seat: sim.Seat(i), Name: b.Name, Token: b.Token, Owned: b.Owned, Hold: b.Hold, BotOnly: b.BotOnly})
		}
	}
	if m.Started && !prev.Started {
		out = append(out, record{Kind: recStart})
	}
	if m.Locked != prev.Locked {
		out = append(out, record{Kind: recLock, On: m.Locked})
	}
	if m.Paused != prev.Paused || m.Remaining != prev.Remaining {
		out = append(out, record{Kind: recPause, On: m.Paused, Remaining: m.Remaining})
	}
	return out
}

// apply replays one record onto the meta.
func (m *meta) apply(rec record) error {
	switch rec.Kind {
	case recSeat:
		if rec.Seat < 0 || int(rec.Seat) >= len(m.Seats) {
			return fmt.Errorf("record for seat %d of %d", rec.Seat, len(m.Seats))
		}
		seat := &m.Seats[rec.Seat]
		seat.Name, seat.Token, seat.Owned, seat.Hold, seat.BotOnly = rec.Name, rec.Token, rec.Owned, rec.Hold, rec.BotOnly
	case recStart:
		m.Started = true
	case recLock:
		m.Locked = rec.On
	case recPause:
		m.Paused, m.Remaining = rec.On, rec.Remaining
	default:
		return fmt.Errorf("unknown record kind %q", rec.Kind)
	}
	return nil
}

// metaOf is a stored room's meta now: as created, with its records applied;
// and how many records it has.
func metaOf(stored roomLog, sr store.Room) (meta, uint64, error) {
	var m meta
	if err := msgpack.Unmarshal(sr.Meta, &m); err != nil {
		return m, 0, fmt.Errorf("room %s meta: %w", sr.Code, err)
	}
	recs, err := stored.Records(sr.Code)
	if err != nil {
		return m, 0, err
	}
	for _, e := range recs {
		var rec record
		if err := msgpack.Unmarshal(e.Body, &rec); err != nil {
			return m, 0, fmt.Errorf("room %s record %d: %w", sr.Code, e.N, err)
		}
		if err := m.apply(rec); err != nil {
			return m, 0, fmt.Errorf("room %s record %d: %w", sr.Code, e.N, err)
		}
	}
	return m, uint64(len(recs)), nil
}

// persist logs the records that turn prev into the room's meta durably
// before the change is acknowledged; if the store refuses them, the change
// is undone (meta back to prev) and the answer is internal, so that nothing
// acknowledged exists only in memory.
func (r *table) persist(prev meta, now time.Time) error {
	recs := changes(&prev, &r.meta)
	if len(recs) == 0 {
		return nil
	}
	bodies := make([][]byte, len(recs))
	var err error
	for i := range recs {
		if bodies[i], err = msgpack.Marshal(&recs[i]); err != nil {
			break
		}
	}
	if err == nil {
		err = r.deps.log.AppendRecords(r.code, r.nrec+1, r.game.Version, bodies, now)
	}
	if err != nil && r.leaseLost(err) {
		r.meta = prev
		return errMoved
	}
	if err != nil {
		// A failed transaction leaves nothing; but should the store have
		// kept the records after all, the change is durable and stands.
		n, rerr := r.storedRecords()
		if rerr == nil && n == r.nrec+uint64(len(recs)) {
			r.nrec = n
			return nil
		}
		slog.Error("store a room change; change refused", "code", r.code, "err", err)
		r.meta = prev
		// The log holds records this memory lacks (an earlier append's
		// outcome was unknown): reload before the next change.
		r.stale = rerr == nil && n != r.nrec
		return errUnavailable
	}
	r.nrec += uint64(len(recs))
	return nil
}

// storedRecords is how many records the store holds for the room: after a
// failed append, the count to number the next one from.
func (r *table) storedRecords() (uint64, error) {
	recs, err := r.deps.log.Records(r.code)
	return uint64(len(recs)), err
}
