package model

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"pushback/scenarios"
	"pushback/server/protocol"
	"pushback/sim"
)

// game starts a real game of the default scenario with three managers.
func game(t *testing.T) *sim.State { return seeded(t, 7) }

// seeded is game with another seed.
func seeded(t *testing.T, seed uint64) *sim.State {
	t.Helper()
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.Config{Persona: scn.Personas[0].ID, Managers: []sim.SeatConfig{
		{Name: "Ann", Style: "advocate"}, {Name: "Bo", Style: "yes-man"}, {Name: "Cy", Style: "diplomat"}}}
	s, err := sim.New(scn, cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// frame encodes a server message the way the server sends it.
func frame(t *testing.T, m protocol.ServerMsg) []byte {
	t.Helper()
	b, err := protocol.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func viewMsg(s *sim.State, seat sim.Seat, started bool, now int64) protocol.ServerMsg {
	v := s.View(seat)
	texts := make([]string, len(v.Deltas))
	for i, d := range v.Deltas {
		texts[i] = d.Text(s.Scn)
	}
	return protocol.ServerMsg{Kind: protocol.KindView, View: &protocol.View{Game: v, Texts: texts,
		Room: protocol.Room{Code: "ABCDEF", Scenario: s.Scn.ID, Started: started, Now: now}}}
}

func joinedMsg(s *sim.State, seat sim.Seat, token string) protocol.ServerMsg {
	return protocol.ServerMsg{Kind: protocol.KindJoined, Joined: &protocol.Joined{
		Code: "ABCDEF", Seat: seat, Token: token, Scenario: protocol.Info(s.Scn)}}
}

// bots plays every seat but skip until skip's seat owes a move.
func bots(t *testing.T, s *sim.State, skip sim.Seat) {
	t.Helper()
	b, err := sim.NewBots(s, 3)
	if err != nil {
		t.Fatal(err)
	}
	for s.Phase != sim.PhaseOver {
		moved := false
		for seat := sim.Executive; int(seat) <= s.Managers(); seat++ {
			if seat == skip {
				continue
			}
			if c, ok := b.Decide(s, seat); ok {
				if err := s.Apply(c); err != nil {
					t.Fatal(err)
				}
				moved = true
			}
		}
		if !moved {
			return
		}
	}
}

func TestScreensFollowMessages(t *testing.T) {
	s := game(t)
	m := New(Saved{})
	wall := time.Unix(1_700_000_000, 0)
	m.Tick(wall)
	steps := []struct {
		name string
		do   func()
		want Screen
	}{
		{"start", func() {}, ScreenTitle},
		{"welcome", func() { m.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindWelcome, Now: wall.UnixMilli()})) }, ScreenTitle},
		{"joined", func() { m.Receive(frame(t, joinedMsg(s, 1, "tok1"))) }, ScreenLobby},
		{"lobby view", func() { m.Receive(frame(t, viewMsg(s, 1, false, 0))) }, ScreenLobby},
		{"started: waiting for the mandate", func() { m.Receive(frame(t, viewMsg(s, 1, true, 0))) }, ScreenManager},
		{"mandate played", func() {
			bots(t, s, 1)
			m.Receive(frame(t, viewMsg(s, 1, true, 0)))
		}, ScreenManager},
		{"answered: reveal", func() {
			for _, out := range m.Do(SendAnswer{}) {
				if err := s.Apply(*out.Command); err != nil {
					t.Fatal(err)
				}
			}
			bots(t, s, 1)
			m.Receive(frame(t, viewMsg(s, 1, true, 0)))
		}, ScreenReveal},
		{"game over", func() {
			bots(t, s, -9)
			m.Receive(frame(t, viewMsg(s, 1, true, 0)))
		}, ScreenEnd},
		{"debrief", func() { m.Do(OpenDebrief{}) }, ScreenDebrief},
	}
	for _, st := range steps {
		st.do()
		if got := m.Screen(); got != st.want {
			t.Fatalf("%s: screen %s, want %s (notice %q)", st.name, got, st.want, m.Notice)
		}
	}
	if m.Saved != (Saved{Code: "ABCDEF", Token: "tok1"}) {
		t.Errorf("saved %+v", m.Saved)
	}
	if m.View.Scores == nil {
		t.Error("no scores at the end")
	}
}

