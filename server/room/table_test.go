package room

import (
	"testing"
	"time"

	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/sim"
)

// The table tests drive a room's table directly, with a fake clock (a
// time.Time the test moves) and connections without sockets, reading what
// the table sends from its outbox: no WebSocket, no goroutine of the room,
// no sleep. The log is a real SQLite file.

// testTable is a stored room's table, not running, with its hub and store.
type testTable struct {
	*table
	t   *testing.T
	hub *Hub
	st  *store.Store
	now time.Time
}

func newTestTable(t *testing.T, req protocol.CreateRoom) *testTable {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close(); st.Close() })
	scn, src, err := h.scenarioOf(&req)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, err := create(h, "TABLE1", "fac-token", req, scn, src, now)
	if err != nil {
		t.Fatal(err)
	}
	return &testTable{table: r.table, t: t, hub: h, st: st, now: now}
}

// conn is a connection without a socket: nothing is written to it, the test
// reads what the table sends it from the table's outbox.
func (tt *testTable) conn() *client {
	return &client{hub: tt.hub, w: newWriters(0), quit: make(chan struct{}), seat: -2}
}

// frames takes the messages the table has sent c so far, decoded, out of
// the table's outbox (Room.flush would hand them to c's send queue).
func (tt *testTable) frames(c *client) []protocol.ServerMsg {
	tt.t.Helper()
	var out []protocol.ServerMsg
	rest := tt.out[:0]
	for _, f := range tt.out {
		if f.c != c || f.hangUp {
			rest = append(rest, f)
			continue
		}
		m, err := protocol.DecodeServer(f.b)
		if err != nil {
			tt.t.Fatal(err)
		}
		out = append(out, m)
	}
	tt.out = rest
	return out
}

// lastView is the latest view queued for c.
func (tt *testTable) lastView(c *client) *protocol.View {
	tt.t.Helper()
	var v *protocol.View
	for _, m := range tt.frames(c) {
		if m.Kind == protocol.KindView {
			v = m.View
		}
	}
	if v == nil {
		tt.t.Fatal("no view queued")
	}
	return v
}

// order sends a facilitator order and wants it acknowledged.
func (tt *testTable) order(fac *client, m protocol.ClientMsg) {
	tt.t.Helper()
	if !tt.handle(fac, m, tt.now) {
		tt.t.Fatalf("%s refused: %+v", m.Kind, tt.frames(fac))
	}
}

func (tt *testTable) join(name string) *client {
	tt.t.Helper()
	c := tt.conn()
	if !tt.table.join(c, protocol.ClientMsg{Kind: protocol.KindJoin, Name: name, Role: protocol.RoleManager}, false, tt.now) {
		tt.t.Fatalf("%s found no seat", name)
	}
	return c
}

// loggedSkips counts the facilitator's skips in the stored log.
func (tt *testTable) loggedSkips() int {
	log, err := tt.st.Log(tt.code)
	if err != nil {
		tt.t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Command.Kind == sim.CmdSkip && e.Command.Seat == sim.Facilitator {
			n++
		}
	}
	return n
}

