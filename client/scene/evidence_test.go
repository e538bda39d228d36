package scene

import (
	"testing"

	"pushback/client/model"
	. "pushback/client/scene/scenetest"
	"pushback/sim"
)

// On a phone, a finger cites evidence (a second tap drops it), picks a
// costed alternative and sends: the command carries exactly that.
func TestCaseChipsByTouch(t *testing.T) {
	tb := NewTable(t)
	tb.Play(nil, func(s *sim.State) bool { return s.Turn == 2 })
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	m.EditAnswer(func(a *model.Answer) { a.Response = sim.ResponsePushBack })
	d := newDriver(t, m, Phone)
	held := m.Held()
	if len(held) < 2 {
		t.Fatalf("Ann holds %v", held)
	}
	first, second := m.Evidence(held[0]).ID, m.Evidence(held[1]).ID
	alt := tb.S.Scn.Mandates[tb.S.Card].Alternatives[0].ID
	steps := []struct {
		tap   string
		cited [2]string
		alt   string
	}{
		{"cite.1", [2]string{second}, ""},
		{"cite.0", [2]string{second, first}, ""},
		{"cite.1", [2]string{first}, ""},
		{"alt.1", [2]string{first}, alt},
		{"alt.0", [2]string{first}, ""},
		{"alt.1", [2]string{first}, alt},
	}
	for _, st := range steps {
		d.tap(st.tap, true)
		if k := m.Answer.Case; k.Evidence != st.cited || k.Alternative != st.alt {
			t.Fatalf("after a tap on %s the case cites %q and offers %q, want %q %q", st.tap, k.Evidence, k.Alternative, st.cited, st.alt)
		}
	}
	d.tap("send", true)
	if n := len(d.rec.Msgs); n != 1 || d.rec.Msgs[0].Command == nil {
		t.Fatalf("sent %d messages (notice %q)", n, m.Notice)
	}
	c := *d.rec.Msgs[0].Command
	if c.Case.Evidence != [2]string{first} || c.Case.Alternative != alt {
		t.Fatalf("sent case %+v", c.Case)
	}
	if err := tb.S.Apply(c); err != nil {
		t.Fatalf("the engine refused the case: %v", err)
	}
}
