package room

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"pushback/scenarios"
	"pushback/server/store"
	"pushback/sim"
)

// server is a real Hub behind a real HTTP server on loopback, logging to a
// real SQLite file in a temporary directory.
type server struct {
	t   testing.TB
	hub *Hub
	st  *store.Store
	srv *httptest.Server
	url string
	dir string
}

func startServer(t testing.TB, cfg Config) *server {
	t.Helper()
	dir := t.TempDir()
	return startServerIn(t, cfg, dir)
}

func startServerIn(t testing.TB, cfg Config, dir string) *server {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/ws", h)
	srv := httptest.NewServer(mux)
	s := &server{t: t, hub: h, st: st, srv: srv, url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws", dir: dir}
	t.Cleanup(s.stop)
	return s
}

func (s *server) stop() {
	if s.srv == nil {
		return
	}
	s.srv.CloseClientConnections()
	s.hub.Close()
	s.srv.Close()
	s.st.Close()
	s.srv = nil
}

func seatp(s sim.Seat) *sim.Seat { return &s }

func loadScenario(t testing.TB) *sim.Scenario {
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	return scn
}
