package sim_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"pushback/scenarios"
	"pushback/sim"
)

func TestSameSeedSameGame(t *testing.T) {
	for _, name := range scenarios.Names() {
		scn := load(t, name)
		cfg := table(scn.Personas[0].ID, "yes-man", "firebrand", "diplomat", "advocate")
		a, log := play(t, scn, cfg, 42)
		b, _ := play(t, scn, cfg, 42)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two runs of seed 42 differ", name)
		}
		c, err := sim.New(scn, cfg, 42)
		if err != nil {
			t.Fatal(err)
		}
		for _, cmd := range log {
			if err := c.Apply(cmd); err != nil {
				t.Fatalf("%s: replay: %v", name, err)
			}
		}
		if !reflect.DeepEqual(a, c) {
			t.Errorf("%s: replaying the log gives another state", name)
		}
		if a.Scores == nil || len(a.Scores.Managers) != 4 {
			t.Errorf("%s: no scores at the end", name)
		}
		if len(a.History) != scn.Turns+1 {
			t.Errorf("%s: %d snapshots, want %d", name, len(a.History), scn.Turns+1)
		}
	}
}

func TestIllegalCommandsAreTypedAndChangeNothing(t *testing.T) {
	scn := load(t, scenarios.Default)
	s, err := sim.New(scn, table(scn.Personas[0].ID, "advocate", "advocate", "advocate"), 7)
	if err != nil {
		t.Fatal(err)
	}
	card := scn.Mandates[0].ID
	cases := []struct {
		name string
		cmd  sim.Command
		want error
	}{
		{"manager plays a mandate", sim.Command{Kind: sim.CmdMandate, Seat: 1, Card: card}, sim.ErrNotYourTurn},
		{"response in the mandate phase", sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponseRelay}, sim.ErrWrongPhase},
		{"unknown card", sim.Command{Kind: sim.CmdMandate, Seat: sim.Executive, Card: "no-such-card"}, sim.ErrUnknownCard},
		{"public seat readies", sim.Command{Kind: sim.CmdReady, Seat: sim.Public}, sim.ErrNotYourTurn},
		{"manager skips", sim.Command{Kind: sim.CmdSkip, Seat: 2}, sim.ErrNotYourTurn},
		{"ready before the reveal", sim.Command{Kind: sim.CmdReady, Seat: 1}, sim.ErrWrongPhase},
		{"unknown kind", sim.Command{Kind: 99, Seat: 1}, sim.ErrBadCommand},
		{"visit to a missing seat", sim.Command{Kind: sim.CmdVisit, Seat: sim.Executive, Target: 7}, sim.ErrBadCommand},
		{"inject an unknown event", sim.Command{Kind: sim.CmdInject, Seat: sim.Facilitator, Event: "nope"}, sim.ErrUnknownCard},
	}
	for _, tc := range cases {
		before := s.Clone()
		err := s.Apply(tc.cmd)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
		if !reflect.DeepEqual(before, s) {
			t.Errorf("%s: the state changed", tc.name)
		}
	}
	// Into the response phase: answering for a seat not targeted, then twice
	// ruled, then after the end.
	if err := s.Apply(sim.Command{Kind: sim.CmdMandate, Seat: sim.Executive, Card: card, Target: 1}); err != nil {
		t.Fatal(err)
	}
	before := s.Clone()
	if err := s.Apply(sim.Command{Kind: sim.CmdRespond, Seat: 2, Response: sim.ResponseRelay}); !errors.Is(err, sim.ErrBadCommand) {
		t.Errorf("untargeted seat answering: %v", err)
	}
	if err := s.Apply(sim.Command{Kind: sim.CmdMandate, Seat: sim.Executive, Card: card}); !errors.Is(err, sim.ErrWrongPhase) {
		t.Errorf("second mandate: %v", err)
	}
	if !reflect.DeepEqual(before, s) {
		t.Error("refused commands changed the state")
	}
	must := func(c sim.Command) {
		t.Helper()
		if err := s.Apply(c); err != nil {
			t.Fatal(err)
		}
	}
	must(sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponsePushBack, Case: sim.Case{Data: sim.LeverPipeline, Impact: sim.LeverCustomers}})
	must(sim.Command{Kind: sim.CmdRespond, Seat: 2, Action: sim.ActionCoach})
	must(sim.Command{Kind: sim.CmdRespond, Seat: 3, Action: sim.ActionFocus})
	if s.Phase != sim.PhaseRuling {
		t.Fatalf("phase %s, want ruling", s.Phase)
	}
	must(sim.Command{Kind: sim.CmdRule, Seat: sim.Executive, Target: 1, Verdict: sim.VerdictUphold})
	if err := s.Apply(sim.Command{Kind: sim.CmdRule, Seat: sim.Executive, Target: 1, Verdict: sim.VerdictWithdraw}); !errors.Is(err, sim.ErrWrongPhase) && !errors.Is(err, sim.ErrAlreadyAnswered) {
		t.Errorf("ruling twice: %v", err)
	}
	must(sim.Command{Kind: sim.CmdReady, Seat: 1})
	if err := s.Apply(sim.Command{Kind: sim.CmdReady, Seat: 1}); !errors.Is(err, sim.ErrAlreadyAnswered) {
		t.Errorf("ready twice: %v", err)
	}
	must(sim.Command{Kind: sim.CmdEnd, Seat: sim.Facilitator})
	if err := s.Apply(sim.Command{Kind: sim.CmdReady, Seat: 2}); !errors.Is(err, sim.ErrGameOver) {
		t.Errorf("after the end: %v", err)
	}
}

