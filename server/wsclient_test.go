package main

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"pushback/server/protocol"
	"pushback/sim"
)

// wsc is a minimal protocol client for the tests of the server binary.
type wsc struct {
	t      testing.TB
	ws     *websocket.Conn
	in     chan protocol.ServerMsg
	closed chan struct{}
	view   *protocol.View
	joined *protocol.Joined
	id     uint32
}

func connect(t testing.TB, url string) *wsc {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	c := &wsc{t: t, ws: ws, in: make(chan protocol.ServerMsg, 4096), closed: make(chan struct{})}
	go func() {
		defer close(c.closed)
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			m, err := protocol.DecodeServer(b)
			if err != nil {
				t.Errorf("undecodable frame: %v", err)
				return
			}
			c.in <- m
		}
	}()
	t.Cleanup(func() { ws.Close() })
	c.must(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version})
	return c
}

func (c *wsc) next() protocol.ServerMsg {
	c.t.Helper()
	select {
	case m := <-c.in:
		switch m.Kind {
		case protocol.KindView:
			c.view = m.View
		case protocol.KindJoined:
			c.joined = m.Joined
		}
		return m
	case <-c.closed:
		select {
		case m := <-c.in:
			return m
		default:
		}
		c.t.Fatal("the server closed the connection")
	case <-time.After(30 * time.Second):
		c.t.Fatal("no message from the server in 30s")
	}
	return protocol.ServerMsg{}
}

// send sends without waiting for the answer; it returns the request id.
func (c *wsc) send(m protocol.ClientMsg) uint32 {
	c.t.Helper()
	c.id++
	m.ID = c.id
	b, err := protocol.Encode(m)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
	return m.ID
}

func (c *wsc) must(m protocol.ClientMsg) protocol.ServerMsg {
	c.t.Helper()
	id := c.send(m)
	for {
		r := c.next()
		if r.Re != id || r.Kind == protocol.KindView {
			continue
		}
		if r.Kind == protocol.KindError {
			c.t.Fatalf("%s: %s: %s", m.Kind, r.Error.Code, r.Error.Message)
		}
		return r
	}
}

func (c *wsc) waitView(ok func(*protocol.View) bool) *protocol.View {
	c.t.Helper()
	for c.view == nil || !ok(c.view) {
		c.next()
	}
	return c.view
}

// seatPlayer decides like a bot from the views it receives over the wire.
type seatPlayer struct {
	*wsc
	seat    sim.Seat
	token   string
	style   *sim.Style
	persona *sim.Persona
	rng     *rand.Rand
}

func (p *seatPlayer) decide(scn *sim.Scenario) (sim.Command, bool) {
	v := p.view
	if v == nil || v.Room.Over || !v.Room.Started || v.Room.Paused || !v.Room.Seats[p.seat].Pending {
		return sim.Command{}, false
	}
	g := v.Game
	if p.seat == sim.Executive {
		return sim.PersonaMove(p.persona, scn, &g, p.rng), true
	}
	return sim.StyleMove(p.style, scn, &g, p.rng), true
}
