package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"

	"pushback/server/protocol"
	"pushback/server/room"
	"pushback/server/store"
	"pushback/server/wsclient"
)

func startRoutes(t *testing.T, cfg room.Config, web string) (*httptest.Server, *room.Hub) {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	hub, err := room.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(routes(hub, st, web))
	t.Cleanup(func() { srv.CloseClientConnections(); hub.Close(); srv.Close(); st.Close() })
	return srv, hub
}

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// The transport must not ungzip behind our back.
	tr := &http.Transport{DisableCompression: true}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestHTTPEndpoints(t *testing.T) {
	srv, _ := startRoutes(t, room.Config{}, filepath.Join(t.TempDir(), "missing"))
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"

	// A table of bots only plays itself to the end once started.
	fac := wsclient.Dial(t, wsURL)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Seed: 5}}).Joined
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	fac.WaitView(func(v *protocol.View) bool { return v.Room.Over })
	c := wsclient.Dial(t, wsURL)
	c.Post(protocol.ClientMsg{Kind: protocol.KindJoin, Code: "QQQQQQ", Name: "x"}) // an error to count

	cases := []struct {
		path   string
		status int
		ctype  string
		body   string
	}{
		{"/healthz", 200, "text/plain", "ok rooms=0"},
		{"/metrics", 200, "text/plain", "pushback_command_seconds"},
		{"/", 200, "text/html", "make web"},
		{"/nothing.js", 404, "", ""},
		{"/tables", 401, "", ""},
		{"/tables?token=wrong", 401, "", ""},
		{"/tables?token=" + j.Facilitator, 200, "application/json", `"code":"` + j.Code},
		{"/rooms/" + j.Code + "/report.html", 401, "", ""},
		{"/rooms/" + j.Code + "/report.html?token=wrong", 401, "", ""},
		{"/rooms/ZZZZZZ/report.html?token=" + j.Facilitator, 401, "", ""},
		{"/rooms/" + j.Code + "/report.html?token=" + j.Facilitator, 200, "text/html", j.Code},
		{"/rooms/" + strings.ToLower(j.Code) + "/report.csv?token=" + j.Facilitator, 200, "text/csv", ""},
		{"/rooms/" + j.Code + "/report.json?token=" + j.Facilitator, 200, "application/json", ""},
		{"/rooms/" + j.Code + "/report.pdf?token=" + j.Facilitator, 404, "", ""},
		{"/rooms/" + j.Code + "/other?token=" + j.Facilitator, 404, "", ""},
		{"/reports?token=" + j.Facilitator, 200, "text/html", ""},
		{"/reports", 401, "", ""},
	}
	for _, tc := range cases {
		resp, body := get(t, srv.URL+tc.path)
		if resp.StatusCode != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) || !bytes.Contains(body, []byte(tc.body)) {
			t.Errorf("GET %s: %d %q, body %.200q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	_, body := get(t, srv.URL+"/tables?token="+j.Facilitator)
	var ts []protocol.Table
	if err := json.Unmarshal(body, &ts); err != nil || len(ts) != 1 || !ts[0].Over {
		t.Errorf("tables JSON %s: %v", body, err)
	}
	_, metrics := get(t, srv.URL+"/metrics")
	for _, m := range []string{"pushback_rooms 0", "pushback_connections 2", `pushback_errors_total{code="unknown_room"} 1`, "pushback_messages_in_total", "pushback_messages_out_total", "pushback_commands_total", "pushback_store_commits_total"} {
		if !bytes.Contains(metrics, []byte(m)) {
			t.Errorf("/metrics lacks %q", m)
		}
	}
}

// The browser client's files, with the wasm binary compressed once.
func TestWebClientFiles(t *testing.T) {
	web := t.TempDir()
	wasm := bytes.Repeat([]byte("\x00asm pushback "), 20000)
	os.WriteFile(filepath.Join(web, "index.html"), []byte("<!doctype html><title>Pushback</title>"), 0o644)
	os.WriteFile(filepath.Join(web, "pushback.wasm"), wasm, 0o644)
	srv, _ := startRoutes(t, room.Config{}, web)

	resp, body := get(t, srv.URL+"/")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<title>Pushback</title>")) {
		t.Fatalf("index: %d %q", resp.StatusCode, body)
	}
	for range 2 { // the second answer comes from the cache
		resp, body = get(t, srv.URL+"/pushback.wasm", "Accept-Encoding", "gzip, deflate")
		if resp.Header.Get("Content-Type") != "application/wasm" || resp.Header.Get("Content-Encoding") != "gzip" || len(body) >= len(wasm)/10 {
			t.Fatalf("gzip wasm: %v, %d bytes", resp.Header, len(body))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if raw, _ := io.ReadAll(zr); !bytes.Equal(raw, wasm) {
			t.Fatal("the gzipped wasm does not unpack to the file")
		}
	}
	resp, body = get(t, srv.URL+"/pushback.wasm")
	if resp.Header.Get("Content-Type") != "application/wasm" || resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, wasm) {
		t.Fatalf("plain wasm: %v, %d bytes", resp.Header, len(body))
	}
	if resp, _ := get(t, srv.URL+"/missing.wasm", "Accept-Encoding", "gzip"); resp.StatusCode != 404 {
		t.Fatalf("missing wasm: %d", resp.StatusCode)
	}
}