func TestRevisingAnAnswer(t *testing.T) {
	scn := load(t, scenarios.Default)
	s, _ := sim.New(scn, table(scn.Personas[0].ID, "advocate", "advocate"), 1)
	_ = s.Apply(sim.Command{Kind: sim.CmdMandate, Seat: sim.Executive, Card: scn.Mandates[0].ID})
	for _, r := range []sim.ResponseKind{sim.ResponseRelay, sim.ResponseExplain} {
		if err := s.Apply(sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: r}); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Team(1).Response; got != sim.ResponseExplain {
		t.Errorf("revised answer is %s, want relay with context", got)
	}
}

// TestRandomCommandSequences throws thousands of random commands, legal and
// not, at every shipped scenario: nothing panics, meters stay in range,
// refused commands change nothing, the accepted log replays to the same
// state, and no view holds what its seat may not see.
func TestRandomCommandSequences(t *testing.T) {
	games := 340 // × 3 scenarios: over a thousand random sequences
	if testing.Short() {
		games = 10
	}
	styles := []string{"yes-man", "firebrand", "diplomat", "advocate", "always-shield", "late-escalator"}
	commands := 0
	for _, name := range scenarios.Names() {
		scn := load(t, name)
		for g := range games {
			r := rand.New(rand.NewPCG(uint64(g), 99))
			n := 1 + r.IntN(sim.MaxManagers)
			var st []string
			for range n {
				st = append(st, styles[r.IntN(len(styles))])
			}
			cfg := table(scn.Personas[r.IntN(len(scn.Personas))].ID, st...)
			s, err := sim.New(scn, cfg, uint64(g))
			if err != nil {
				t.Fatal(err)
			}
			bots, _ := sim.NewBots(s, uint64(g))
			var log []sim.Command
			for step := 0; s.Phase != sim.PhaseOver && step < 2000; step++ {
				c := randomCommand(r, s, bots, scn)
				before := s.Clone()
				commands++
				if err := s.Apply(c); err != nil {
					if !reflect.DeepEqual(before, s) {
						t.Fatalf("%s game %d: refused %+v changed the state", name, g, c)
					}
					continue
				}
				log = append(log, c)
				checkRanges(t, s)
				for seat := sim.Public; int(seat) <= s.Managers(); seat++ {
					checkView(t, s, seat)
					if seat >= sim.Executive && !sim.SeenAgrees(s, seat) {
						t.Fatalf("%s game %d: a bot in seat %d reads from the state what its view does not show", name, g, seat)
					}
				}
			}
			replay, _ := sim.New(scn, cfg, uint64(g))
			for _, c := range log {
				if err := replay.Apply(c); err != nil {
					t.Fatalf("%s game %d: replay refused %+v: %v", name, g, c, err)
				}
			}
			if !reflect.DeepEqual(replay, s) {
				t.Fatalf("%s game %d: replay differs", name, g)
			}
		}
	}
	t.Logf("%d games, %d commands", games*len(scenarios.Names()), commands)
}

