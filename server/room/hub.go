// Package room runs the live games: one goroutine per room owns its
// sim.State, its seats, deadlines and bots; one reader goroutine per
// WebSocket connection and a shared pool of writers (conn.go), so that a
// connection costs one goroutine stack, not two. A Hub holds the rooms, routes each connection's messages to its
// room, rebuilds unfinished rooms from the store on start, and enforces the
// limits (rooms, connections per room, message rate, code guessing).
package room

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"pushback/server/protocol"
	"pushback/server/store"
)

// Config sets a Hub's limits; the zero value of each field means its default.
type Config struct {
	Store *store.Store // required: where rooms and commands are logged

	MaxRooms  int      // live rooms at once (default 500)
	MaxConns  int      // connections per room (default 64)
	Origins   []string // allowed Origin hosts besides the server's own; "*" allows any
	SendQueue int      // frames queued per connection before it is evicted (default 64)
	Rate      float64  // messages per second per connection (default 20)
	Burst     int      // burst of messages per connection (default 40)
	Strikes   int      // rate_limited answers before a connection is closed (default 20)
	// Failed joins and resumes (a wrong code or token) allowed per remote
	// address: GuessBurst at once, then GuessRate per second (defaults 20, 1).
	GuessRate  float64
	GuessBurst int
}

func (c *Config) defaults() {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&c.MaxRooms, 500)
	def(&c.MaxConns, 64)
	def(&c.SendQueue, 64)
	def(&c.Burst, 40)
	def(&c.Strikes, 20)
	def(&c.GuessBurst, 20)
	if c.Rate <= 0 {
		c.Rate = 20
	}
	if c.GuessRate <= 0 {
		c.GuessRate = 1
	}
}

// Hub is the set of rooms of one server.
type Hub struct {
	cfg Config
	st  *store.Store
	m   *metrics
	up  websocket.Upgrader

	mu       sync.Mutex
	rooms    map[string]*Room
	tokens   map[string]string   // seat token → room code
	facs     map[string][]string // facilitator token → room codes
	guesses  map[string]*rate.Limiter
	clients  map[*client]struct{} // every open connection, for Close
	live     int                  // rooms whose game is not over
	closed   bool
	w        *writers      // the writer pool every connection's frames go through
	stop     chan struct{} // closed by Close: ends the pinger
	nextSlot uint32        // ping slot of the next connection
	wg       sync.WaitGroup
}

// New makes a Hub and rebuilds every unfinished room in the store by
// replaying its log, with its code and tokens still valid.
func New(cfg Config) (*Hub, error) {
	if cfg.Store == nil {
		return nil, errors.New("room: Config.Store is required")
	}
	cfg.defaults()
	h := &Hub{cfg: cfg, st: cfg.Store, m: newMetrics(),
		rooms: map[string]*Room{}, tokens: map[string]string{}, facs: map[string][]string{},
		guesses: map[string]*rate.Limiter{}, clients: map[*client]struct{}{},
		w: newWriters(defaultWriters()), stop: make(chan struct{})}
	go h.pinger()
	// Small read buffers (client messages are a few hundred bytes) and a
	// pool for write buffers, which a connection holds only while writing:
	// about 11 KiB less per connected player (server/PERFORMANCE.md).
	h.up = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}, CheckOrigin: h.checkOrigin}
	rs, err := h.st.Unfinished()
	if err != nil {
		return nil, err
	}
	for _, sr := range rs {
		r, err := restore(h, sr)
		if err != nil {
			// One broken room must not keep the others from the workshop.
			slog.Error("room not restored", "code", sr.Code, "err", err)
			continue
		}
		h.add(r)
		slog.Info("room restored", "code", r.code, "version", r.st.Version, "phase", r.st.Phase.String())
	}
	return h, nil
}

// Metrics serves the Prometheus metrics of this hub.
func (h *Hub) Metrics() http.Handler { return h.m.handler() }

// Rooms is the number of live rooms, for /healthz.
func (h *Hub) Rooms() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.live
}

// Close stops every room and closes every connection; the store stays open.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	rooms := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	close(h.stop)
	for c := range h.clients {
		c.close()
	}
	if len(h.clients) == 0 {
		h.w.stop()
	}
	h.mu.Unlock()
	for _, r := range rooms {
		close(r.stop)
	}
	h.wg.Wait()
}

func (h *Hub) add(r *Room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rooms[r.code] = r
	h.facs[r.fac] = append(h.facs[r.fac], r.code)
	for _, s := range r.meta.Seats {
		h.tokens[s.Token] = r.code
	}
	if !r.over {
		h.live++
		h.m.rooms.Inc()
	}
	h.wg.Add(1)
	go func() { defer h.wg.Done(); r.run() }()
}

// gone forgets a closed connection.
func (h *Hub) gone(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	if h.closed && len(h.clients) == 0 {
		h.w.stop() // the last connection has been written for the last time
	}
	h.mu.Unlock()
	h.m.conns.Dec()
}

