package room

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/protocol"
	"pushback/sim"
)

// untilPhase lets p decide (persona or style) until the room leaves phase.
func (p *player) playPhase(t *testing.T, scn *sim.Scenario, fac *tclient) {
	t.Helper()
	for {
		cmd, ok := p.decide(scn)
		if !ok {
			return
		}
		p.must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.view.Game.Version})
		fac.atLeast(p.view.Game.Version)
	}
}

// A manager drops mid-phase and comes back with its token on a new
// connection: the same view at once, and everyone sees who is connected.
func TestDropAndResume(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{})
	exec, m1, fac := tb.players[0], tb.players[1], tb.fac
	exec.playPhase(t, scn, fac)
	before := m1.waitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseResponse })
	before = m1.atLeast(fac.view.Game.Version)
	token := m1.joined.Token
	m1.ws.Close()
	tb.players[2].waitView(func(v *protocol.View) bool { return !v.Room.Seats[1].Connected })

	back := dial(t, s.url)
	j := back.must(protocol.ClientMsg{Kind: protocol.KindResume, Token: token}).Joined
	if j.Seat != 1 || j.Token != token || j.Code != tb.code || j.Role != protocol.RoleManager {
		t.Fatalf("resume answered %+v", j)
	}
	got := back.waitView(func(*protocol.View) bool { return true })
	if !sameBytes(t, got.Game, before.Game) {
		t.Fatalf("the view after resuming differs from the one before the drop")
	}
	if !got.Room.Seats[1].Connected || got.Room.Seats[1].Bot {
		t.Fatalf("seat 1 after resume: %+v", got.Room.Seats[1])
	}
	tb.players[2].waitView(func(v *protocol.View) bool { return v.Room.Seats[1].Connected })
	// The returned seat plays on.
	m1.tclient = back
	m1.playPhase(t, scn, fac)

	// A second connection resuming the same token takes the seat; the first
	// is told so and closed, not kept as a copy.
	third := dial(t, s.url)
	third.must(protocol.ClientMsg{Kind: protocol.KindResume, Token: token})
	back.waitError(protocol.CodeReplaced)
	back.waitClosed()
}

// A person away when the deadline passes: a bot plays the seat (and
// everyone sees it); people present but silent get the documented default;
// the person returns and the seat is theirs again.
func TestDeadlineBotAndHandBack(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{Deadlines: protocol.Deadlines{Response: 1},
		Styles: []string{"firebrand", "firebrand", "firebrand"}})
	exec, m1, m2, fac := tb.players[0], tb.players[1], tb.players[2], tb.fac
	token := m1.joined.Token
	m1.ws.Close()
	fac.waitView(func(v *protocol.View) bool { return !v.Room.Seats[1].Connected })

	g := exec.view.Game
	exec.must(protocol.ClientMsg{Kind: protocol.KindCommand, Based: g.Version, Command: &sim.Command{
		Kind: sim.CmdMandate, Seat: 0, Card: scn.Mandates[g.Hand[0]].ID}})
	v := fac.waitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseResponse })
	if v.Room.Deadline == 0 || v.Room.Now == 0 {
		t.Fatalf("response phase without a deadline: %+v", v.Room)
	}
	v = fac.waitView(func(v *protocol.View) bool { return v.Game.Phase > sim.PhaseResponse })
	if s1 := v.Room.Seats[1]; !s1.Bot || !s1.Human || s1.Connected {
		t.Fatalf("after the deadline seat 1 is %+v", s1)
	}
	if r := v.Game.Managers[0].Response; r != sim.ResponsePushBack {
		t.Fatalf("the firebrand bot answered %s for seat 1", r)
	}
	for _, m := range v.Game.Managers[1:] {
		if m.Response != sim.ResponseRelay || v.Room.Seats[m.Seat].Bot {
			t.Fatalf("silent seat %d got %s (bot %v), want the default relay as-is", m.Seat, m.Response, v.Room.Seats[m.Seat].Bot)
		}
	}
	if v.Game.Phase != sim.PhaseRuling {
		t.Fatalf("phase %s, want ruling", v.Game.Phase)
	}
	m2.waitView(func(v *protocol.View) bool { return v.Room.Seats[1].Bot }) // everyone sees it

	again := dial(t, s.url)
	again.must(protocol.ClientMsg{Kind: protocol.KindResume, Token: token})
	v = again.waitView(func(*protocol.View) bool { return true })
	if s1 := v.Room.Seats[1]; s1.Bot || !s1.Connected {
		t.Fatalf("after returning seat 1 is %+v", s1)
	}
	// The returning person is told why a bot's answer stands in their seat;
	// the others are not.
	if n := v.Room.Notices; len(n) != 1 || n[0].Kind != protocol.NoticeBot || n[0].Seat != 1 || n[0].Everyone {
		t.Fatalf("notices after returning: %+v", n)
	}
	if n := m2.view.Room.Notices; len(n) != 0 {
		t.Fatalf("another seat was told: %+v", n)
	}
	exec.waitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseRuling })
	exec.playPhase(t, scn, fac)
	v = again.waitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseReveal })
	if !v.Room.Seats[1].Pending {
		t.Fatal("a bot readied the returned person's seat")
	}
	again.must(protocol.ClientMsg{Kind: protocol.KindCommand, Based: v.Game.Version, Command: &sim.Command{Kind: sim.CmdReady, Seat: 1}})
}

