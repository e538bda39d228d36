// Package room runs the live games. Each room is a table (table.go: seats,
// the sim.State, bots, the phase clock; methods that take now, leave the
// frames they send in an outbox, and reach the log, metrics, limits and the
// hub's token index only through deps, deps.go) inside a thin actor
// (room.go: one goroutine with the inbox, the flush of the outbox to the
// send queues after each step, the timer armed from the table's deadline,
// and unloading). Admission (join attempt,
// join, resume, leave, depart) is in admission.go, the facilitator's orders
// one method each in orders.go, views and their encoding in view.go, the
// room records in records.go. One reader goroutine per WebSocket connection
// and a shared pool of writers (conn.go), so that a connection costs one
// goroutine stack, not two. A Hub holds the rooms, routes each connection's
// messages to its room, rebuilds unfinished rooms from the store on start,
// and enforces the limits (rooms, connections per room, message rate, code
// guessing).
package room

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	// Failed joins, resumes and token checks (a wrong code or token) allowed
	// per address group (an IPv4 address or an IPv6 /64): GuessBurst at
	// once, then GuessRate per second (defaults 20, 1); and for all
	// addresses together GlobalGuessRate per second (default 5, burst 100).
	GuessRate       float64
	GuessBurst      int
	GlobalGuessRate float64

	// Creates, joins, resumes, table lists and HTTP report requests per
	// address group: EntryBurst at once, then EntryRate per second
	// (defaults 60, 1); for everybody together GlobalEntryRate per second
	// (default 200, burst 10×).
	EntryRate       float64
	EntryBurst      int
	GlobalEntryRate float64
	// Rooms created per address group: CreateBurst at once, then CreateRate
	// per second (defaults 30, one every 20 s); for everybody together
	// GlobalCreateRate per second (default 0.5, burst 100).
	CreateRate       float64
	CreateBurst      int
	GlobalCreateRate float64

	MaxClients int           // connections at once, all rooms and addresses (default 20,000)
	AddrConns  int           // connections at once per address group (default 100)
	HelloWait  time.Duration // to say hello after connecting (default 10 s)
	// LobbyIdle: a room nobody is connected to, in which nothing can happen
	// until someone comes (no deadline running, no bot to move), is unloaded
	// after this long: it no longer counts against MaxRooms, and a join or
	// resume brings it back from the store (default 10 min).
	LobbyIdle time.Duration
	// Retain: finished games are deleted this long after their end (default
	// 90 days); RetainIdle: unfinished rooms in which nothing changed for
	// this long are deleted (default 7 days). Negative: keep forever.
	Retain     time.Duration
	RetainIdle time.Duration
	// ForwardedHeader names the header in which a trusted reverse proxy
	// writes the client's address (e.g. X-Forwarded-For); "" uses the peer.
	ForwardedHeader string
	// NoLimits turns off the per-address and global budgets and the
	// connection caps, for load tests from one machine. Never on the internet.
	NoLimits bool
	Writers  int // writer goroutines of the pool (default 4 × GOMAXPROCS)
	// Scenarios is a directory of a trainer's scenario files (*.yaml),
	// offered beside the shipped ones; broken files are logged and skipped.
	Scenarios string
	// Previews is how many balance previews may run at once (default 2).
	Previews int
	// Secret signs the connections one cluster node forwards to another
	// (forward.go); required when Store is a cluster node's.
	Secret string
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
	def(&c.EntryBurst, 60)
	def(&c.CreateBurst, 30)
	def(&c.MaxClients, 20_000)
	def(&c.AddrConns, 100)
	def(&c.Writers, defaultWriters())
	def(&c.Previews, 2)
	fdef := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	if c.Rate <= 0 {
		c.Rate = 20
	}
	fdef(&c.GuessRate, 1)
	fdef(&c.GlobalGuessRate, 5)
	fdef(&c.EntryRate, 1)
	fdef(&c.GlobalEntryRate, 200)
	fdef(&c.CreateRate, 1.0/20)
	fdef(&c.GlobalCreateRate, 0.5)
	ddef := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	ddef(&c.HelloWait, 10*time.Second)
	ddef(&c.LobbyIdle, 10*time.Minute)
	ddef(&c.Retain, 90*24*time.Hour)
	ddef(&c.RetainIdle, 7*24*time.Hour)
	if c.NoLimits {
		c.GuessRate, c.EntryRate, c.CreateRate = -1, -1, -1
		c.MaxClients, c.AddrConns = 1<<30, 1<<30
	}
}

