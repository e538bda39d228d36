package room

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"pushback/server/protocol"
	"pushback/sim"
)

// Connection timing. The hub pings every connection well within the
// reader's pong deadline. A write (one batch of a client's queued frames)
// gets writeWait (or up to deadlineSlack less): the writers are a small
// shared pool, so a client whose socket stops taking data must not hold one
// of them for long; a write that times out closes the connection like any
// write error.
const (
	writeWait  = 3 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = pongWait * 9 / 10
	closeWait  = time.Second // to flush the queue, and again for the close frame
	pingSlots  = 54          // the pinger's ticks per pingPeriod (one a second)
)

// client is one WebSocket connection. It has exactly one reader goroutine
// (readPump); its frames, pings and close frame are written by the hub's
// writer pool, one pool goroutine at a time (sched). Everyone else hands it
// frames through enqueue, which never blocks: a client whose queue is full
// is evicted rather than waited on.
type client struct {
	hub  *Hub
	w    *writers
	ws   *websocket.Conn
	addr string // remote host, for logs
	key  string // its address group (addrKey), for the per-address budgets
	slot uint32 // the pinger's tick that pings it (set under the hub's lock)
	quit chan struct{}
	once sync.Once

	mu      sync.Mutex // guards the fields below
	queue   []queued   // frames not yet written; nil when empty
	ping    bool       // a ping is due
	closing bool       // close asked: nothing more is queued; the writer flushes and sends the close frame
	sched   bool       // on the ready queue or being written: at most one writer at a time
	done    bool       // the close frame is sent or the socket failed: nothing more is written
	bye     []byte     // the close frame's payload; nil: a normal closure

	closeBy time.Time // owned by the writer: the flush deadline once closing

	room atomic.Pointer[Room] // the room it is in, nil before join

	// In a cluster (forward.go): the link to the room's owner node its
	// frames are relayed to, if this node forwards it; from: another node
	// forwarded it here, and it is never forwarded again.
	fwd  atomic.Pointer[relay]
	from bool
	// asked: when its join, resume or create reached the first node (this
	// one, or the forwarding node's time from the forward header). Of two
	// connections resuming one seat the later asker keeps it (admission).
	asked time.Time

	// Owned by the reader goroutine.
	hello   bool
	limiter *rate.Limiter
	strikes int

	// Owned by the goroutine of the room it is in.
	id   int
	seat sim.Seat
	role string
	name string
}

// enqueue queues frames without ever blocking, all of them before a writer
// may take them (so they go out in one write); a full queue evicts the
// client (the writer then flushes, closes the socket and its reader
// detaches it).
func (c *client) enqueue(qs ...queued) {
	if c.push(qs...) {
		c.w.schedule(c)
	}
}

// push is enqueue that leaves the scheduling to its caller: true when c
// must be handed to the writers (Room.flush hands all of a step's at once).
func (c *client) push(qs ...queued) bool {
	c.mu.Lock()
	n, full := 0, false
	for _, q := range qs {
		if c.closing {
			break
		}
		if full = len(c.queue) >= c.hub.cfg.SendQueue; full {
			break
		}
		c.queue = append(c.queue, q)
		n++
	}
	for _, q := range qs[n:] {
		q.buf.release() // not queued
	}
	s := n > 0 && !c.sched
	if s {
		c.sched = true
	}
	c.mu.Unlock()
	c.hub.m.msgsOut.Add(float64(n))
	if full {
		c.hub.m.evicted.Inc()
		slog.Warn("evicting slow client", "addr", c.addr, "queue", c.hub.cfg.SendQueue)
		c.close()
	}
	return s
}

// pingSoon asks the writers for a ping; the hub's pinger calls it.
func (c *client) pingSoon() {
	c.mu.Lock()
	if c.closing || c.done {
		c.mu.Unlock()
		return
	}
	c.ping = true
	s := !c.sched
	c.sched = true
	c.mu.Unlock()
	if s {
		c.w.schedule(c)
	}
}

// reply encodes and queues a message.
func (c *client) reply(m protocol.ServerMsg) {
	if b := frame(m); b != nil {
		c.enqueue(queued{b: b})
	}
}

// fail answers a request with a typed error.
func (c *client) fail(re uint32, code protocol.Code, msg string) {
	c.hub.m.errors.WithLabelValues(string(code)).Inc()
	c.reply(errorMsg(re, code, msg))
}

// frame encodes a message; nil if it cannot (logged).
func frame(m protocol.ServerMsg) []byte {
	b, err := protocol.Encode(m)
	if err != nil {
		slog.Error("encode", "kind", m.Kind, "err", err)
		return nil
	}
	return b
}

