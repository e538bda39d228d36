package model

import (
	"slices"
	"strings"
	"testing"

	"pushback/server/protocol"
	"pushback/sim"
)

// responding is a real game of the default scenario at the response phase,
// where seat 1 holds evidence that makes the mandate worse for its team
// (the first seed that deals so), and a manager model of seat 1 that has
// seen it.
func responding(t *testing.T) (*sim.State, *Model, int) {
	t.Helper()
	for seed := uint64(1); seed < 200; seed++ {
		s := seeded(t, seed)
		scn := s.Scn
		bots(t, s, 1)
		if s.Phase != sim.PhaseResponse || !s.Targeted(1) {
			continue
		}
		for _, e := range s.Team(1).Evidence {
			if e >= 0 && scn.Evidence[e].Shift(s.Card) > 0 && len(scn.Mandates[s.Card].Alternatives) > 0 {
				m := New(Saved{})
				m.Handle(joinedMsg(s, 1, "t"))
				m.Handle(viewMsg(s, 1, true, 0))
				return s, m, e
			}
		}
	}
	t.Fatal("no seed deals seat 1 evidence against its mandate")
	return nil, nil, 0
}

// The manager cites held evidence by toggling it (two at most, held only),
// offers one of the card's costed alternatives (no free text), and the
// command the model sends is one the engine accepts; after the reveal the
// model words the ruling's feedback with the cited evidence's title.
func TestCaseCitesEvidenceAndOffersAnAlternative(t *testing.T) {
	s, m, strong := responding(t)
	held := m.Held()
	if len(held) != sim.EvidenceHand {
		t.Fatalf("seat 1 holds %v", held)
	}
	id := func(i int) string { return m.Evidence(i).ID }
	other := held[0]
	if other == strong {
		other = held[1]
	}
	if b := m.Evidence(strong).Bears(s.Card); b != 1 {
		t.Fatalf("the info says evidence %s bears %d on card %d", id(strong), b, s.Card)
	}
	m.EditAnswer(func(a *Answer) { a.Response = sim.ResponsePushBack })

	notHeld := ""
	for i := range m.Info.Evidence {
		if !slices.Contains(held, i) {
			notHeld = m.Info.Evidence[i].ID
			break
		}
	}
	steps := []struct {
		in     Intent
		cited  [2]string
		alt    string
		notice bool
	}{
		{Cite{id(strong)}, [2]string{id(strong)}, "", false},
		{Cite{notHeld}, [2]string{id(strong)}, "", true},
		{Cite{id(other)}, [2]string{id(strong), id(other)}, "", false},
		{Cite{id(strong)}, [2]string{id(other)}, "", false}, // dropped; the other moves up
		{Cite{id(strong)}, [2]string{id(other), id(strong)}, "", false},
		{Offer{"pilot it in one region"}, [2]string{id(other), id(strong)}, "", true},
		{Offer{s.Scn.Mandates[s.Card].Alternatives[0].ID}, [2]string{id(other), id(strong)}, s.Scn.Mandates[s.Card].Alternatives[0].ID, false},
		{Offer{""}, [2]string{id(other), id(strong)}, "", false},
		{Cite{id(other)}, [2]string{id(strong)}, "", false},
		{Offer{s.Scn.Mandates[s.Card].Alternatives[0].ID}, [2]string{id(strong)}, s.Scn.Mandates[s.Card].Alternatives[0].ID, false},
	}
	for i, st := range steps {
		m.Notice = ""
		if out := m.Do(st.in); out != nil {
			t.Fatalf("step %d: %T sent %v", i, st.in, out)
		}
		if k := m.Answer.Case; k.Evidence != st.cited || k.Alternative != st.alt {
			t.Errorf("step %d %+v: case cites %q offers %q, want %q %q", i, st.in, k.Evidence, k.Alternative, st.cited, st.alt)
		}
		if (m.Notice != "") != st.notice {
			t.Errorf("step %d %+v: notice %q", i, st.in, m.Notice)
		}
	}
	if !m.Answer.Dirty {
		t.Error("editing the case did not mark the answer unsent")
	}
	if !m.Cited(id(strong)) || m.Cited(id(other)) {
		t.Error("Cited disagrees with the draft")
	}
	alt := s.Scn.Mandates[s.Card].Alternatives[0]
	if got := Keeps(protocol.Alternative{Keep: alt.Keep}); !strings.Contains(got, "% of the saving") {
		t.Errorf("Keeps = %q", got)
	}

	// Harmful enough to ask for a withdrawal? Ask what fits, as GradeCase sees it.
	m.EditAnswer(func(a *Answer) {
		a.Case.Data, a.Case.Impact, a.Case.Ask = m.Evidence(strong).Lever, sim.LeverNone, sim.AskAmend
	})
	out := m.Do(SendAnswer{})
	if len(out) != 1 || out[0].Command == nil {
		t.Fatalf("sent %v (notice %q)", out, m.Notice)
	}
	c := *out[0].Command
	if c.Case.Evidence != [2]string{id(strong)} || c.Case.Alternative != alt.ID {
		t.Fatalf("the command's case is %+v", c.Case)
	}
	if err := s.Apply(c); err != nil {
		t.Fatalf("the engine refused the case: %v", err)
	}
	b, err := sim.NewBots(s, 3)
	if err != nil {
		t.Fatal(err)
	}
	for seat := sim.Executive; s.Phase < sim.PhaseReveal && int(seat) <= s.Managers(); seat++ {
		if c, ok := b.Decide(s, seat); ok {
			if err := s.Apply(c); err != nil {
				t.Fatal(err)
			}
			seat = sim.Executive - 1
		}
	}
	if s.Phase != sim.PhaseReveal {
		t.Fatalf("the game stopped at %s", s.Phase)
	}
	m.Handle(viewMsg(s, 1, true, 0))
	fb := m.Feedback(m.Me())
	if len(fb) < 4 {
		t.Fatalf("feedback %q", fb)
	}
	if g := m.Me().Grade; g.Cited != strong || !strings.Contains(fb[0], m.Evidence(strong).Title) {
		t.Errorf("grade cites %d, feedback %q; want evidence %d %q", g.Cited, fb[0], strong, m.Evidence(strong).Title)
	}
	if !strings.Contains(strings.Join(fb, " "), "Landed: you offered a costed alternative") {
		t.Errorf("the alternative did not land: %q", fb)
	}
	// The executive is the scenario's first persona only when the room says so.
	if strings.Contains(strings.Join(fb, " "), "moved most by") {
		t.Errorf("feedback names a valued lever though no persona was named: %q", fb)
	}
	m.Info.Executive = s.Scn.Personas[0].ID
	fb = m.Feedback(m.Me())
	if want := "arguments about " + s.Scn.Personas[0].Valued().String(); !strings.Contains(fb[len(fb)-1], want) {
		t.Errorf("feedback %q does not say the persona %s", fb, want)
	}
}

// A stale draft sends only what the server accepts: evidence the team does
// not hold and an alternative of another card are dropped, as the chips
// on screen show nothing for them.
func TestCaseDropsWhatTheServerWouldRefuse(t *testing.T) {
	s, m, strong := responding(t)
	foreign := ""
	for i, mc := range s.Scn.Mandates {
		if i != s.Card && len(mc.Alternatives) > 0 {
			foreign = mc.Alternatives[0].ID
		}
	}
	m.EditAnswer(func(a *Answer) {
		a.Response = sim.ResponseNegotiate
		a.Case = sim.Case{Evidence: [2]string{"no-such-evidence", m.Evidence(strong).ID}, Alternative: foreign, Ask: sim.AskAmend}
	})
	out := m.Do(SendAnswer{})
	if len(out) != 1 {
		t.Fatalf("sent %v (notice %q)", out, m.Notice)
	}
	c := *out[0].Command
	if c.Case.Evidence != [2]string{m.Evidence(strong).ID} || c.Case.Alternative != "" {
		t.Fatalf("sent case %+v", c.Case)
	}
	if err := s.Apply(c); err != nil {
		t.Fatalf("the engine refused it: %v", err)
	}
}
