package room

import (
	"testing"

	"pushback/server/debrief"
	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/server/wsclient"
)

// The end of the game over real WebSockets: two players answer the
// reaction poll and write a commitment; each answer is refused before the
// end and from a watcher, stored, sent back to every connection in a fresh
// debrief (the projector sees the poll's summary), and found in the
// facilitator's report — also after a restart from the same store.
func TestReactionAndCommitment(t *testing.T) {
	dir := t.TempDir()
	s := startServerIn(t, Config{}, dir)
	fac := wsclient.Dial(t, s.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 2, Seed: 5}}).Joined
	proj := wsclient.Dial(t, s.url)
	proj.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Role: protocol.RoleProjector})
	var players []*wsclient.Client
	for _, name := range []string{"Ana", "Ben"} {
		p := wsclient.Dial(t, s.url)
		p.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: name, Role: protocol.RoleManager})
		players = append(players, p)
	}
	players[0].Fails(protocol.ClientMsg{Kind: protocol.KindReaction, Scale: 3}, protocol.CodeWrongPhase)
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	fac.Send(protocol.ClientMsg{Kind: protocol.KindEnd})
	waitDebrief(proj)
	for _, p := range players {
		waitDebrief(p)
	}
	proj.Fails(protocol.ClientMsg{Kind: protocol.KindReaction, Scale: 3}, protocol.CodeNotYourSeat)
	players[0].Fails(protocol.ClientMsg{Kind: protocol.KindReaction, Scale: 9}, protocol.CodeBadMessage)
	players[0].Fails(protocol.ClientMsg{Kind: protocol.KindCommitment, Text: "  "}, protocol.CodeBadMessage)
	players[0].Fails(protocol.ClientMsg{Kind: protocol.KindReaction, Word: "bad\x07"}, protocol.CodeBadMessage)

	players[0].Send(protocol.ClientMsg{Kind: protocol.KindReaction, Word: "Squeezed", Scale: 2})
	players[0].Send(protocol.ClientMsg{Kind: protocol.KindCommitment, Text: "Next month I will bring renewal data to every objection."})
	players[1].Send(protocol.ClientMsg{Kind: protocol.KindReaction, Word: "squeezed", Scale: 4})
	players[1].Send(protocol.ClientMsg{Kind: protocol.KindCommitment, Text: "Next month I will tell my team what I asked for."})
	var last protocol.ServerMsg
	for range 4 {
		last = waitDebrief(proj)
	}
	p := last.Debrief.Poll
	if p == nil || p.Answers != 2 || p.Scale[2] != 1 || p.Scale[4] != 1 || p.Mean != 3 || len(p.Words) != 1 || p.Words[0] != (report.WordCount{Word: "squeezed", Count: 2}) {
		t.Fatalf("the projector's poll: %+v", p)
	}
	check := func(g debrief.Game) {
		t.Helper()
		r, err := debrief.Build(g)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Takeaways) != 2 || r.Takeaways[0].Name != "Ana" || r.Takeaways[0].Commitment != "Next month I will bring renewal data to every objection." ||
			r.Takeaways[1].Name != "Ben" || r.Takeaways[1].Commitment != "Next month I will tell my team what I asked for." || r.Takeaways[0].Word != "Squeezed" {
			t.Fatalf("the report's takeaways: %+v", r.Takeaways)
		}
	}
	g, err := s.hub.Game(j.Code, j.Facilitator)
	if err != nil {
		t.Fatal(err)
	}
	check(g)
	s.stop()
	s2 := startServerIn(t, Config{}, dir)
	g, err = s2.hub.Game(j.Code, j.Facilitator)
	if err != nil {
		t.Fatal(err)
	}
	check(g)
}
