package room

import (
	"context"
	"errors"
	"net"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/server/wsclient"
	"pushback/sim"
)

// loopDialer dials from a given loopback address (127.0.0.0/8 only).
func loopDialer(a, b, c byte) *websocket.Dialer {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, a, b, c)}}
	return &websocket.Dialer{NetDialContext: d.DialContext, HandshakeTimeout: 10 * time.Second}
}

// dialFrom connects from a loopback address and says hello.
func dialFrom(t testing.TB, url string, d *websocket.Dialer) *wsclient.Client {
	t.Helper()
	ws, _, err := d.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := wsclient.Wrap(t, ws)
	if m := c.Req(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version}); m.Kind != protocol.KindWelcome {
		t.Fatalf("hello answered with %+v", m)
	}
	return c
}

// Point 1: 500 anonymous creates, opened and dropped at once from ten
// addresses, do not stop a trainer from creating a room; the empty lobbies
// stop counting after LobbyIdle, and a restart does not bring them back
// (they load again only if someone joins).
func TestAnonymousCreatesCannotFillTheServer(t *testing.T) {
	s := startServer(t, Config{LobbyIdle: 300 * time.Millisecond})
	made := 0
	var codes []string
	for i := range 500 {
		c := dialFrom(t, s.url, loopDialer(0, 0, byte(10+i%10)))
		r := c.Req(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}})
		switch {
		case r.Kind == protocol.KindJoined:
			made++
			codes = append(codes, r.Joined.Code)
		case r.Error == nil || r.Error.Code != protocol.CodeRateLimited:
			t.Fatalf("create %d: %+v", i, r)
		}
		c.WS.Close()
	}
	if made > 200 {
		t.Fatalf("%d of 500 anonymous creates from ten addresses made a room", made)
	}
	// The trainer may have to wait for the global budget to refill (one
	// room every 2 s), but is never told the server is full.
	trainer := dialFrom(t, s.url, loopDialer(0, 0, 200))
	for i := 0; ; i++ {
		r := trainer.Req(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}})
		if r.Kind == protocol.KindJoined {
			break
		}
		if r.Error.Code != protocol.CodeRateLimited || i > 100 {
			t.Fatalf("the trainer's create after the flood: %s: %s", r.Error.Code, r.Error.Message)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The dropped lobbies are unloaded once idle; the trainer's stays.
	for i := 0; s.hub.Rooms() > 1; i++ {
		if i > 1000 {
			t.Fatalf("%d rooms still count after their creators left", s.hub.Rooms())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// After a restart no lobby is loaded, yet its code still works.
	s.stop()
	s2 := startServerIn(t, Config{}, s.dir)
	if n := s2.hub.Rooms(); n != 0 {
		t.Fatalf("%d abandoned lobbies restored at start", n)
	}
	wsclient.Dial(t, s2.url).Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: codes[0], Name: "Late"})
}

// Point 2: 300 resumes of one seat token, from several addresses, leave
// one connection on the seat: each replaces the one before, the room never
// holds more than MaxConns, and the other players keep their seats.
func TestResumeFloodReplacesTheSeat(t *testing.T) {
	s := startServer(t, Config{MaxConns: 16})
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{})
	token := tb.players[1].Joined.Token
	var last *wsclient.Client
	for i := range 300 {
		c := dialFrom(t, s.url, loopDialer(0, 1, byte(1+i%10)))
		if r := c.Req(protocol.ClientMsg{Kind: protocol.KindResume, Token: token}); r.Kind != protocol.KindJoined {
			t.Fatalf("resume %d: %+v", i, r.Error)
		}
		if last != nil {
			last.WaitClosed()
		}
		last = c
	}
	var n int
	tb.fac.Req(protocol.ClientMsg{Kind: protocol.KindLock, On: false}) // a fresh view
	v := tb.fac.WaitView(func(v *protocol.View) bool {
		n = len(v.Room.People)
		return n <= 16 && v.Room.Seats[1].Connected
	})
	if n > 16 {
		t.Fatalf("%d connections in a room capped at 16", n)
	}
	for s := 0; s < len(v.Room.Seats); s++ {
		if !v.Room.Seats[s].Connected {
			t.Errorf("seat %d lost its player", s)
		}
	}
	// Each resume cost a bystander a few frames, not one per copy.
	if got := len(tb.players[2].Frames()); got > 4*300+50 {
		t.Errorf("a bystander received %d frames during 300 resumes", got)
	}
}