// indexToken records a new seat token; a room calls it when it rotates one.
func (h *Hub) indexToken(tok, code string) {
	h.mu.Lock()
	h.tokens[tok] = code
	h.mu.Unlock()
}

// finished is called by a room when its game ends.
func (h *Hub) finished() {
	h.mu.Lock()
	h.live--
	h.mu.Unlock()
	h.m.rooms.Dec()
}

func (h *Hub) room(code string) *Room {
	h.mu.Lock()
	r := h.rooms[code]
	h.mu.Unlock()
	if r == nil {
		r = h.lookup(code)
	}
	return r
}

// inMemory is the room if it is loaded, without looking in the store.
func (h *Hub) inMemory(code string) *Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[code]
}

// forget drops a finished room nobody is connected to; its tokens stay
// indexed so that a resume can bring it back from the store.
func (h *Hub) forget(r *Room) {
	h.mu.Lock()
	if h.rooms[r.code] == r {
		delete(h.rooms, r.code)
	}
	h.mu.Unlock()
}

// lookup brings a finished room back from the store, for a late resume or
// join after everyone had left it.
func (h *Hub) lookup(code string) *Room {
	sr, err := h.st.Room(code)
	if err != nil || sr.Finished.IsZero() {
		return nil
	}
	r, err := restore(h, sr)
	if err != nil {
		slog.Error("finished room not restored", "code", code, "err", err)
		return nil
	}
	h.mu.Lock()
	if old := h.rooms[code]; old != nil || h.closed {
		h.mu.Unlock()
		return old
	}
	h.mu.Unlock()
	h.add(r)
	return r
}

// checkOrigin allows same-origin requests, requests without an Origin
// (native clients) and the configured origins.
func (h *Hub) checkOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range h.cfg.Origins {
		if a == "*" || strings.EqualFold(a, u.Host) || strings.EqualFold(a, o) {
			return true
		}
	}
	return false
}

// ServeHTTP upgrades a request to a game connection (the /ws endpoint).
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	closed := h.closed
	h.mu.Unlock()
	if closed {
		http.Error(w, "server is shutting down", http.StatusServiceUnavailable)
		return
	}
	ws, err := h.up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	c := &client{hub: h, w: h.w, ws: ws, addr: host, quit: make(chan struct{}),
		limiter: rate.NewLimiter(rate.Limit(h.cfg.Rate), h.cfg.Burst), seat: -2}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		ws.Close()
		return
	}
	h.clients[c] = struct{}{}
	c.slot = h.nextSlot
	h.nextSlot = (h.nextSlot + 1) % pingSlots
	h.mu.Unlock()
	h.m.conns.Inc()
	go c.readPump()
}

// pinger asks every connection for a ping each pingPeriod, well within the
// readers' pong deadline; the writer pool sends them. The pings are
// staggered: every second a 1/pingSlots share of the connections (those of
// that slot) is pinged, so that 10,000 pings do not go out in one burst.
func (h *Hub) pinger() {
	t := time.NewTicker(pingPeriod / pingSlots)
	defer t.Stop()
	var cs []*client
	for tick := uint32(0); ; tick = (tick + 1) % pingSlots {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		h.mu.Lock()
		for c := range h.clients {
			if c.slot == tick {
				cs = append(cs, c)
			}
		}
		h.mu.Unlock()
		for i, c := range cs {
			c.pingSoon()
			cs[i] = nil
		}
		cs = cs[:0]
	}
}

// dispatch routes one decoded message; it runs on the client's reader.
func (h *Hub) dispatch(c *client, m protocol.ClientMsg) {
	if !c.hello {
		if m.Kind != protocol.KindHello {
			c.fail(m.ID, protocol.CodeBadMessage, "say hello first, with the protocol version")
			return
		}
	}
	switch m.Kind {
	case protocol.KindHello:
		if m.V != protocol.Version {
			c.fail(m.ID, protocol.CodeVersion, fmt.Sprintf("this server speaks protocol version %d, the client %d: reload the page or update the client", protocol.Version, m.V))
			c.close()
			return
		}
		c.hello = true
		c.reply(protocol.ServerMsg{Kind: protocol.KindWelcome, Re: m.ID, V: protocol.Version, Now: time.Now().UnixMilli()})
	case protocol.KindCreate, protocol.KindJoin, protocol.KindResume:
		if r := c.room.Load(); r != nil {
			c.fail(m.ID, protocol.CodeBadMessage, fmt.Sprintf("this connection is in room %s already; open a new connection for another", r.code))
			return
		}
		if m.Kind != protocol.KindCreate && !h.guessAllowed(c, m.ID) {
			return
		}
		h.enter(c, m)
	case protocol.KindTables:
		ts, err := h.Tables(m.Token)
		if err != nil {
			h.guessed(c)
			c.fail(m.ID, protocol.CodeUnauthorized, err.Error())
			return
		}
		c.reply(protocol.ServerMsg{Kind: protocol.KindTableList, Re: m.ID, Tables: ts})
	default:
		r := c.room.Load()
		if r == nil {
			c.fail(m.ID, protocol.CodeBadMessage, "join, create or resume a room first")
			return
		}
		at := time.Now()
		r.do(func() { r.handle(c, m, at) })
	}
}

