package room

import (
	"math/rand/v2"
	"testing"
	"time"

	"pushback/server/protocol"
	"pushback/server/wsclient"
)

// A finished game nobody looks at is freed (its goroutine ends, the hub
// forgets it), and a late resume brings it back from the store intact.
func TestFinishedRoomsAreFreedAndComeBack(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	c := wsclient.Dial(t, s.url)
	j := c.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: protocol.RoleManager, Name: "Solo"}}).Joined
	p := &wsclient.Bot{Client: c, Seat: j.Seat, Rng: rand.New(rand.NewPCG(3, 4)), Style: scn.Style("advocate")}
	c.WaitView(func(*protocol.View) bool { return true })
	for i := 0; !c.View.Room.Over; i++ {
		if i > 200 {
			t.Fatal("solo game stuck")
		}
		if cmd, ok := p.Decide(scn); ok {
			p.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: c.View.Game.Version})
		} else {
			c.Next()
		}
	}
	final := c.View.Game
	c.WS.Close()
	for i := 0; s.hub.inMemory(j.Code) != nil; i++ {
		if i > 500 {
			t.Fatal("the finished, empty room is still held")
		}
		time.Sleep(10 * time.Millisecond)
	}
	back := wsclient.Dial(t, s.url)
	back.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: j.Token})
	v := back.WaitView(func(v *protocol.View) bool { return v.Room.Over })
	if !wsclient.SameEncoding(t, v.Game, final) {
		t.Fatal("the restored finished game differs from the one played")
	}
	if s.hub.inMemory(j.Code) == nil {
		t.Fatal("a resume did not bring the room back")
	}
}
