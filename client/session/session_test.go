//go:build !js

package session

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pushback/client/conn"
	"pushback/client/model"
	"pushback/server/room"
	"pushback/server/store"
	"pushback/sim"
)

// server is the real room hub on loopback, logging to a real SQLite file.
func server(t *testing.T) string {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hub, err := room.New(room.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub)
	t.Cleanup(func() { srv.Close(); hub.Close(); st.Close() })
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
}

// until steps the session, as the game loop does every tick, until ok.
func until(t *testing.T, s *Session, what string, ok func(*model.Model) bool) {
	t.Helper()
	for range 2000 {
		s.Step(time.Now())
		if ok(s.M) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("never %s: screen %s, notice %q", what, s.M.Screen(), s.M.Notice)
}

// The session alone plays the loop: a join asked for before the link was
// up goes out once it is; the server's views reach the model; an intent
// becomes a command the server takes; the seat's token is saved, and a
// second run with the same file resumes the same seat.
func TestSessionRunsTheLoop(t *testing.T) {
	url := server(t)
	file := filepath.Join(t.TempDir(), "session.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	none := New(model.New(model.Saved{}), nil, nil, nil)
	none.Do(model.Solo{Name: "Ann"}) // nowhere to send: refused in words
	if none.M.Notice == "" || none.M.Busy {
		t.Fatalf("a send with no link: notice %q, busy %v", none.M.Notice, none.M.Busy)
	}

	m := model.New(model.Saved{})
	m.Conn = model.ConnConnecting
	s := New(m, conn.Dial(ctx, url), conn.NewStore(file), nil)
	until(t, s, "online", func(m *model.Model) bool { return m.Conn == model.ConnOnline })
	s.Do(model.Solo{Name: "Ann"})
	until(t, s, "in the game", func(m *model.Model) bool { return m.HasView && m.View.Phase == sim.PhaseResponse })
	seat, code := m.Seat, m.Room.Code
	if saved := conn.NewStore(file).Load(); saved.Token == "" || saved.Code != code {
		t.Fatalf("saved %+v, want the token of room %s", saved, code)
	}
	if snap := s.Snapshot(); snap.Screen != "" {
		t.Fatalf("a snapshot before any was published: %+v", snap)
	}
	s.Publish("send")
	if snap := s.Snapshot(); snap.Screen != "manager" || snap.Code != code || snap.Focus != "send" || snap.Seat != int(seat) {
		t.Fatalf("published %+v, want the manager's screen of %s, focus on send", snap, code)
	}
	version := m.View.Version
	s.Do(model.SendAnswer{})
	until(t, s, "answered", func(m *model.Model) bool { return m.Me() != nil && m.Me().Answered })
	if m.View.Version <= version || m.Notice != "" {
		t.Fatalf("version %d after %d, notice %q", m.View.Version, version, m.Notice)
	}
	cancel() // the first run ends

	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	store := conn.NewStore(file)
	m2 := model.New(store.Load())
	s2 := New(m2, conn.Dial(ctx2, url), store, nil)
	s2.JoinWhenUp(model.Join{Code: code, Name: "Intruder"}) // not sent: the seat comes back
	until(t, s2, "resumed", func(m *model.Model) bool { return m.Joined && m.HasView })
	if m2.Seat != seat || m2.Room.Code != code || m2.Me() == nil || !m2.Me().Answered {
		t.Fatalf("resumed seat %d of %s, want %d of %s, answered", m2.Seat, m2.Room.Code, seat, code)
	}
}
