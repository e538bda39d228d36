package room

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"pushback/server/protocol"
)

// framedPair is a real WebSocket over loopback whose server side writes
// through a frameConn, as the hub's connections do: the server's conn (run
// by the test) and the client's.
func framedPair(t testing.TB) (srv, cli *websocket.Conn) {
	t.Helper()
	got := make(chan *websocket.Conn, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{ReadBufferSize: 1024, WriteBufferPool: &sync.Pool{}}).Upgrade(framing{w}, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		got <- ws
	}))
	t.Cleanup(hs.Close)
	cli, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hs.URL, "http")+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	srv = <-got
	t.Cleanup(func() { srv.Close() })
	if _, ok := srv.NetConn().(*frameConn); !ok {
		t.Fatalf("the upgraded socket is a %T, not a *frameConn", srv.NetConn())
	}
	return srv, cli
}

// message i of the interleaving test: its number and i%7 kinds of length,
// up to past 64 KiB (the three header sizes).
func message(i int) []byte {
	n := []int{0, 1, 125, 126, 3000, 65535, 70_000}[i%7]
	b := binary.BigEndian.AppendUint32(nil, uint32(i))
	return append(b, bytes.Repeat([]byte{byte(i)}, n)...)
}

// TestFramesNeverInterleave writes batches of data frames and pings with
// the writer's one-call path while gorilla writes pongs (from the reader
// goroutine, answering the client's pings) and pings of its own from a
// third goroutine, then a close frame; the client must read every message whole and in order, every
// pong, and the close. Run with -race: frameConn is shared by goroutines.
func TestFramesNeverInterleave(t *testing.T) {
	srv, cli := framedPair(t)
	const msgs = 2000
	var pongs, serverPings int
	cli.SetPongHandler(func(string) error { pongs++; return nil })
	cli.SetPingHandler(func(string) error { serverPings++; return nil }) // not answered: the server reads nothing after the close
	srvDone, end := make(chan struct{}), make(chan struct{})
	go func() { // the server's reader: answers pings with pongs, as gorilla does
		defer close(srvDone)
		for {
			if _, _, err := srv.ReadMessage(); err != nil {
				return
			}
			close(end) // the client's last message: every ping before it is answered
		}
	}()
	written := make(chan struct{})
	var pings, gorillaPings, writerPings int
	var wg sync.WaitGroup
	wg.Add(3)
	// control frames until the writer is done: the client pings (gorilla's
	// reader on the server pongs), and the server pings through gorilla
	control := func(ws *websocket.Conn, n *int) {
		defer wg.Done()
		for {
			select {
			case <-written:
				return
			default:
			}
			if err := ws.WriteControl(websocket.PingMessage, []byte(fmt.Sprint(*n)), time.Now().Add(5*time.Second)); err != nil {
				t.Error(err)
				return
			}
			*n++
			time.Sleep(50 * time.Microsecond)
		}
	}
	go control(cli, &pings)
	go control(srv, &gorillaPings)
	fc := srv.NetConn().(*frameConn)
	go func() { // the writer: batches of 1..9 frames, a ping now and then
		defer wg.Done()
		defer close(written)
		rnd := rand.New(rand.NewPCG(13, 13))
		for i := 0; i < msgs; {
			var batch []queued
			for n := 1 + rnd.IntN(9); n > 0 && i < msgs; n-- {
				batch = append(batch, queued{b: message(i)})
				i++
			}
			ping := rnd.IntN(4) == 0
			if ping {
				writerPings++
			}
			if err := fc.writeFrames(batch, ping, time.Now().Add(5*time.Second)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	read := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			typ, b, err := cli.ReadMessage()
			if err != nil {
				read <- fmt.Errorf("after %d messages: %w", i, err)
				return
			}
			if typ != websocket.BinaryMessage || !bytes.Equal(b, message(i)) {
				read <- fmt.Errorf("message %d: type %d, %d bytes, not what was sent", i, typ, len(b))
				return
			}
		}
	}()
	wg.Wait()
	if err := cli.WriteMessage(websocket.BinaryMessage, []byte("end")); err != nil {
		t.Fatal(err)
	}
	<-end
	if err := srv.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "done")); err != nil {
		t.Fatal(err)
	}
	err := <-read
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure || ce.Text != "done" {
		t.Fatalf("the client's read ended with %v, want every message then the close frame", err)
	}
	if !strings.HasPrefix(err.Error(), fmt.Sprintf("after %d messages", msgs)) {
		t.Fatalf("%v; want %d messages", err, msgs)
	}
	if pongs != pings || serverPings != writerPings+gorillaPings {
		t.Fatalf("the client read %d pongs and %d pings, want %d and %d", pongs, serverPings, pings, writerPings+gorillaPings)
	}
	if pings < 10 || gorillaPings < 10 {
		t.Fatalf("only %d pings from the client and %d from gorilla on the server while the writer wrote", pings, gorillaPings)
	}
	cli.Close()
	<-srvDone
}