func randomCommand(r *rand.Rand, s *sim.State, bots *sim.Bots, scn *sim.Scenario) sim.Command {
	switch x := r.IntN(100); {
	case x < 65: // what a bot in some seat would do
		for range 4 {
			seat := sim.Seat(r.IntN(s.Managers() + 1))
			if c, ok := bots.Decide(s, seat); ok {
				return c
			}
		}
	case x < 70:
		return sim.Command{Kind: sim.CmdSkip, Seat: sim.Facilitator}
	case x < 73:
		return sim.Command{Kind: sim.CmdInject, Seat: sim.Facilitator, Event: scn.Events[r.IntN(len(scn.Events))].ID}
	case x < 74:
		return sim.Command{Kind: sim.CmdEnd, Seat: sim.Facilitator}
	}
	cards := []string{"", "nope", scn.Mandates[r.IntN(len(scn.Mandates))].ID}
	k := sim.Case{Data: sim.Lever(r.IntN(6)), Impact: sim.Lever(r.IntN(6)), Ask: sim.Ask(r.IntN(4))}
	if m := scn.Mandates[r.IntN(len(scn.Mandates))]; r.IntN(2) == 0 && len(m.Alternatives) > 0 {
		k.Alternative = m.Alternatives[0].ID // often not the card answered: refused
	}
	for i := range k.Evidence {
		if len(scn.Evidence) > 0 && r.IntN(2) == 0 {
			k.Evidence[i] = scn.Evidence[r.IntN(len(scn.Evidence))].ID // held or not
		}
	}
	return sim.Command{
		Kind:     sim.CommandKind(r.IntN(int(sim.NumCommands) + 1)),
		Seat:     sim.Seat(r.IntN(sim.MaxManagers+4) - 2),
		Card:     cards[r.IntN(len(cards))],
		Target:   sim.Seat(r.IntN(sim.MaxManagers+2) - 1),
		Response: sim.ResponseKind(r.IntN(int(sim.NumResponses) + 1)),
		Case:     k,
		Action:   sim.TeamAction(r.IntN(int(sim.NumActions) + 1)),
		Verdict:  sim.Verdict(r.IntN(int(sim.NumVerdicts) + 1)),
	}
}

func checkRanges(t *testing.T, s *sim.State) {
	t.Helper()
	for i, tm := range s.Teams {
		for _, v := range []int{tm.Morale, tm.Trust, tm.Quota, tm.Standing, tm.Pulse} {
			if v < 0 || v > 100 {
				t.Fatalf("seat %d meter out of range: %+v", i+1, tm.Meters)
			}
		}
	}
	c := s.Company
	if c.Pressure < 0 || c.Pressure > 100 || c.Revenue < 0 || c.Revenue > 200 || c.Cost < 0 || c.Cost > 200 {
		t.Fatalf("company out of range: %+v", c)
	}
}

