package protocol_test

import (
	"fmt"
	"testing"

	"pushback/scenarios"
	"pushback/server/protocol"
	"pushback/sim"
)

// midGame plays the default scenario with bots until the reveal of turn 4,
// the point where a view carries the most (history, deltas, decisions).
func midGame(b *testing.B) (*sim.Scenario, *sim.State) {
	b.Helper()
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		b.Fatal(err)
	}
	s, bots := botGame(b, scn, []string{"yes-man", "firebrand", "diplomat", "advocate"}, 7)
	for !(s.Turn == 4 && s.Phase == sim.PhaseReveal) {
		botsMove(b, s, bots)
	}
	return scn, s
}

// botGame starts a game of scn with a persona and one bot manager per style.
func botGame(tb testing.TB, scn *sim.Scenario, styles []string, seed uint64) (*sim.State, *sim.Bots) {
	tb.Helper()
	cfg := sim.Config{Persona: scn.Personas[0].ID, ExecutiveBot: true}
	for i, st := range styles {
		cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: fmt.Sprintf("Manager %d", i+1), Style: st, Bot: true})
	}
	s, err := sim.New(scn, cfg, seed)
	if err != nil {
		tb.Fatal(err)
	}
	bots, err := sim.NewBots(s, seed+1)
	if err != nil {
		tb.Fatal(err)
	}
	return s, bots
}

// botsMove lets every seat that owes a decision make it.
func botsMove(tb testing.TB, s *sim.State, bots *sim.Bots) {
	tb.Helper()
	moved := false
	for seat := sim.Executive; int(seat) <= s.Managers(); seat++ {
		if c, ok := bots.Decide(s, seat); ok {
			if err := s.Apply(c); err != nil {
				tb.Fatal(err)
			}
			moved = true
		}
	}
	if !moved {
		tb.Fatalf("stuck in %s", s.Phase)
	}
}

// view builds one seat's view message the way the room does: the sim view,
// the room around it, and each delta in words.
func view(scn *sim.Scenario, s *sim.State, seat sim.Seat) protocol.ServerMsg {
	v := &protocol.View{Game: s.View(seat), Room: protocol.Room{Code: "ABCD-EFGH", Scenario: scn.ID, Started: true,
		Now: 1_750_000_000_000, Since: s.Version}}
	for i := 0; i <= s.Managers(); i++ {
		v.Room.Seats = append(v.Room.Seats, protocol.SeatInfo{Seat: sim.Seat(i), Role: protocol.RoleManager,
			Name: fmt.Sprintf("Player %d", i), Human: true, Connected: true, Pending: s.Pending(sim.Seat(i))})
	}
	v.Texts = make([]string, len(v.Game.Deltas))
	for i, d := range v.Game.Deltas {
		v.Texts[i] = d.Text(scn)
	}
	return protocol.ServerMsg{Kind: protocol.KindView, View: v}
}

func seatp(s sim.Seat) *sim.Seat { return &s }

// clientMsgs is one message of every client kind, as clients send them.
func clientMsgs(b *testing.B) map[string]protocol.ClientMsg {
	scn, _ := midGame(b)
	src, err := scenarios.Source(scn.ID)
	if err != nil {
		b.Fatal(err)
	}
	pb := sim.Command{Kind: sim.CmdRespond, Seat: 2, Response: sim.ResponsePushBack, Action: sim.ActionCandid,
		Case: sim.Case{Data: 1, Impact: 2, Alternative: "travel-key-accounts", Evidence: [2]string{"renewals-due", "visits-win"},
			Ask: sim.AskAmend, Text: "Our two biggest accounts renew next month; a freeze now costs us both."}}
	return map[string]protocol.ClientMsg{
		protocol.KindHello: {Kind: protocol.KindHello, ID: 1, V: protocol.Version},
		protocol.KindCreate: {Kind: protocol.KindCreate, ID: 2, Create: &protocol.CreateRoom{Scenario: scn.ID, Executive: "human",
			Managers: 4, Deadlines: protocol.Deadlines{Mandate: 120, Response: 180, Ruling: 120, Reveal: 60}}},
		protocol.KindJoin:     {Kind: protocol.KindJoin, ID: 2, Code: "ABCD-EFGH", Name: "Alex", Role: protocol.RolePlayer},
		protocol.KindResume:   {Kind: protocol.KindResume, ID: 2, Token: "q5Jx0mU4mM8k2c7V0b1yL9w3eR6tZ2aN"},
		protocol.KindCommand:  {Kind: protocol.KindCommand, ID: 9, Command: &pb, Based: 41},
		protocol.KindTables:   {Kind: protocol.KindTables, ID: 3, Token: "q5Jx0mU4mM8k2c7V0b1yL9w3eR6tZ2aN"},
		protocol.KindStart:    {Kind: protocol.KindStart, ID: 4},
		protocol.KindPause:    {Kind: protocol.KindPause, ID: 5},
		protocol.KindContinue: {Kind: protocol.KindContinue, ID: 6},
		protocol.KindExtend:   {Kind: protocol.KindExtend, ID: 7, Seconds: 60},
		protocol.KindSkip:     {Kind: protocol.KindSkip, ID: 8},
		protocol.KindInject:   {Kind: protocol.KindInject, ID: 9, Event: scn.Events[0].ID},
		protocol.KindKick:     {Kind: protocol.KindKick, ID: 10, Conn: 3},
		protocol.KindLock:     {Kind: protocol.KindLock, ID: 11, On: true},
		protocol.KindBot:      {Kind: protocol.KindBot, ID: 12, Seat: seatp(2), On: true},
		protocol.KindAssign:   {Kind: protocol.KindAssign, ID: 13, Seat: seatp(1), Conn: 4},
		protocol.KindEnd:      {Kind: protocol.KindEnd, ID: 14},
		protocol.KindDebrief:  {Kind: protocol.KindDebrief, ID: 15},
		protocol.KindReaction: {Kind: protocol.KindReaction, ID: 16, Word: "heard", Scale: 4},
		protocol.KindCommitment: {Kind: protocol.KindCommitment, ID: 17,
			Text: "Next month I will bring my director one page on the renewals before the quota call."},
		protocol.KindScenarios: {Kind: protocol.KindScenarios, ID: 18},
		protocol.KindCheck:     {Kind: protocol.KindCheck, ID: 19, Source: src, File: "mine.yaml"},
		protocol.KindPreview:   {Kind: protocol.KindPreview, ID: 20, Source: src, File: "mine.yaml"},
	}
}