// errorMsg answers request re with a typed error.
func errorMsg(re uint32, code protocol.Code, msg string) protocol.ServerMsg {
	return protocol.ServerMsg{Kind: protocol.KindError, Re: re, Error: &protocol.Error{Code: code, Message: msg}}
}

// close ends the connection once; safe from any goroutine. What is queued
// is still written (within closeWait), then the close frame.
func (c *client) close() {
	c.once.Do(func() {
		close(c.quit)
		c.mu.Lock()
		c.closing = true
		s := !c.sched && !c.done
		if s {
			c.sched = true
		}
		c.mu.Unlock()
		if s {
			c.w.schedule(c)
		}
	})
}

// readPump decodes frames and hands them on. It is the only reader of ws,
// and closes it last: after the connection is told to close (evicted,
// kicked, abusive) it keeps reading and discarding until the client answers
// the close frame or the writer's deadline cuts it off, so that nothing the
// server sent before closing is lost to a TCP reset.
func (c *client) readPump() {
	defer func() {
		c.close()
		if f := c.fwd.Load(); f != nil {
			f.end()
		}
		if r := c.room.Load(); r != nil {
			r.leave(c)
		}
		c.ws.Close()
		c.hub.gone(c)
	}()
	c.ws.SetReadLimit(protocol.MaxUpload) // check, preview and create may carry a scenario file; DecodeClient holds the other kinds to MaxMessage
	// Until hello a connection has HelloWait; after it, pongs keep it open.
	c.ws.SetReadDeadline(time.Now().Add(c.hub.cfg.HelloWait))
	c.ws.SetPongHandler(func(string) error {
		if c.hello {
			c.ws.SetReadDeadline(time.Now().Add(pongWait))
		}
		return nil
	})
	// A ping costs what a message costs: it is counted by the same limiter,
	// and a flood of them closes the connection like a flood of messages.
	c.ws.SetPingHandler(func(data string) error {
		c.hub.m.msgsIn.Inc()
		if !c.limiter.Allow() {
			c.strikes++
			if c.strikes > c.hub.cfg.Strikes {
				slog.Warn("disconnecting a client flooding pings", "addr", c.addr)
				return errPingFlood
			}
			return nil // not answered
		}
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		if err != nil && !errors.Is(err, websocket.ErrCloseSent) {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil
			}
			return err
		}
		return nil
	})
	for {
		typ, rd, err := c.ws.NextReader()
		if err == nil {
			buf := readBufs.Get().(*bytes.Buffer)
			buf.Reset()
			if _, err = buf.ReadFrom(rd); err == nil {
				c.received(typ, buf.Bytes())
			}
			if buf.Cap() <= maxPooledRead {
				readBufs.Put(buf)
			}
		}
		if err != nil {
			if websocket.IsUnexpectedCloseError(err, websocket.CloseGoingAway, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived) {
				slog.Debug("read", "addr", c.addr, "err", err)
			}
			return
		}
	}
}

// readBufs hold a message while readPump handles it: one is taken only once
// a message has begun to arrive, so an idle connection holds none. A buffer
// grown past maxPooledRead by a scenario upload is dropped.
var readBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledRead = 16 << 10

// received handles one message, on the reader goroutine. b is readPump's
// buffer, reused once this returns: nothing here keeps it (DecodeClient
// copies what it decodes; a relay writes it before returning).
func (c *client) received(typ int, b []byte) {
	select {
	case <-c.quit:
		return // closing: drain
	default:
	}
	c.hub.m.msgsIn.Inc()
	if !c.limiter.Allow() {
		c.strikes++
		if c.strikes > c.hub.cfg.Strikes {
			slog.Warn("disconnecting a flooding client", "addr", c.addr)
			c.close()
			return
		}
		c.fail(protocol.RequestID(b), protocol.CodeRateLimited, "too many messages; slow down or be disconnected")
		return
	}
	if f := c.fwd.Load(); f != nil {
		f.send(typ, b) // relayed to the room's owner as it came
		return
	}
	if typ != websocket.BinaryMessage {
		c.fail(0, protocol.CodeBadMessage, "frames must be binary msgpack")
		return
	}
	m, err := protocol.DecodeClient(b)
	if err != nil {
		c.fail(protocol.RequestID(b), protocol.CodeBadMessage, err.Error())
		return
	}
	if m.Kind == protocol.KindHello && !c.hello && m.V == protocol.Version {
		c.ws.SetReadDeadline(time.Now().Add(pongWait))
	}
	c.hub.dispatch(c, m)
}

