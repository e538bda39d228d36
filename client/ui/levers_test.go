package ui

import (
	"strings"
	"testing"

	"pushback/client/model"
	"pushback/sim"
)

// TestLeverNamesFromScenario: the case's data and impact chips and the
// evidence's lever read the scenario's words for the levers, not words of
// the client's own.
func TestLeverNamesFromScenario(t *testing.T) {
	tb := newTable(t)
	tb.play(nil, func(s *sim.State) bool { return s.Turn == 2 })
	tb.play([]sim.Seat{1}, mandatePlayed)
	m := tb.model(1, true, 0)
	m.Info.Levers = []string{"none", "bookings", "accounts", "staff", "profit"}
	m.EditAnswer(func(a *model.Answer) { a.Response = sim.ResponsePushBack })
	ns := nodesOf(newDriver(t, m, laptop))
	for _, key := range []string{"data.", "impact."} {
		var got []string
		for _, n := range find(ns, func(n node) bool { return n.role == roleToggle && strings.HasPrefix(n.key, key) }) {
			got = append(got, n.name)
		}
		if strings.Join(got, ",") != "bookings,accounts,staff,profit" {
			t.Errorf("%s chips read %q, want the scenario's levers", key, got)
		}
	}
	evidence := 0
	for _, n := range ns {
		for _, w := range m.Info.Levers[1:] {
			if strings.Contains(n.name, w+" evidence") {
				evidence++
			}
		}
		for _, w := range sim.LeverNames() {
			if strings.Contains(n.name, w+" evidence") || n.name == w {
				t.Errorf("%q: the client's own word %q for a lever", n.name, w)
			}
		}
	}
	if evidence == 0 {
		t.Error("no evidence labelled with the scenario's lever")
	}
}