// BenchmarkWriteFrames writes a turn's frames to one client over loopback
// — a view and an ok, then a view (3 KB each, the ok 30 B) — with gorilla's
// WriteMessage, one system call per frame (as the writers did), and with
// writeFrames, one per batch (as they do now). frames/syscall is what each
// write() call carries.
func BenchmarkWriteFrames(b *testing.B) {
	batch := []queued{{b: bytes.Repeat([]byte{1}, 3000)}, {b: bytes.Repeat([]byte{2}, 30)}, {b: bytes.Repeat([]byte{3}, 3000)}}
	run := func(b *testing.B, write func(srv *websocket.Conn) error) {
		srv, cli := framedPair(b)
		go io.Copy(io.Discard, cli.NetConn())
		b.SetBytes(int64(len(batch[0].b) + len(batch[1].b) + len(batch[2].b)))
		b.ReportAllocs()
		for b.Loop() {
			if err := write(srv); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(batch)), "frames/op")
	}
	b.Run("gorilla", func(b *testing.B) {
		run(b, func(srv *websocket.Conn) error {
			srv.SetWriteDeadline(time.Now().Add(writeWait))
			for _, m := range batch {
				if err := srv.WriteMessage(websocket.BinaryMessage, m.b); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("batched", func(b *testing.B) {
		run(b, func(srv *websocket.Conn) error {
			return srv.NetConn().(*frameConn).writeFrames(batch, false, time.Now().Add(writeWait))
		})
	})
}

var _ net.Conn = (*frameConn)(nil)

// writeCounter serves h with each upgraded socket counting its writes, by
// the connection's remote address.
type writeCounter struct {
	h      http.Handler
	mu     sync.Mutex
	writes map[string]*atomic.Int64
}

func (wc *writeCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	wc.h.ServeHTTP(countingHijack{w, wc}, r)
}

// count is how many writes the socket of the client at addr has had.
func (wc *writeCounter) count(addr string) int64 {
	wc.mu.Lock()
	defer wc.mu.Unlock()
	return wc.writes[addr].Load()
}

type countingHijack struct {
	http.ResponseWriter
	wc *writeCounter
}

func (w countingHijack) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	n := new(atomic.Int64)
	w.wc.mu.Lock()
	w.wc.writes[conn.RemoteAddr().String()] = n
	w.wc.mu.Unlock()
	return countingConn{conn, n}, rw, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.n.Add(1)
	return c.Conn.Write(p)
}

// TestOneWritePerCommand plays a game over real WebSockets and counts the
// system calls writing to the commander's socket for each command: its
// view and its ok go out in one. (Queued one by one, they went out in two
// only when a writer took the view before the ok was queued: a few
// commands in a thousand here.)
func TestOneWritePerCommand(t *testing.T) {
	s := startServer(t, Config{})
	wc := &writeCounter{h: s.hub, writes: map[string]*atomic.Int64{}}
	hs := httptest.NewServer(wc)
	t.Cleanup(hs.Close)
	s.url = "ws" + strings.TrimPrefix(hs.URL, "http") + "/"
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{})
	commands := 0
	for !tb.players[0].View.Room.Over {
		moved := false
		for _, p := range tb.players {
			cmd, ok := p.Decide(scn)
			if !ok || p.View.Room.Over {
				continue
			}
			addr := p.WS.LocalAddr().String()
			before := wc.count(addr)
			p.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
			if n := wc.count(addr) - before; n != 1 {
				t.Errorf("command %d (%s by seat %d): %d writes to its sender, not 1", commands, cmd.Kind, p.Seat, n)
			}
			commands++
			v := p.View.Game.Version
			for _, q := range tb.players {
				q.AtLeast(v)
			}
			tb.fac.AtLeast(v)
			moved = true
		}
		if !moved {
			t.Fatal("nobody could move")
		}
	}
	if commands < 10 {
		t.Fatalf("only %d commands", commands)
	}
	t.Logf("%d commands", commands)
}

// A broadcast view's pooled buffer is queued on every connection of its
// seat and goes back to the pool only once the last of them has written
// it: later broadcasts, which take their buffers from the same pool, never
// rewrite a view that a queue still holds. Here one connection's writer is
// late while two more broadcasts go to the others.
func TestQueuedViewIsNeverRewritten(t *testing.T) {
	s := startServer(t, Config{})
	w := newWriters(0) // the test is the writer, one connection at a time
	var cs [3]*client
	var peers [3]*websocket.Conn
	for i := range cs {
		srv, cli := framedPair(t)
		cs[i] = &client{hub: s.hub, w: w, ws: srv, quit: make(chan struct{})}
		peers[i] = cli
	}
	r := newRoom(&table{})
	broadcast := func(text string, to ...*client) {
		v := viewBufs.Get().(*viewBuf)
		v.b = append(v.b[:0], text...)
		for _, c := range to {
			r.sendView(c, v)
		}
		r.flush()
		for _, c := range to[:min(2, len(to))] { // the third is late
			c.write()
		}
	}
	broadcast("the first view", cs[:]...)
	broadcast("the second view", cs[0], cs[1])
	broadcast("the third view", cs[0], cs[1])
	cs[2].write()
	want := [3][]string{
		{"the first view", "the second view", "the third view"},
		{"the first view", "the second view", "the third view"},
		{"the first view"},
	}
	for i, p := range peers {
		for _, v := range want[i] {
			p.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, b, err := p.ReadMessage()
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != v {
				t.Fatalf("connection %d read %q, want %q", i, b, v)
			}
		}
	}
}

// A write keeps the socket's deadline while it is at most deadlineSlack
// earlier than asked, and sets it again when it is earlier still or later
// than asked (a close's shorter deadline); gorilla's own deadlines are seen.
func TestWriteDeadlineWithinSlack(t *testing.T) {
	srv, cli := framedPair(t)
	go io.Copy(io.Discard, cli.NetConn())
	fc := srv.NetConn().(*frameConn)
	t0 := time.Now().Add(time.Hour)
	for _, step := range []struct {
		ask, want time.Time
	}{
		{t0, t0},
		{t0.Add(deadlineSlack / 2), t0}, // kept
		{t0.Add(deadlineSlack), t0},     // kept, just
		{t0.Add(deadlineSlack + time.Millisecond), t0.Add(deadlineSlack + time.Millisecond)}, // set
		{t0, t0}, // earlier than the socket's: set
	} {
		if err := fc.writeFrames([]queued{{b: []byte{1}}}, false, step.ask); err != nil {
			t.Fatal(err)
		}
		if !fc.dl.Equal(step.want) {
			t.Fatalf("asked %v: deadline %v, want %v", step.ask.Sub(t0), fc.dl.Sub(t0), step.want.Sub(t0))
		}
	}
	if err := srv.WriteControl(websocket.PingMessage, nil, t0.Add(-time.Minute)); err != nil || !fc.dl.Equal(t0.Add(-time.Minute)) { // gorilla's own
		t.Fatalf("gorilla's deadline: %v, %v", fc.dl.Sub(t0), err)
	}
	if err := fc.writeFrames([]queued{{b: []byte{1}}}, false, t0); err != nil || !fc.dl.Equal(t0) {
		t.Fatalf("after gorilla's deadline: %v, %v", fc.dl.Sub(t0), err)
	}
}