// Point 3 for the room: a change the store refuses is refused, and not
// kept in memory. The disk-full case against the binary is in server/.
func TestUnsavedSeatChangeIsRefused(t *testing.T) {
	s := startServer(t, Config{})
	fac := wsclient.Dial(t, s.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined
	// The store's writes fail from now on: the database is closed under the room.
	s.st.Close()
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindLock, On: true}, protocol.CodeInternal)
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindStart}, protocol.CodeInternal)
	p := wsclient.Dial(t, s.url)
	p.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Ada"}, protocol.CodeInternal)
	v := fac.WaitView(func(*protocol.View) bool { return true })
	fac.Req(protocol.ClientMsg{Kind: protocol.KindContinue}) // an order that changes nothing: a fresh view
	v = fac.WaitView(func(x *protocol.View) bool { return x != v })
	if v.Room.Locked || v.Room.Started || v.Room.Seats[1].Human {
		t.Fatalf("refused changes are in the room: locked %v started %v seat 1 %+v", v.Room.Locked, v.Room.Started, v.Room.Seats[1])
	}
}

// Point 5: connections are capped per address and in all; a connection
// that never says hello is closed.
func TestConnectionCaps(t *testing.T) {
	s := startServer(t, Config{AddrConns: 3, MaxClients: 5, HelloWait: 300 * time.Millisecond})
	a := loopDialer(0, 2, 1)
	for range 3 {
		dialFrom(t, s.url, a)
	}
	if _, resp, err := a.Dial(s.url, nil); err == nil || resp == nil || resp.StatusCode != 429 {
		t.Fatalf("a 4th connection from one address: %v %v", resp, err)
	}
	b := loopDialer(0, 2, 2)
	dialFrom(t, s.url, b)
	silent, _, err := b.Dial(s.url, nil) // the 5th: says nothing
	if err != nil {
		t.Fatal(err)
	}
	if _, resp, err := loopDialer(0, 2, 3).Dial(s.url, nil); err == nil || resp == nil || resp.StatusCode != 503 {
		t.Fatalf("a connection past the server's cap: %v %v", resp, err)
	}
	silent.SetReadDeadline(time.Now().Add(wsclient.Wait))
	for {
		if _, _, err := silent.ReadMessage(); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("a connection that never said hello is still open")
			}
			break
		}
	}
	// Its place is free again.
	for i := 0; ; i++ {
		ws, _, err := loopDialer(0, 2, 3).Dial(s.url, nil)
		if err == nil {
			ws.Close()
			break
		}
		if i > 200 {
			t.Fatal("the silent connection's place was not freed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Point 6: wrong codes and tokens are budgeted per address and for
// everybody together, tables included; IPv6 addresses count by their /64.
func TestGuessingBudgets(t *testing.T) {
	if addrKey("2001:db8:1:2::1") != addrKey("2001:db8:1:2:ffff::9") || addrKey("2001:db8:1:2::1") == addrKey("2001:db8:1:3::1") {
		t.Fatal("IPv6 addresses are not grouped by /64")
	}
	if addrKey("::ffff:127.0.0.1") != "127.0.0.1" {
		t.Fatal("an IPv4-mapped address is not its IPv4 address")
	}
	s := startServer(t, Config{GuessBurst: 3, GuessRate: 0.001, GlobalGuessRate: 0.001})
	c := dialFrom(t, s.url, loopDialer(0, 3, 1))
	for range 3 {
		c.Fails(protocol.ClientMsg{Kind: protocol.KindTables, Token: "guess"}, protocol.CodeUnauthorized)
	}
	c.Fails(protocol.ClientMsg{Kind: protocol.KindTables, Token: "guess"}, protocol.CodeRateLimited)
	// Many addresses share one global budget (burst 100).
	limited := 0
	for i := range 60 {
		c := dialFrom(t, s.url, loopDialer(0, 3, byte(10+i)))
		for range 3 {
			r := c.Req(protocol.ClientMsg{Kind: protocol.KindJoin, Code: "ZZZZZZ", Name: "x"})
			if r.Error != nil && r.Error.Code == protocol.CodeRateLimited {
				limited++
			}
		}
		c.WS.Close()
	}
	if limited < 60 {
		t.Fatalf("180 guesses from 60 addresses: only %d were throttled", limited)
	}
}

// Point 7: after a restart the tokens of a finished game still work; the
// code alone no longer opens it.
func TestFinishedGameTokensSurviveRestart(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{})
	seatTok := tb.players[1].Joined.Token
	tb.fac.Must(protocol.ClientMsg{Kind: protocol.KindEnd})
	tb.fac.WaitView(func(v *protocol.View) bool { return v.Room.Over })
	s.stop()
	s2 := startServerIn(t, Config{}, s.dir)
	p := wsclient.Dial(t, s2.url)
	if j := p.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: seatTok}).Joined; j.Seat != 1 {
		t.Fatalf("resume of a finished game's seat: %+v", j)
	}
	waitDebrief(p)
	wsclient.Dial(t, s2.url).Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: tb.fac.Joined.Facilitator, Code: tb.code})
	o := wsclient.Dial(t, s2.url)
	o.Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Role: protocol.RoleObserver}, protocol.CodeGameOver)
	for _, f := range o.Frames() {
		if m, _ := protocol.DecodeServer(f); m.Kind == protocol.KindDebrief {
			t.Fatal("an observer with only the code received the debrief")
		}
	}
}

