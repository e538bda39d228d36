package room

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"pushback/scenarios"
	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/sim"
)

// server is a real Hub behind a real HTTP server on loopback, logging to a
// real SQLite file in a temporary directory.
type server struct {
	t   testing.TB
	hub *Hub
	st  *store.Store
	srv *httptest.Server
	url string
	dir string
}

func startServer(t testing.TB, cfg Config) *server {
	t.Helper()
	dir := t.TempDir()
	return startServerIn(t, cfg, dir)
}

func startServerIn(t testing.TB, cfg Config, dir string) *server {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/ws", h)
	srv := httptest.NewServer(mux)
	s := &server{t: t, hub: h, st: st, srv: srv, url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws", dir: dir}
	t.Cleanup(s.stop)
	return s
}

func (s *server) stop() {
	if s.srv == nil {
		return
	}
	s.srv.CloseClientConnections()
	s.hub.Close()
	s.srv.Close()
	s.st.Close()
	s.srv = nil
}

// tclient is a test player: a real WebSocket that keeps every frame it
// received, raw, for the hidden-information checks.
type tclient struct {
	t      testing.TB
	ws     *websocket.Conn
	in     chan protocol.ServerMsg
	closed chan struct{}
	mu     sync.Mutex
	raw    [][]byte
	view   *protocol.View
	joined *protocol.Joined
	nextID uint32
}

func dialRaw(t testing.TB, url string) *tclient {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return wrap(t, ws)
}

// wrap makes a test client of an open WebSocket.
func wrap(t testing.TB, ws *websocket.Conn) *tclient {
	c := &tclient{t: t, ws: ws, in: make(chan protocol.ServerMsg, 4096), closed: make(chan struct{})}
	go func() {
		defer close(c.closed)
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			m, err := protocol.DecodeServer(b)
			if err != nil {
				t.Errorf("undecodable frame from the server: %v", err)
				return
			}
			c.mu.Lock()
			c.raw = append(c.raw, b)
			c.mu.Unlock()
			c.in <- m
		}
	}()
	t.Cleanup(func() { ws.Close() })
	return c
}

// dial connects and says hello.
func dial(t testing.TB, url string) *tclient {
	c := dialRaw(t, url)
	if m := c.req(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version}); m.Kind != protocol.KindWelcome {
		t.Fatalf("hello answered with %+v", m)
	}
	return c
}

func (c *tclient) send(m protocol.ClientMsg) {
	c.t.Helper()
	b, err := protocol.Encode(m)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(b)
}

func (c *tclient) sendRaw(b []byte) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

const waitFor = 20 * time.Second

// next returns the next message, keeping track of views and joins.
func (c *tclient) next() (protocol.ServerMsg, bool) {
	c.t.Helper()
	select {
	case m := <-c.in:
		switch m.Kind {
		case protocol.KindView:
			c.view = m.View
		case protocol.KindJoined:
			c.joined = m.Joined
		}
		return m, true
	case <-c.closed:
		select {
		case m := <-c.in:
			return m, true
		default:
		}
		return protocol.ServerMsg{}, false
	case <-time.After(waitFor):
		c.t.Fatalf("no message from the server in %s", waitFor)
	}
	return protocol.ServerMsg{}, false
}

// req sends a request and returns its answer (ok, error, joined, …),
// absorbing the views that come before it.
func (c *tclient) req(m protocol.ClientMsg) protocol.ServerMsg {
	c.t.Helper()
	c.nextID++
	m.ID = c.nextID
	c.send(m)
	return c.answer(m.ID)
}

func (c *tclient) answer(id uint32) protocol.ServerMsg {
	c.t.Helper()
	for {
		r, ok := c.next()
		if !ok {
			c.t.Fatalf("connection closed while waiting for the answer to request %d", id)
		}
		if r.Re == id && r.Kind != protocol.KindView {
			return r
		}
	}
}

// must sends a request that has to succeed.
func (c *tclient) must(m protocol.ClientMsg) protocol.ServerMsg {
	c.t.Helper()
	r := c.req(m)
	if r.Kind == protocol.KindError {
		c.t.Fatalf("%s: %s: %s", m.Kind, r.Error.Code, r.Error.Message)
	}
	return r
}

// fails sends a request that has to fail with code.
func (c *tclient) fails(m protocol.ClientMsg, code protocol.Code) {
	c.t.Helper()
	r := c.req(m)
	if r.Kind != protocol.KindError || r.Error.Code != code {
		c.t.Fatalf("%s: got %+v (%v), want error %s", m.Kind, r, r.Error, code)
	}
}

// waitError reads until an error with code arrives (for messages that carry
// no request id, like undecodable ones).
func (c *tclient) waitError(code protocol.Code) {
	c.t.Helper()
	for {
		m, ok := c.next()
		if !ok {
			c.t.Fatalf("closed before error %s", code)
		}
		if m.Kind == protocol.KindError {
			if m.Error.Code != code {
				c.t.Fatalf("got error %s (%s), want %s", m.Error.Code, m.Error.Message, code)
			}
			return
		}
	}
}

// waitClosed waits for the server to close the connection.
func (c *tclient) waitClosed() {
	c.t.Helper()
	for {
		if _, ok := c.next(); !ok {
			return
		}
	}
}

// waitView reads until the latest view satisfies ok.
func (c *tclient) waitView(ok func(v *protocol.View) bool) *protocol.View {
	c.t.Helper()
	for c.view == nil || !ok(c.view) {
		if _, open := c.next(); !open {
			c.t.Fatal("connection closed while waiting for a view")
		}
	}
	return c.view
}

// atLeast waits for a view of at least version v.
func (c *tclient) atLeast(v uint64) *protocol.View {
	return c.waitView(func(x *protocol.View) bool { return x.Game.Version >= v })
}

func (c *tclient) frames() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.raw...)
}

func seatp(s sim.Seat) *sim.Seat { return &s }

// player decides like a bot, but only from the views it receives over the
// wire: the test's way of driving a seat through the protocol alone.
type player struct {
	*tclient
	seat    sim.Seat
	style   *sim.Style
	persona *sim.Persona
	rng     *rand.Rand
}

func loadScenario(t testing.TB) *sim.Scenario {
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	return scn
}

// decide returns the seat's command for the view, if it owes one.
func (p *player) decide(scn *sim.Scenario) (sim.Command, bool) {
	v := p.view
	if v == nil || !v.Room.Seats[p.seat].Pending || v.Room.Paused || !v.Room.Started {
		return sim.Command{}, false
	}
	g := v.Game
	if p.seat == sim.Executive {
		return sim.PersonaMove(p.persona, scn, &g, p.rng), true
	}
	return sim.StyleMove(p.style, scn, &g, p.rng), true
}

// sameBytes compares two messages by their encoding.
func sameBytes(t testing.TB, a, b any) bool {
	ab, err := protocol.Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	bb, err := protocol.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ab, bb)
}