// WebSockets from another origin are refused unless allowed by flag.
func TestOriginCheck(t *testing.T) {
	var allowed atomic.Bool
	for _, cfg := range []room.Config{{}, {Origins: []string{"trainer.example"}}} {
		srv, _ := startRoutes(t, cfg, "")
		wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
		cases := []struct {
			origin string
			ok     bool
		}{
			{"", true},
			{srv.URL, true},
			{"http://evil.example", false},
			{"http://trainer.example", len(cfg.Origins) > 0},
		}
		for _, c := range cases {
			h := http.Header{}
			if c.origin != "" {
				h.Set("Origin", c.origin)
			}
			ws, resp, err := websocket.DefaultDialer.Dial(wsURL, h)
			if (err == nil) != c.ok {
				t.Errorf("origins %v, Origin %q: err %v (status %v)", cfg.Origins, c.origin, err, resp)
			}
			if ws != nil {
				allowed.Store(true)
				ws.Close()
			}
		}
	}
	if !allowed.Load() {
		t.Fatal("no connection was ever allowed")
	}
}

// /readyz is 200 while the node can serve; 503 with a reason once it
// drains (a load balancer then sends new connections elsewhere) or when
// its database cannot be written.
func TestReadyz(t *testing.T) {
	srv, hub := startRoutes(t, room.Config{}, t.TempDir())
	if resp, body := get(t, srv.URL+"/readyz"); resp.StatusCode != 200 || string(body) != "ready\n" {
		t.Fatalf("/readyz: %s %q", resp.Status, body)
	}
	hub.Drain()
	if resp, body := get(t, srv.URL+"/readyz"); resp.StatusCode != 503 || !bytes.Contains(body, []byte("draining")) {
		t.Fatalf("/readyz while draining: %s %q", resp.Status, body)
	}

	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hub, err = room.New(room.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Close()
	down := httptest.NewServer(routes(hub, st, t.TempDir()))
	defer down.Close()
	st.Close() // the database is gone
	if resp, body := get(t, down.URL+"/readyz"); resp.StatusCode != 503 || !bytes.Contains(body, []byte("database")) {
		t.Fatalf("/readyz without a database: %s %q", resp.Status, body)
	}
}

// Cluster mode needs a shared PostgreSQL store, an advertised address and
// the cluster secret; without any of them serve refuses to start.
func TestClusterFlagsChecked(t *testing.T) {
	t.Setenv("PUSHBACK_CLUSTER_SECRET", "")
	pg := "postgres://pushback@127.0.0.1:1/none"
	for _, args := range [][]string{
		{"-node", "n1", "-advertise", "http://127.0.0.1:1", "-cluster-secret", "s"},                                // SQLite
		{"-node", "n1", "-store", pg, "-cluster-secret", "s"},                                                      // no -advertise
		{"-node", "n1", "-store", pg, "-advertise", "http://127.0.0.1:1"},                                          // no secret
		{"-node", "n1", "-store", pg, "-advertise", "http://127.0.0.1:1", "-cluster-secret", "s", "-lease", "1ms"}, // lease too short
	} {
		if code := serve(append(args, "-data", t.TempDir(), "-addr", "127.0.0.1:0", "-log", "error")); code != 2 {
			t.Errorf("serve %v: exit %d, want 2", args, code)
		}
	}
}
