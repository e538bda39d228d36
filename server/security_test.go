package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"pushback/server/protocol"
	"pushback/server/room"
	"pushback/server/store"
	"pushback/server/store/pgtest"
	"pushback/server/wsclient"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// serverBin builds the server binary once for the tests that run it.
func serverBin(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pushback-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pushback-server")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// stopChild ends a child with SIGTERM (a clean shutdown) and waits.
func stopChild(t *testing.T, c *child) {
	t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exit:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop in 30s")
	}
}

// runRefused runs the server and expects it to refuse to start: a non-zero
// exit within 60 s whose output contains want.
func runRefused(t *testing.T, want string, cmd *exec.Cmd) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(out.String(), want) {
			t.Fatalf("the server exited with %v, want a refusal saying %q:\n%s", err, want, out.String())
		}
	case <-ctx.Done():
		cmd.Process.Kill()
		<-done
		t.Fatalf("the server started; want a refusal saying %q:\n%s", want, out.String())
	}
}

// limited runs the server with a small file-size limit (RLIMIT_FSIZE, in
// 512-byte blocks): its database writes fail past it, as on a full disk,
// while the process lives on (Go ignores SIGXFSZ).
func limited(bin, data string, blocks int, extra ...string) *exec.Cmd {
	args := append([]string{"-c", fmt.Sprintf(`ulimit -f %d && exec "$0" "$@"`, blocks), bin}, childArgs(data, extra...)...)
	return exec.Command("sh", args...)
}

// Point 3: with the disk full, a lock, a start or a join is refused with
// internal instead of acknowledged and lost; /healthz says so; after a
// restart the room is exactly what was acknowledged.
func TestDiskFullRefusesWhatItCannotSave(t *testing.T) {
	bin := serverBin(t)
	data := filepath.Join(t.TempDir(), "data")
	srv := startChild(t, bin, data)
	fac := wsclient.Dial(t, srv.url())
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 3}}).Joined
	stopChild(t, srv)

	srv = startCmd(t, limited(bin, data, 256)) // 128 KiB a file: the WAL fills after some writes
	fac = wsclient.Dial(t, srv.url())
	fac.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: j.Facilitator, Code: j.Code})
	locked, refused := false, false
	for i := range 300 {
		r := fac.Req(protocol.ClientMsg{Kind: protocol.KindLock, On: i%2 == 0})
		if r.Kind == protocol.KindOK {
			locked = i%2 == 0
			continue
		}
		if r.Error.Code == protocol.CodeRateLimited { // 20 messages a second
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if r.Error.Code != protocol.CodeInternal {
			t.Fatalf("lock: %s: %s", r.Error.Code, r.Error.Message)
		}
		refused = true
		t.Logf("the disk filled after %d locks", i)
		break
	}
	if !refused {
		t.Fatal("300 locks on a full disk were all acknowledged")
	}
	if r := fac.Req(protocol.ClientMsg{Kind: protocol.KindStart}); r.Error == nil || r.Error.Code != protocol.CodeInternal {
		t.Fatalf("start on a full disk answered %+v", r)
	}
	p := wsclient.Dial(t, srv.url())
	if r := p.Req(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Ada"}); r.Error == nil || r.Error.Code != protocol.CodeInternal {
		t.Fatalf("join on a full disk answered %+v", r)
	}
	resp, err := http.Get("http://" + srv.addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("/healthz on a full disk: %s", resp.Status)
	}
	srv.cmd.Process.Kill()
	<-srv.exit

	srv = startChild(t, bin, data)
	fac = wsclient.Dial(t, srv.url())
	fac.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: j.Facilitator, Code: j.Code})
	v := fac.WaitView(func(*protocol.View) bool { return true })
	if v.Room.Locked != locked || v.Room.Started {
		t.Fatalf("after restart: locked %v started %v; acknowledged: locked %v, not started", v.Room.Locked, v.Room.Started, locked)
	}
	for _, s := range v.Room.Seats[1:] {
		if s.Human {
			t.Fatalf("a refused join holds seat %d after restart", s.Seat)
		}
	}
}

// Point 4: a second server on the same data directory refuses to start.
func TestSecondServerOnOneDirectoryRefused(t *testing.T) {
	bin := serverBin(t)
	data := filepath.Join(t.TempDir(), "data")
	startChild(t, bin, data)
	runRefused(t, "in use by another server", exec.Command(bin, childArgs(data)...))
}

