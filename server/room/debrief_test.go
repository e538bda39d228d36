package room

import (
	"testing"
	"time"

	"pushback/server/debrief"
	"pushback/server/protocol"
	"pushback/server/wsclient"
)

// waitDebrief reads until a debrief message arrives and returns it.
func waitDebrief(c *wsclient.Client) protocol.ServerMsg {
	c.T.Helper()
	m := c.Until(func(m protocol.ServerMsg) bool { return m.Kind == protocol.KindDebrief })
	if m.Debrief == nil {
		c.T.Fatal("a debrief message without its report")
	}
	return m
}

// The debrief over real WebSockets: the facilitator may ask for the live
// report (others may not); when the game ends every connection gets the
// final report unasked, equal to debrief.Build of the stored game; whoever
// joins or resumes the finished room gets it too, even after the room was
// freed and restored from the store.
func TestDebriefMessages(t *testing.T) {
	s := startServer(t, Config{})
	fac := wsclient.Dial(t, s.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 3, Seed: 21}}).Joined
	proj := wsclient.Dial(t, s.url)
	proj.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Role: protocol.RoleProjector})

	// Before the start: a live report of nothing played yet, to the facilitator only.
	live := fac.Must(protocol.ClientMsg{Kind: protocol.KindDebrief})
	if live.Kind != protocol.KindDebrief || live.Debrief == nil || live.Debrief.Final || live.Debrief.Played != 0 {
		t.Fatalf("live debrief: %+v", live)
	}
	if len(live.Debrief.Managers) != 3 || live.Debrief.Table != j.Code {
		t.Fatalf("live debrief has %d managers, table %q", len(live.Debrief.Managers), live.Debrief.Table)
	}
	proj.Fails(protocol.ClientMsg{Kind: protocol.KindDebrief}, protocol.CodeUnauthorized)

	// Bots play every seat: the game runs to its end on start.
	fac.Send(protocol.ClientMsg{Kind: protocol.KindStart}) // not must: the debrief comes before its ok
	got := map[string]protocol.ServerMsg{"facilitator": waitDebrief(fac), "projector": waitDebrief(proj)}
	for _, c := range []*wsclient.Client{fac, proj} {
		if v := c.WaitView(func(v *protocol.View) bool { return v.Room.Over }); !v.Room.Over {
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
		if !wsclient.SameEncoding(t, m.Debrief, want) {
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
	wsclient.Dial(t, s.url).Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Role: protocol.RoleObserver}, protocol.CodeGameOver)
	late := wsclient.Dial(t, s.url)
	late.Must(protocol.ClientMsg{Kind: protocol.KindResume, Code: j.Code, Token: j.Facilitator})
	if m := waitDebrief(late); !wsclient.SameEncoding(t, m.Debrief, want) {
		t.Error("the late screen's debrief differs")
	}
	// The facilitator's request after the end answers with the final report.
	if m := fac.Must(protocol.ClientMsg{Kind: protocol.KindDebrief}); !wsclient.SameEncoding(t, m.Debrief, want) {
		t.Error("the facilitator's requested debrief differs from the final one")
	}

	// Everyone leaves: the room is freed; the facilitator's resume restores
	// it from the store, with the same report.
	for _, c := range []*wsclient.Client{fac, proj, late} {
		c.WS.Close()
	}
	for i := 0; s.hub.inMemory(j.Code) != nil; i++ {
		if i > 500 {
			t.Fatal("the finished, empty room is still held")
		}
		time.Sleep(10 * time.Millisecond)
	}
	back := wsclient.Dial(t, s.url)
	back.Must(protocol.ClientMsg{Kind: protocol.KindResume, Code: j.Code, Token: j.Facilitator})
	if m := waitDebrief(back); !wsclient.SameEncoding(t, m.Debrief, want) {
		t.Error("the debrief of the restored room differs")
	}
}