// enter handles create, join and resume for a connection in no room. A
// connection stays in one room for its life, so that only that room's
// goroutine ever touches its seat and role.
func (h *Hub) enter(c *client, m protocol.ClientMsg) {
	switch m.Kind {
	case protocol.KindCreate:
		h.create(c, m)
	case protocol.KindJoin:
		r := h.room(normCode(m.Code))
		if r == nil {
			h.guessed(c)
			c.fail(m.ID, protocol.CodeUnknownRoom, fmt.Sprintf("no room %q", m.Code))
			return
		}
		r.do(func() { r.join(c, m) })
	case protocol.KindResume:
		h.resume(c, m)
	}
}

func (h *Hub) resume(c *client, m protocol.ClientMsg) {
	h.mu.Lock()
	code, ok := h.tokens[m.Token]
	if !ok && m.Token != "" {
		if codes := h.facs[m.Token]; len(codes) > 0 {
			code, ok = normCode(m.Code), slices.Contains(codes, normCode(m.Code))
			if m.Code == "" {
				code, ok = codes[len(codes)-1], true // the newest table
			}
		}
	}
	r := h.rooms[code]
	h.mu.Unlock()
	if ok && r == nil {
		r = h.lookup(code)
	}
	if !ok || r == nil {
		h.guessed(c)
		c.fail(m.ID, protocol.CodeUnauthorized, "no seat or table with that token here")
		return
	}
	r.do(func() { r.resume(c, m) })
}

func (h *Hub) create(c *client, m protocol.ClientMsg) {
	req := m.Create
	if req == nil {
		c.fail(m.ID, protocol.CodeBadMessage, "create needs its create field")
		return
	}
	fac := req.Facilitator
	h.mu.Lock()
	full := h.live >= h.cfg.MaxRooms
	known := fac == "" || len(h.facs[fac]) > 0
	h.mu.Unlock()
	if full {
		c.fail(m.ID, protocol.CodeTooManyRooms, fmt.Sprintf("the server holds its maximum of %d live rooms", h.cfg.MaxRooms))
		return
	}
	if !known {
		if rs, err := h.st.ByFacilitator(fac); err != nil || len(rs) == 0 {
			h.guessed(c)
			c.fail(m.ID, protocol.CodeUnauthorized, "unknown facilitator token")
			return
		}
	}
	if fac == "" {
		fac = newToken()
	}
	var r *Room
	var err error
	for range 5 { // a code collision is one in hundreds of millions
		r, err = create(h, newCode(), fac, *req, time.Now())
		if err == nil || !errors.Is(err, errCodeTaken) {
			break
		}
	}
	if err != nil {
		var ce *codeError
		if errors.As(err, &ce) {
			c.fail(m.ID, ce.code, ce.msg)
			return
		}
		slog.Error("create room", "err", err)
		c.fail(m.ID, protocol.CodeInternal, "could not create the room")
		return
	}
	h.add(r)
	slog.Info("room created", "code", r.code, "scenario", r.scn.ID, "managers", r.st.Managers(), "solo", req.Solo)
	r.do(func() { r.admitCreator(c, m.ID) })
}

// guessAllowed refuses a join or resume from an address that has failed too
// often: room codes and tokens must not be guessable by brute force.
func (h *Hub) guessAllowed(c *client, re uint32) bool {
	h.mu.Lock()
	l := h.guesses[c.addr]
	h.mu.Unlock()
	if l != nil && l.Tokens() < 1 {
		c.fail(re, protocol.CodeRateLimited, "too many wrong codes or tokens from this address; wait a little")
		return false
	}
	return true
}

// guessed charges a failed join or resume to the client's address.
func (h *Hub) guessed(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.guesses[c.addr]
	if l == nil {
		if len(h.guesses) > 100_000 { // bound the map; forgetting is the safe side
			clear(h.guesses)
		}
		l = rate.NewLimiter(rate.Limit(h.cfg.GuessRate), h.cfg.GuessBurst)
		h.guesses[c.addr] = l
	}
	l.Allow()
}

// Tables lists every table of a facilitator token, finished ones included,
// oldest first. An unknown token is an error.
func (h *Hub) Tables(token string) ([]protocol.Table, error) {
	if token == "" {
		return nil, errors.New("a facilitator token is required")
	}
	rs, err := h.st.ByFacilitator(token)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, errors.New("unknown facilitator token")
	}
	out := make([]protocol.Table, 0, len(rs))
	for _, sr := range rs {
		t := protocol.Table{Code: sr.Code, Scenario: sr.Scenario, Phase: "over", Over: true}
		if r := h.inMemory(sr.Code); r != nil {
			r.call(func() { t = r.table() })
		}
		out = append(out, t)
	}
	return out, nil
}