// checkView asserts the hidden-information rules of GAME.md on one view.
func checkView(t *testing.T, s *sim.State, seat sim.Seat) {
	t.Helper()
	v := s.View(seat)
	if seat == sim.Facilitator {
		for i, m := range v.Managers {
			if m.Meters != s.Teams[i].Meters || !slices.Equal(m.Evidence, held(&s.Teams[i])) {
				t.Fatalf("facilitator sees wrong meters or evidence")
			}
		}
		return
	}
	revealed := s.Phase >= sim.PhaseReveal
	for i, m := range v.Managers {
		tm := &s.Teams[i]
		if m.Seat == seat { // own team: everything
			if m.Meters != tm.Meters || m.Response != tm.Response || !slices.Equal(m.Evidence, held(tm)) {
				t.Fatalf("seat %d does not see its own team", seat)
			}
			continue
		}
		// Evidence is private to its manager; the executive sees a team's
		// only on a visit this turn.
		if seat == sim.Executive && s.Visit == m.Seat {
			if !slices.Equal(m.Evidence, held(tm)) {
				t.Fatalf("executive visited seat %d and sees %v, not its evidence %v", m.Seat, m.Evidence, held(tm))
			}
		} else if len(m.Evidence) > 0 {
			t.Fatalf("seat %d sees seat %d's evidence", seat, m.Seat)
		}
		if !revealed && m.Grade.Quality != 0 {
			t.Fatalf("seat %d sees seat %d's graded case before the reveal", seat, m.Seat)
		}
		switch seat {
		case sim.Executive:
			if tm.VisitTurn == 0 && (m.Meters.Morale != sim.Hidden || m.Meters.Trust != sim.Hidden) {
				t.Fatalf("executive sees morale/trust of seat %d without a visit", m.Seat)
			}
			if tm.VisitTurn > 0 && (m.Meters.Morale != tm.SeenMorale || m.Meters.Trust != tm.SeenTrust) {
				t.Fatalf("executive sees more than the visit showed")
			}
			if m.Response == sim.ResponseShield || m.Response == sim.ResponseExplain && !revealed {
				t.Fatalf("executive sees how seat %d handled its team", m.Seat)
			}
		default:
			if m.Meters.Morale != sim.Hidden || m.Meters.Trust != sim.Hidden || m.Meters.Standing != sim.Hidden {
				t.Fatalf("seat %d sees hidden meters of seat %d", seat, m.Seat)
			}
			if !revealed && (m.Revealed || m.Response != sim.ResponseNone || m.Case != (sim.Case{})) {
				t.Fatalf("seat %d sees seat %d's response before the reveal", seat, m.Seat)
			}
			if m.Response == sim.ResponseShield {
				t.Fatalf("seat %d sees that seat %d shielded", seat, m.Seat)
			}
		}
		for _, h := range m.History {
			if h.Morale != sim.Hidden || h.Trust != sim.Hidden {
				t.Fatalf("seat %d sees the morale/trust history of seat %d", seat, m.Seat)
			}
		}
	}
	for _, d := range v.Deltas {
		if d.Seat != seat && d.Seat != sim.Executive && (d.Meter == sim.MeterMorale || d.Meter == sim.MeterTrust) {
			t.Fatalf("seat %d sees a %s change of seat %d", seat, d.Meter, d.Seat)
		}
		if seat != sim.Executive && d.Seat == sim.Executive && d.Meter != sim.MeterRevenue {
			t.Fatalf("seat %d sees the company's %s", seat, d.Meter)
		}
	}
	if seat != sim.Executive && (v.Company.Pressure != sim.Hidden || v.Company.Cost != sim.Hidden || len(v.Hand) > 0) {
		t.Fatalf("seat %d sees the executive's dashboard", seat)
	}
	if len(v.Trend) != len(s.History) {
		t.Fatalf("seat %d: %d turns of company trend, want %d", seat, len(v.Trend), len(s.History))
	}
	for _, c := range v.Trend {
		if seat != sim.Executive && (c.Pressure != sim.Hidden || c.Cost != sim.Hidden) {
			t.Fatalf("seat %d sees the history of the executive's dashboard", seat)
		}
	}
}

