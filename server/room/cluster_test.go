package room

import (
	"database/sql"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/server/store/pgtest"
	"pushback/server/wsclient"
	"pushback/sim"
)

const testSecret = "a secret the nodes share"

// node is one cluster node in process: a Hub on a cluster store of a
// pgtest database, behind a real HTTP server on loopback whose URL it
// advertises.
type node struct {
	*server
	http string // its advertised URL
}

func startNode(t *testing.T, dsn, name string, ttl time.Duration, cfg Config) *node {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	st, err := store.OpenCluster(dsn, store.Node{Name: name, Addr: addr, TTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Secret = st, testSecret
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/ws", h)
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux}}
	srv.Start()
	s := &server{t: t, hub: h, st: st, srv: srv, url: "ws" + strings.TrimPrefix(addr, "http") + "/ws"}
	t.Cleanup(s.stop)
	return &node{server: s, http: addr}
}

// value reads a gauge or counter.
func value(m prometheus.Metric) float64 {
	var d dto.Metric
	m.Write(&d)
	if d.Gauge != nil {
		return d.Gauge.GetValue()
	}
	return d.Counter.GetValue()
}

// oneManager creates, through fac's node, a room with a bot executive and
// one manager seat, which a player takes through pl's node; the game is
// started.
func oneManager(t *testing.T, fac, pl *wsclient.Client) (code, facTok string, p *wsclient.Bot) {
	t.Helper()
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 1, Seed: 5}}).Joined
	jj := pl.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Ada", Role: protocol.RoleManager}).Joined
	scn := loadScenario(t)
	p = &wsclient.Bot{Client: pl, Seat: jj.Seat, Token: jj.Token, Style: scn.Style("advocate"), Rng: rand.New(rand.NewPCG(1, 2))}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	p.WaitView(func(v *protocol.View) bool { return v.Room.Started })
	return j.Code, j.Facilitator, p
}

// move makes the player's next decision once it owes one; false when the
// game is over. The answer is returned.
func move(t *testing.T, p *wsclient.Bot, scn *sim.Scenario) (protocol.ServerMsg, bool) {
	t.Helper()
	v := p.WaitView(func(v *protocol.View) bool { return v.Room.Over || wsclient.Owes(v, p.Seat) })
	if v.Room.Over {
		return protocol.ServerMsg{}, false
	}
	cmd, _ := p.Decide(scn)
	return p.Req(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: v.Game.Version}), true
}

// rawResume resumes a seat on a plain WebSocket, for reading its close code.
func rawResume(t *testing.T, url, code, token string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	for _, m := range []protocol.ClientMsg{{Kind: protocol.KindHello, V: protocol.Version, ID: 1}, {Kind: protocol.KindResume, ID: 2, Code: code, Token: token}} {
		if _, err := wsclient.Request(ws, m, nil); err != nil {
			t.Fatalf("%s: %v", m.Kind, err)
		}
	}
	return ws
}

// closeCode reads until the server closes the connection and returns the
// close code.
func closeCode(t *testing.T, ws *websocket.Conn) int {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(wsclient.Wait))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("the connection ended without a close frame: %v", err)
			}
			return ce.Code
		}
	}
}

// A workshop played with the facilitator on one node and the player on
// another: the player's node forwards the connection to the room's owner
// and relays every frame; the game plays to its end and a resume through
// either node finds the seat.
func TestClusterForwardedJoinPlays(t *testing.T) {
	dsn := pgtest.Database(t)
	a := startNode(t, dsn, "a", time.Second, Config{})
	b := startNode(t, dsn, "b", time.Second, Config{})
	code, _, p := oneManager(t, wsclient.Dial(t, a.url), wsclient.Dial(t, b.url))
	if got := value(b.hub.m.forwarded); got != 1 {
		t.Fatalf("b relays %v connections, want 1", got)
	}
	if l, err := a.st.Owner(code); err != nil || l.Node != "a" {
		t.Fatalf("owner %+v, %v", l, err)
	}
	if b.hub.inMemory(code) != nil {
		t.Fatal("the room was loaded on the forwarding node")
	}
	scn := loadScenario(t)
	moves := 0
	for {
		ans, ok := move(t, p, scn)
		if !ok {
			break
		}
		if ans.Kind != protocol.KindOK {
			t.Fatalf("move %d: %+v %v", moves, ans, ans.Error)
		}
		moves++
	}
	if moves == 0 {
		t.Fatal("the player never moved")
	}
	// The seat comes back through the other node too.
	for _, n := range []*node{a, b} {
		c := wsclient.Dial(t, n.url)
		if j := c.Must(protocol.ClientMsg{Kind: protocol.KindResume, Code: code, Token: p.Token}).Joined; j.Seat != p.Seat {
			t.Fatalf("resume through %s: %+v", n.http, j)
		}
	}
}