// Hub is the set of rooms of one server.
type Hub struct {
	cfg   Config
	store *store.Store
	m     *metrics
	// deps is what every room gets from the hub (deps.go).
	deps deps
	up   websocket.Upgrader

	guesses *budget // wrong codes and tokens
	entries *budget // creates, joins, resumes, table lists, HTTP reports
	creates *budget // rooms created

	mu       sync.Mutex
	rooms    map[string]*Room
	tokens   map[string]string    // seat token → room code
	facs     map[string][]string  // facilitator token → room codes
	perAddr  map[string]int       // open connections per address group
	open     int                  // open connections, upgrades in flight included
	clients  map[*client]struct{} // every open connection, for Close
	live     int                  // rooms whose game is not over
	closed   bool
	previews map[string]bool // address groups with a preview running
	w        *writers        // the writer pool every connection's frames go through
	stop     chan struct{}   // closed by Close: ends the pinger
	nextSlot uint32          // ping slot of the next connection
	wg       sync.WaitGroup

	library      []trainerScenario // serve -scenarios DIR; read-only after New
	previewSlots chan struct{}     // previews running now, at most Config.Previews

	node     store.Node  // in a cluster: this node (Name == "" otherwise)
	draining atomic.Bool // SIGTERM: /readyz says 503 while rooms are handed over
	leaving  atomic.Bool // Handover began: joins and resumes are sent elsewhere
}

// New makes a Hub and rebuilds every unfinished room in the store by
// replaying its log, with its code and tokens still valid; a cluster node
// instead loads a room when it claims it (forward.go).
func New(cfg Config) (*Hub, error) {
	if cfg.Store == nil {
		return nil, errors.New("room: Config.Store is required")
	}
	cfg.defaults()
	h := &Hub{cfg: cfg, store: cfg.Store, m: newMetrics(),
		rooms: map[string]*Room{}, tokens: map[string]string{}, facs: map[string][]string{},
		perAddr: map[string]int{}, clients: map[*client]struct{}{}, previews: map[string]bool{},
		library: loadLibrary(cfg.Scenarios), previewSlots: make(chan struct{}, cfg.Previews),
		guesses: newBudget(cfg.GuessRate, cfg.GuessBurst, cfg.GlobalGuessRate, 100),
		entries: newBudget(cfg.EntryRate, cfg.EntryBurst, cfg.GlobalEntryRate, int(10*cfg.GlobalEntryRate)),
		creates: newBudget(cfg.CreateRate, cfg.CreateBurst, cfg.GlobalCreateRate, 100),
		w:       newWriters(cfg.Writers), stop: make(chan struct{})}
	// Small read buffers (client messages are a few hundred bytes) and a
	// pool for write buffers, which a connection holds only while writing:
	// about 11 KiB less per connected player (server/PERFORMANCE.md).
	h.deps = deps{log: cfg.Store, m: h.m, limits: limits{MaxConns: cfg.MaxConns, LobbyIdle: cfg.LobbyIdle}, hub: h}
	h.up = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}, CheckOrigin: h.checkOrigin}
	h.node = cfg.Store.Self()
	if h.node.Name != "" && cfg.Secret == "" {
		return nil, errors.New("room: a cluster node needs the cluster secret (Config.Secret)")
	}
	h.m.storeMetrics(cfg.Store)
	// Every room's tokens, finished and idle ones included, so that they
	// keep working after a restart; the rooms themselves load when asked.
	all, err := h.store.All()
	if err != nil {
		return nil, err
	}
	lobby := map[string]bool{}
	for _, sr := range all {
		m, _, err := metaOf(h.store, sr)
		if err != nil {
			slog.Error("room not indexed", "code", sr.Code, "err", err)
			continue
		}
		h.index(sr, &m)
		lobby[sr.Code] = !m.Started
	}
	var rs []store.Room
	if h.node.Name != "" {
		go h.leaser() // in a cluster, rooms are claimed when asked for, or once their owner is gone
	} else if rs, err = h.store.Unfinished(); err != nil {
		return nil, err
	}
	for _, sr := range rs {
		if lobby[sr.Code] {
			continue // nothing happens in a lobby until someone joins, which loads it
		}
		r, err := restore(h, sr)
		if err != nil {
			// One broken room must not keep the others from the workshop.
			slog.Error("room not restored", "code", sr.Code, "err", err)
			continue
		}
		h.add(r)
		slog.Info("room restored", "code", r.code, "version", r.game.Version, "phase", r.game.Phase.String())
	}
	h.purge(time.Now())
	go h.pinger()
	go h.janitor()
	return h, nil
}

