package scene

import (
	"strings"
	"testing"

	"pushback/client/model"
	. "pushback/client/scene/scenetest"
	"pushback/sim"
)

// nodesOf lays out the app's screen once and returns its widgets as the
// accessibility mirror gets them.
func nodesOf(d *driver) []node {
	var ns []node
	d.a.Step(&Input{})
	ns = append(ns, d.a.st.nodes...)
	return ns
}

func find(ns []node, ok func(node) bool) []node {
	var out []node
	for _, n := range ns {
		if ok(n) {
			out = append(out, n)
		}
	}
	return out
}

// TestSemanticsOfManagerTurn: the manager's screen, as plain data, has its
// headings, the meters with values and causes, the answer chips as
// toggles with their pressed state, the fields with their labels and the
// Send button; the keys are unique, so the mirror can diff by them.
func TestSemanticsOfManagerTurn(t *testing.T) {
	tb := NewTable(t)
	tb.Play(nil, func(s *sim.State) bool { return s.Turn == 2 })
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	m.Info.Levers = []string{"none", "bookings", "accounts", "staff", "profit"} // the scenario's words, not sim's
	m.EditAnswer(func(a *model.Answer) { a.Response = sim.ResponsePushBack })
	d := newDriver(t, m, Laptop)
	ns := nodesOf(d)
	checkLevers(t, m, ns)
	keys := map[string]bool{}
	for _, n := range ns {
		if keys[n.key] {
			t.Errorf("key %q twice", n.key)
		}
		keys[n.key] = true
	}
	meters := find(ns, func(n node) bool { return n.role == roleMeter })
	if len(meters) != 4 {
		t.Fatalf("meters %+v", meters)
	}
	for _, mt := range meters {
		g := m.Gauge(1, sim.MeterMorale)
		if mt.name == g.Label && (mt.now != g.Target || mt.max != 100 || !strings.HasPrefix(mt.valueTxt, strings.TrimSpace(strings.Split(mt.valueTxt, ",")[0]))) {
			t.Errorf("morale node %+v, gauge %+v", mt, g)
		}
		if mt.valueTxt == "" {
			t.Errorf("meter %q has no value text", mt.name)
		}
	}
	pressed := find(ns, func(n node) bool { return n.role == roleToggle && strings.HasPrefix(n.key, "resp.") && n.pressed })
	if len(pressed) != 1 || pressed[0].name != "push back" {
		t.Errorf("pressed answer chips %+v", pressed)
	}
	if len(find(ns, func(n node) bool { return n.role == roleToggle && strings.HasPrefix(n.key, "resp.") })) < 5 {
		t.Error("fewer than five answer chips")
	}
	if len(find(ns, func(n node) bool {
		return n.key == "send" && n.role == roleButton && n.name == "Send answer" && !n.disabled
	})) != 1 {
		t.Error("no Send answer button")
	}
	if f := find(ns, func(n node) bool { return n.key == "text" }); len(f) != 1 || f[0].role != roleField || !strings.HasPrefix(f[0].name, "In your words") {
		t.Errorf("the case's text field: %+v", f)
	}
	// The costed alternatives and the evidence to cite are chips with a
	// pressed state, like the answers.
	if alts := find(ns, func(n node) bool { return n.role == roleToggle && strings.HasPrefix(n.key, "alt.") }); len(alts) < 2 {
		t.Errorf("alternative chips: %+v", alts)
	}
	if len(find(ns, func(n node) bool { return n.role == roleHeading && n.name == "Your answer" })) != 1 {
		t.Error("no heading for the answer panel")
	}
	// A click in the mirror is the same intent as a click in the canvas.
	d.tick(Input{Activate: "resp.1", FocusTo: "resp.1"})
	if m.Answer.Response != sim.ResponseExplain || d.focus() != "resp.1" {
		t.Errorf("activating resp.1 through the mirror: %s, focus %q", m.Answer.Response, d.focus())
	}
	d.tick(Input{FocusTo: "send"})
	d.want("send")
	d.tick(Input{Activate: "send", FocusTo: "send"})
	if len(d.rec.Msgs) != 1 || d.rec.Msgs[0].Command == nil || d.rec.Msgs[0].Command.Response != sim.ResponseExplain {
		t.Fatalf("Send through the mirror sent %+v", d.rec.Msgs)
	}
}

// TestMirrorTypesIntoFields: text typed in the mirror's field reaches the draft.
func TestMirrorTypesIntoFields(t *testing.T) {
	m := model.New(model.Saved{})
	m.Conn = model.ConnOnline
	d := newDriver(t, m, Phone)
	d.tick(Input{SetID: "code", SetText: "KX7PQR", FocusTo: "code"})
	if m.Title.Code != "KX7PQR" || d.focus() != "code" {
		t.Errorf("code %q, focus %q", m.Title.Code, d.focus())
	}
}

// TestAnnouncements: the live region says whose turn it is, and at the
// reveal what moved and why.
func TestAnnouncements(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	if a := announcement(tb.Model(1, true, 0)); !strings.Contains(a, "Your turn: answer the mandate") {
		t.Errorf("manager's turn: %q", a)
	}
	m := tb.Model(1, true, 0)
	m.Notice = "The phase is over: that came too late."
	if a := announcement(m); !strings.HasPrefix(a, m.Notice) || !strings.Contains(a, "Month") {
		t.Errorf("with a notice: %q", a)
	}
	tb.Play(nil, AtReveal)
	m = tb.Model(1, true, 0)
	a := announcement(m)
	if !strings.Contains(a, "Reveal") || len(m.Causes(1)) > 0 && !strings.Contains(a, m.Causes(1)[0].Text) {
		t.Errorf("reveal: %q", a)
	}
}