// serverMsgs is one message of every server kind; the view is the
// facilitator's (the largest) mid-game.
func serverMsgs(b *testing.B) map[string]protocol.ServerMsg {
	scn, s := midGame(b)
	info := protocol.Info(scn)
	tbl := protocol.Table{Code: "ABCD-EFGH", Scenario: scn.ID, Turn: 4, Turns: scn.Turns, Phase: "reveal", Started: true,
		Seats: view(scn, s, sim.Facilitator).View.Room.Seats}
	return map[string]protocol.ServerMsg{
		protocol.KindWelcome: {Kind: protocol.KindWelcome, Re: 1, V: protocol.Version, Now: 1_750_000_000_000},
		protocol.KindJoined: {Kind: protocol.KindJoined, Re: 2, Joined: &protocol.Joined{Code: "ABCD-EFGH", Role: protocol.RoleManager,
			Seat: 2, Conn: 3, Token: "q5Jx0mU4mM8k2c7V0b1yL9w3eR6tZ2aN", Scenario: info}},
		protocol.KindView: view(scn, s, sim.Facilitator),
		protocol.KindError: {Kind: protocol.KindError, Re: 9, Error: &protocol.Error{Code: protocol.CodeStaleVersion,
			Message: "decided on version 40; the phase began at version 41 and the game is at 43"}},
		protocol.KindOK:        {Kind: protocol.KindOK, Re: 9},
		protocol.KindTableList: {Kind: protocol.KindTableList, Re: 3, Tables: []protocol.Table{tbl, tbl, tbl}},
	}
}

// BenchmarkEncodeClient marshals each client message kind.
func BenchmarkEncodeClient(b *testing.B) {
	msgs := clientMsgs(b)
	for _, k := range protocol.ClientKinds {
		m := msgs[k]
		b.Run(k, func(b *testing.B) {
			for b.Loop() {
				if _, err := protocol.Encode(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeClient is the server's side of every client message:
// the hostile-length check, then the decode.
func BenchmarkDecodeClient(b *testing.B) {
	msgs := clientMsgs(b)
	for _, k := range protocol.ClientKinds {
		raw, err := protocol.Encode(msgs[k])
		if err != nil {
			b.Fatal(err)
		}
		b.Run(k, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := protocol.DecodeClient(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodeServer marshals each server message kind.
func BenchmarkEncodeServer(b *testing.B) {
	msgs := serverMsgs(b)
	for _, k := range protocol.ServerKinds {
		m := msgs[k]
		raw, _ := protocol.Encode(m)
		b.Run(k, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := protocol.Encode(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeServer is the client's side of every server message.
func BenchmarkDecodeServer(b *testing.B) {
	msgs := serverMsgs(b)
	for _, k := range protocol.ServerKinds {
		raw, err := protocol.Encode(msgs[k])
		if err != nil {
			b.Fatal(err)
		}
		b.Run(k, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := protocol.DecodeServer(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTurnViews builds and encodes every seat's view of one moment of a
// five-seat game — executive, four managers, facilitator and public — as the
// room does after each command: the cost of one broadcast.
func BenchmarkTurnViews(b *testing.B) {
	scn, s := midGame(b)
	seats := []sim.Seat{sim.Facilitator, sim.Public, sim.Executive, 1, 2, 3, 4}
	var bytes int
	for _, seat := range seats {
		raw, _ := protocol.Encode(view(scn, s, seat))
		bytes += len(raw)
	}
	b.SetBytes(int64(bytes))
	for b.Loop() {
		for _, seat := range seats {
			if _, err := protocol.Encode(view(scn, s, seat)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