// index records a stored room's facilitator and seat tokens.
func (h *Hub) index(sr store.Room, m *meta) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !slices.Contains(h.facs[sr.Facilitator], sr.Code) {
		h.facs[sr.Facilitator] = append(h.facs[sr.Facilitator], sr.Code)
	}
	for _, s := range m.Seats {
		h.tokens[s.Token] = sr.Code
	}
}

// janitor unloads idle rooms (LobbyIdle) and deletes expired ones (Retain).
func (h *Hub) janitor() {
	every := min(h.cfg.LobbyIdle/4, time.Minute)
	t := time.NewTicker(max(every, 10*time.Millisecond))
	defer t.Stop()
	lastPurge := time.Now()
	for {
		select {
		case <-h.stop:
			return
		case now := <-t.C:
			h.mu.Lock()
			rooms := slices.Collect(maps.Values(h.rooms)) // a snapshot, to call them without h.mu
			h.mu.Unlock()
			for _, r := range rooms {
				r.do(func() { r.unloadIfIdle(now) })
			}
			if now.Sub(lastPurge) >= time.Hour {
				lastPurge = now
				h.purge(now)
			}
		}
	}
}

// purge deletes the rooms whose retention ran out, except rooms in memory.
func (h *Hub) purge(now time.Time) {
	var fin, idle time.Time // zero: nothing is that old
	if h.cfg.Retain > 0 {
		fin = now.Add(-h.cfg.Retain)
	}
	if h.cfg.RetainIdle > 0 {
		idle = now.Add(-h.cfg.RetainIdle)
	}
	rs, err := h.store.Expired(fin, idle)
	if err != nil {
		slog.Error("retention", "err", err)
		return
	}
	for _, sr := range rs {
		if h.inMemory(sr.Code) != nil {
			continue
		}
		m, _, merr := metaOf(h.store, sr)
		if err := h.store.Delete(sr.Code, now); err != nil {
			slog.Error("retention", "err", err)
			continue
		}
		h.mu.Lock()
		if merr != nil { // the tokens are unknown: drop every one that names the room
			for tok, code := range h.tokens {
				if code == sr.Code {
					delete(h.tokens, tok)
				}
			}
		}
		for _, s := range m.Seats {
			delete(h.tokens, s.Token)
		}
		codes := slices.DeleteFunc(h.facs[sr.Facilitator], func(c string) bool { return c == sr.Code })
		if len(codes) == 0 {
			delete(h.facs, sr.Facilitator)
		} else {
			h.facs[sr.Facilitator] = codes
		}
		h.mu.Unlock()
		slog.Info("retention: room deleted", "code", sr.Code, "finished", !sr.Finished.IsZero())
	}
}

