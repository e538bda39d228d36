package room

import (
	"bytes"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/protocol"
	"pushback/sim"
)

// roomInfo builds the room part of seat s's view.
func (r *table) roomInfo(now time.Time, s sim.Seat) protocol.Room {
	ri := protocol.Room{Code: r.code, Scenario: r.scn.ID, Started: r.meta.Started, Paused: r.meta.Paused,
		Locked: r.meta.Locked, Over: r.over, Now: now.UnixMilli(), Since: r.since, Seats: r.seatInfo(),
		Audience: r.meta.Create.Audience, Deadlines: r.meta.Create.Deadlines, Notices: r.noticesFor(s)}
	ri.Answered, ri.Waiting = r.answered()
	if !r.deadline.IsZero() {
		ri.Deadline = r.deadline.UnixMilli()
	}
	if s == sim.Facilitator {
		ri.Turned = r.turned
		for c := range r.conns {
			ri.People = append(ri.People, protocol.Person{Conn: c.id, Name: c.name, Role: c.role, Seat: c.seat})
		}
		slices.SortFunc(ri.People, func(a, b protocol.Person) int { return a.Conn - b.Conn })
	}
	return ri
}

func (r *table) seatInfo() []protocol.SeatInfo {
	out := make([]protocol.SeatInfo, len(r.meta.Seats))
	for i := range r.meta.Seats {
		seat := &r.meta.Seats[i]
		s := sim.Seat(i)
		si := protocol.SeatInfo{Seat: s, Role: protocol.RoleManager, Name: seat.Name, Human: seat.Owned,
			Connected: seat.conn != nil, Bot: seat.BotOnly || !seat.Owned || seat.Hold, Pending: r.game.Pending(s)}
		if i == 0 {
			si.Role = protocol.RoleExecutive
		}
		if !seat.Owned {
			si.Name = r.botName(s)
		}
		out[i] = si
	}
	return out
}

func (r *table) botName(s sim.Seat) string {
	if s == sim.Executive {
		if p := r.scn.Persona(r.meta.Config.Persona); p != nil {
			return p.Name
		}
		return "Executive"
	}
	if style := r.scn.Style(r.meta.Config.Managers[s-1].Style); style != nil {
		return style.Name + " (bot)"
	}
	return fmt.Sprintf("Manager %d (bot)", s)
}

// broadcast sends every connection the view of its own seat, made by sim:
// each seat's bytes are built from that seat's View only.
func (r *table) broadcast(now time.Time) {
	if len(r.conns) == 0 {
		return
	}
	cache := map[sim.Seat][]byte{}
	for c := range r.conns {
		b, ok := cache[c.seat]
		if !ok {
			b = r.viewBytes(c.seat, now)
			cache[c.seat] = b
		}
		if b != nil {
			c.enqueue(b)
		}
	}
}

func (r *table) viewBytes(s sim.Seat, now time.Time) []byte {
	// The pooled encoder carries a sim.View and texts reused from view to
	// view: they live only until the bytes are copied out below.
	e := viewEncoders.Get().(*viewEncoder)
	defer viewEncoders.Put(e)
	r.game.ViewInto(&e.game, s)
	v := &protocol.View{Game: e.game, Room: r.roomInfo(now, s)}
	e.texts = e.texts[:0]
	for _, d := range v.Game.Deltas {
		e.texts = append(e.texts, d.Text(r.scn))
	}
	v.Texts = e.texts
	e.buf.Reset()
	if err := e.enc.Encode(protocol.ServerMsg{Kind: protocol.KindView, View: v}); err != nil {
		slog.Error("encode view", "code", r.code, "seat", s, "err", err)
		return nil
	}
	// One exact-size copy per seat: the frame waits in send queues, and
	// msgpack.Marshal's growing buffer would keep up to twice its size.
	return bytes.Clone(e.buf.Bytes())
}

// viewEncoder is what building one view's bytes needs, reused from view to
// view and shared by rooms through viewEncoders: a msgpack encoder writing
// into a buffer, the seat's sim.View and the deltas' texts.
type viewEncoder struct {
	buf   bytes.Buffer
	enc   *msgpack.Encoder
	game  sim.View
	texts []string
}

var viewEncoders = sync.Pool{New: func() any {
	e := &viewEncoder{texts: []string{}}
	e.enc = msgpack.NewEncoder(&e.buf)
	return e
}}

// table is this room in a facilitator's list.
func (r *table) listing() protocol.Table {
	return protocol.Table{Code: r.code, Scenario: r.scn.ID, Turn: r.game.Turn, Turns: r.scn.Turns,
		Phase: r.game.Phase.String(), Started: r.meta.Started, Paused: r.meta.Paused, Over: r.over, Seats: r.seatInfo()}
}