// The owner applies its per-address limits to the real client behind a
// forward (signed by the forwarding node), and refuses a forged or unsigned
// forward header with 403.
func TestClusterForwardCarriesClientAddress(t *testing.T) {
	dsn := pgtest.Database(t)
	a := startNode(t, dsn, "a", time.Second, Config{AddrConns: 2})
	b := startNode(t, dsn, "b", time.Second, Config{})
	j := wsclient.Dial(t, a.url).Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Audience: true}}).Joined
	from := loopDialer(0, 9, 7)
	for i := range 2 {
		c := dialFrom(t, b.url, from)
		c.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Viewer " + strconv.Itoa(i), Role: protocol.RoleObserver})
	}
	a.hub.mu.Lock()
	n := a.hub.perAddr["127.0.9.7"]
	a.hub.mu.Unlock()
	if n != 2 {
		t.Fatalf("the owner counts %d connections of the real client, want 2", n)
	}
	c := dialFrom(t, b.url, from)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Third", Role: protocol.RoleObserver}, protocol.CodeRateLimited)

	for _, h := range []string{
		"127.0.0.1;" + strconv.FormatInt(time.Now().UnixMilli(), 10) + ";" + strconv.FormatInt(time.Now().UnixMilli(), 10) + ";deadbeef",
		b.hub.sign("127.0.0.1", time.Now().Add(-time.Hour), time.Now()), // signed, but old
		"anything",
	} {
		_, resp, err := websocket.DefaultDialer.Dial(a.url, http.Header{ForwardHeader: {h}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("forward header %q: %v %v, want 403", h, resp, err)
		}
	}
}

// An owner whose lease another node took after it expired stops its room:
// every connection is closed with 1012, and nothing more is appended under
// its stale epoch.
func TestClusterStolenLeaseStopsRoom(t *testing.T) {
	dsn := pgtest.Database(t)
	a := startNode(t, dsn, "a", time.Second, Config{})
	b := startNode(t, dsn, "b", time.Second, Config{})
	code, _, p := oneManager(t, wsclient.Dial(t, a.url), wsclient.Dial(t, a.url))
	ws := rawResume(t, a.url, code, p.Token) // replaces p's connection
	p.WaitClosed()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// a is stalled (as if paused): its lease runs out and b claims it. a
	// renews every third of a second, so the lease is expired and claimed
	// until b wins.
	for {
		if _, err := db.Exec(`UPDATE leases SET expires = 0 WHERE room = $1`, code); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.Claim(code); err == nil {
			break
		}
	}
	var before int
	db.QueryRow(`SELECT count(*) FROM commands WHERE room = $1`, code).Scan(&before)
	if got := closeCode(t, ws); got != websocket.CloseServiceRestart {
		t.Fatalf("close code %d, want 1012", got)
	}
	if got := value(a.hub.m.leaseLost); got != 1 {
		t.Fatalf("lease lost %v, want 1", got)
	}
	if a.hub.inMemory(code) != nil {
		t.Fatal("the room is still loaded on its former owner")
	}
	var after int
	db.QueryRow(`SELECT count(*) FROM commands WHERE room = $1 AND epoch = 1`, code).Scan(&after)
	if after > before {
		t.Fatalf("the former owner appended %d commands after losing its lease", after-before)
	}
	// The player comes back through the former owner, which forwards to b.
	c := wsclient.Dial(t, a.url)
	c.Must(protocol.ClientMsg{Kind: protocol.KindResume, Code: code, Token: p.Token})
	if b.hub.inMemory(code) == nil {
		t.Fatal("b does not serve the room it claimed")
	}
}