// unload drops an idle room from memory (a finished one nobody looks at, or
// an unfinished one where nothing can happen): it stops counting against
// MaxRooms and comes back from the store when someone asks; its tokens stay
// indexed. It refuses (false) while anyone holds the room to hand it work
// (acquire) or work waits in its inbox, so that no request is queued to a
// room whose goroutine has ended.
func (h *Hub) unload(r *Room) bool {
	h.mu.Lock()
	if r.refs > 0 || len(r.inbox) > 0 {
		h.mu.Unlock()
		return false
	}
	h.forget(r)
	h.mu.Unlock()
	// In a cluster, another node may take the room at once.
	if err := h.store.Release(r.code); err != nil {
		slog.Warn("release an unloaded room's lease", "code", r.code, "err", err)
	}
	return true
}

// forget drops a room from the hub's rooms; h.mu is held.
func (h *Hub) forget(r *Room) {
	if h.rooms[r.code] == r {
		delete(h.rooms, r.code)
		if !r.over {
			h.live--
			h.m.rooms.Dec()
		}
	}
}

// drop forgets a room that moved to another node, whoever still holds it.
func (h *Hub) drop(r *Room) {
	h.mu.Lock()
	h.forget(r)
	h.mu.Unlock()
}

// release ends an acquire once the work is queued.
func (h *Hub) release(r *Room) {
	h.mu.Lock()
	r.refs--
	h.mu.Unlock()
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
	rooms := slices.Collect(maps.Values(h.rooms)) // a snapshot, to call them without h.mu
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
	if h.perAddr[c.key]--; h.perAddr[c.key] <= 0 {
		delete(h.perAddr, c.key)
	}
	h.open--
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

// acquire returns the room with that code, loading it from the store if
// need be, held against unloading until release; nil if there is none, or
// (in a cluster) if another node holds it: then the error is a
// *store.HeldError naming the owner.
func (h *Hub) acquire(code string) (*Room, error) {
	h.mu.Lock()
	r := h.rooms[code]
	if r != nil {
		r.refs++
	}
	h.mu.Unlock()
	if r == nil {
		return h.lookup(code)
	}
	return r, nil
}

// inMemory is the room if it is loaded, without looking in the store.
func (h *Hub) inMemory(code string) *Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[code]
}

