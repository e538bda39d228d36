package room

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/protocol"
	"pushback/server/store"
)

// A cluster's nodes share one PostgreSQL database; each room has one owner
// node at a time, which holds its lease (store/lease.go). A connection may
// arrive at any node. On its first room-entering message (join or resume
// with a code) the node serves the room itself if it holds the lease or can
// claim it (no lease, or an expired or released one); if another node's
// lease is live, it forwards the connection: it dials the owner's /ws, says
// hello there, sends the entering message as received, and from then on
// relays every frame both ways unchanged (relay). When the owner goes away
// or hands the room over, the relay closes the client's connection with
// the owner's close code (1012, service restart), and the client
// reconnects and resumes through any node.

// ForwardHeader carries, on a connection one node forwards to another, the
// real client's address group, the time, when the client asked to enter the
// room (at the forwarding node) and an HMAC-SHA256 of them under the
// cluster secret: "<key>;<unix ms>;<asked unix ms>;<hex>". The owner counts
// the connection against the real client's per-address limits, and a
// forward that waited for a dead owner's lease cannot take a seat from the
// same player's newer connection.
const ForwardHeader = "X-Pushback-Forward"

// forwardSkew is how old (or how far in the future, for nodes' clocks that
// differ) a forward signature may be.
const forwardSkew = time.Minute

func (h *Hub) sign(key string, at, asked time.Time) string {
	msg := key + ";" + strconv.FormatInt(at.UnixMilli(), 10) + ";" + strconv.FormatInt(asked.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(h.cfg.Secret))
	mac.Write([]byte(msg))
	return msg + ";" + hex.EncodeToString(mac.Sum(nil))
}

// forwardedKey checks a request's forward header: ok false if it has none;
// an error if it has a bad or old one, or this node is not in a cluster.
func (h *Hub) forwardedKey(r *http.Request) (key string, asked time.Time, ok bool, err error) {
	v := r.Header.Get(ForwardHeader)
	if v == "" {
		return "", time.Time{}, false, nil
	}
	parts := strings.Split(v, ";")
	if h.node.Name == "" || len(parts) != 4 {
		return "", time.Time{}, true, errors.New("a forwarded connection, but this server is not a cluster node")
	}
	ms, err := strconv.ParseInt(parts[1], 10, 64)
	ams, aerr := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || aerr != nil {
		return "", time.Time{}, true, errors.New("bad forward header")
	}
	at, asked := time.UnixMilli(ms), time.UnixMilli(ams)
	if d := time.Since(at); d > forwardSkew || d < -forwardSkew {
		return "", time.Time{}, true, errors.New("old forward signature")
	}
	if !hmac.Equal([]byte(h.sign(parts[0], at, asked)), []byte(v)) {
		return "", time.Time{}, true, errors.New("bad forward signature")
	}
	return parts[0], asked, true, nil
}

// closeWith closes the connection with a close code and reason (e.g. 1012
// when its room moved), after what is queued.
func (c *client) closeWith(code int, text string) {
	c.mu.Lock()
	if !c.closing && c.bye == nil {
		c.bye = websocket.FormatCloseMessage(code, text)
	}
	c.mu.Unlock()
	c.close()
}

// reach finds the room a join or resume asks for: loaded here, or claimed
// and loaded here, or forwarded to its owner (answered true: the relay
// answers from now on). An owner that cannot be reached is waited for
// until its lease runs out, then the room is claimed. nil, false: no such
// room.
func (h *Hub) reach(c *client, m protocol.ClientMsg, code string) (*Room, bool) {
	deadline := time.Now().Add(3 * h.node.TTL)
	for {
		if h.leaving.Load() {
			c.closeWith(websocket.CloseServiceRestart, "this server is restarting; reconnecting")
			return nil, true
		}
		r, err := h.acquire(code)
		var held *store.HeldError
		switch {
		case r != nil:
			return r, false
		case err == nil || errors.Is(err, store.ErrNotFound):
			return nil, false
		case !errors.As(err, &held):
			var ce *codeError
			if !errors.As(err, &ce) {
				slog.Error("find a room", "code", code, "err", err)
				ce = errUnavailable
			}
			c.fail(m.ID, ce.code, ce.msg)
			return nil, true
		case c.from:
			// Forwarded here, but the room is elsewhere by now: the
			// client goes round again.
			c.closeWith(websocket.CloseServiceRestart, "this room moved to another server; reconnecting")
			return nil, true
		}
		err = h.forward(c, m, code, held.Lease)
		var no *refusal
		switch {
		case err == nil:
			return nil, true
		case errors.As(err, &no) && no.status == http.StatusTooManyRequests:
			c.fail(m.ID, protocol.CodeRateLimited, "too many connections from this address")
			return nil, true
		case errors.As(err, &no) && no.status != http.StatusServiceUnavailable:
			c.fail(m.ID, protocol.CodeInternal, "the server holding this room refused the connection: "+no.statusText())
			return nil, true
		}
		if time.Now().After(deadline) {
			slog.Error("room owner unreachable", "code", code, "owner", held.Lease.Node, "err", err)
			c.fail(m.ID, protocol.CodeInternal, "the server holding this room cannot be reached; try again in a moment")
			return nil, true
		}
		slog.Warn("room owner unreachable; waiting for its lease to run out", "code", code, "owner", held.Lease.Node, "err", err)
		time.Sleep(min(max(held.Lease.Left+10*time.Millisecond, h.node.TTL/10), h.node.TTL))
	}
}

