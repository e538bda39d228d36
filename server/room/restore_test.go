package room

import (
	"testing"

	"pushback/server/protocol"
	"pushback/sim"
)

// A hub restarted on the same data directory brings back the room as it
// was: the game, the codes and tokens, who holds which seat, a bot holding
// a seat, the pause.
func TestRestartRestoresRooms(t *testing.T) {
	dir := t.TempDir()
	s := startServerIn(t, Config{}, dir)
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{Deadlines: protocol.Deadlines{Mandate: 300}})
	tb.players[0].playPhase(t, scn, tb.fac)
	tb.fac.must(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(2), On: true})
	tb.fac.must(protocol.ClientMsg{Kind: protocol.KindPause})
	before := tb.fac.view
	s.stop()

	s = startServerIn(t, Config{}, dir)
	fac := dial(t, s.url)
	fac.must(protocol.ClientMsg{Kind: protocol.KindResume, Token: tb.facTok}) // the newest table by default
	v := fac.waitView(func(*protocol.View) bool { return true })
	if v.Room.Code != tb.code || !sameBytes(t, v.Game, before.Game) {
		t.Fatalf("restored room %s differs", v.Room.Code)
	}
	if !v.Room.Paused || !v.Room.Started || !v.Room.Seats[2].Bot || !v.Room.Seats[2].Human || v.Room.Seats[1].Bot || v.Room.Seats[1].Connected {
		t.Fatalf("restored room: %+v", v.Room)
	}
	m1 := dial(t, s.url)
	if j := m1.must(protocol.ClientMsg{Kind: protocol.KindResume, Token: tb.players[1].joined.Token}).Joined; j.Seat != 1 {
		t.Fatalf("resume after restart: %+v", j)
	}
	fac.must(protocol.ClientMsg{Kind: protocol.KindContinue})
	v = m1.waitView(func(v *protocol.View) bool { return !v.Room.Paused })
	cmd, _ := (&player{tclient: m1, seat: 1, style: scn.Style("advocate"), rng: tb.players[1].rng}).decide(scn)
	m1.must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: v.Game.Version})
	if v := fac.waitView(func(v *protocol.View) bool { return v.Game.Managers[0].Answered }); v.Game.Phase != sim.PhaseResponse {
		t.Fatalf("phase %s", v.Game.Phase)
	}
	if got := s.hub.Rooms(); got != 1 {
		t.Fatalf("%d live rooms after restart", got)
	}
}