// lookup brings a room back from the store that is not in memory: a
// finished one, for a late resume after everyone had left it, or an idle or
// not yet started one. The room is returned acquired.
func (h *Hub) lookup(code string) (*Room, error) {
	if code == "" {
		return nil, store.ErrNotFound
	}
	if h.node.Name != "" {
		if err := h.claim(code); err != nil {
			return nil, err
		}
	}
	sr, err := h.store.Room(code)
	var r *Room
	if err == nil {
		if r, err = restore(h, sr); err != nil {
			slog.Error("room not restored", "code", code, "err", err)
			err = &codeError{protocol.CodeInternal, "this room's log could not be replayed; the facilitator should start a new one"}
		}
	}
	if err != nil {
		if h.inMemory(code) == nil {
			h.store.Release(code) // in a cluster: no lease held for a room that is not here
		}
		return nil, err
	}
	h.mu.Lock()
	if old := h.rooms[code]; old != nil || h.closed {
		if old != nil {
			old.refs++
		}
		h.mu.Unlock()
		return old, nil
	}
	h.mu.Unlock()
	r.refs = 1 // not yet shared
	h.add(r)
	return r, nil
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
	key := h.RemoteKey(r)
	fkey, asked, from, err := h.forwardedKey(r)
	if err != nil {
		slog.Warn("forwarded connection refused", "addr", key, "err", err)
		http.Error(w, "forbidden: "+err.Error(), http.StatusForbidden)
		return
	}
	if from {
		key = fkey // the client another node forwards: its limits are the client's
	}
	h.mu.Lock()
	switch {
	case h.open >= h.cfg.MaxClients:
		h.mu.Unlock()
		h.m.refused.WithLabelValues("server_full").Inc()
		http.Error(w, "the server is full; try again later", http.StatusServiceUnavailable)
		return
	case h.perAddr[key] >= h.cfg.AddrConns:
		h.mu.Unlock()
		h.m.refused.WithLabelValues("address_full").Inc()
		http.Error(w, "too many connections from this address", http.StatusTooManyRequests)
		return
	}
	h.perAddr[key]++ // reserved now, so that a burst of upgrades cannot pass the caps
	h.open++
	h.mu.Unlock()
	ws, err := h.up.Upgrade(framing{w}, r, nil) // the writers write the socket themselves (frames.go)
	if err != nil {
		h.mu.Lock()
		if h.perAddr[key]--; h.perAddr[key] <= 0 {
			delete(h.perAddr, key)
		}
		h.open--
		h.mu.Unlock()
		return // the upgrader has answered
	}
	c := &client{hub: h, w: h.w, ws: ws, addr: key, key: key, quit: make(chan struct{}),
		limiter: rate.NewLimiter(rate.Limit(h.cfg.Rate), h.cfg.Burst), seat: -2, from: from, asked: asked}
	h.mu.Lock()
	if h.closed {
		if h.perAddr[key]--; h.perAddr[key] <= 0 {
			delete(h.perAddr, key)
		}
		h.open--
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
		if !h.entryAllowed(c, m.ID) {
			return
		}
		if m.Kind != protocol.KindCreate && !h.guessAllowed(c, m.ID) {
			return
		}
		h.enter(c, m)
	case protocol.KindTables:
		if !h.entryAllowed(c, m.ID) || !h.guessAllowed(c, m.ID) {
			return
		}
		ts, err := h.Tables(m.Token)
		if err != nil {
			h.guessed(c)
			c.fail(m.ID, protocol.CodeUnauthorized, err.Error())
			return
		}
		c.reply(protocol.ServerMsg{Kind: protocol.KindTableList, Re: m.ID, Tables: ts})
	case protocol.KindScenarios:
		c.reply(protocol.ServerMsg{Kind: protocol.KindScenarioList, Re: m.ID, Scenarios: h.choices()})
	case protocol.KindCheck, protocol.KindPreview:
		if !h.entryAllowed(c, m.ID) {
			return
		}
		if m.Kind == protocol.KindCheck {
			h.check(c, m)
		} else {
			h.preview(c, m)
		}
	default:
		r := c.room.Load()
		if r == nil {
			c.fail(m.ID, protocol.CodeBadMessage, "join, create or resume a room first")
			return
		}
		if m.Kind == protocol.KindAssign && m.Code != "" {
			h.move(c, m, r)
			return
		}
		at := time.Now()
		r.do(func() {
			if r.handle(c, m, time.Now()) {
				h.m.latency.Observe(time.Since(at).Seconds())
			}
		})
	}
}

// enter handles create, join and resume for a connection in no room. A
// connection stays in one room for its life, so that only that room's
// goroutine ever touches its seat and role.
func (h *Hub) enter(c *client, m protocol.ClientMsg) {
	if !c.from {
		c.asked = time.Now()
	}
	switch m.Kind {
	case protocol.KindCreate:
		h.create(c, m)
	case protocol.KindJoin:
		r, answered := h.reach(c, m, normCode(m.Code))
		if answered {
			return
		}
		if r == nil {
			h.guessed(c)
			c.fail(m.ID, protocol.CodeUnknownRoom, fmt.Sprintf("no room %q", m.Code))
			return
		}
		seated := true
		r.call(func() { seated = r.join(c, m, false, time.Now()) })
		if !seated && !h.spread(c, m, r) {
			r.call(func() { r.overflow(c, m, time.Now()) })
		}
		h.release(r)
	case protocol.KindResume:
		h.resume(c, m)
	}
}