// refusal is the owner's HTTP answer instead of an upgrade: over its
// limits (429), draining or full (503), or refusing the forward (403).
type refusal struct{ status int }

func (r *refusal) Error() string { return "the owner answered " + r.statusText() }

func (r *refusal) statusText() string {
	return fmt.Sprintf("%d %s", r.status, http.StatusText(r.status))
}

// relay is a forwarded connection's link to the room's owner. Only the
// client's reader writes to ws (send); pump alone reads it.
type relay struct {
	h     *Hub
	c     *client
	ws    *websocket.Conn
	code  string
	epoch uint64 // the owner's, when the link was made (checkRelays)
	once  sync.Once
}

// forward dials the owner of a room, says hello, sends m there and starts
// relaying c's frames both ways.
func (h *Hub) forward(c *client, m protocol.ClientMsg, code string, l store.Lease) error {
	u := strings.Replace(strings.TrimRight(l.Addr, "/"), "http", "ws", 1) + "/ws"
	hd := http.Header{ForwardHeader: {h.sign(c.key, time.Now(), c.asked)}}
	d := websocket.Dialer{HandshakeTimeout: 3 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 4096}
	ws, resp, err := d.Dial(u, hd)
	if err != nil {
		if resp != nil {
			return &refusal{resp.StatusCode}
		}
		return err
	}
	fail := func(err error) error { ws.Close(); return err }
	hello, _ := msgpack.Marshal(&protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version})
	ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := ws.WriteMessage(websocket.BinaryMessage, hello); err != nil {
		return fail(err)
	}
	ws.SetReadDeadline(time.Now().Add(writeWait))
	_, b, err := ws.ReadMessage()
	var w protocol.ServerMsg
	if err == nil {
		err = msgpack.Unmarshal(b, &w)
	}
	if err == nil && w.Kind != protocol.KindWelcome {
		err = fmt.Errorf("the owner answered hello with %s", w.Kind)
	}
	if err != nil {
		return fail(err)
	}
	ws.SetReadDeadline(time.Time{})
	entering, err := msgpack.Marshal(&m)
	if err == nil {
		err = ws.WriteMessage(websocket.BinaryMessage, entering)
	}
	if err != nil {
		return fail(err)
	}
	f := &relay{h: h, c: c, ws: ws, code: code, epoch: l.Epoch}
	c.fwd.Store(f)
	h.m.forwarded.Inc()
	go f.pump()
	return nil
}

// pump hands the owner's frames to the client's send queue as they are;
// when the owner closes, the client's connection is closed with the same
// code (1012 when the room moved or the owner drains or died).
func (f *relay) pump() {
	for {
		_, b, err := f.ws.ReadMessage()
		if err != nil {
			code, text := websocket.CloseServiceRestart, "the server holding this room went away; reconnecting"
			var ce *websocket.CloseError
			if errors.As(err, &ce) && ce.Code != websocket.CloseNoStatusReceived && ce.Code != websocket.CloseAbnormalClosure {
				code, text = ce.Code, ce.Text
			}
			f.end()
			f.c.closeWith(code, text)
			return
		}
		f.c.enqueue(queued{b: b})
	}
}

// send relays one of the client's frames to the owner.
func (f *relay) send(typ int, b []byte) {
	f.ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := f.ws.WriteMessage(typ, b); err != nil {
		f.end()
		f.c.closeWith(websocket.CloseServiceRestart, "the server holding this room went away; reconnecting")
	}
}