// A solo game: one request creates and starts it; the persona and the bot
// peers play at once; the person plays to the end.
func TestSoloGames(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	for _, role := range []string{protocol.RoleManager, protocol.RoleExecutive} {
		t.Run(role, func(t *testing.T) {
			c := dial(t, s.url)
			j := c.must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: role, Name: "Solo"}}).Joined
			p := &player{tclient: c, seat: j.Seat, rng: rand.New(rand.NewPCG(1, 2)), persona: &scn.Personas[0], style: scn.Style("advocate")}
			v := c.waitView(func(*protocol.View) bool { return true })
			if !v.Room.Started || len(j.Token) < 22 || j.Facilitator == "" {
				t.Fatalf("solo %s: joined %+v, room %+v", role, j, v.Room)
			}
			for i, si := range v.Room.Seats {
				if (sim.Seat(i) == j.Seat) != si.Human || (sim.Seat(i) != j.Seat) != si.Bot {
					t.Fatalf("solo %s seat %d: %+v", role, i, si)
				}
			}
			// Who rules: the persona's ID in a solo manager's game, nobody's when a person is the executive.
			if want := map[string]string{protocol.RoleManager: scn.Personas[0].ID}[role]; j.Scenario.Executive != want {
				t.Fatalf("solo %s: scenario.executive %q, want %q", role, j.Scenario.Executive, want)
			}
			if role == protocol.RoleManager && len(v.Room.Seats) != 5 {
				t.Fatalf("solo manager has %d seats, want the executive and 4 managers", len(v.Room.Seats))
			}
			sent := 0
			for i := 0; !c.view.Room.Over; i++ {
				if i > 500 {
					t.Fatal("solo game stuck")
				}
				if cmd, ok := p.decide(scn); ok {
					p.must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: c.view.Game.Version})
					sent++
				} else {
					c.next()
				}
			}
			// At least a decision and a ready in every turn were the person's.
			if c.view.Game.Scores == nil || sent < 2*scn.Turns {
				t.Fatalf("game over with scores %v after %d decisions of the person", c.view.Game.Scores, sent)
			}
		})
	}
}

