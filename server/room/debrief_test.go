package room

import (
	"testing"
	"time"

	"pushback/server/debrief"
	"pushback/server/protocol"
)

// waitDebrief reads until a debrief message arrives and returns it.
func (c *tclient) waitDebrief() protocol.ServerMsg {
	c.t.Helper()
	for {
		m, ok := c.next()
		if !ok {
			c.t.Fatal("connection closed before the debrief arrived")
		}
		if m.Kind == protocol.KindDebrief {
			if m.Debrief == nil {
				c.t.Fatal("a debrief message without its report")
			}
			return m
		}
	}
}

// The debrief over real WebSockets: the facilitator may ask for the live
// report (others may not); when the game ends every connection gets the
// final report unasked, equal to debrief.Build of the stored game; whoever
// joins or resumes the finished room gets it too, even after the room was
// freed and restored from the store.
func TestDebriefMessages(t *testing.T) {
	s := startServer(t, Config{})
	fac := dial(t, s.url)
	j := fac.must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 3, Seed: 21}}).Joined
	proj := dial(t, s.url)
	proj.must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Role: protocol.RoleProjector})

	// Before the start: a live report of nothing played yet, to the facilitator only.
	live := fac.must(protocol.ClientMsg{Kind: protocol.KindDebrief})
	if live.Kind != protocol.KindDebrief || live.Debrief == nil || live.Debrief.Final || live.Debrief.Played != 0 {
		t.Fatalf("live debrief: %+v", live)
	}
	if len(live.Debrief.Managers) != 3 || live.Debrief.Table != j.Code {
		t.Fatalf("live debrief has %d managers, table %q", len(live.Debrief.Managers), live.Debrief.Table)
	}
	proj.fails(protocol.ClientMsg{Kind: protocol.KindDebrief}, protocol.CodeUnauthorized)

	// Bots play every seat: the game runs to its end on start.
	fac.send(protocol.ClientMsg{Kind: protocol.KindStart}) // not must: the debrief comes before its ok
	got := map[string]protocol.ServerMsg{"facilitator": fac.waitDebrief(), "projector": proj.waitDebrief()}
	for _, c := range []*tclient{fac, proj} {
		if v := c.waitView(func(v *protocol.View) bool { return v.Room.Over }); !v.Room.Over {
			t.Fatal("no final view")
		}
	}
	g, err := s.hub.Game(j.Code, j.Facilitator)
	if err != nil {
		t.Fatal(err)
	}
	want, err := debrief.Build(g)
	if err != nil {
		t.Fatal(err)
	}
	if !want.Final || want.Played != want.Turns || want.Scores.Executive == nil {
		t.Fatalf("the stored game did not end: played %d of %d, final %v", want.Played, want.Turns, want.Final)
	}
	for who, m := range got {
		if m.Re != 0 {
			t.Errorf("%s: the end-of-game debrief answers request %d; it is unasked", who, m.Re)
		}
		if !sameBytes(t, m.Debrief, want) {
			t.Errorf("%s: the debrief sent differs from debrief.Build of the stored game", who)
		}
		if len(m.Debrief.Managers) != 3 || len(m.Debrief.Managers[0].Meters) != want.Turns+1 || len(m.Debrief.Prompts) == 0 {
			t.Errorf("%s: the report is thin: %d managers, %d points, %d prompts", who,
				len(m.Debrief.Managers), len(m.Debrief.Managers[0].Meters), len(m.Debrief.Prompts))
		}
	}

	// Someone with only the code cannot join the finished game (its
	// report holds every case text); a late screen of the facilitator's,
	// resuming with the facilitator token, gets the report after its joined.
	dial(t, s.url).fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Role: protocol.RoleObserver}, protocol.CodeGameOver)
	late := dial(t, s.url)
	late.must(protocol.ClientMsg{Kind: protocol.KindResume, Code: j.Code, Token: j.Facilitator})
	if m := late.waitDebrief(); !sameBytes(t, m.Debrief, want) {
		t.Error("the late screen's debrief differs")
	}
	// The facilitator's request after the end answers with the final report.
	if m := fac.must(protocol.ClientMsg{Kind: protocol.KindDebrief}); !sameBytes(t, m.Debrief, want) {
		t.Error("the facilitator's requested debrief differs from the final one")
	}

	// Everyone leaves: the room is freed; the facilitator's resume restores
	// it from the store, with the same report.
	for _, c := range []*tclient{fac, proj, late} {
		c.ws.Close()
	}
	for i := 0; s.hub.inMemory(j.Code) != nil; i++ {
		if i > 500 {
			t.Fatal("the finished, empty room is still held")
		}
		time.Sleep(10 * time.Millisecond)
	}
	back := dial(t, s.url)
	back.must(protocol.ClientMsg{Kind: protocol.KindResume, Code: j.Code, Token: j.Facilitator})
	if m := back.waitDebrief(); !sameBytes(t, m.Debrief, want) {
		t.Error("the debrief of the restored room differs")
	}
}
