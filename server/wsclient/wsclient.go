// Package wsclient is the one Go client of the server's WebSocket protocol
// outside the game's own client: every test that talks to a server over a
// real socket, and the load tool, use it. It dials, says hello, sends
// protocol.ClientMsg and reads protocol.ServerMsg with timeouts (Hello,
// Request: plain errors, for the load tool); Client does the same for a
// test, failing it instead of returning errors; Bot decides a seat's moves
// from the views its connection received, as the engine's bots would.
package wsclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"pushback/server/protocol"
	"pushback/sim"
)

// Wait bounds every wait for the server: a write, an answer, a message.
const Wait = 30 * time.Second

// Dialer dials with a handshake timeout and small pooled buffers, so that
// ten thousand connections of the load tool stay cheap.
var Dialer = &websocket.Dialer{HandshakeTimeout: 15 * time.Second, ReadBufferSize: 4096,
	WriteBufferPool: &sync.Pool{}}

// Hello dials url and greets the server: the connection is then ready to
// join, resume or create.
func Hello(ctx context.Context, url string) (*websocket.Conn, error) {
	ws, _, err := Dialer.DialContext(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	ans, err := Request(ws, protocol.ClientMsg{Kind: protocol.KindHello, ID: 1, V: protocol.Version}, nil)
	if err != nil {
		ws.Close()
		return nil, err
	}
	if ans.Kind != protocol.KindWelcome {
		ws.Close()
		return nil, fmt.Errorf("hello answered %s", ans.Kind)
	}
	return ws, nil
}

// ErrCode is the server's error answer to a request.
type ErrCode struct{ Code protocol.Code }

func (e ErrCode) Error() string { return "error " + string(e.Code) }

// Request sends m and reads until its answer, skipping views and other
// messages; onError (if not nil) sees every error answer read meanwhile.
// An error answer to m (or one without a request id) returns as ErrCode.
func Request(ws *websocket.Conn, m protocol.ClientMsg, onError func(protocol.Code)) (protocol.ServerMsg, error) {
	b, err := protocol.Encode(m)
	if err != nil {
		return protocol.ServerMsg{}, err
	}
	ws.SetWriteDeadline(time.Now().Add(Wait))
	if err := ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
		return protocol.ServerMsg{}, err
	}
	ws.SetReadDeadline(time.Now().Add(Wait))
	defer ws.SetReadDeadline(time.Time{})
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			return protocol.ServerMsg{}, err
		}
		ans, err := protocol.DecodeServer(b)
		if err != nil {
			return protocol.ServerMsg{}, fmt.Errorf("undecodable answer to %s: %w", m.Kind, err)
		}
		if ans.Kind == protocol.KindError {
			if onError != nil {
				onError(ans.Error.Code)
			}
			if ans.Re == m.ID || ans.Re == 0 {
				return ans, ErrCode{ans.Error.Code}
			}
			continue
		}
		if ans.Re == m.ID && ans.Kind != protocol.KindView {
			return ans, nil
		}
	}
}

// Owes reports whether seat has a decision to make in view v now.
func Owes(v *protocol.View, seat sim.Seat) bool {
	return v != nil && v.Room.Started && !v.Room.Paused && !v.Room.Over &&
		int(seat) >= 0 && int(seat) < len(v.Room.Seats) && v.Room.Seats[seat].Pending
}

// Move is a bot's decision for seat in game g: the persona's for the
// executive, the style's for a manager.
func Move(seat sim.Seat, scn *sim.Scenario, g *sim.View, style *sim.Style, persona *sim.Persona, rng *rand.Rand) sim.Command {
	if seat == sim.Executive {
		return sim.PersonaMove(persona, scn, g, rng)
	}
	return sim.StyleMove(style, scn, g, rng)
}

// TB is what Client needs of a test (testing.TB has it), so that this
// package, which the load tool links, does not import testing.
type TB interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
	Cleanup(func())
}

// Client is a test's connection: a real WebSocket whose reader goroutine
// decodes every frame (an undecodable one fails the test) and keeps it raw
// for the hidden-information checks. It remembers the latest view and
// joined; every wait fails the test after Wait.
type Client struct {
	T      TB
	WS     *websocket.Conn
	View   *protocol.View
	Joined *protocol.Joined
	NextID uint32 // the id of the last request Req or Post sent

	in       chan protocol.ServerMsg
	closed   chan struct{}
	mu       sync.Mutex
	raw      [][]byte
	closeErr error
}

// DialRaw connects without saying hello.
func DialRaw(t TB, url string) *Client {
	t.Helper()
	ws, _, err := Dialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	return Wrap(t, ws)
}

// Dial connects and says hello; the test fails unless welcomed.
func Dial(t TB, url string) *Client {
	t.Helper()
	c := DialRaw(t, url)
	if m := c.Req(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version}); m.Kind != protocol.KindWelcome {
		t.Fatalf("hello answered with %+v", m)
	}
	return c
}