// spread seats a joiner whom table from has no seat for at another table of
// the same facilitator that is loaded, not locked and has a free seat of the
// role; false if none has.
func (h *Hub) spread(c *client, m protocol.ClientMsg, from *Room) bool {
	h.mu.Lock()
	var others []*Room
	for _, code := range h.facs[from.fac] {
		if o := h.rooms[code]; o != nil && o != from {
			o.refs++
			others = append(others, o)
		}
	}
	h.mu.Unlock()
	m.Seat = nil // a seat number was asked of the first table
	seated := false
	for _, o := range others {
		if !seated {
			o.call(func() { seated = o.join(c, m, true, time.Now()) })
		}
		h.release(o)
	}
	return seated
}

// move carries out a facilitator's assign with a code: connection m.Conn
// of table from leaves it (its seat, if any, is freed for a bot) and takes
// a free seat of its role at table m.Code of the same facilitator, or
// watches there as an observer. A target table that is over, locked or full
// of connections is refused before anyone moves.
func (h *Hub) move(c *client, m protocol.ClientMsg, from *Room) {
	code := normCode(m.Code)
	h.mu.Lock()
	mine := slices.Contains(h.facs[from.fac], code)
	h.mu.Unlock()
	var who *client
	var err error
	join := protocol.ClientMsg{Kind: protocol.KindJoin}
	from.call(func() {
		switch {
		case c.role != protocol.RoleFacilitator:
			err = &codeError{protocol.CodeUnauthorized, "assign is a facilitator order"}
		case !mine:
			err = &codeError{protocol.CodeBadMessage, fmt.Sprintf("%q is not one of your tables", m.Code)}
		case code == from.code:
			err = &codeError{protocol.CodeBadMessage, "that connection is at this table already; give a seat instead of a code"}
		}
		for k := range from.conns {
			if k.id == m.Conn && k.role != protocol.RoleFacilitator {
				who = k
			}
		}
		if err == nil && who == nil {
			err = &codeError{protocol.CodeBadMessage, fmt.Sprintf("no player or observer connection %d", m.Conn)}
		}
	})
	var to *Room
	if err == nil {
		var aerr error
		if to, aerr = h.acquire(code); errors.Is(aerr, store.ErrLeaseHeld) {
			err = &codeError{protocol.CodeBadMessage, fmt.Sprintf("table %s is served by another server of the cluster just now; people move between tables of one server only", code)}
		} else if to == nil {
			err = &codeError{protocol.CodeUnknownRoom, fmt.Sprintf("no table %s", code)}
		} else {
			defer h.release(to)
			to.call(func() {
				switch {
				case to.over:
					err = &codeError{protocol.CodeGameOver, fmt.Sprintf("the game at table %s is over", code)}
				case to.meta.Locked:
					err = &codeError{protocol.CodeRoomLocked, fmt.Sprintf("table %s is locked", code)}
				case len(to.conns) >= h.cfg.MaxConns:
					err = &codeError{protocol.CodeRoomFull, fmt.Sprintf("table %s has its maximum of connections", code)}
				}
			})
		}
	}
	if err == nil {
		from.call(func() {
			if _, ok := from.conns[who]; !ok {
				err = &codeError{protocol.CodeBadMessage, fmt.Sprintf("connection %d has left", m.Conn)}
				return
			}
			join.Role, join.Name = who.role, who.name
			if join.Name == "" {
				join.Name = fmt.Sprintf("Player %d", who.id)
			}
			err = from.depart(who, time.Now())
		})
	}
	if err != nil {
		code, msg := codeOf(err)
		c.fail(m.ID, code, msg)
		return
	}
	to.call(func() {
		if !to.join(who, join, true, time.Now()) {
			join.Role = protocol.RoleObserver
			to.join(who, join, false, time.Now())
		}
	})
	c.reply(protocol.ServerMsg{Kind: protocol.KindOK, Re: m.ID})
}