// Bad input of every kind gets its typed error or a clean disconnect, while
// another room keeps playing.
func TestBadInput(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{})
	exec, m1, fac := tb.players[0], tb.players[1], tb.fac

	// Room B: a solo game that must go on undisturbed.
	solo := dial(t, s.url)
	sj := solo.must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: protocol.RoleManager, Name: "B"}}).Joined
	bp := &player{tclient: solo, seat: sj.Seat, rng: rand.New(rand.NewPCG(5, 5)), style: scn.Style("diplomat")}
	solo.waitView(func(*protocol.View) bool { return true })
	bMoves := 0
	keepPlaying := func() {
		t.Helper()
		for !solo.view.Room.Over {
			cmd, ok := bp.decide(scn)
			if !ok {
				solo.next()
				continue
			}
			bp.must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: solo.view.Game.Version})
			bMoves++
			return
		}
	}

	enc := func(v any) []byte {
		b, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	validCmd := enc(protocol.ClientMsg{Kind: protocol.KindCommand, Based: 1, Command: &sim.Command{Kind: sim.CmdReady, Seat: 1}})
	frames := []struct {
		name string
		b    []byte
	}{
		{"array32 bomb", []byte{0xdd, 0xff, 0xff, 0xff, 0xff}},
		{"map32 bomb", []byte{0xdf, 0xff, 0xff, 0xff, 0xff}},
		{"bin32 bomb", []byte{0xc6, 0xff, 0xff, 0xff, 0xff}},
		{"str32 bomb", []byte{0xdb, 0xff, 0xff, 0xff, 0xff}},
		{"bomb inside a map", []byte{0x82, 0xa4, 'k', 'i', 'n', 'd', 0xa5, 'h', 'e', 'l', 'l', 'o', 0xa1, 'x', 0xdd, 0xff, 0xff, 0xff, 0xff}},
		{"truncated", validCmd[:len(validCmd)-3]},
		{"wrong type: kind", enc(map[string]int{"kind": 7})},
		{"wrong type: code", enc(map[string]any{"kind": "join", "code": []int{1}})},
		{"wrong type: command", enc(map[string]any{"kind": "command", "command": "mandate"})},
		{"unknown kind", enc(map[string]string{"kind": "teleport"})},
		{"not a map", enc([]string{"hello"})},
		{"empty", nil},
	}
	probe := dial(t, s.url)
	for _, f := range frames {
		probe.sendRaw(f.b)
		probe.waitError(protocol.CodeBadMessage)
		keepPlaying()
	}
	// The connection survived all of it.
	probe.must(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version})

	t.Run("text frame", func(t *testing.T) {
		c := dial(t, s.url)
		c.ws.WriteMessage(websocket.TextMessage, []byte(`{"kind":"hello"}`))
		c.waitError(protocol.CodeBadMessage)
	})
	t.Run("before hello", func(t *testing.T) {
		c := dialRaw(t, s.url)
		c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "x"}, protocol.CodeBadMessage)
	})
	t.Run("version mismatch", func(t *testing.T) {
		c := dialRaw(t, s.url)
		c.fails(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version + 1}, protocol.CodeVersion)
		c.waitClosed()
	})
	t.Run("oversize frame", func(t *testing.T) {
		c := dial(t, s.url)
		c.sendRaw(bytes.Repeat([]byte{0xc0}, protocol.MaxUpload+1))
		c.waitClosed()
	})
	keepPlaying()
	t.Run("flood", func(t *testing.T) {
		c := dial(t, s.url)
		hello, _ := protocol.Encode(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version})
		for range 300 {
			if c.ws.WriteMessage(websocket.BinaryMessage, hello) != nil {
				break
			}
		}
		c.waitError(protocol.CodeRateLimited)
		c.waitClosed()
	})
	keepPlaying()

	// Game rules, in room A's response phase.
	exec.playPhase(t, scn, fac)
	v := m1.waitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseResponse })
	cmd := func(c sim.Command, based uint64) protocol.ClientMsg {
		return protocol.ClientMsg{Kind: protocol.KindCommand, Command: &c, Based: based}
	}
	cases := []struct {
		name string
		msg  protocol.ClientMsg
		code protocol.Code
	}{
		{"a manager's mandate", cmd(sim.Command{Kind: sim.CmdMandate, Seat: 1, Card: scn.Mandates[0].ID}, v.Game.Version), protocol.CodeNotYourTurn},
		{"answering for another seat", cmd(sim.Command{Kind: sim.CmdRespond, Seat: 2, Response: sim.ResponseRelay}, v.Game.Version), protocol.CodeNotYourSeat},
		{"the executive's seat", cmd(sim.Command{Kind: sim.CmdRule, Seat: 0, Target: 1, Verdict: sim.VerdictUphold}, v.Game.Version), protocol.CodeNotYourSeat},
		{"stale version", cmd(sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponseRelay}, v.Room.Since-1), protocol.CodeStaleVersion},
		{"future version", cmd(sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponseRelay}, v.Game.Version+5), protocol.CodeStaleVersion},
		{"wrong phase", cmd(sim.Command{Kind: sim.CmdReady, Seat: 1}, v.Game.Version), protocol.CodeWrongPhase},
		{"bad response", cmd(sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: 99}, v.Game.Version), protocol.CodeBadCommand},
		{"an order from a player", protocol.ClientMsg{Kind: protocol.KindSkip}, protocol.CodeUnauthorized},
		{"no command", protocol.ClientMsg{Kind: protocol.KindCommand, Based: v.Game.Version}, protocol.CodeBadMessage},
		{"a second room on one connection", protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "again"}, protocol.CodeBadMessage},
	}
	for _, c := range cases {
		m1.fails(c.msg, c.code)
		keepPlaying()
	}
	// A rejected command changed nothing: the same seat answers normally.
	m1.playPhase(t, scn, fac)

	// Joining: unknown code, a locked room.
	c := dial(t, s.url)
	c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "late", Role: protocol.RoleManager}, protocol.CodeRoomFull)
	c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "late", Role: protocol.RoleExecutive}, protocol.CodeRoomFull)
	c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "", Role: protocol.RoleManager}, protocol.CodeBadMessage)
	c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "x", Role: "king"}, protocol.CodeBadMessage)
	c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: "ZZZZZZ", Name: "x"}, protocol.CodeUnknownRoom)
	c.fails(protocol.ClientMsg{Kind: protocol.KindResume, Token: "not-a-token"}, protocol.CodeUnauthorized)
	c.fails(protocol.ClientMsg{Kind: protocol.KindTables, Token: "not-a-token"}, protocol.CodeUnauthorized)
	fac.must(protocol.ClientMsg{Kind: protocol.KindLock, On: true})
	c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "x", Role: protocol.RoleObserver}, protocol.CodeRoomLocked)
	fac.must(protocol.ClientMsg{Kind: protocol.KindLock, On: false})
	c.must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "x", Role: protocol.RoleObserver})
	c.fails(cmd(sim.Command{Kind: sim.CmdReady, Seat: -2}, 0), protocol.CodeNotYourSeat)

	// Not started, and over.
	fresh := dial(t, s.url)
	code := fresh.must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Executive: "human"}}).Joined.Code
	e := dial(t, s.url)
	e.must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "E", Role: protocol.RoleExecutive})
	mandate := cmd(sim.Command{Kind: sim.CmdMandate, Seat: 0, Card: scn.Mandates[0].ID}, 0)
	e.fails(mandate, protocol.CodeNotStarted)
	fresh.must(protocol.ClientMsg{Kind: protocol.KindEnd})
	e.fails(mandate, protocol.CodeGameOver)
	fresh.fails(protocol.ClientMsg{Kind: protocol.KindSkip}, protocol.CodeGameOver)

	for !solo.view.Room.Over {
		keepPlaying()
	}
	if solo.view.Game.Scores == nil || bMoves < 2*scn.Turns {
		t.Fatalf("room B finished with scores %v after %d moves of its player", solo.view.Game.Scores, bMoves)
	}
}

// Wrong codes and tokens from one address are throttled.
func TestCodeGuessingIsThrottled(t *testing.T) {
	s := startServer(t, Config{GuessBurst: 3, GuessRate: 0.01})
	c := dial(t, s.url)
	for range 3 {
		c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: "ZZZZZZ", Name: "x"}, protocol.CodeUnknownRoom)
	}
	c.fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: "ZZZZZZ", Name: "x"}, protocol.CodeRateLimited)
	c.fails(protocol.ClientMsg{Kind: protocol.KindResume, Token: "guess"}, protocol.CodeRateLimited)
}

// A full send queue evicts the client instead of blocking the room.
func TestSlowClientIsEvicted(t *testing.T) {
	s := startServer(t, Config{SendQueue: 2})
	c := &client{hub: s.hub, w: newWriters(0), quit: make(chan struct{})}
	for range 2 {
		c.enqueue([]byte{0x80})
	}
	select {
	case <-c.quit:
		t.Fatal("evicted with room in its queue")
	default:
	}
	c.enqueue([]byte{0x80}) // must return at once, not block
	select {
	case <-c.quit:
	default:
		t.Fatal("a client with a full queue was not evicted")
	}
}