// write runs on a pool writer, which has the client to itself (sched): it
// writes the queued frames and a due ping in one system call, or, once the
// client is closing, the rest of the queue and the close frame. It
// reschedules the client if more arrived meanwhile. On a write error (a
// timeout included) it closes the socket, which also ends the reader.
func (c *client) write() {
	c.mu.Lock()
	if c.done {
		c.sched = false
		c.mu.Unlock()
		return
	}
	frames, ping, closing, bye := c.queue, c.ping, c.closing, c.bye
	c.queue, c.ping = nil, false
	c.mu.Unlock()

	deadline := time.Now().Add(writeWait)
	if closing {
		if c.closeBy.IsZero() {
			c.closeBy = time.Now().Add(closeWait)
		}
		deadline = c.closeBy
	}
	// The frames and the ping in one write (frameConn).
	var err error
	if ping = ping && !closing; len(frames) > 0 || ping {
		err = c.ws.NetConn().(*frameConn).writeFrames(frames, ping, deadline)
	}
	clear(frames)
	switch {
	case closing:
		// The queue is flushed (or the flush failed): the close frame. The
		// reader drains until the client answers it, at most 2 s.
		c.finish()
		c.ws.SetWriteDeadline(time.Now().Add(closeWait))
		if bye == nil {
			bye = websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		}
		if err != nil || c.ws.WriteMessage(websocket.CloseMessage, bye) != nil {
			c.ws.Close()
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
		return
	case err != nil:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			c.hub.m.evicted.Inc()
			slog.Warn("evicting slow client", "addr", c.addr, "write", "timeout")
		}
		c.close() // sched is held: nobody else is scheduled
		c.finish()
		c.ws.Close()
		return
	}
	c.mu.Lock()
	again := len(c.queue) > 0 || c.ping || c.closing
	if !again {
		c.sched = false
		if cap(frames) <= 4 {
			c.queue = frames[:0] // a small backing array is kept for the next burst
		}
	}
	c.mu.Unlock()
	if again {
		c.w.schedule(c)
	}
}

var errPingFlood = errors.New("ping flood")

// finish marks the client written for the last time.
func (c *client) finish() {
	c.mu.Lock()
	c.done, c.sched, c.queue, c.ping = true, false, nil, false
	c.mu.Unlock()
}

// writers is the hub's pool of writer goroutines: clients with something to
// write wait on a FIFO ready queue, each at most once (client.sched).
type writers struct {
	mu      sync.Mutex
	cond    sync.Cond
	buf     []*client // ring
	head, n int
	stopped bool
}

// newWriters starts a pool of n writers (n may be 0, for tests).
func newWriters(n int) *writers {
	w := &writers{}
	w.cond.L = &w.mu
	for range n {
		go w.run()
	}
	return w
}

func defaultWriters() int { return 4 * runtime.GOMAXPROCS(0) }

// schedule puts clients on the ready queue and wakes one writer, which
// writes for them in turn (a room's broadcast: one wakeup, not one per
// connection); another writer wakes with the next schedule.
func (w *writers) schedule(cs ...*client) {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	for _, c := range cs {
		if w.n == len(w.buf) {
			nb := make([]*client, max(64, 2*len(w.buf)))
			for i := range w.n {
				nb[i] = w.buf[(w.head+i)%len(w.buf)]
			}
			w.buf, w.head = nb, 0
		}
		w.buf[(w.head+w.n)%len(w.buf)] = c
		w.n++
	}
	w.mu.Unlock()
	w.cond.Signal()
}

// next takes the first ready client; nil once the pool is stopped and empty.
func (w *writers) next() *client {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.n == 0 {
		if w.stopped {
			return nil
		}
		w.cond.Wait()
	}
	c := w.buf[w.head]
	w.buf[w.head] = nil
	w.head = (w.head + 1) % len(w.buf)
	w.n--
	return c
}

// stallAfter is how long a write may block before its writer hands its
// place in the pool to a new goroutine.
const stallAfter = 100 * time.Millisecond

// run writes for ready clients until the pool stops. A write to a peer that
// stopped reading blocks until writeWait; so that it costs only that peer,
// a write still blocked after stallAfter starts a fresh writer in this
// one's place, and this one ends once its write returns. The pool thus
// always has its n writers free for other rooms' frames, plus one goroutine
// per write that is stalled just now.
func (w *writers) run() {
	t := time.AfterFunc(time.Hour, w.run) // the timer's own goroutine becomes the new writer
	t.Stop()
	for c := w.next(); c != nil; c = w.next() {
		t.Reset(stallAfter)
		c.write()
		if !t.Stop() {
			return // a replacement took this writer's place while the write stalled
		}
	}
}

// stop ends the writers once the ready queue is empty.
func (w *writers) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.cond.Broadcast()
}