func (h *Hub) resume(c *client, m protocol.ClientMsg) {
	h.mu.Lock()
	code, ok := h.tokens[m.Token]
	if h.node.Name != "" && m.Code != "" {
		// A cluster routes by the code (this node's index knows only the
		// tokens of rooms it has seen); the room checks the token.
		code, ok = normCode(m.Code), true
	}
	if !ok && m.Token != "" {
		if codes := h.facs[m.Token]; len(codes) > 0 {
			code, ok = normCode(m.Code), slices.Contains(codes, normCode(m.Code))
			if m.Code == "" {
				code, ok = codes[len(codes)-1], true // the newest table
			}
		}
	}
	h.mu.Unlock()
	var r *Room
	if ok {
		var answered bool
		if r, answered = h.reach(c, m, code); answered {
			return
		}
	}
	if r == nil {
		h.guessed(c)
		c.fail(m.ID, protocol.CodeUnauthorized, "no seat or table with that token here")
		return
	}
	r.do(func() { r.resume(c, m, time.Now()) })
	h.release(r)
}

func (h *Hub) create(c *client, m protocol.ClientMsg) {
	req := m.Create
	if req == nil {
		c.fail(m.ID, protocol.CodeBadMessage, "create needs its create field")
		return
	}
	if !h.creates.allow(c.key) {
		c.fail(m.ID, protocol.CodeRateLimited, "too many new rooms from this address (or from everybody) just now; wait a little")
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
		if rs, err := h.store.ByFacilitator(fac); err != nil || len(rs) == 0 {
			h.guessed(c)
			c.fail(m.ID, protocol.CodeUnauthorized, "unknown facilitator token")
			return
		}
	}
	if fac == "" {
		fac = newToken()
	}
	var r *Room
	scn, src, err := h.scenarioOf(req)
	if err == nil {
		for range 5 { // a code collision is one in hundreds of millions
			r, err = create(h, newCode(), fac, *req, scn, src, time.Now())
			if !errors.Is(err, errCodeTaken) {
				break
			}
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
	slog.Info("room created", "code", r.code, "scenario", r.scn.ID, "managers", r.game.Managers(), "solo", req.Solo)
	r.do(func() { r.admitCreator(c, m.ID, time.Now()) })
}

// guessAllowed refuses a join, resume or token check from an address group
// that has failed too often, or while everybody together has: room codes
// and tokens must not be guessable by brute force, from one address or many.
func (h *Hub) guessAllowed(c *client, re uint32) bool {
	if !h.guesses.left(c.key) {
		c.fail(re, protocol.CodeRateLimited, "too many wrong codes or tokens from this address (or from everybody) just now; wait a little")
		return false
	}
	return true
}

// guessed charges a failed join, resume or token check to the client's
// address group and to the global budget.
func (h *Hub) guessed(c *client) { h.guesses.charge(c.key) }

// entryAllowed spends one of the address group's creates, joins, resumes
// and table lists.
func (h *Hub) entryAllowed(c *client, re uint32) bool {
	if !h.entries.allow(c.key) {
		c.fail(re, protocol.CodeRateLimited, "too many requests to enter rooms from this address (or from everybody) just now; wait a little")
		return false
	}
	return true
}

// Tables lists every table of a facilitator token, finished ones included,
// oldest first. An unknown token is an error.
func (h *Hub) Tables(token string) ([]protocol.Table, error) {
	if token == "" {
		return nil, errors.New("a facilitator token is required")
	}
	rs, err := h.store.ByFacilitator(token)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, errors.New("unknown facilitator token")
	}
	out := make([]protocol.Table, 0, len(rs))
	for _, sr := range rs {
		t := protocol.Table{Code: sr.Code, Scenario: sr.Scenario, Phase: "over", Over: true}
		if sr.Finished.IsZero() {
			t.Phase, t.Over = "idle", false // unloaded while nobody was there; a resume brings it back
		}
		if r := h.inMemory(sr.Code); r != nil {
			r.call(func() { t = r.listing() })
		}
		out = append(out, t)
	}
	return out, nil
}
