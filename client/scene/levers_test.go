package scene

import (
	"strings"
	"testing"

	"pushback/client/model"
	"pushback/sim"
)

// checkLevers: the case's data and impact chips and the evidence's lever
// read the scenario's words for the levers (m.Info.Levers), none of the
// client's own. TestSemanticsOfManagerTurn renames the levers and calls it.
func checkLevers(t *testing.T, m *model.Model, ns []node) {
	t.Helper()
	want := strings.Join(m.Info.Levers[1:], ",")
	for _, key := range []string{"data.", "impact."} {
		var got []string
		for _, n := range find(ns, func(n node) bool { return n.role == roleToggle && strings.HasPrefix(n.key, key) }) {
			got = append(got, n.name)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s chips read %q, want the scenario's levers %s", key, got, want)
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