// Point 9: pings are counted like messages; a ping flood is disconnected.
func TestPingFloodIsDisconnected(t *testing.T) {
	s := startServer(t, Config{Rate: 5, Burst: 5, Strikes: 5})
	c := wsclient.Dial(t, s.url)
	for i := range 2000 {
		if err := c.WS.WriteControl(websocket.PingMessage, []byte("x"), time.Now().Add(time.Second)); err != nil {
			break
		}
		if i%100 == 99 {
			select {
			case <-c.Closed():
			default:
				continue
			}
			break
		}
	}
	c.WaitClosed()
}

// Point 10: retention deletes finished games and idle lobbies; their
// facilitator's report request learns they are gone, others learn nothing.
func TestRetention(t *testing.T) {
	s := startServer(t, Config{})
	fac := wsclient.Dial(t, s.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined
	fac.Must(protocol.ClientMsg{Kind: protocol.KindEnd})
	lobby := wsclient.Dial(t, s.url).Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined
	s.stop()
	time.Sleep(5 * time.Millisecond)
	s2 := startServerIn(t, Config{Retain: time.Millisecond, RetainIdle: time.Millisecond}, s.dir)
	for _, code := range []string{j.Code, lobby.Code} {
		if _, err := s2.st.Room(code); err == nil {
			t.Fatalf("room %s outlived its retention", code)
		}
	}
	if _, err := s2.hub.Game(j.Code, j.Facilitator); err == nil || !errors.Is(err, store.ErrGone) {
		t.Fatalf("report of a deleted game: %v", err)
	}
	if _, err := s2.hub.Game(j.Code, "guess"); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("report of a deleted game with a wrong token: %v", err)
	}
	wsclient.Dial(t, s2.url).Fails(protocol.ClientMsg{Kind: protocol.KindResume, Token: lobby.Facilitator}, protocol.CodeUnauthorized)
}

// Point 11: hostile names and texts are refused with a typed error.
func TestHostileText(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	fac := wsclient.Dial(t, s.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Executive: "human"}}).Joined
	for _, name := range []string{"Yes-man (bot)", "Eve\u202egnp", "\u200b\u200b", "\ufeff", "x\u0085y", "bad\xff", scn.Personas[0].Name} {
		wsclient.Dial(t, s.url).Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: name}, protocol.CodeBadMessage)
	}
	wsclient.Dial(t, s.url).Fails(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: protocol.RoleManager, Name: "Firebrand (bot)"}}, protocol.CodeBadMessage)
	e := wsclient.Dial(t, s.url)
	e.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Exec", Role: protocol.RoleExecutive})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	v := e.WaitView(func(v *protocol.View) bool { return v.Room.Started && v.Room.Seats[0].Pending })
	bad := sim.Command{Kind: sim.CmdMandate, Seat: 0, Card: scn.Mandates[0].ID, Target: 1, Framing: "ok \u202e\u2066 hidden"}
	e.Fails(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &bad, Based: v.Game.Version}, protocol.CodeBadCommand)
}

// Point 14: an error answering a request carries its id even when the
// request could not be decoded; out-of-range integers are refused.
func TestErrorsCarryRe(t *testing.T) {
	s := startServer(t, Config{})
	c := wsclient.Dial(t, s.url)
	for id, msg := range map[uint32]map[string]any{
		7: {"kind": "no-such-kind", "id": 7},
		8: {"kind": "join", "id": 8, "code": 5},
		9: {"kind": "join", "id": 9, "code": "ABCDEF", "seat": 257},
	} {
		b, err := msgpack.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		c.SendRaw(b)
		if r := c.Answer(id); r.Kind != protocol.KindError || r.Error.Code != protocol.CodeBadMessage {
			t.Fatalf("request %d answered %+v", id, r)
		}
	}
}