func TestScreenBySeat(t *testing.T) {
	s := game(t)
	for _, tc := range []struct {
		seat sim.Seat
		want Screen
	}{{sim.Executive, ScreenExecutive}, {2, ScreenManager}, {sim.Facilitator, ScreenFacilitator}, {sim.Public, ScreenProjector}} {
		m := New(Saved{})
		m.Handle(joinedMsg(s, tc.seat, "t"))
		m.Handle(viewMsg(s, tc.seat, true, 0))
		if got := m.Screen(); got != tc.want {
			t.Errorf("seat %d: %s, want %s", tc.seat, got, tc.want)
		}
	}
}

func TestMetersAnimateToTheirTargets(t *testing.T) {
	s := game(t)
	m := New(Saved{})
	t0 := time.Unix(1000, 0)
	m.Tick(t0)
	m.Handle(joinedMsg(s, 1, "t"))
	m.Handle(viewMsg(s, 1, true, 0))
	g := m.Gauge(1, sim.MeterTrust)
	if g.Hidden || g.Value != float64(s.Teams[0].Trust) {
		t.Fatalf("first value shown at once: %+v", g)
	}
	from := g.Value
	// Play the turn through with bots (seat 1 as the advocate would).
	b, _ := sim.NewBots(s, 1)
	for s.Phase != sim.PhaseReveal {
		for seat := sim.Executive; int(seat) <= s.Managers(); seat++ {
			if c, ok := b.Decide(s, seat); ok {
				if err := s.Apply(c); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	to := float64(s.Teams[0].Trust)
	if to == from {
		t.Fatalf("trust did not move (%v); pick another seed", to)
	}
	m.Handle(viewMsg(s, 1, true, 0))
	if m.Screen() != ScreenReveal {
		t.Fatalf("screen %s", m.Screen())
	}
	steps := []struct {
		after time.Duration
		check func(v float64) bool
	}{
		{0, func(v float64) bool { return v == from }},
		{MeterAnimation / 4, func(v float64) bool { return v != from && v != to && (v-from)*(to-from) > 0 }},
		{MeterAnimation / 2, func(v float64) bool { return (v-from)*(to-from) > 0 && (to-v)*(to-from) > 0 }},
		{MeterAnimation, func(v float64) bool { return v == to }},
		{2 * MeterAnimation, func(v float64) bool { return v == to }},
	}
	for _, st := range steps {
		m.Tick(t0.Add(st.after))
		if v := m.Gauge(1, sim.MeterTrust).Value; !st.check(v) {
			t.Errorf("after %v: value %v (from %v to %v)", st.after, v, from, to)
		}
	}
	if m.Animating() {
		t.Error("still animating after the animation's length")
	}
	g = m.Gauge(1, sim.MeterTrust)
	sum := 0
	causes := m.Causes(1)
	for _, c := range causes {
		if c.Meter == sim.MeterTrust {
			sum += c.Amount
		}
		if c.Text == "" {
			t.Errorf("cause without words: %+v", c)
		}
	}
	if g.Trend != sum || float64(g.Target) != to {
		t.Errorf("trend %d, causes sum %d, target %d want %v", g.Trend, sum, g.Target, to)
	}
	if len(g.History) != 2 {
		t.Errorf("history %v, want start and turn 1", g.History)
	}
	// Another manager's trust is hidden from seat 1.
	if !m.Gauge(2, sim.MeterTrust).Hidden || m.Gauge(2, sim.MeterQuota).Hidden {
		t.Error("a peer's trust must be hidden and quota shown")
	}
}

func TestEaseOutCubic(t *testing.T) {
	prev := -1.0
	for i := 0; i <= 100; i++ {
		v := EaseOutCubic(float64(i) / 100)
		if v < prev || v < 0 || v > 1 {
			t.Fatalf("not monotonic in 0..1 at %d: %v", i, v)
		}
		prev = v
	}
	if EaseOutCubic(0) != 0 || EaseOutCubic(1) != 1 || EaseOutCubic(0.5) <= 0.5 {
		t.Error("ease-out must start at 0, end at 1 and run ahead at the middle")
	}
}

func TestIntentsBecomeMessages(t *testing.T) {
	s := game(t)
	b, _ := sim.NewBots(s, 1)
	c, _ := b.Decide(s, sim.Executive)
	for c.Kind != sim.CmdMandate { // personas may visit first
		if err := s.Apply(c); err != nil {
			t.Fatal(err)
		}
		c, _ = b.Decide(s, sim.Executive)
	}
	c.Target = 0
	if err := s.Apply(c); err != nil {
		t.Fatal(err)
	}
	card := s.Card
	alt := s.Scn.Mandates[card].Alternatives[0].ID
	seat := func(x sim.Seat) *sim.Seat { return &x }
	manager := func() *Model {
		m := New(Saved{})
		m.Handle(joinedMsg(s, 1, "t"))
		m.Handle(viewMsg(s, 1, true, 0))
		return m
	}
	ver := s.Version
	tests := []struct {
		name   string
		model  func() *Model
		edit   func(*Model)
		intent Intent
		want   []protocol.ClientMsg
		notice bool
	}{
		{"join", func() *Model { return New(Saved{}) }, nil, Join{Code: " ab-cd ef ", Name: " Ann "},
			[]protocol.ClientMsg{{Kind: protocol.KindJoin, ID: 1, Code: "ABCDEF", Name: "Ann", Role: protocol.RolePlayer}}, false},
		{"join as projector needs no name", func() *Model { return New(Saved{}) }, nil, Join{Code: "abcdef", Projector: true},
			[]protocol.ClientMsg{{Kind: protocol.KindJoin, ID: 1, Code: "ABCDEF", Role: protocol.RoleProjector}}, false},
		{"join without a name", func() *Model { return New(Saved{}) }, nil, Join{Code: "ABCDEF"}, nil, true},
		{"join without a code", func() *Model { return New(Saved{}) }, nil, Join{Name: "Ann"}, nil, true},
		{"host", func() *Model { return New(Saved{}) }, func(m *Model) {
			m.Host = HostForm{Scenario: "mild-slowdown", Executive: "human", Managers: 6, Deadline: 2, Audience: true}
		}, Host{}, []protocol.ClientMsg{{Kind: protocol.KindCreate, ID: 1, Create: &protocol.CreateRoom{Scenario: "mild-slowdown",
			Executive: "human", Managers: 6, Deadlines: protocol.Deadlines{Mandate: 120, Response: 120, Ruling: 120, Reveal: 120}, Audience: true}}}, false},
		{"move a person to another table", func() *Model { return New(Saved{Facilitator: "fac"}) }, nil, Order{Kind: protocol.KindAssign, Conn: 7, Code: "QWERTY"},
			[]protocol.ClientMsg{{Kind: protocol.KindAssign, ID: 1, Conn: 7, Code: "QWERTY"}}, false},
		{"solo as executive", func() *Model { return New(Saved{}) }, nil, Solo{Name: "Eve", Exec: true},
			[]protocol.ClientMsg{{Kind: protocol.KindCreate, ID: 1, Create: &protocol.CreateRoom{Solo: protocol.RoleExecutive, Name: "Eve"}}}, false},
		{"push back with a case", manager, func(m *Model) {
			m.EditAnswer(func(a *Answer) {
				a.Response, a.Action = sim.ResponsePushBack, sim.ActionCandid
				a.Case = sim.Case{Data: sim.LeverPipeline, Impact: sim.LeverPeople, Alternative: alt, Ask: sim.AskPilot, Text: "see the numbers"}
			})
		}, SendAnswer{}, []protocol.ClientMsg{{Kind: protocol.KindCommand, ID: 1, Based: ver, Command: &sim.Command{
			Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponsePushBack, Action: sim.ActionCandid,
			Case: sim.Case{Data: sim.LeverPipeline, Impact: sim.LeverPeople, Alternative: alt, Ask: sim.AskPilot, Text: "see the numbers"}}}}, false},
		{"a free-text alternative is not sent", manager, func(m *Model) {
			m.EditAnswer(func(a *Answer) {
				a.Response = sim.ResponsePushBack
				a.Case = sim.Case{Data: sim.LeverPipeline, Alternative: "pilot in one region", Text: "see the numbers"}
			})
		}, SendAnswer{}, []protocol.ClientMsg{{Kind: protocol.KindCommand, ID: 1, Based: ver, Command: &sim.Command{
			Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponsePushBack,
			Case: sim.Case{Data: sim.LeverPipeline, Text: "see the numbers"}}}}, false},
		{"relay drops the case", manager, func(m *Model) {
			m.EditAnswer(func(a *Answer) { a.Response, a.Case.Text = sim.ResponseRelay, "ignored" })
		}, SendAnswer{}, []protocol.ClientMsg{{Kind: protocol.KindCommand, ID: 1, Based: ver, Command: &sim.Command{
			Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponseRelay}}}, false},
		{"escalate without a card", manager, func(m *Model) {
			m.EditAnswer(func(a *Answer) { a.Response = sim.ResponseEscalate })
		}, SendAnswer{}, nil, true},
		{"play a mandate", func() *Model {
			m := New(Saved{})
			m.Handle(joinedMsg(s, 0, "t"))
			m.Handle(viewMsg(s, 0, true, 0))
			return m
		}, func(m *Model) { m.Orders.Card, m.Orders.Target, m.Orders.Framing = card, 2, "we must" }, PlayMandate{},
			[]protocol.ClientMsg{{Kind: protocol.KindCommand, ID: 1, Based: ver, Command: &sim.Command{
				Kind: sim.CmdMandate, Seat: 0, Card: s.Scn.Mandates[card].ID, Target: 2, Framing: "we must"}}}, false},
		{"mandate without a card", manager, nil, PlayMandate{}, nil, true},
		{"visit", manager, nil, Visit{Target: 3}, []protocol.ClientMsg{{Kind: protocol.KindCommand, ID: 1, Based: ver,
			Command: &sim.Command{Kind: sim.CmdVisit, Target: 3}}}, false},
		{"rule", manager, nil, Rule{Target: 2, Verdict: sim.VerdictAmend}, []protocol.ClientMsg{{Kind: protocol.KindCommand, ID: 1, Based: ver,
			Command: &sim.Command{Kind: sim.CmdRule, Target: 2, Verdict: sim.VerdictAmend}}}, false},
		{"ready", manager, nil, Ready{}, []protocol.ClientMsg{{Kind: protocol.KindCommand, ID: 1, Based: ver,
			Command: &sim.Command{Kind: sim.CmdReady, Seat: 1}}}, false},
		{"extend", manager, nil, Order{Kind: protocol.KindExtend, Seconds: 60},
			[]protocol.ClientMsg{{Kind: protocol.KindExtend, ID: 1, Seconds: 60}}, false},
		{"hand a seat to a bot", manager, nil, Order{Kind: protocol.KindBot, Seat: 2, On: true},
			[]protocol.ClientMsg{{Kind: protocol.KindBot, ID: 1, Seat: seat(2), On: true}}, false},
		{"tables", func() *Model { return New(Saved{Facilitator: "fac"}) }, nil, ListTables{},
			[]protocol.ClientMsg{{Kind: protocol.KindTables, ID: 1, Token: "fac"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.model()
			if tc.edit != nil {
				tc.edit(m)
			}
			got := m.Do(tc.intent)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", deref(got), deref(tc.want))
			}
			if (m.Notice != "") != tc.notice {
				t.Errorf("notice %q", m.Notice)
			}
			for _, msg := range got {
				if _, err := protocol.DecodeClient(mustEncode(t, msg)); err != nil {
					t.Errorf("the server would refuse it: %v", err)
				}
			}
		})
	}
}

func mustEncode(t *testing.T, m any) []byte {
	b, err := protocol.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deref(ms []protocol.ClientMsg) []any {
	var out []any
	for _, m := range ms {
		out = append(out, m)
		if m.Command != nil {
			out = append(out, *m.Command)
		}
		if m.Create != nil {
			out = append(out, *m.Create)
		}
	}
	return out
}

func TestResumeAfterDrop(t *testing.T) {
	s := game(t)
	m := New(Saved{Code: "ABCDEF", Token: "tok"})
	out := m.Connected()
	if len(out) != 2 || out[0].Kind != protocol.KindHello || out[0].V != protocol.Version ||
		out[1].Kind != protocol.KindResume || out[1].Token != "tok" {
		t.Fatalf("connect with a saved token: %+v", out)
	}
	m.Handle(joinedMsg(s, 2, "tok"))
	m.Handle(viewMsg(s, 2, true, 0))
	m.Disconnected(1, time.Second)
	if m.Conn != ConnLost || m.Screen() != ScreenManager {
		t.Fatalf("a drop keeps the screen and shows the loss: %s %s", m.Conn, m.Screen())
	}
	out = m.Connected()
	if len(out) != 2 || out[1].Token != "tok" || m.Conn != ConnOnline {
		t.Fatalf("reconnect: %+v", out)
	}
	// A facilitator comes back with the room code and the facilitator token.
	f := New(Saved{Code: "ABCDEF", Facilitator: "fac"})
	out = f.Connected()
	if len(out) != 2 || out[1].Kind != protocol.KindResume || out[1].Code != "ABCDEF" || out[1].Token != "fac" {
		t.Fatalf("facilitator resume: %+v", out)
	}
	// A token the server no longer knows is forgotten, in words.
	g := New(Saved{Code: "ABCDEF", Token: "old"})
	g.Connected()
	g.Handle(protocol.ServerMsg{Kind: protocol.KindError, Error: &protocol.Error{Code: protocol.CodeUnauthorized, Message: "unknown token"}})
	if g.Saved.Token != "" || g.Notice == "" || g.Screen() != ScreenTitle {
		t.Fatalf("stale token: %+v %q", g.Saved, g.Notice)
	}
	if again := g.Connected(); len(again) != 1 {
		t.Fatalf("the stale token was tried again: %+v", again)
	}
}

func TestCountdownUsesServerClock(t *testing.T) {
	s := game(t)
	m := New(Saved{})
	local := time.Unix(5000, 0)
	m.Tick(local)
	server := local.Add(3 * time.Second) // the server's clock runs 3 s ahead
	msg := viewMsg(s, 1, true, server.UnixMilli())
	msg.View.Room.Deadline = server.Add(90 * time.Second).UnixMilli()
	m.Handle(joinedMsg(s, 1, "t"))
	m.Handle(msg)
	for _, tc := range []struct {
		after time.Duration
		want  time.Duration
	}{{0, 90 * time.Second}, {30 * time.Second, 60 * time.Second}, {2 * time.Minute, 0}} {
		m.Tick(local.Add(tc.after))
		if got, ok := m.Remaining(); !ok || got != tc.want {
			t.Errorf("after %v: %v %v, want %v", tc.after, got, ok, tc.want)
		}
	}
}

func TestErrorsInWords(t *testing.T) {
	for _, c := range protocol.Codes {
		if _, ok := errorWords[c]; !ok {
			t.Errorf("no words for %s", c)
		}
	}
	m := New(Saved{})
	m.Handle(protocol.ServerMsg{Kind: protocol.KindError, Error: &protocol.Error{Code: protocol.CodeRoomFull}})
	if m.Notice != "That room has no free seat." {
		t.Errorf("notice %q", m.Notice)
	}
}

// TestGarbageNeverCrashes feeds frames no server should send: random bytes,
// the msgpack length bombs, wrong types, missing bodies and absurd views,
// then draws every accessor the UI uses.
func TestGarbageNeverCrashes(t *testing.T) {
	s := game(t)
	bad := viewMsg(s, 1, true, 0)
	bad.View.Game.Card = 999
	bad.View.Game.Target = 77
	bad.View.Game.News = []int{-5, 1 << 30}
	bad.View.Game.Hand = []int{-1, 500}
	bad.View.Game.Deltas = []sim.Delta{{Seat: 99, Meter: 200, Amount: 5, Cause: 250}}
	bad.View.Game.Managers[0].Seat = 42
	bad.View.Game.Managers[1].Meters.Trust = 1 << 40
	bad.View.Game.Managers[2].History = nil
	bad.View.Texts = nil
	frames := [][]byte{
		nil, {0xc1}, {0xdd, 0xff, 0xff, 0xff, 0xff}, {0xdf, 0xff, 0xff, 0xff, 0xff},
		{0xc6, 0xff, 0xff, 0xff, 0xff}, {0xdb, 0xff, 0xff, 0xff, 0xff},
		mustEncode(t, map[string]any{"kind": 5, "view": "nope"}),
		mustEncode(t, map[string]any{"kind": "view"}),
		mustEncode(t, map[string]any{"kind": "joined"}),
		mustEncode(t, map[string]any{"kind": "error"}),
		mustEncode(t, map[string]any{"kind": "view", "view": map[string]any{"game": map[string]any{"seat": 1, "managers": []int{1, 2}}}}),
		mustEncode(t, map[string]any{"kind": "surprise"}),
		frame(t, bad),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		b := make([]byte, r.IntN(64))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		frames = append(frames, b)
	}
	good := frame(t, viewMsg(s, 1, true, 0))
	for i := range 200 { // truncations and bit flips of a real view
		b := append([]byte(nil), good[:r.IntN(len(good))]...)
		if len(b) > 0 && i%2 == 0 {
			b[r.IntN(len(b))] ^= byte(1 << r.IntN(8))
		}
		frames = append(frames, b)
	}
	m := New(Saved{})
	m.Handle(joinedMsg(s, 1, "t"))
	for i, f := range frames {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("frame %d (%x) crashed the client: %v", i, f[:min(len(f), 16)], r)
				}
			}()
			m.Receive(f)
			touch(m)
		}()
	}
}

// touch calls what the UI reads from a model.
func touch(m *Model) {
	m.Screen()
	m.Remaining()
	m.Targeted()
	m.Me()
	for seat := sim.Seat(-2); seat < 10; seat++ {
		for k := sim.Meter(0); k < sim.NumMeters+1; k++ {
			m.Gauge(seat, k)
		}
		m.Causes(seat)
		m.SeatName(seat)
	}
	m.Card(m.View.Card)
	for _, i := range m.View.Hand {
		m.Card(i)
	}
	for _, i := range m.View.News {
		m.Event(i)
	}
}

// A seat resumed on another tab or device: this one says where it went,
// does not take it back by itself on the next reconnect (two tabs would
// take turns forever), and takes it back only when asked.
func TestReplacedSeatIsNotResumedAutomatically(t *testing.T) {
	m := New(Saved{Code: "KX7PQR", Token: "seat-token"})
	m.Connected()
	m.Joined = true
	m.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindError,
		Error: &protocol.Error{Code: protocol.CodeReplaced, Message: "this seat was resumed on another connection"}}))
	if !m.Replaced || m.Joined || m.Notice == "" {
		t.Fatalf("after replaced: replaced %v, joined %v, notice %q", m.Replaced, m.Joined, m.Notice)
	}
	for _, msg := range m.Connected() {
		if msg.Kind == protocol.KindResume {
			t.Fatal("a replaced seat resumed by itself on reconnect")
		}
	}
	out := m.Do(TakeBack{})
	if len(out) != 1 || out[0].Kind != protocol.KindResume || out[0].Token != "seat-token" || m.Replaced {
		t.Fatalf("take back: %+v, replaced %v", out, m.Replaced)
	}
}

// A seat's resume carries the room's code, after a drop and on take-back:
// a cluster node routes the connection to the room's owner by it.
func TestResumeCarriesRoomCode(t *testing.T) {
	m := New(Saved{Code: "KX7PQR", Token: "seat-token"})
	if out := m.Connected(); len(out) != 2 || out[1].Kind != protocol.KindResume || out[1].Code != "KX7PQR" {
		t.Fatalf("resume after a drop: %+v", out)
	}
	m.Joined = true
	m.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindError,
		Error: &protocol.Error{Code: protocol.CodeReplaced, Message: "replaced"}}))
	if out := m.Do(TakeBack{}); len(out) != 1 || out[0].Code != "KX7PQR" || out[0].Token != "seat-token" {
		t.Fatalf("take back: %+v", out)
	}
}
