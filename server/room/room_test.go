package room

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/protocol"
	"pushback/server/wsclient"
	"pushback/sim"
)

// untilPhase lets p decide (persona or style) until the room leaves phase.
func playPhase(t *testing.T, p *wsclient.Bot, scn *sim.Scenario, fac *wsclient.Client) {
	t.Helper()
	for {
		cmd, ok := p.Decide(scn)
		if !ok {
			return
		}
		p.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
		fac.AtLeast(p.View.Game.Version)
	}
}

// A manager drops mid-phase and comes back with its token on a new
// connection: the same view at once, and everyone sees who is connected.
func TestDropAndResume(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{})
	exec, m1, fac := tb.players[0], tb.players[1], tb.fac
	playPhase(t, exec, scn, fac)
	before := m1.WaitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseResponse })
	before = m1.AtLeast(fac.View.Game.Version)
	token := m1.Joined.Token
	m1.WS.Close()
	tb.players[2].WaitView(func(v *protocol.View) bool { return !v.Room.Seats[1].Connected })

	back := wsclient.Dial(t, s.url)
	j := back.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: token}).Joined
	if j.Seat != 1 || j.Token != token || j.Code != tb.code || j.Role != protocol.RoleManager {
		t.Fatalf("resume answered %+v", j)
	}
	got := back.WaitView(func(*protocol.View) bool { return true })
	if !wsclient.SameEncoding(t, got.Game, before.Game) {
		t.Fatalf("the view after resuming differs from the one before the drop")
	}
	if !got.Room.Seats[1].Connected || got.Room.Seats[1].Bot {
		t.Fatalf("seat 1 after resume: %+v", got.Room.Seats[1])
	}
	tb.players[2].WaitView(func(v *protocol.View) bool { return v.Room.Seats[1].Connected })
	// The returned seat plays on.
	m1.Client = back
	playPhase(t, m1, scn, fac)

	// A second connection resuming the same token takes the seat; the first
	// is told so and closed, not kept as a copy.
	third := wsclient.Dial(t, s.url)
	third.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: token})
	back.WaitError(protocol.CodeReplaced)
	back.WaitClosed()
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
	token := m1.Joined.Token
	m1.WS.Close()
	fac.WaitView(func(v *protocol.View) bool { return !v.Room.Seats[1].Connected })

	g := exec.View.Game
	exec.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Based: g.Version, Command: &sim.Command{
		Kind: sim.CmdMandate, Seat: 0, Card: scn.Mandates[g.Hand[0]].ID}})
	v := fac.WaitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseResponse })
	if v.Room.Deadline == 0 || v.Room.Now == 0 {
		t.Fatalf("response phase without a deadline: %+v", v.Room)
	}
	v = fac.WaitView(func(v *protocol.View) bool { return v.Game.Phase > sim.PhaseResponse })
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
	m2.WaitView(func(v *protocol.View) bool { return v.Room.Seats[1].Bot }) // everyone sees it

	again := wsclient.Dial(t, s.url)
	again.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: token})
	v = again.WaitView(func(*protocol.View) bool { return true })
	if s1 := v.Room.Seats[1]; s1.Bot || !s1.Connected {
		t.Fatalf("after returning seat 1 is %+v", s1)
	}
	// The returning person is told why a bot's answer stands in their seat;
	// the others are not.
	if n := v.Room.Notices; len(n) != 1 || n[0].Kind != protocol.NoticeBot || n[0].Seat != 1 || n[0].Everyone {
		t.Fatalf("notices after returning: %+v", n)
	}
	if n := m2.View.Room.Notices; len(n) != 0 {
		t.Fatalf("another seat was told: %+v", n)
	}
	exec.WaitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseRuling })
	playPhase(t, exec, scn, fac)
	v = again.WaitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseReveal })
	if !v.Room.Seats[1].Pending {
		t.Fatal("a bot readied the returned person's seat")
	}
	again.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Based: v.Game.Version, Command: &sim.Command{Kind: sim.CmdReady, Seat: 1}})
}

