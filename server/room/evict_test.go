package room

import (
	"math/rand/v2"
	"testing"
	"time"

	"pushback/server/protocol"
)

// A finished game nobody looks at is freed (its goroutine ends, the hub
// forgets it), and a late resume brings it back from the store intact.
func TestFinishedRoomsAreFreedAndComeBack(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	c := dial(t, s.url)
	j := c.must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: protocol.RoleManager, Name: "Solo"}}).Joined
	p := &player{tclient: c, seat: j.Seat, rng: rand.New(rand.NewPCG(3, 4)), style: scn.Style("advocate")}
	c.waitView(func(*protocol.View) bool { return true })
	for i := 0; !c.view.Room.Over; i++ {
		if i > 200 {
			t.Fatal("solo game stuck")
		}
		if cmd, ok := p.decide(scn); ok {
			p.must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: c.view.Game.Version})
		} else {
			c.next()
		}
	}
	final := c.view.Game
	c.ws.Close()
	for i := 0; s.hub.inMemory(j.Code) != nil; i++ {
		if i > 500 {
			t.Fatal("the finished, empty room is still held")
		}
		time.Sleep(10 * time.Millisecond)
	}
	back := dial(t, s.url)
	back.must(protocol.ClientMsg{Kind: protocol.KindResume, Token: j.Token})
	v := back.waitView(func(v *protocol.View) bool { return v.Room.Over })
	if !sameBytes(t, v.Game, final) {
		t.Fatal("the restored finished game differs from the one played")
	}
	if s.hub.inMemory(j.Code) == nil {
		t.Fatal("a resume did not bring the room back")
	}
}
