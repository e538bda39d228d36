// Package conn keeps the client's WebSocket to the server up: it dials, reads
// on its own goroutine, reconnects with backoff when the link drops, and
// hands everything to the game loop through a channel that the loop drains
// without ever blocking. Natively it uses github.com/coder/websocket; in the
// browser, the browser's own WebSocket (socket_js.go).
package conn

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"pushback/server/protocol"
)

// EventKind says what happened on the link.
type EventKind uint8

// The events.
const (
	Up    EventKind = iota + 1 // connected; send hello (and resume) now
	Down                       // dropped or failed; Attempt and RetryIn say what next
	Frame                      // a message from the server
)

// Event is one thing the link reports to the game loop.
type Event struct {
	Kind    EventKind
	Frame   []byte
	Attempt int           // Down: how many dials have failed in a row
	RetryIn time.Duration // Down: until the next dial
	Err     error         // Down: why
}

// Backoff is the wait before reconnect attempt n (1-based): doubling from
// half a second to at most ten, with a little jitter so that a room full of
// browsers does not come back in one burst after a server restart.
func Backoff(n int) time.Duration {
	d := 500 * time.Millisecond
	for i := 1; i < n && d < 10*time.Second; i++ {
		d *= 2
	}
	d = min(d, 10*time.Second)
	return d + time.Duration(rand.Int64N(int64(d/5)+1))
}

// Client is one link to a server. Events arrive on Events; Send queues a
// frame and never blocks.
type Client struct {
	url    string
	events chan Event

	mu  sync.Mutex
	out chan []byte // the current connection's send queue; nil while down
	cut func()      // ends the current connection (Redial)
}

// errRedial ends a connection that Redial asked to replace.
var errRedial = errors.New("redial")

// Redial closes the current connection and dials again at once, with no
// backoff and no Down event: the server keeps a connection in one room for
// its life, so a console that moves to another table needs a new one.
func (c *Client) Redial() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cut != nil {
		c.cut()
	}
}

// socket is one open WebSocket: binary frames in and out.
type socket interface {
	Read(ctx context.Context) ([]byte, error)
	Write(ctx context.Context, b []byte) error
	CloseNow()
}

// maxFrame bounds a frame from the server.
const maxFrame = 4 << 20

// queueLen bounds what waits to be sent; a player cannot click faster.
const queueLen = 64

// Dial starts keeping a link to url (ws:// or wss://) until ctx ends.
func Dial(ctx context.Context, url string) *Client {
	c := &Client{url: url, events: make(chan Event, 256)}
	go c.run(ctx)
	return c
}

// Events is where the link reports; drain it once a frame.
func (c *Client) Events() <-chan Event { return c.events }

// Send queues a frame for the server. It returns false, dropping the frame,
// when the link is down or the queue is full: the model shows the state of
// the link, and a resumed seat gets a fresh view to decide on again.
func (c *Client) Send(b []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out == nil {
		return false
	}
	select {
	case c.out <- b:
		return true
	default:
		return false
	}
}

// SendMsg encodes and queues a message.
func (c *Client) SendMsg(m protocol.ClientMsg) bool {
	b, err := protocol.Encode(m)
	if err != nil {
		return false
	}
	return c.Send(b)
}

func (c *Client) emit(ctx context.Context, e Event) {
	select {
	case c.events <- e:
	case <-ctx.Done():
	}
}

func (c *Client) run(ctx context.Context) {
	fails := 0
	for ctx.Err() == nil {
		err := c.session(ctx, func() { fails = 0 })
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errRedial) {
			continue
		}
		fails++
		wait := Backoff(fails)
		c.emit(ctx, Event{Kind: Down, Attempt: fails, RetryIn: wait, Err: err})
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return
		}
	}
}

// session dials once and serves the connection until it breaks.
func (c *Client) session(ctx context.Context, connected func()) error {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	ws, err := dial(dctx, c.url)
	cancel()
	if err != nil {
		return err
	}
	connected()
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	redial := false
	out := make(chan []byte, queueLen)
	c.mu.Lock()
	c.out = out
	c.cut = func() { redial = true; stop() } // under mu, as is the read below
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.out, c.cut = nil, nil
		c.mu.Unlock()
		ws.CloseNow()
	}()
	c.emit(ctx, Event{Kind: Up})
	werr := make(chan error, 1)
	go func() { // the only writer
		for {
			select {
			case b := <-out:
				wctx, cancel := context.WithTimeout(sctx, 10*time.Second)
				err := ws.Write(wctx, b)
				cancel()
				if err != nil {
					werr <- err
					stop()
					return
				}
			case <-sctx.Done():
				return
			}
		}
	}()
	for {
		b, err := ws.Read(sctx)
		if err != nil {
			select {
			case e := <-werr:
				return e
			default:
			}
			c.mu.Lock()
			again := redial
			c.mu.Unlock()
			if again {
				return errRedial
			}
			if errors.Is(err, context.Canceled) && ctx.Err() == nil {
				return errors.New("connection closed")
			}
			return err
		}
		c.emit(ctx, Event{Kind: Frame, Frame: b})
	}
}
