//go:build !js

package conn

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pushback/client/model"
)

// TestReconnects runs a real WebSocket server on loopback that echoes one
// frame and then drops the first connection: the client reports Up, the
// echo, Down with a retry, and Up again on its own.
func TestReconnects(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		n := conns.Add(1)
		ctx := r.Context()
		_, b, err := ws.Read(ctx)
		if err != nil {
			return
		}
		ws.Write(ctx, websocket.MessageBinary, append([]byte("echo:"), b...))
		if n == 1 {
			ws.CloseNow() // the drop
			return
		}
		ws.Read(ctx) // hold the second one open
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"))
	next := func(want EventKind) Event { t.Helper(); return nextEvent(t, c, want) }
	next(Up)
	if !c.Send([]byte("a")) {
		t.Fatal("send while up failed")
	}
	if e := next(Frame); string(e.Frame) != "echo:a" {
		t.Fatalf("frame %q", e.Frame)
	}
	down := next(Down)
	if down.Attempt != 1 || down.RetryIn <= 0 {
		t.Fatalf("down %+v", down)
	}
	if c.Send([]byte("lost")) {
		t.Error("a send while down should report failure")
	}
	next(Up)
	c.Send([]byte("b"))
	if e := next(Frame); string(e.Frame) != "echo:b" {
		t.Fatalf("frame after reconnect %q", e.Frame)
	}
	if conns.Load() != 2 {
		t.Errorf("%d connections", conns.Load())
	}
}

// TestRedial: Redial replaces a working connection with a new one at once,
// with no Down event in between; the server sees two connections.
func TestRedial(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		n := conns.Add(1)
		for {
			_, b, err := ws.Read(r.Context())
			if err != nil {
				return
			}
			ws.Write(r.Context(), websocket.MessageBinary, append([]byte{byte('0' + n)}, b...))
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"))
	next := func(want EventKind) Event { t.Helper(); return nextEvent(t, c, want) }
	next(Up)
	c.Send([]byte("a"))
	if e := next(Frame); string(e.Frame) != "1a" {
		t.Fatalf("frame %q", e.Frame)
	}
	c.Redial()
	next(Up)
	c.Send([]byte("b"))
	if e := next(Frame); string(e.Frame) != "2b" {
		t.Fatalf("frame on the new connection %q", e.Frame)
	}
}

func TestBackoff(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 12; n++ {
		d := Backoff(n)
		base := min(500*time.Millisecond<<(n-1), 10*time.Second)
		if d < base || d > base+base/5 {
			t.Errorf("attempt %d: %v, want %v plus at most a fifth", n, d, base)
		}
		if d+d/5 < prev {
			t.Errorf("attempt %d: %v shorter than before (%v)", n, d, prev)
		}
		prev = d
	}
}

func TestStoreKeepsToken(t *testing.T) {
	s := NewStore(filepath.Join(t.TempDir(), "sub", "session.json"))
	if got := s.Load(); got != (model.Saved{}) {
		t.Fatalf("empty store gave %+v", got)
	}
	want := model.Saved{Code: "KX7PQR", Token: "secret", Draft: "ZHJhZnQ=", Projector: true, Briefed: "KX7PQR", Seen: 1_764_460_000_123}
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	if got := NewStore(s.path).Load(); got != want {
		t.Fatalf("got %+v", got)
	}
}

// TestReconnectsAfterServiceRestart: a cluster node closes a connection with
// 1012 when its room moves or it drains; the client reconnects as after any
// drop.
func TestReconnectsAfterServiceRestart(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		if conns.Add(1) == 1 {
			ws.Close(websocket.StatusServiceRestart, "this room moved to another server; reconnecting")
			return
		}
		ws.Read(r.Context()) // hold the second one open
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"))
	for _, want := range []EventKind{Up, Down, Up} {
		nextEvent(t, c, want)
	}
	if conns.Load() != 2 {
		t.Errorf("%d connections", conns.Load())
	}
}

// nextEvent waits for c's next event, which must be of kind want.
func nextEvent(t *testing.T, c *Client, want EventKind) Event {
	t.Helper()
	select {
	case e := <-c.Events():
		if e.Kind != want {
			t.Fatalf("event %d (%v), want %d", e.Kind, e.Err, want)
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatalf("no event %d", want)
	}
	return Event{}
}