// A database out of reach mid-game: a command is refused with the clear,
// retryable error and nothing is acknowledged; once the database answers
// again the room reloads from its log and play goes on, every acknowledged
// command in the log.
func TestClusterDatabaseOutage(t *testing.T) {
	pg := newPGProxy(t, pgtest.Database(t))
	a := startNode(t, pg.url, "a", time.Second, Config{})
	code, _, p := oneManager(t, wsclient.Dial(t, a.url), wsclient.Dial(t, a.url))
	scn := loadScenario(t)
	acked := 0
	for range 3 {
		if ans, ok := move(t, p, scn); !ok || ans.Kind != protocol.KindOK {
			t.Fatalf("before the outage: %+v", ans)
		}
		acked++
	}
	pg.cut()
	ans, _ := move(t, p, scn)
	if ans.Kind != protocol.KindError || ans.Error.Code != protocol.CodeInternal || !strings.Contains(ans.Error.Message, "database cannot be reached") {
		t.Fatalf("a command during the outage: %+v %v", ans, ans.Error)
	}
	pg.mend()
	// The database answers again: the same decision goes through, and play
	// continues to the end.
	for {
		ans, ok := move(t, p, scn)
		if !ok {
			break
		}
		if ans.Kind == protocol.KindError && ans.Error.Code == protocol.CodeInternal {
			time.Sleep(100 * time.Millisecond) // the pool reconnects
			continue
		}
		if ans.Kind != protocol.KindOK {
			t.Fatalf("after the outage: %+v %v", ans, ans.Error)
		}
		acked++
	}
	log, err := a.st.Log(code)
	if err != nil {
		t.Fatal(err)
	}
	mine := 0
	for _, e := range log {
		if e.Command.Seat == p.Seat {
			mine++
		}
	}
	if mine != acked {
		t.Fatalf("the log holds %d of the player's commands; %d were acknowledged", mine, acked)
	}
	if v := p.View.Game.Version; log[len(log)-1].Seq != v {
		t.Fatalf("the log ends at version %d, the game at %d", log[len(log)-1].Seq, v)
	}
}

// Drain: the owner hands its rooms over (lease released, connections closed
// with 1012, the forwarded ones too) and another node claims at once, long
// before the lease would have run out.
func TestClusterHandoverReleasesAtOnce(t *testing.T) {
	dsn := pgtest.Database(t)
	a := startNode(t, dsn, "a", time.Minute, Config{})
	b := startNode(t, dsn, "b", time.Minute, Config{})
	code, _, p := oneManager(t, wsclient.Dial(t, a.url), wsclient.Dial(t, a.url))
	direct := rawResume(t, a.url, code, p.Token)
	p.WaitClosed()
	fac := wsclient.Dial(t, a.url)
	obs := wsclient.Dial(t, b.url)
	obs.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Role: protocol.RoleObserver})
	_ = fac
	a.hub.Handover()
	if got := closeCode(t, direct); got != websocket.CloseServiceRestart {
		t.Fatalf("a player on the draining node: close code %d, want 1012", got)
	}
	obs.WaitClosed()
	if err := a.hub.Ready(); err == nil {
		t.Fatal("a draining node says it is ready")
	}
	// The lease (a minute long) was released: b serves the room now.
	c := wsclient.Dial(t, b.url)
	if j := c.Must(protocol.ClientMsg{Kind: protocol.KindResume, Code: code, Token: p.Token}).Joined; j.Seat != p.Seat {
		t.Fatalf("resume after the handover: %+v", j)
	}
	if l, _ := b.st.Owner(code); l.Node != "b" || l.Epoch != 2 {
		t.Fatalf("owner after the handover: %+v", l)
	}
}

// pgProxy is a TCP door to the test database's Unix socket, which a test
// closes (every connection cut, new ones refused) and opens again: the
// database out of reach and back, as a network cut makes it.
type pgProxy struct {
	t    *testing.T
	sock string
	addr string
	url  string
	mu   sync.Mutex
	ln   net.Listener
	open map[net.Conn]bool
}

func newPGProxy(t *testing.T, dsn string) *pgProxy {
	i := strings.Index(dsn, "host=")
	dir := dsn[i+len("host="):]
	dir = dir[:strings.Index(dir, "&")]
	name := dsn[strings.Index(dsn, "@/")+2 : strings.Index(dsn, "?")]
	p := &pgProxy{t: t, sock: filepath.Join(dir, ".s.PGSQL.5432"), open: map[net.Conn]bool{}}
	p.listen("127.0.0.1:0")
	p.url = "postgres://pushback@" + p.addr + "/" + name + "?sslmode=disable"
	t.Cleanup(p.cut)
	return p
}

func (p *pgProxy) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("unix", p.sock)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.open[c], p.open[up] = true, true
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close(); c.Close() }()
			go func() { io.Copy(c, up); up.Close(); c.Close() }()
		}
	}()
}

// cut closes the door and every connection through it.
func (p *pgProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for c := range p.open {
		c.Close()
	}
	p.open = map[net.Conn]bool{}
}

// mend opens the door again on the same address.
func (p *pgProxy) mend() { p.listen(p.addr) }

// eventually polls cond until it holds (the test's deadline bounds it).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(wsclient.Wait); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: not within %s", what, wsclient.Wait)
		}
	}
}