// Bots decide straight from the state, not from a view: in every shipped
// scenario and persona, over many seeds and every style, each decision is
// the one the same bot makes from the seat's full view.
func TestBotsDecideAsFromTheirView(t *testing.T) {
	styles := []string{"yes-man", "firebrand", "diplomat", "advocate", "always-shield", "late-escalator", "always-pushback"}
	decisions := 0
	for _, name := range scenarios.Names() {
		scn := load(t, name)
		for _, p := range scn.Personas {
			for seed := uint64(1); seed <= 60; seed++ {
				cfg := table(p.ID, styles[seed%7], styles[(seed+2)%7], styles[(seed+3)%7], styles[(seed+5)%7])
				s, _ := sim.New(scn, cfg, seed)
				bots, _ := sim.NewBots(s, seed)
				for s.Phase != sim.PhaseOver {
					for seat := sim.Executive; int(seat) <= s.Managers(); seat++ {
						a, b, ok := bots.DecideBothWays(s, seat)
						if !ok {
							continue
						}
						decisions++
						if !reflect.DeepEqual(a, b) {
							t.Fatalf("%s/%s seed %d seat %d: from the state %+v, from the view %+v", name, p.ID, seed, seat, a, b)
						}
						c, _ := bots.Decide(s, seat)
						if err := s.Apply(c); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		}
	}
	t.Logf("%d decisions", decisions)
}

// held lists the evidence a team holds this month.
func held(t *sim.Team) []int {
	out := []int{}
	for _, e := range t.Evidence {
		if e >= 0 {
			out = append(out, e)
		}
	}
	return out
}

// A view built into a reused buffer is the same, to the last field, as a
// fresh one: the server reuses buffers and clients compare bytes.
func TestReusedViewEqualsFresh(t *testing.T) {
	scn := load(t, scenarios.Default)
	s, _ := play(t, scn, table(scn.Personas[0].ID, "advocate", "firebrand", "always-shield"), 3)
	var reused sim.View
	for seat := sim.Public; int(seat) <= s.Managers(); seat++ {
		for _, other := range []sim.Seat{sim.Facilitator, sim.Executive, 2} {
			s.ViewInto(&reused, other) // leave another seat's data in the buffer
			s.ViewInto(&reused, seat)
			if fresh := s.View(seat); !reflect.DeepEqual(fresh, reused) {
				t.Fatalf("seat %d: a view reused after seat %d differs from a fresh one", seat, other)
			}
		}
	}
}

// A reset game is the game New makes with that seed, and plays the same.
func TestResetEqualsNew(t *testing.T) {
	for _, name := range scenarios.Names() {
		scn := load(t, name)
		cfg := table(scn.Personas[0].ID, "yes-man", "firebrand", "late-escalator", "advocate", "always-shield")
		reused, _ := play(t, scn, cfg, 5)
		bots, _ := sim.NewBots(reused, 0)
		for seed := uint64(6); seed < 12; seed++ {
			reused.Reset(seed)
			fresh, _ := sim.New(scn, cfg, seed)
			if !reflect.DeepEqual(fresh, reused) {
				t.Fatalf("%s: Reset(%d) differs from New", name, seed)
			}
			bots.Reset(seed + 1)
			if err := bots.Run(reused); err != nil {
				t.Fatal(err)
			}
			played, _ := play(t, scn, cfg, seed)
			if !reflect.DeepEqual(played, reused) {
				t.Fatalf("%s: a reset game of seed %d plays differently", name, seed)
			}
		}
	}
}

// TestDecisionsKeepTheCase: each decision gives back (State.Case) exactly
// the case its manager's last answer of the turn sent — evidence,
// alternative, free text — and none for an answer without one; so does a
// clone, and a table reset for another game.
func TestDecisionsKeepTheCase(t *testing.T) {
	var cases, texts, alternatives, evidence int
	later := 0 // cases citing an alternative other than the card's first
	for _, name := range scenarios.Names() {
		scn := load(t, name)
		cfg := table(scn.Personas[0].ID, "firebrand", "diplomat", "advocate", "late-escalator", "yes-man")
		s, _ := sim.New(scn, cfg, 0)
		for g := range 60 {
			r := rand.New(rand.NewPCG(uint64(g), 7))
			s.Reset(uint64(g))
			bots, _ := sim.NewBots(s, uint64(g))
			sent := map[[2]int]sim.Case{}
			for step := 0; s.Phase != sim.PhaseOver && step < 2000; step++ {
				c := randomCommand(r, s, bots, scn)
				if c.Kind == sim.CmdRespond && r.IntN(2) == 0 {
					c.Case.Text = fmt.Sprintf("step %d", step)
				}
				if card := s.Card; c.Kind == sim.CmdRespond && c.Response.Voiced() && r.IntN(2) == 0 {
					if c.Response == sim.ResponseEscalate {
						card = s.MandateIndex(c.Card)
					}
					if alts := scn.Mandates[max(card, 0)].Alternatives; len(alts) > 0 {
						c.Case.Alternative = alts[r.IntN(len(alts))].ID // any of the card's
					}
				}
				if s.Apply(c) != nil || c.Kind != sim.CmdRespond {
					continue
				}
				k := c.Case
				if !c.Response.Voiced() {
					k = sim.Case{}
				}
				sent[[2]int{s.Turn, int(c.Seat)}] = k
			}
			clone := s.Clone()
			for i := range s.Decisions {
				d := &s.Decisions[i]
				want := sent[[2]int{d.Turn, int(d.Seat)}]
				if got := s.Case(d); got != want || clone.Case(&clone.Decisions[i]) != want {
					t.Fatalf("%s game %d turn %d seat %d: the decision keeps the case %+v, the manager sent %+v", name, g, d.Turn, d.Seat, got, want)
				}
				if want != (sim.Case{}) {
					cases++
				}
				if want.Text != "" {
					texts++
				}
				if want.Alternative != "" {
					alternatives++
					card := d.Card
					if d.Escalated >= 0 {
						card = d.Escalated
					}
					if want.Alternative != scn.Mandates[card].Alternatives[0].ID {
						later++
					}
				}
				if want.Evidence != [sim.EvidenceHand]string{} {
					evidence++
				}
			}
		}
	}
	if texts == 0 || later == 0 || evidence == 0 {
		t.Fatalf("%d cases, %d with a text, %d with an alternative (%d not the first), %d citing evidence: not every part was tried", cases, texts, alternatives, later, evidence)
	}
	t.Logf("%d cases, %d with a text, %d with an alternative (%d not the first), %d citing evidence", cases, texts, alternatives, later, evidence)
}
