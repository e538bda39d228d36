package room

import (
	"math/rand/v2"
	"testing"

	"pushback/server/protocol"
)

// BenchmarkCommandRoundTrip is one decision of a solo manager over a real
// WebSocket: decode, apply, durable append (fsync), the bots' answers
// (each appended too), every view encoded and sent, the ok back.
func BenchmarkCommandRoundTrip(b *testing.B) {
	s := startServer(b, Config{Rate: 1e9, Burst: 1 << 30}) // no rate limit: this client plays flat out
	scn := loadScenario(b)
	var p *player
	newGame := func() {
		c := dial(b, s.url)
		j := c.must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: protocol.RoleManager, Name: "B"}}).Joined
		p = &player{tclient: c, seat: j.Seat, rng: rand.New(rand.NewPCG(1, 1)), style: scn.Style("advocate")}
		c.waitView(func(*protocol.View) bool { return true })
	}
	newGame()
	for b.Loop() {
		cmd, ok := p.decide(scn)
		for !ok {
			if p.view.Room.Over {
				p.ws.Close()
				newGame()
			} else if _, open := p.next(); !open {
				b.Fatal("the server closed the connection")
			}
			cmd, ok = p.decide(scn)
		}
		p.must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.view.Game.Version})
	}
}