// Wrap makes a test client of an open WebSocket; it is closed when the
// test ends.
func Wrap(t TB, ws *websocket.Conn) *Client {
	c := &Client{T: t, WS: ws, in: make(chan protocol.ServerMsg, 4096), closed: make(chan struct{})}
	go func() {
		defer close(c.closed)
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				c.mu.Lock()
				c.closeErr = err
				c.mu.Unlock()
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

// Closed is closed once the connection failed or the server closed it and
// the reader stopped.
func (c *Client) Closed() <-chan struct{} { return c.closed }

// CloseCode is the code of the close frame the server ended the
// connection with (websocket.CloseServiceRestart, …), -1 if it is still
// open or ended without one.
func (c *Client) CloseCode() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var ce *websocket.CloseError
	if errors.As(c.closeErr, &ce) {
		return ce.Code
	}
	return -1
}

// Send sends m as it is (its ID included).
func (c *Client) Send(m protocol.ClientMsg) {
	c.T.Helper()
	b, err := protocol.Encode(m)
	if err != nil {
		c.T.Fatal(err)
	}
	c.SendRaw(b)
}

// SendRaw sends one binary frame.
func (c *Client) SendRaw(b []byte) {
	c.T.Helper()
	if err := c.WS.WriteMessage(websocket.BinaryMessage, b); err != nil {
		c.T.Fatalf("write: %v", err)
	}
}

// Post sends m with the next request id, without waiting; it returns the id.
func (c *Client) Post(m protocol.ClientMsg) uint32 {
	c.T.Helper()
	c.NextID++
	m.ID = c.NextID
	c.Send(m)
	return m.ID
}

// Next returns the next message, keeping track of views and joins; false
// once the server closed the connection and every message was read.
func (c *Client) Next() (protocol.ServerMsg, bool) {
	c.T.Helper()
	select {
	case m := <-c.in:
		switch m.Kind {
		case protocol.KindView:
			c.View = m.View
		case protocol.KindJoined:
			c.Joined = m.Joined
		}
		return m, true
	case <-c.closed:
		select {
		case m := <-c.in:
			return m, true
		default:
		}
		return protocol.ServerMsg{}, false
	case <-time.After(Wait):
		c.T.Fatalf("no message from the server in %s", Wait)
	}
	return protocol.ServerMsg{}, false
}

// Req sends a request and returns its answer (ok, error, joined, …),
// absorbing the views that come before it.
func (c *Client) Req(m protocol.ClientMsg) protocol.ServerMsg {
	c.T.Helper()
	return c.Answer(c.Post(m))
}

// Answer reads until the answer to request id.
func (c *Client) Answer(id uint32) protocol.ServerMsg {
	c.T.Helper()
	for {
		r, ok := c.Next()
		if !ok {
			c.T.Fatalf("connection closed while waiting for the answer to request %d", id)
		}
		if r.Re == id && r.Kind != protocol.KindView {
			return r
		}
	}
}

// Must sends a request that has to succeed.
func (c *Client) Must(m protocol.ClientMsg) protocol.ServerMsg {
	c.T.Helper()
	r := c.Req(m)
	if r.Kind == protocol.KindError {
		c.T.Fatalf("%s: %s: %s", m.Kind, r.Error.Code, r.Error.Message)
	}
	return r
}

// Fails sends a request that has to fail with code.
func (c *Client) Fails(m protocol.ClientMsg, code protocol.Code) {
	c.T.Helper()
	r := c.Req(m)
	if r.Kind != protocol.KindError || r.Error.Code != code {
		c.T.Fatalf("%s: got %+v (%v), want error %s", m.Kind, r, r.Error, code)
	}
}

// WaitError reads until an error arrives, which must have code (for
// messages that carry no request id, like undecodable ones).
func (c *Client) WaitError(code protocol.Code) {
	c.T.Helper()
	if m := c.Until(func(m protocol.ServerMsg) bool { return m.Kind == protocol.KindError }); m.Error.Code != code {
		c.T.Fatalf("got error %s (%s), want %s", m.Error.Code, m.Error.Message, code)
	}
}

// Until reads until a message satisfies ok and returns it.
func (c *Client) Until(ok func(protocol.ServerMsg) bool) protocol.ServerMsg {
	c.T.Helper()
	for {
		m, open := c.Next()
		if !open {
			c.T.Fatal("connection closed while waiting for a message")
		}
		if ok(m) {
			return m
		}
	}
}

// WaitClosed waits for the server to close the connection.
func (c *Client) WaitClosed() {
	c.T.Helper()
	for {
		if _, ok := c.Next(); !ok {
			return
		}
	}
}

// WaitView reads until the latest view satisfies ok.
func (c *Client) WaitView(ok func(v *protocol.View) bool) *protocol.View {
	c.T.Helper()
	for c.View == nil || !ok(c.View) {
		if _, open := c.Next(); !open {
			c.T.Fatal("connection closed while waiting for a view")
		}
	}
	return c.View
}

// AtLeast waits for a view of at least version v.
func (c *Client) AtLeast(v uint64) *protocol.View {
	return c.WaitView(func(x *protocol.View) bool { return x.Game.Version >= v })
}

// Frames are the frames received so far, raw.
func (c *Client) Frames() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.raw...)
}

// SameEncoding reports whether a and b encode to the same msgpack bytes.
func SameEncoding(t TB, a, b any) bool {
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

// Bot drives a seat through the protocol alone: it decides like the
// engine's bots (Move), but only from the views its connection received.
type Bot struct {
	*Client
	Seat    sim.Seat
	Token   string
	Style   *sim.Style   // a manager's
	Persona *sim.Persona // the executive's
	Rng     *rand.Rand
}

// Decide returns the seat's command for the latest view, if it owes one.
func (b *Bot) Decide(scn *sim.Scenario) (sim.Command, bool) {
	if !Owes(b.View, b.Seat) {
		return sim.Command{}, false
	}
	g := b.View.Game
	return Move(b.Seat, scn, &g, b.Style, b.Persona, b.Rng), true
}
