package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"pushback/server/cluster"
	"pushback/server/loadtest"
	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/server/store/pgtest"
	"pushback/server/wsclient"
	"pushback/sim"
)

// The cluster tests run three real server processes on one throwaway
// PostgreSQL behind a real HAProxy (or nginx), all on loopback, from
// server/cluster's configurations, and play workshops through the load
// balancer while nodes die, pause, drain and the database restarts.

// startCluster starts three nodes with 2 s leases behind lb on the shared
// test PostgreSQL; everything is killed when the test ends, and the logs
// of the nodes and the load balancer are shown if it failed.
func startCluster(t *testing.T, lb string, extra ...string) *cluster.Cluster {
	t.Helper()
	bin := serverBin(t)
	dir := t.TempDir()
	c, err := cluster.Start(cluster.Config{Bin: bin, LB: lb, Dir: dir, PG: pgtest.Shared(t), Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		if !t.Failed() {
			return
		}
		logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
		for _, f := range logs {
			b, _ := os.ReadFile(f)
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			t.Logf("%s (last %d lines):\n%s", filepath.Base(f), min(len(lines), 40), strings.Join(lines[max(0, len(lines)-40):], "\n"))
		}
	})
	return c
}

// owner is the index of the node that holds code's lease, with its epoch.
func owner(t *testing.T, c *cluster.Cluster, code string) (int, int64) {
	t.Helper()
	node, epoch, _, err := c.Owner(code)
	if err != nil {
		t.Fatalf("owner of %s: %v", code, err)
	}
	i := c.Index(node)
	if i < 0 {
		t.Fatalf("room %s is owned by %q, not one of %v", code, node, c.Names)
	}
	return i, epoch
}

