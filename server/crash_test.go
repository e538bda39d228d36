package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/server/store/pgtest"
	"pushback/server/wsclient"
)

// child is the real server binary running as a child process.
type child struct {
	cmd  *exec.Cmd
	addr string
	exit chan error

	mu  sync.Mutex
	log []string // its stderr so far
}

// logged is the child's stderr so far.
func (c *child) logged() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.log, "\n")
}

var servingRE = regexp.MustCompile(`msg=serving addr=(\S+)`)

func startChild(t *testing.T, bin, data string, extra ...string) *child {
	t.Helper()
	return startCmd(t, exec.Command(bin, childArgs(data, extra...)...))
}

// childArgs are the serve arguments of a test child on loopback.
func childArgs(data string, extra ...string) []string {
	return append([]string{"serve", "-addr", "127.0.0.1:0", "-data", data, "-web", filepath.Join(data, "no-web")}, extra...)
}

func startCmd(t *testing.T, cmd *exec.Cmd) *child {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, exit: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			c.mu.Lock()
			c.log = append(c.log, sc.Text())
			c.mu.Unlock()
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
			if testing.Verbose() {
				t.Log("server:", sc.Text())
			}
		}
		c.exit <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case c.addr = <-addr:
	case err := <-c.exit:
		t.Fatalf("the server exited at start: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the server did not start in 60s")
	}
	return c
}

func (c *child) url() string { return "ws://" + c.addr + "/ws" }

// The real binary is killed with SIGKILL in the middle of a game, with a
// command in flight, and restarted on the same data directory: every client
// comes back with its token, no acknowledged command is lost, the game is
// finished, and its final state equals a replay of the stored commands.
// It runs on both stores: the SQLite file in the data directory, and a
// throwaway PostgreSQL (-store).
func TestCrashAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := serverBin(t)
	t.Run("sqlite", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "data")
		crashAndRestart(t, bin, data, nil, func() (*store.Store, error) { return store.Open(data) })
		if _, err := os.Stat(filepath.Join(data, store.File)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.Database(t)
		data := filepath.Join(t.TempDir(), "data")
		crashAndRestart(t, bin, data, []string{"-store", url}, func() (*store.Store, error) { return store.OpenURL(url) })
		if _, err := os.Stat(filepath.Join(data, store.File)); err == nil {
			t.Fatal("with -store the server still wrote a SQLite file")
		}
	})
}

func crashAndRestart(t *testing.T, bin, data string, extra []string, open func() (*store.Store, error)) {
	srv := startChild(t, bin, data, extra...)
	w := newWorkshop(t, srv.url(), 99)
	w.play(midGame)
	// A manager who still owes an answer sends it, and the server dies
	// before anyone could hear back.
	w.inflight()
	srv.cmd.Process.Signal(syscall.SIGKILL)
	if err := <-srv.exit; err == nil {
		t.Fatal("the server exited cleanly after SIGKILL")
	}
	before := w.fac.View.Game

	srv = startChild(t, bin, data, extra...)
	w.url = srv.url()
	w.reconnect(nil)
	if r := w.fac.Joined; r.Role != protocol.RoleFacilitator {
		t.Fatalf("facilitator resume: %+v", r)
	}
	restored := w.fac.WaitView(func(*protocol.View) bool { return true }).Game
	t.Logf("acknowledged %d, restored at %d", w.acked, restored.Version)
	if restored.Version < w.acked || restored.Version > w.acked+1 {
		t.Fatalf("restored at version %d; %d were acknowledged, 1 in flight", restored.Version, w.acked)
	}
	if restored.Version == before.Version && !wsclient.SameEncoding(t, restored, before) {
		t.Fatal("the restored game differs from the one before the crash")
	}
	// A single server still takes a resume without the room's code.
	for _, p := range w.players {
		p.Client = wsclient.Dial(t, srv.url())
		r := p.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: p.Token}).Joined
		if r.Seat != p.Seat || r.Code != w.code {
			t.Fatalf("seat %d resumed as %+v", p.Seat, r)
		}
		if v := p.WaitView(func(*protocol.View) bool { return true }); v.Game.Version != restored.Version || !v.Room.Started {
			t.Fatalf("seat %d resumed at version %d, room %+v", p.Seat, v.Game.Version, v.Room)
		}
	}
	w.acked = restored.Version
	final := w.finish()
	if w.reconnects != 1 {
		t.Fatalf("%d reconnects besides the restart's", w.reconnects-1)
	}

	// A clean stop, then the stored log against the game played.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-srv.exit; err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	st, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w.verify(st, final)
}
