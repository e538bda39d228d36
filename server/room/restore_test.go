package room

import (
	"testing"

	"pushback/server/protocol"
	"pushback/server/wsclient"
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
	playPhase(t, tb.players[0], scn, tb.fac)
	tb.fac.Must(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(2), On: true})
	tb.fac.Must(protocol.ClientMsg{Kind: protocol.KindPause})
	before := tb.fac.View
	s.stop()

	s = startServerIn(t, Config{}, dir)
	fac := wsclient.Dial(t, s.url)
	fac.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: tb.facTok}) // the newest table by default
	v := fac.WaitView(func(*protocol.View) bool { return true })
	if v.Room.Code != tb.code || !wsclient.SameEncoding(t, v.Game, before.Game) {
		t.Fatalf("restored room %s differs", v.Room.Code)
	}
	if !v.Room.Paused || !v.Room.Started || !v.Room.Seats[2].Bot || !v.Room.Seats[2].Human || v.Room.Seats[1].Bot || v.Room.Seats[1].Connected {
		t.Fatalf("restored room: %+v", v.Room)
	}
	m1 := wsclient.Dial(t, s.url)
	if j := m1.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: tb.players[1].Joined.Token}).Joined; j.Seat != 1 {
		t.Fatalf("resume after restart: %+v", j)
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindContinue})
	v = m1.WaitView(func(v *protocol.View) bool { return !v.Room.Paused })
	cmd, _ := (&wsclient.Bot{Client: m1, Seat: 1, Style: scn.Style("advocate"), Rng: tb.players[1].Rng}).Decide(scn)
	m1.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: v.Game.Version})
	if v := fac.WaitView(func(v *protocol.View) bool { return v.Game.Managers[0].Answered }); v.Game.Phase != sim.PhaseResponse {
		t.Fatalf("phase %s", v.Game.Phase)
	}
	if got := s.hub.Rooms(); got != 1 {
		t.Fatalf("%d live rooms after restart", got)
	}
}