// A node that dies holding rooms (no release): once their leases run out,
// another node's janitor claims them with nobody connecting, so that bots
// and deadlines go on. A claim takes the facilitator's other tables that no
// node holds along, so that a trainer's tables stay on one node.
func TestClusterTakeoverAndTablesAlong(t *testing.T) {
	dsn := pgtest.Database(t)
	a := startNode(t, dsn, "a", time.Second, Config{})
	b := startNode(t, dsn, "b", time.Second, Config{})
	fac := wsclient.Dial(t, a.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined
	fac2 := wsclient.Dial(t, a.url)
	j2 := fac2.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Facilitator: j.Facilitator}}).Joined
	a.hub.Handover() // both released: no janitor takes a released room
	p := wsclient.Dial(t, b.url)
	p.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Ada"})
	eventually(t, "the facilitator's other table follows the first to b", func() bool { return b.hub.inMemory(j2.Code) != nil })
	if l, _ := b.st.Owner(j2.Code); l.Node != "b" {
		t.Fatalf("owner of the other table: %+v", l)
	}

	// c dies holding a room; b takes it over by itself.
	c := startNode(t, dsn, "c", time.Second, Config{})
	k := wsclient.Dial(t, c.url).Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined
	c.stop()
	eventually(t, "b claims the dead node's room", func() bool { return b.hub.inMemory(k.Code) != nil })
	if got := value(b.hub.m.claims); got < 3 {
		t.Fatalf("b counted %v claims, want 3", got)
	}
}

// An idle room unloaded from memory gives its lease up, so that any node
// claims it at once when someone comes back.
func TestClusterUnloadReleases(t *testing.T) {
	dsn := pgtest.Database(t)
	a := startNode(t, dsn, "a", time.Minute, Config{LobbyIdle: 50 * time.Millisecond})
	b := startNode(t, dsn, "b", time.Minute, Config{})
	fac := wsclient.Dial(t, a.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined
	fac.WS.Close()
	// The room leaves memory first and releases its lease right after.
	eventually(t, "the idle room unloads and releases its lease", func() bool {
		l, err := a.st.Owner(j.Code)
		return a.hub.inMemory(j.Code) == nil && err == nil && l.Node == "" && l.Left <= 0
	})
	wsclient.Dial(t, b.url).Must(protocol.ClientMsg{Kind: protocol.KindResume, Code: j.Code, Token: j.Facilitator})
	if l, _ := b.st.Owner(j.Code); l.Node != "b" {
		t.Fatalf("owner after the resume through b: %+v", l)
	}
}

// A forward that reaches the owner late (its node waited for a dead
// owner's lease) cannot take a seat from the same player's newer
// connection: of two resumes of one seat, the later ask keeps it, whatever
// order they arrive in.
func TestClusterLateForwardKeepsNewerSeat(t *testing.T) {
	dsn := pgtest.Database(t)
	a := startNode(t, dsn, "a", time.Minute, Config{})
	code, _, p := oneManager(t, wsclient.Dial(t, a.url), wsclient.Dial(t, a.url))
	direct := wsclient.Wrap(t, rawResume(t, a.url, code, p.Token)) // asked now, replaces p's first connection
	p.WaitClosed()
	seatFrom := func() bool {
		var from bool
		r := a.hub.inMemory(code)
		r.call(func() { from = r.meta.Seats[1].conn.from })
		return from
	}
	forward := func(asked time.Time) (protocol.ServerMsg, error) {
		hd := http.Header{ForwardHeader: {a.hub.sign("127.0.0.1", time.Now(), asked)}}
		ws, _, err := websocket.DefaultDialer.Dial(a.url, hd)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		if _, err := wsclient.Request(ws, protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version, ID: 1}, nil); err != nil {
			t.Fatal(err)
		}
		return wsclient.Request(ws, protocol.ClientMsg{Kind: protocol.KindResume, ID: 2, Code: code, Token: p.Token}, nil)
	}
	var ec wsclient.ErrCode
	if _, err := forward(time.Now().Add(-2 * time.Second)); !errors.As(err, &ec) || ec.Code != protocol.CodeReplaced {
		t.Fatalf("a resume asked before the seat's connection: %v, want %s", err, protocol.CodeReplaced)
	}
	if seatFrom() {
		t.Fatal("the late forward took the seat from the newer connection")
	}
	if ans, err := forward(time.Now()); err != nil || ans.Kind != protocol.KindJoined {
		t.Fatalf("a newer resume through a forward: %v %v", ans.Kind, err)
	}
	direct.WaitError(protocol.CodeReplaced)
	if !seatFrom() {
		t.Fatal("the newer forward did not take the seat")
	}
}
