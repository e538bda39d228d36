package model

import (
	"encoding/json"
	"testing"

	"pushback/sim"
)

// TestDraftSurvivesReload: an answer drafted but not sent comes back in a
// new model made from what was saved (a reload in the browser, a restart
// on the desktop), for the same room, seat and turn only; sending it
// forgets the draft; a sent answer changed and not sent again keeps the
// change.
func TestDraftSurvivesReload(t *testing.T) {
	s := game(t)
	bots(t, s, 1) // the mandate is out; seat 1 owes its answer
	m := New(Saved{})
	m.Handle(joinedMsg(s, 1, "tok1"))
	m.Handle(viewMsg(s, 1, true, 0))
	if m.View.Phase != sim.PhaseResponse || !m.Targeted() {
		t.Fatalf("fixture: phase %s, targeted %v", m.View.Phase, m.Targeted())
	}
	m.EditAnswer(func(a *Answer) {
		a.Response, a.Action = sim.ResponsePushBack, sim.ActionCoach
		a.Case = sim.Case{Data: sim.Lever(1), Impact: sim.Lever(2), Alternative: "pilot it in one region first"}
	})
	want := m.Answer
	if m.Saved.Draft == "" {
		t.Fatal("the draft is not in Saved")
	}
	// Saved goes through JSON, as the session file and localStorage keep it.
	b, _ := json.Marshal(m.Saved)
	var saved Saved
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatal(err)
	}
	reload := func(saved Saved, seat sim.Seat) *Model {
		r := New(saved)
		r.Handle(joinedMsg(s, seat, "tok1"))
		r.Handle(viewMsg(s, seat, true, 0))
		return r
	}
	r := reload(saved, 1)
	if got := r.Answer; got.Response != want.Response || got.Action != want.Action || got.Case != want.Case || !got.Dirty || got.Sent {
		t.Fatalf("after a reload the answer is %+v, want the draft %+v, unsent", got, want)
	}
	// Another seat, another room or a later turn does not get it.
	if o := reload(saved, 2); o.Answer.Case.Alternative != "" || o.Saved.Draft != "" {
		t.Errorf("seat 2 got seat 1's draft: %+v (saved %q)", o.Answer, o.Saved.Draft)
	}
	other := saved
	other.Draft, _ = draft{Room: "ZZZZZZ", Seat: 1, Turn: 1, Response: sim.ResponsePushBack}.encode()
	if o := reload(other, 1); o.Answer.Dirty {
		t.Errorf("a draft of another room came back: %+v", o.Answer)
	}
	// Sent: nothing is left unsent, so nothing is kept.
	out := r.Do(SendAnswer{})
	if len(out) != 1 || r.Saved.Draft != "" {
		t.Fatalf("after sending: %d messages, draft %q", len(out), r.Saved.Draft)
	}
	// Changed after sending and not sent again: the change is kept.
	r.EditAnswer(func(a *Answer) { a.Case.Text = "the team needs a week" })
	again := reload(r.Saved, 1)
	if !again.Answer.Dirty || again.Answer.Case.Text != "the team needs a week" {
		t.Errorf("a changed, unsent answer after a reload: %+v", again.Answer)
	}
}