// verifyLog stops the cluster and checks the room's log in the database
// against the game played (workshop.verify).
func verifyLog(t *testing.T, c *cluster.Cluster, w *workshop, final sim.View) {
	t.Helper()
	c.Close()
	st, err := store.OpenURL(c.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w.verify(st, final)
}

// pending is a manager who owes an answer now.
func (w *workshop) pending() *wsclient.Bot {
	w.t.Helper()
	for _, p := range w.players[1:] {
		if p.View.Room.Seats[p.Seat].Pending {
			return p
		}
	}
	w.t.Fatal("no manager owes an answer")
	return nil
}

// A workshop played through the load balancer: the five connections land
// on the three nodes in turn, the room lives on one of them, and the
// others forward their connections to it. Through HAProxy and through
// nginx.
func TestClusterWorkshop(t *testing.T) {
	for _, lb := range []string{"haproxy", "nginx"} {
		t.Run(lb, func(t *testing.T) {
			c := startCluster(t, lb)
			w := newWorkshop(t, c.URL(), 7)
			w.play(midGame)
			own, _ := owner(t, c, w.code)
			forwarded := 0.0
			for i := range c.Nodes {
				n, err := c.Metric(i, "pushback_forwarded_connections")
				if err != nil {
					t.Fatal(err)
				}
				if i == own && n > 0 {
					t.Errorf("the owner %s forwards %v connections of its own room", c.Names[i], n)
				}
				forwarded += n
				if code, body, err := c.Get(i, "/readyz"); err != nil || code != 200 {
					t.Errorf("node %s /readyz: %d %q %v", c.Names[i], code, body, err)
				}
			}
			t.Logf("room %s on %s; %v of its 5 connections came in through the other nodes", w.code, c.Names[own], forwarded)
			if forwarded < 2 {
				t.Fatalf("%v connections forwarded: round robin over 3 nodes puts at least 3 of 5 on the others", forwarded)
			}
			final := w.finish()
			if w.reconnects != 0 {
				t.Fatalf("%d reconnects in a game without faults", w.reconnects)
			}
			verifyLog(t, c, w, final)
		})
	}
}

// SIGKILL of the room's owner with a command in flight: every seat comes
// back through the load balancer, another node takes the room over when
// the lease runs out, and it is playable again within 15 s; every
// acknowledged command is in the log and the game ends normally.
func TestClusterOwnerKilled(t *testing.T) {
	c := startCluster(t, "haproxy")
	w := newWorkshop(t, c.URL(), 11)
	w.play(midGame)
	own, epoch := owner(t, c, w.code)
	w.inflight()
	acks := len(w.acks)
	killed := time.Now()
	if err := c.Nodes[own].Kill(); err != nil {
		t.Fatal(err)
	}
	w.play(func(*protocol.View) bool { return len(w.acks) > acks })
	failover := time.Since(killed)
	now, epoch2 := owner(t, c, w.code)
	t.Logf("owner %s killed; playable again through the load balancer after %s (lease 2s), on %s at epoch %d (was %d); %d reconnects, %d failed attempts",
		c.Names[own], failover.Round(time.Millisecond), c.Names[now], epoch2, epoch, w.reconnects, w.retries)
	if now == own || epoch2 <= epoch {
		t.Fatalf("the room is still with %s at epoch %d", c.Names[now], epoch2)
	}
	if failover > 15*time.Second {
		t.Fatalf("playable again only after %s; the limit is 15s", failover)
	}
	final := w.finish()
	verifyLog(t, c, w, final)
}

// A paused owner (SIGSTOP for longer than its lease, then SIGCONT) cannot
// append into the room it lost: the command a seat sent it while it slept
// never reaches the log, the database holds no record of its epoch after
// the takeover, and its clients are told to reconnect (1012).
func TestClusterPausedOwner(t *testing.T) {
	c := startCluster(t, "haproxy")
	w := newWorkshop(t, c.URL(), 13)
	w.play(midGame)
	own, epoch := owner(t, c, w.code)
	// The manager who owes an answer talks to the owner directly.
	p := w.pending()
	direct, err := w.resume("ws://"+c.Nodes[own].Addr+"/ws", p.Token)
	if err != nil {
		t.Fatal(err)
	}
	p.Client = direct
	if !wait(p.Client, func(v *protocol.View) bool { return v.Game.Version >= w.acked }) {
		t.Fatal("the direct connection closed")
	}
	at := w.acked
	if err := c.Nodes[own].Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// kill returns before every thread has stopped: a command sent at
	// once could still be taken and committed under the old lease,
	// legitimately, before the pause. Send it only to a stopped node.
	waitStopped(t, c.Nodes[own].Pid())
	cmd, _ := p.Decide(w.scn)
	p.Post(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
	time.Sleep(3 * time.Second) // the 2 s lease, renewed every 2/3 s, has run out
	w.reconnect(nil)            // the facilitator, through the load balancer
	now, epoch2 := owner(t, c, w.code)
	if now == own || epoch2 <= epoch {
		t.Fatalf("after the pause the room is with %s at epoch %d (was %s at %d)", c.Names[now], epoch2, c.Names[own], epoch)
	}
	if err := c.Nodes[own].Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	// The woken node finds the room gone: it closes its seat's connection.
	select {
	case <-p.Closed():
	case <-time.After(15 * time.Second):
		t.Fatal("the woken owner kept its client connected")
	}
	if code := p.CloseCode(); code != websocket.CloseServiceRestart {
		t.Errorf("the woken owner closed its client with %d, want %d (service restart)", code, websocket.CloseServiceRestart)
	}
	db, err := sql.Open("pgx", c.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for table, version := range map[string]string{"commands": "seq", "records": "version"} {
		var n int
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE room = $1 AND epoch = $2 AND "+version+" > $3", w.code, epoch, at).Scan(&n)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			t.Fatalf("%d %s of the paused owner's epoch %d after version %d", n, table, epoch, at)
		}
	}
	if v := w.fac.WaitView(func(*protocol.View) bool { return true }).Game.Version; v != at {
		t.Fatalf("the new owner serves version %d; %d were acknowledged and the paused node's command must not count", v, at)
	}
	t.Logf("owner %s paused 3s and woken: room on %s at epoch %d, closed with %d", c.Names[own], c.Names[now], epoch2, p.CloseCode())
	final := w.finish()
	verifyLog(t, c, w, final)
}

// SIGTERM drains the owner: it stops saying ready, hands its rooms over and
// closes their connections with 1012; each seat comes back with a single
// reconnect through the load balancer and the game goes on.
func TestClusterDrain(t *testing.T) {
	c := startCluster(t, "haproxy")
	w := newWorkshop(t, c.URL(), 17)
	w.play(midGame)
	own, _ := owner(t, c, w.code)
	acks := len(w.acks)
	if err := c.Nodes[own].Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ready := 0
	for start := time.Now(); time.Since(start) < time.Second; time.Sleep(20 * time.Millisecond) {
		if ready, _, _ = c.Get(own, "/readyz"); ready == 503 {
			break
		}
	}
	if ready != 503 {
		t.Errorf("a draining node's /readyz answers %d, want 503", ready)
	}
	select {
	case <-c.Nodes[own].Done():
	case <-time.After(15 * time.Second):
		t.Fatal("the drained node did not exit")
	}
	exited := time.Now()
	w.play(func(*protocol.View) bool { return len(w.acks) > acks })
	back := time.Since(exited)
	final := w.finish()
	t.Logf("node %s drained and exited; a move acknowledged %s later; %d reconnects (the longest %s), %d failed attempts, close codes %v",
		c.Names[own], back.Round(time.Millisecond), w.reconnects, w.longest.Round(time.Millisecond), w.retries, w.closes)
	if w.retries > 0 || w.reconnects != len(w.players)+1 {
		t.Errorf("the drain cost other than one reconnect per seat: %d reconnects of %d seats, %d failed attempts", w.reconnects, len(w.players)+1, w.retries)
	}
	for _, code := range w.closes {
		if code != websocket.CloseServiceRestart {
			t.Errorf("a connection was closed with %d, want %d (service restart)", code, websocket.CloseServiceRestart)
		}
	}
	verifyLog(t, c, w, final)
}

// The database restarts mid-game, down for longer than a lease: while it
// is down moves are refused with a clear error and /readyz says 503; once
// it is back the game goes on and nothing acknowledged is lost.
func TestClusterDatabaseRestart(t *testing.T) {
	pg := pgtest.Shared(t)
	c := startCluster(t, "haproxy")
	w := newWorkshop(t, c.URL(), 19)
	w.play(midGame)
	own, _ := owner(t, c, w.code)
	p := w.pending()
	pg.Down()
	down := time.Now()
	cmd, _ := p.Decide(w.scn)
	ans := p.Req(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
	if ans.Kind != protocol.KindError || ans.Error.Message == "" {
		pg.Up()
		t.Fatalf("a move while the database is down was answered %+v", ans)
	}
	t.Logf("a move while the database is down: %s: %s", ans.Error.Code, ans.Error.Message)
	// Down for longer than the 2 s lease: the leases run out meanwhile.
	var ready int
	for time.Since(down) < 3*time.Second {
		if ready != 503 {
			ready, _, _ = c.Get(own, "/readyz")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ans := p.Req(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version}); ans.Kind != protocol.KindError {
		pg.Up()
		t.Fatalf("a move 3 s into the outage was answered %+v", ans)
	}
	if err := pg.Up(); err != nil {
		t.Fatal(err)
	}
	if ready != 503 {
		t.Errorf("/readyz of %s answered %d while the database was down, want 503", c.Names[own], ready)
	}
	up := time.Now()
	acks := len(w.acks)
	w.play(func(*protocol.View) bool { return len(w.acks) > acks })
	t.Logf("database down %s; play resumed %s after it came back; %d reconnects, refused: %v",
		up.Sub(down).Round(time.Millisecond), time.Since(up).Round(time.Millisecond), w.reconnects, w.refused)
	final := w.finish()
	verifyLog(t, c, w, final)
}

// The load tool drives a cluster: 12 rooms of 5 players (60) through
// HAProxy onto three nodes, one node killed with SIGKILL mid-run and
// restarted; no error beyond reconnects, no acknowledged command lost,
// every game ends. The figures (failover per kill, CPU per node) are
// logged, never asserted.
func TestClusterLoad(t *testing.T) {
	c := startCluster(t, "haproxy", "-no-limits", "-log", "warn")
	cfg := loadtest.Config{URL: c.URL(), Nodes: c.Nodes, Rooms: 12, Players: 5, Scenario: "tutorial",
		Think: 50 * time.Millisecond, Duration: 8 * time.Second, Finish: true, Grace: 90 * time.Second, // a bound, not a target
		Kill: 5 * time.Second, Every: 2 * time.Second, Seed: 1}
	if testing.Verbose() {
		cfg.Progress = os.Stderr
	}
	rep, err := loadtest.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Kill() // the log is read as SIGKILL leaves it
	st, err := store.OpenURL(c.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := rep.Verify(st); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", rep)
	switch p := rep.Problem(); {
	case p != "":
		t.Error(p)
	case rep.Kills != 1 || len(rep.Failovers) != 1 || len(rep.NodeCPU) != 3:
		t.Errorf("%d kills, failovers %v, CPU of %d nodes", rep.Kills, rep.Failovers, len(rep.NodeCPU))
	}
}

// waitStopped waits until every thread of process pid is stopped (state T
// in /proc/pid/task/*/stat).
func waitStopped(t *testing.T, pid int) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
		if err != nil {
			t.Fatal(err)
		}
		stopped := len(tasks) > 0
		for _, task := range tasks {
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/stat", pid, task.Name()))
			if i := bytes.LastIndexByte(b, ')'); err != nil || i < 0 || i+2 >= len(b) || b[i+2] != 'T' {
				stopped = false
				break
			}
		}
		if stopped {
			return
		}
	}
	t.Fatalf("process %d did not stop", pid)
}