// A deadline passes on the fake clock: a bot takes the seat of the person
// who is away (and keeps it, durably, until they come back), the person who
// is here but silent gets the default through a skip, and a resume takes
// the seat back from the bot.
func TestTableDeadlinesBotsAndResume(t *testing.T) {
	tt := newTestTable(t, protocol.CreateRoom{Managers: 2, Deadlines: protocol.Deadlines{Response: 60}})
	fac := tt.conn()
	tt.admitCreator(fac, 1, tt.now)
	away, here := tt.join("Away"), tt.join("Here")
	if away.seat != 1 || here.seat != 2 {
		t.Fatalf("seats %d and %d", away.seat, here.seat)
	}
	token := tt.meta.Seats[1].Token

	tt.order(fac, protocol.ClientMsg{Kind: protocol.KindStart})
	// The bot executive has played its mandate at once; the response phase
	// runs a minute on the fake clock.
	if tt.game.Phase != sim.PhaseResponse || tt.game.Version == 0 {
		t.Fatalf("after start: phase %s, version %d", tt.game.Phase, tt.game.Version)
	}
	if want := tt.now.Add(time.Minute); !tt.deadline.Equal(want) {
		t.Fatalf("deadline %v, want %v", tt.deadline, want)
	}
	if v := tt.lastView(here); v.Room.Deadline != tt.deadline.UnixMilli() || v.Room.Now != tt.now.UnixMilli() {
		t.Fatalf("the view says deadline %d at %d", v.Room.Deadline, v.Room.Now)
	}
	tt.detach(away, tt.now)
	version := tt.game.Version

	// A second early: nothing happens.
	tt.expire(tt.now.Add(59 * time.Second))
	if tt.game.Version != version || tt.meta.Seats[1].Hold {
		t.Fatal("the deadline acted before its time")
	}
	// On time: seat 1 is held by a bot, seat 2 defaulted by a skip.
	tt.now = tt.now.Add(time.Minute)
	tt.expire(tt.now)
	if !tt.meta.Seats[1].Hold || tt.meta.Seats[2].Hold {
		t.Fatalf("holds after the deadline: %+v", tt.meta.Seats)
	}
	if tt.game.Turn == 1 && tt.game.Phase == sim.PhaseResponse {
		t.Fatal("the game did not move on at the deadline")
	}
	if n := tt.loggedSkips(); n != 1 {
		t.Fatalf("%d skips logged, want 1", n)
	}
	if m, _, err := metaOf(tt.st, mustRoom(t, tt.st, tt.code)); err != nil || !m.Seats[1].Hold {
		t.Fatalf("the hold is not in the log: %+v, %v", m.Seats[1], err)
	}
	if v := tt.lastView(here); v.Room.Seats[1].Bot != true || v.Room.Seats[1].Connected {
		t.Fatalf("seat 1 in the view: %+v", v.Room.Seats[1])
	}

	// The person comes back on a new connection: the seat is theirs again.
	back := tt.conn()
	tt.now = tt.now.Add(5 * time.Second)
	tt.resume(back, protocol.ClientMsg{Kind: protocol.KindResume, ID: 3, Token: token}, tt.now)
	if tt.meta.Seats[1].Hold || tt.meta.Seats[1].conn != back || back.seat != 1 {
		t.Fatalf("after the resume: %+v, seat %d", tt.meta.Seats[1], back.seat)
	}
	msgs := tt.frames(back)
	if len(msgs) < 2 || msgs[0].Kind != protocol.KindJoined || msgs[0].Re != 3 || msgs[len(msgs)-1].Kind != protocol.KindView {
		t.Fatalf("the resumed connection got %+v", msgs)
	}
	if m, _, _ := metaOf(tt.st, mustRoom(t, tt.st, tt.code)); m.Seats[1].Hold {
		t.Fatal("the return is not in the log")
	}
}