// end closes the link to the owner, once.
func (f *relay) end() {
	f.once.Do(func() {
		f.ws.Close()
		f.h.m.forwarded.Dec()
	})
}

// claim takes a room's lease for this node (lookup then loads it) and takes
// the facilitator's other tables that no node holds along, so that a
// trainer's tables stay on one node.
func (h *Hub) claim(code string) error {
	if _, ok := h.store.Holds(code); ok {
		return nil
	}
	if h.leaving.Load() {
		return errors.New("this server is handing its rooms over")
	}
	if _, err := h.store.Claim(code); err != nil {
		return err
	}
	h.m.claims.Inc()
	slog.Info("room claimed", "code", code, "node", h.node.Name)
	go func() {
		sibs, err := h.store.Siblings(code)
		if err != nil {
			slog.Warn("tables of the same facilitator", "code", code, "err", err)
		}
		for _, s := range sibs {
			if r, _ := h.acquire(s); r != nil {
				h.release(r)
			}
		}
	}()
	return nil
}

// leaser is a cluster node's lease keeper, every third of the lease: it
// renews every lease in one statement and stops the rooms whose lease was
// lost; it claims a few rooms whose owner stopped renewing, so that their
// bots and deadlines go on before anyone reconnects; and it closes the
// relays to owners that lost their room.
func (h *Hub) leaser() {
	t := time.NewTicker(h.node.TTL / 3)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		lost, err := h.store.Renew()
		if err != nil {
			slog.Error("renew leases", "err", err)
			continue
		}
		for _, code := range lost {
			if r := h.inMemory(code); r != nil {
				r.do(func() { r.leaseLost(store.ErrLeaseLost) })
			}
		}
		if h.draining.Load() {
			continue
		}
		orphans, err := h.store.Orphans(4)
		if err != nil {
			slog.Error("rooms without an owner", "err", err)
		}
		for _, code := range orphans {
			if r, _ := h.acquire(code); r != nil {
				slog.Info("room taken over from a node that stopped renewing", "code", code)
				h.release(r)
			}
		}
		h.checkRelays()
	}
}

// checkRelays closes the forwarded connections of rooms whose lease changed
// hands: their owner was cut off or paused, and its connections to us may
// never say so.
func (h *Hub) checkRelays() {
	h.mu.Lock()
	var fs []*relay
	for c := range h.clients {
		if f := c.fwd.Load(); f != nil {
			fs = append(fs, f)
		}
	}
	h.mu.Unlock()
	if len(fs) == 0 {
		return
	}
	codes := make([]string, len(fs))
	for i, f := range fs {
		codes[i] = f.code
	}
	now, err := h.store.Epochs(codes)
	if err != nil {
		return
	}
	for _, f := range fs {
		if now[f.code] != f.epoch {
			f.end()
			f.c.closeWith(websocket.CloseServiceRestart, "this room moved to another server; reconnecting")
		}
	}
}

// Ready is nil when the node takes new connections; an error (draining)
// makes /readyz answer 503, so that a load balancer sends them elsewhere.
func (h *Hub) Ready() error {
	if h.draining.Load() {
		return errors.New("draining: this server is handing its rooms over")
	}
	return nil
}

// Drain starts a graceful stop: Ready fails from now on.
func (h *Hub) Drain() { h.draining.Store(true) }

// Handover gives every room away and closes every connection with 1012,
// so that clients reconnect to another node: each room finishes the step
// it is in (its appends in flight), releases its lease (another node claims
// it at once) and stops; then the forwarded connections are closed. Close
// follows.
func (h *Hub) Handover() {
	h.Drain()
	h.leaving.Store(true) // no room is claimed here any more
	h.mu.Lock()
	rooms := slices.Collect(maps.Values(h.rooms)) // a snapshot, to call them without h.mu
	h.mu.Unlock()
	for _, r := range rooms {
		r.call(func() {
			if err := h.store.Release(r.code); err != nil {
				slog.Warn("release a lease", "code", r.code, "err", err)
			}
			r.moved = "this server is restarting; reconnecting"
		})
	}
	h.mu.Lock()
	for c := range h.clients {
		if c.fwd.Load() != nil {
			c.closeWith(websocket.CloseServiceRestart, "this server is restarting; reconnecting")
		}
	}
	h.mu.Unlock()
	slog.Info("rooms handed over", "rooms", len(rooms))
}