// Point 8: a damaged or unwritable database stops the server at start
// with a clear message instead of a healthy /healthz over failing writes.
func TestBrokenDatabaseRefusedAtStart(t *testing.T) {
	bin := serverBin(t)
	// Damaged: a store with some rooms, then garbage over its pages.
	data := filepath.Join(t.TempDir(), "data")
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := st.Create(store.Room{Code: fmt.Sprintf("ROOM%02d", i), Facilitator: "f", Scenario: "x",
			Source: bytes.Repeat([]byte("source "), 600), Meta: []byte{0x80}, Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	db := filepath.Join(data, store.File)
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	junk := bytes.Repeat([]byte{0xA5, 0x00, 0xFF, 0x13}, 1024)
	for off := int64(3 * 4096); off+4096 <= fi.Size(); off += 3 * 4096 {
		f.WriteAt(junk, off)
	}
	f.Close()
	runRefused(t, "damaged", exec.Command(bin, childArgs(data)...))

	// Unwritable: no byte may be written to any file.
	data2 := filepath.Join(t.TempDir(), "data")
	st, err = store.Open(data2)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	runRefused(t, "not writable", limited(bin, data2, 0))
	if os.Geteuid() != 0 { // root writes through file modes
		os.Chmod(filepath.Join(data2, store.File), 0o444)
		runRefused(t, "not writable", exec.Command(bin, childArgs(data2)...))
	}
}

// Point 5 (HTTP): an idle keep-alive connection is closed; connections are
// capped per address before the upgrade.
func TestIdleHTTPConnectionsClosed(t *testing.T) {
	bin := serverBin(t)
	srv := startChild(t, bin, filepath.Join(t.TempDir(), "data"), "-http-idle", "300ms", "-addr-conns", "2")
	c, err := net.Dial("tcp", srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	if _, err := br.ReadByte(); err == nil {
		t.Fatal("unexpected bytes")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("an idle keep-alive connection was not closed")
	}
	for i := range 3 {
		ws, resp, err := websocket.DefaultDialer.Dial(srv.url(), nil)
		if i < 2 {
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			continue
		}
		if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("a third connection from one address: %v, %v", resp, err)
		}
	}
}

// Points 6 and 10 (HTTP): wrong tokens on the report and table endpoints
// are throttled per address; a report deleted by retention answers 410 to
// its facilitator.
func TestReportEndpointsThrottledAndGone(t *testing.T) {
	srv, _ := startRoutes(t, room.Config{GuessBurst: 3, GuessRate: 0.001}, filepath.Join(t.TempDir(), "missing"))
	for i := range 3 {
		if resp, _ := get(t, srv.URL+"/rooms/ABCDEF/report.html?token=guess"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: %s", i, resp.Status)
		}
	}
	for _, u := range []string{"/rooms/ABCDEF/report.html?token=guess", "/tables?token=guess", "/reports?token=guess"} {
		if resp, _ := get(t, srv.URL+u); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("%s after three wrong tokens: %s", u, resp.Status)
		}
	}

	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	hub, err := room.New(room.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	hs := newTestServer(t, hub, st)
	fac := wsclient.Dial(t, "ws"+strings.TrimPrefix(hs.URL, "http")+"/ws")
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined
	fac.Must(protocol.ClientMsg{Kind: protocol.KindEnd})
	hs.CloseClientConnections()
	hub.Close()
	hs.Close()
	st.Close()
	time.Sleep(5 * time.Millisecond)
	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hub, err = room.New(room.Config{Store: st, Retain: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Close()
	hs = newTestServer(t, hub, st)
	if resp, _ := get(t, hs.URL+"/rooms/"+j.Code+"/report.html?token="+j.Facilitator); resp.StatusCode != http.StatusGone {
		t.Fatalf("the report of a deleted game: %s", resp.Status)
	}
	if resp, _ := get(t, hs.URL+"/reports?token="+j.Facilitator); resp.StatusCode != http.StatusGone {
		t.Fatalf("the reports of a facilitator whose games were deleted: %s", resp.Status)
	}
	if resp, _ := get(t, hs.URL+"/rooms/"+j.Code+"/report.html?token=other"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the report of a deleted game, wrong token: %s", resp.Status)
	}
}

func newTestServer(t *testing.T, hub *room.Hub, st *store.Store) *httptest.Server {
	srv := httptest.NewServer(routes(hub, st, filepath.Join(t.TempDir(), "missing")))
	t.Cleanup(srv.Close)
	return srv
}