// The facilitator's clock orders on the fake clock: pause keeps what is
// left of the deadline and stops it, extend adds to what is kept, continue
// runs the rest from the moment of continuing, skip and end move the game.
func TestTableFacilitatorOrders(t *testing.T) {
	tt := newTestTable(t, protocol.CreateRoom{Managers: 1, Deadlines: protocol.Deadlines{Response: 100}})
	fac := tt.conn()
	tt.admitCreator(fac, 1, tt.now)
	tt.join("Ann")
	tt.order(fac, protocol.ClientMsg{Kind: protocol.KindStart})
	start := tt.now

	tt.now = start.Add(40 * time.Second)
	tt.order(fac, protocol.ClientMsg{Kind: protocol.KindPause})
	if !tt.meta.Paused || tt.meta.Remaining != 60_000 || !tt.deadline.IsZero() {
		t.Fatalf("paused %v with %d ms kept, deadline %v", tt.meta.Paused, tt.meta.Remaining, tt.deadline)
	}
	version := tt.game.Version
	tt.expire(start.Add(time.Hour)) // no deadline runs while paused
	if tt.game.Version != version {
		t.Fatal("the game moved while paused")
	}
	tt.order(fac, protocol.ClientMsg{Kind: protocol.KindExtend, Seconds: 30})
	if tt.meta.Remaining != 90_000 {
		t.Fatalf("extended to %d ms", tt.meta.Remaining)
	}
	tt.now = start.Add(10 * time.Minute)
	tt.order(fac, protocol.ClientMsg{Kind: protocol.KindContinue})
	if want := tt.now.Add(90 * time.Second); tt.meta.Paused || !tt.deadline.Equal(want) {
		t.Fatalf("continued: paused %v, deadline %v, want %v", tt.meta.Paused, tt.deadline, want)
	}
	tt.order(fac, protocol.ClientMsg{Kind: protocol.KindExtend, Seconds: 15})
	if want := tt.now.Add(105 * time.Second); !tt.deadline.Equal(want) {
		t.Fatalf("extended deadline %v, want %v", tt.deadline, want)
	}

	// A skip moves on from the response phase: the silent manager gets the
	// default; the bot executive rules at once.
	turn := tt.game.Turn
	tt.order(fac, protocol.ClientMsg{Kind: protocol.KindSkip})
	if tt.game.Turn == turn && tt.game.Phase == sim.PhaseResponse {
		t.Fatal("skip did not move the game")
	}
	if tt.loggedSkips() != 1 {
		t.Fatal("the skip is not in the log")
	}
	tt.order(fac, protocol.ClientMsg{Kind: protocol.KindEnd})
	if !tt.over || tt.game.Phase != sim.PhaseOver || !tt.deadline.IsZero() {
		t.Fatalf("after end: over %v, phase %s, deadline %v", tt.over, tt.game.Phase, tt.deadline)
	}
	// Refused orders change nothing and are answered with their code.
	if tt.handle(fac, protocol.ClientMsg{Kind: protocol.KindPause, ID: 9}, tt.now) {
		t.Fatal("pause of a finished game accepted")
	}
	if msgs := tt.frames(fac); msgs[len(msgs)-1].Error == nil || msgs[len(msgs)-1].Error.Code != protocol.CodeGameOver {
		t.Fatalf("pause after the end answered %+v", msgs[len(msgs)-1])
	}
}

// In a solo game the bots move as soon as the person has: one command from
// the person, and the three bot managers and the bot executive follow in
// the same step, every move in the log.
func TestTableBotsFollowThePerson(t *testing.T) {
	tt := newTestTable(t, protocol.CreateRoom{Solo: protocol.RoleManager, Name: "Solo"})
	me := tt.conn()
	tt.admitCreator(me, 1, tt.now)
	if me.seat != 1 || !tt.meta.Started {
		t.Fatalf("solo seat %d, started %v", me.seat, tt.meta.Started)
	}
	v := tt.lastView(me)
	if v.Game.Phase != sim.PhaseResponse || !v.Room.Seats[1].Pending {
		t.Fatalf("solo view: phase %s, seat 1 %+v", v.Game.Phase, v.Room.Seats[1])
	}
	before := tt.game.Version
	cmd := sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponseRelay}
	if !tt.handle(me, protocol.ClientMsg{Kind: protocol.KindCommand, ID: 2, Command: &cmd, Based: v.Game.Version}, tt.now) {
		t.Fatalf("command refused: %+v", tt.frames(me))
	}
	if tt.game.Version <= before+1 || tt.game.Pending(2) || tt.game.Pending(3) {
		t.Fatalf("the bots did not follow: version %d → %d", before, tt.game.Version)
	}
	log, err := tt.st.Log(tt.code)
	if err != nil || uint64(len(log)) != tt.game.Version {
		t.Fatalf("log of %d commands at version %d: %v", len(log), tt.game.Version, err)
	}
}

// The log-to-game conversion refuses a log with a gap.
func TestLogGameRefusesAGap(t *testing.T) {
	log := []store.Entry{{Seq: 1}, {Seq: 3}}
	if _, err := logGame("GAP", "x", nil, nil, 1, sim.Config{}, log); err == nil {
		t.Fatal("a log with a gap was accepted")
	}
}

func mustRoom(t *testing.T, st *store.Store, code string) store.Room {
	t.Helper()
	sr, err := st.Room(code)
	if err != nil {
		t.Fatal(err)
	}
	return sr
}
