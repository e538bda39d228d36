package room

import (
	"math/rand/v2"
	"testing"

	"pushback/server/protocol"
	"pushback/server/wsclient"
)

// BenchmarkCommandRoundTrip is one decision of a solo manager over a real
// WebSocket: decode, apply, durable append (fsync), the bots' answers
// (each appended too), every view encoded and sent, the ok back.
func BenchmarkCommandRoundTrip(b *testing.B) {
	s := startServer(b, Config{Rate: 1e9, Burst: 1 << 30}) // no rate limit: this client plays flat out
	scn := loadScenario(b)
	var p *wsclient.Bot
	newGame := func() {
		c := wsclient.Dial(b, s.url)
		j := c.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: protocol.RoleManager, Name: "B"}}).Joined
		p = &wsclient.Bot{Client: c, Seat: j.Seat, Rng: rand.New(rand.NewPCG(1, 1)), Style: scn.Style("advocate")}
		c.WaitView(func(*protocol.View) bool { return true })
	}
	newGame()
	for b.Loop() {
		cmd, ok := p.Decide(scn)
		for !ok {
			if p.View.Room.Over {
				p.WS.Close()
				newGame()
			} else if _, open := p.Next(); !open {
				b.Fatal("the server closed the connection")
			}
			cmd, ok = p.Decide(scn)
		}
		p.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
	}
}