// Point 13: a peer that stops reading costs only itself: beside it, a live
// room's answers come as promptly as before it stalled, even with a pool of
// one writer.
func TestStalledPeerCostsOnlyItself(t *testing.T) {
	s := startServer(t, Config{Writers: 1})
	// The live room: its facilitator's round trips are the measure.
	live := wsclient.Dial(t, s.url)
	live.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}})
	roundTrips := func(n int) []time.Duration {
		var d []time.Duration
		for i := range n {
			at := time.Now()
			live.Must(protocol.ClientMsg{Kind: protocol.KindLock, On: i%2 == 0})
			d = append(d, time.Since(at))
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d
	}
	base := roundTrips(10)

	// The stalling room: four observers that never read, with tiny socket
	// buffers on both ends, and a facilitator making views for them.
	noisy := wsclient.Dial(t, s.url)
	code := noisy.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined.Code
	small := &net.Dialer{}
	d := &websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := small.DialContext(ctx, network, addr)
		if err == nil {
			c.(*net.TCPConn).SetReadBuffer(1024)
		}
		return c, err
	}, ReadBufferSize: 1024}
	var stalled []*websocket.Conn
	for range 4 {
		ws, _, err := d.Dial(s.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		for _, m := range []protocol.ClientMsg{{Kind: protocol.KindHello, V: protocol.Version, ID: 1}, {Kind: protocol.KindJoin, Code: code, Role: protocol.RoleObserver, ID: 2}} {
			b, _ := protocol.Encode(m)
			ws.WriteMessage(websocket.BinaryMessage, b)
		}
		stalled = append(stalled, ws) // and never read again
	}
	for i := 0; ; i++ { // shrink the server's send buffers of the observers
		n := 0
		s.hub.mu.Lock()
		for c := range s.hub.clients {
			if r := c.room.Load(); r != nil && r.code == code && c != nil {
				c.ws.NetConn().(*frameConn).Conn.(*net.TCPConn).SetWriteBuffer(1024)
				n++
			}
		}
		s.hub.mu.Unlock()
		if n >= 5 {
			break
		}
		if i > 500 {
			t.Fatal("the observers did not join")
		}
		time.Sleep(5 * time.Millisecond)
	}
	evicted := func() float64 { return testutilValue(s.hub.m.evicted) }
	before := evicted()
	for i := range 40 { // views to the stalled observers, to fill their sockets
		noisy.Send(protocol.ClientMsg{Kind: protocol.KindLock, On: i%2 == 0, ID: uint32(1000 + i)})
	}
	time.Sleep(200 * time.Millisecond) // let the stalled writes begin
	during := roundTrips(10)
	// The observers were really stalled: the writer's deadline evicts them.
	for i := 0; evicted() < before+1; i++ {
		if i > 2000 {
			t.Fatal("no stalled observer was evicted: the test did not stall a write")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if worst, limit := during[len(during)-1], max(20*base[len(base)-1], writeWait/3); worst > limit {
		t.Fatalf("the live room's round trips beside stalled peers: worst %v, against a baseline worst of %v", worst, base[len(base)-1])
	}
}

func testutilValue(c prometheus.Counter) float64 {
	var m dto.Metric
	c.Write(&m)
	return m.GetCounter().GetValue()
}

// Points 3 and 4: every acknowledged room change is a typed record in the
// room's log, in order, placed among the commands by version; the stored
// meta stays as created, and a restart derives the room from both.
func TestRoomChangesAreRecordsInTheLog(t *testing.T) {
	s := startServer(t, Config{})
	fac := wsclient.Dial(t, s.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 2}}).Joined
	created, err := s.st.Room(j.Code)
	if err != nil {
		t.Fatal(err)
	}
	p := wsclient.Dial(t, s.url)
	pj := p.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Ada", Role: protocol.RoleManager}).Joined
	// Bea holds the other seat and does not answer, so the game waits (a
	// finished game cannot be paused).
	wsclient.Dial(t, s.url).Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Bea", Role: protocol.RoleManager})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindLock, On: true})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(pj.Seat), On: true})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindPause})
	recs, err := s.st.Records(j.Code)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range recs {
		var rec record
		if err := msgpack.Unmarshal(e.Body, &rec); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, rec.Kind)
	}
	if want := []string{recSeat, recSeat, recLock, recStart, recSeat, recPause}; !slices.Equal(kinds, want) {
		t.Fatalf("records %v, want %v", kinds, want)
	}
	if recs[len(recs)-1].Version < recs[2].Version {
		t.Fatal("records are not placed by the game's version")
	}
	now, _ := s.st.Room(j.Code)
	if string(now.Meta) != string(created.Meta) {
		t.Fatal("the stored meta changed after creation; changes belong in records")
	}
	before := fac.WaitView(func(v *protocol.View) bool { return v.Room.Paused })
	s.stop()
	s2 := startServerIn(t, Config{}, s.dir)
	back := wsclient.Dial(t, s2.url)
	back.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: j.Facilitator, Code: j.Code})
	after := back.WaitView(func(*protocol.View) bool { return true })
	if !after.Room.Locked || !after.Room.Started || !after.Room.Paused || after.Room.Seats[pj.Seat].Name != "Ada" || !after.Room.Seats[pj.Seat].Bot {
		t.Fatalf("after restart %+v, before %+v", after.Room, before.Room)
	}
	p2 := wsclient.Dial(t, s2.url)
	if r := p2.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: pj.Token}).Joined; r.Seat != pj.Seat {
		t.Fatalf("resume after restart: %+v", r)
	}
}
