package room

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"pushback/server/protocol"
	"pushback/sim"
)

// roomInfo builds the room part of seat s's view from shared, the part
// every seat's view has alike (sharedRoom).
func (r *table) roomInfo(shared protocol.Room, s sim.Seat) protocol.Room {
	ri := shared
	ri.Notices = r.noticesFor(s)
	if s == sim.Facilitator {
		ri.Turned = r.turned
		for c := range r.conns {
			ri.People = append(ri.People, protocol.Person{Conn: c.id, Name: c.name, Role: c.role, Seat: c.seat})
		}
		slices.SortFunc(ri.People, func(a, b protocol.Person) int { return a.Conn - b.Conn })
	}
	return ri
}

// sharedRoom is the room part of a view that is the same for every seat:
// built once per broadcast, not once per seat.
func (r *table) sharedRoom(now time.Time) protocol.Room {
	ri := protocol.Room{Code: r.code, Scenario: r.scn.ID, Started: r.meta.Started, Paused: r.meta.Paused,
		Locked: r.meta.Locked, Over: r.over, Now: now.UnixMilli(), Since: r.since, Seats: r.seatInfo(),
		Audience: r.meta.Create.Audience, Deadlines: r.meta.Create.Deadlines}
	ri.Answered, ri.Waiting = r.answered()
	if !r.deadline.IsZero() {
		ri.Deadline = r.deadline.UnixMilli()
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
// each seat's bytes are built from that seat's View only, once per seat
// however many connections share it (observers and the projector share the
// public view). What every seat's view has alike (the seat list, the
// counts, the clock) and the deltas' texts are made once per broadcast.
func (r *table) broadcast(now time.Time) {
	if len(r.conns) == 0 || r.stale || r.moved != "" { // memory may be ahead of the log: nobody sees it
		return
	}
	e := viewEncoders.Get().(*viewEncoder)
	defer e.reset()
	shared := r.sharedRoom(now)
	for c := range r.conns {
		i := int(c.seat - sim.Public)
		for len(e.frames) <= i {
			e.frames = append(e.frames, nil)
		}
		if e.frames[i] == nil {
			e.frames[i] = r.viewBuf(e, shared, c.seat)
		}
		r.sendView(c, e.frames[i])
	}
}

// viewBuf encodes seat s's view with e into a pooled buffer.
func (r *table) viewBuf(e *viewEncoder, shared protocol.Room, s sim.Seat) *viewBuf {
	// The encoder carries a sim.View and texts reused from view to view:
	// they live only until the bytes are copied out below.
	r.game.ViewInto(&e.game, s)
	v := &protocol.View{Game: e.game, Room: r.roomInfo(shared, s)}
	e.texts = e.texts[:0]
	for _, d := range v.Game.Deltas {
		e.texts = append(e.texts, deltaText(r.scn, d))
	}
	v.Texts = e.texts
	// Written straight into a pooled buffer: the frame waits in send
	// queues, and the last writer to copy it out returns it (viewBuf).
	vb := viewBufs.Get().(*viewBuf)
	vb.b = protocol.AppendView(vb.b[:0], v)
	return vb
}

// viewEncoder is what building one broadcast's views needs, reused and
// shared by rooms through viewEncoders: the seat's sim.View, the deltas'
// texts and each seat's frame (index seat - sim.Public).
type viewEncoder struct {
	game   sim.View
	texts  []string
	frames []*viewBuf
}

// reset readies e for the next broadcast and pools it.
func (e *viewEncoder) reset() {
	clear(e.frames)
	e.frames = e.frames[:0]
	viewEncoders.Put(e)
}

var viewEncoders = sync.Pool{New: func() any {
	return &viewEncoder{texts: []string{}}
}}

// deltaText is d's text (sim.Delta.Text) in scenario scn. A text depends
// only on the scenario and the delta's meter, amount, cause and reference,
// and the rooms of a scenario share its parse, so texts are remembered
// across broadcasts and rooms: nearly every view repeats texts made before
// (making them anew, five views a command, was 6 % of the server's CPU at
// the ceiling). At most maxDeltaTexts are kept; past that the memory starts
// again, which also lets go of the parses of uploaded scenarios it holds.
func deltaText(scn *sim.Scenario, d sim.Delta) string {
	k := textKey{scn, d.Amount, d.Ref, d.Meter, d.Cause}
	deltaTexts.RLock()
	t, ok := deltaTexts.m[k]
	deltaTexts.RUnlock()
	if ok {
		return t
	}
	t = d.Text(scn)
	deltaTexts.Lock()
	if deltaTexts.m == nil || len(deltaTexts.m) >= maxDeltaTexts {
		deltaTexts.m = make(map[textKey]string)
	}
	deltaTexts.m[k] = t
	deltaTexts.Unlock()
	return t
}

// textKey is what a delta's text depends on.
type textKey struct {
	scn         *sim.Scenario
	amount, ref int16
	meter       sim.Meter
	cause       sim.Cause
}

const maxDeltaTexts = 1 << 14

var deltaTexts struct {
	sync.RWMutex
	m map[textKey]string
}

// listing is this room in a facilitator's list.
func (r *table) listing() protocol.Table {
	return protocol.Table{Code: r.code, Scenario: r.scn.ID, Turn: r.game.Turn, Turns: r.scn.Turns,
		Phase: r.game.Phase.String(), Started: r.meta.Started, Paused: r.meta.Paused, Over: r.over, Seats: r.seatInfo()}
}