// A solo game: one request creates and starts it; the persona and the bot
// peers play at once; the person plays to the end.
func TestSoloGames(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	for _, role := range []string{protocol.RoleManager, protocol.RoleExecutive} {
		t.Run(role, func(t *testing.T) {
			c := wsclient.Dial(t, s.url)
			j := c.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: role, Name: "Solo"}}).Joined
			p := &wsclient.Bot{Client: c, Seat: j.Seat, Rng: rand.New(rand.NewPCG(1, 2)), Persona: &scn.Personas[0], Style: scn.Style("advocate")}
			v := c.WaitView(func(*protocol.View) bool { return true })
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
			for i := 0; !c.View.Room.Over; i++ {
				if i > 500 {
					t.Fatal("solo game stuck")
				}
				if cmd, ok := p.Decide(scn); ok {
					p.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: c.View.Game.Version})
					sent++
				} else {
					c.Next()
				}
			}
			// At least a decision and a ready in every turn were the person's.
			if c.View.Game.Scores == nil || sent < 2*scn.Turns {
				t.Fatalf("game over with scores %v after %d decisions of the person", c.View.Game.Scores, sent)
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
	solo := wsclient.Dial(t, s.url)
	sj := solo.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: protocol.RoleManager, Name: "B"}}).Joined
	bp := &wsclient.Bot{Client: solo, Seat: sj.Seat, Rng: rand.New(rand.NewPCG(5, 5)), Style: scn.Style("diplomat")}
	solo.WaitView(func(*protocol.View) bool { return true })
	bMoves := 0
	keepPlaying := func() {
		t.Helper()
		for !solo.View.Room.Over {
			cmd, ok := bp.Decide(scn)
			if !ok {
				solo.Next()
				continue
			}
			bp.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: solo.View.Game.Version})
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
	probe := wsclient.Dial(t, s.url)
	for _, f := range frames {
		probe.SendRaw(f.b)
		probe.WaitError(protocol.CodeBadMessage)
		keepPlaying()
	}
	// The connection survived all of it.
	probe.Must(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version})

	t.Run("text frame", func(t *testing.T) {
		c := wsclient.Dial(t, s.url)
		c.WS.WriteMessage(websocket.TextMessage, []byte(`{"kind":"hello"}`))
		c.WaitError(protocol.CodeBadMessage)
	})
	t.Run("before hello", func(t *testing.T) {
		c := wsclient.DialRaw(t, s.url)
		c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "x"}, protocol.CodeBadMessage)
	})
	t.Run("version mismatch", func(t *testing.T) {
		c := wsclient.DialRaw(t, s.url)
		c.Fails(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version + 1}, protocol.CodeVersion)
		c.WaitClosed()
	})
	t.Run("oversize frame", func(t *testing.T) {
		c := wsclient.Dial(t, s.url)
		c.SendRaw(bytes.Repeat([]byte{0xc0}, protocol.MaxUpload+1))
		c.WaitClosed()
	})
	keepPlaying()
	t.Run("flood", func(t *testing.T) {
		c := wsclient.Dial(t, s.url)
		hello, _ := protocol.Encode(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version})
		for range 300 {
			if c.WS.WriteMessage(websocket.BinaryMessage, hello) != nil {
				break
			}
		}
		c.WaitError(protocol.CodeRateLimited)
		c.WaitClosed()
	})
	keepPlaying()

	// Game rules, in room A's response phase.
	playPhase(t, exec, scn, fac)
	v := m1.WaitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseResponse })
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
		m1.Fails(c.msg, c.code)
		keepPlaying()
	}
	// A rejected command changed nothing: the same seat answers normally.
	playPhase(t, m1, scn, fac)

	// Joining: unknown code, a locked room.
	c := wsclient.Dial(t, s.url)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "late", Role: protocol.RoleManager}, protocol.CodeRoomFull)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "late", Role: protocol.RoleExecutive}, protocol.CodeRoomFull)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "", Role: protocol.RoleManager}, protocol.CodeBadMessage)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "x", Role: "king"}, protocol.CodeBadMessage)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: "ZZZZZZ", Name: "x"}, protocol.CodeUnknownRoom)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindResume, Token: "not-a-token"}, protocol.CodeUnauthorized)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindTables, Token: "not-a-token"}, protocol.CodeUnauthorized)
	fac.Must(protocol.ClientMsg{Kind: protocol.KindLock, On: true})
	c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "x", Role: protocol.RoleObserver}, protocol.CodeRoomLocked)
	fac.Must(protocol.ClientMsg{Kind: protocol.KindLock, On: false})
	c.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Name: "x", Role: protocol.RoleObserver})
	c.Fails(cmd(sim.Command{Kind: sim.CmdReady, Seat: -2}, 0), protocol.CodeNotYourSeat)

	// Not started, and over.
	fresh := wsclient.Dial(t, s.url)
	code := fresh.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Executive: "human"}}).Joined.Code
	e := wsclient.Dial(t, s.url)
	e.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "E", Role: protocol.RoleExecutive})
	mandate := cmd(sim.Command{Kind: sim.CmdMandate, Seat: 0, Card: scn.Mandates[0].ID}, 0)
	e.Fails(mandate, protocol.CodeNotStarted)
	fresh.Must(protocol.ClientMsg{Kind: protocol.KindEnd})
	e.Fails(mandate, protocol.CodeGameOver)
	fresh.Fails(protocol.ClientMsg{Kind: protocol.KindSkip}, protocol.CodeGameOver)

	for !solo.View.Room.Over {
		keepPlaying()
	}
	if solo.View.Game.Scores == nil || bMoves < 2*scn.Turns {
		t.Fatalf("room B finished with scores %v after %d moves of its player", solo.View.Game.Scores, bMoves)
	}
}

// Wrong codes and tokens from one address are throttled.
func TestCodeGuessingIsThrottled(t *testing.T) {
	s := startServer(t, Config{GuessBurst: 3, GuessRate: 0.01})
	c := wsclient.Dial(t, s.url)
	for range 3 {
		c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: "ZZZZZZ", Name: "x"}, protocol.CodeUnknownRoom)
	}
	c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: "ZZZZZZ", Name: "x"}, protocol.CodeRateLimited)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindResume, Token: "guess"}, protocol.CodeRateLimited)
}

// A full send queue evicts the client instead of blocking the room.
func TestSlowClientIsEvicted(t *testing.T) {
	s := startServer(t, Config{SendQueue: 2})
	c := &client{hub: s.hub, w: newWriters(0), quit: make(chan struct{})}
	for range 2 {
		c.enqueue(queued{b: []byte{0x80}})
	}
	select {
	case <-c.quit:
		t.Fatal("evicted with room in its queue")
	default:
	}
	c.enqueue(queued{b: []byte{0x80}}) // must return at once, not block
	select {
	case <-c.quit:
	default:
		t.Fatal("a client with a full queue was not evicted")
	}
}
