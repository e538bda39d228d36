package main

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"pushback/scenarios"
	"pushback/server/debrief"
	"pushback/server/protocol"
	"pushback/server/room"
	"pushback/server/store"
	"pushback/server/store/pgtest"
	"pushback/server/wsclient"
	"pushback/sim"
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
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}

	srv := startChild(t, bin, data, extra...)
	fac := wsclient.Dial(t, srv.url())
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Executive: "human", Managers: 3, Seed: 99}}).Joined
	code, facTok := j.Code, j.Facilitator
	styles := []string{"advocate", "diplomat", "firebrand"}
	var players []*wsclient.Bot
	for i, role := range []string{protocol.RoleExecutive, protocol.RoleManager, protocol.RoleManager, protocol.RoleManager} {
		c := wsclient.Dial(t, srv.url())
		jj := c.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "P" + string(rune('1'+i)), Role: role}).Joined
		p := &wsclient.Bot{Client: c, Seat: jj.Seat, Token: jj.Token, Rng: rand.New(rand.NewPCG(uint64(i), 9))}
		if i == 0 {
			p.Persona = &scn.Personas[0]
		} else {
			p.Style = scn.Style(styles[i-1])
		}
		players = append(players, p)
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	for _, p := range players {
		p.WaitView(func(v *protocol.View) bool { return v.Room.Started })
	}

	// play makes moves until stop says so; it returns the last acknowledged
	// version.
	var acked uint64
	play := func(stop func(v *protocol.View) bool) {
		for moves := 0; ; moves++ {
			if moves > 1000 {
				t.Fatal("game stuck")
			}
			moved := false
			for _, p := range players {
				p.WaitView(func(v *protocol.View) bool { return v.Game.Version >= acked })
				if stop(p.View) {
					return
				}
				cmd, ok := p.Decide(scn)
				if !ok {
					continue
				}
				p.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
				acked = p.View.Game.Version
				moved = true
			}
			if !moved {
				t.Fatalf("nobody can move at %+v", players[0].View.Game)
			}
		}
	}
	play(func(v *protocol.View) bool {
		return v.Game.Turn >= 4 && v.Game.Phase == sim.PhaseResponse && v.Game.Managers[0].Answered
	})
	// A manager who still owes an answer sends it, and the server dies
	// before anyone could hear back.
	var inflight *wsclient.Bot
	for _, p := range players[1:] {
		if p.View.Room.Seats[p.Seat].Pending {
			inflight = p
		}
	}
	cmd, _ := inflight.Decide(scn)
	inflight.Post(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: inflight.View.Game.Version})
	srv.cmd.Process.Signal(syscall.SIGKILL)
	if err := <-srv.exit; err == nil {
		t.Fatal("the server exited cleanly after SIGKILL")
	}
	before := fac.View.Game

	srv = startChild(t, bin, data, extra...)
	fac = wsclient.Dial(t, srv.url())
	if r := fac.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: facTok, Code: code}).Joined; r.Role != protocol.RoleFacilitator {
		t.Fatalf("facilitator resume: %+v", r)
	}
	restored := fac.WaitView(func(*protocol.View) bool { return true }).Game
	t.Logf("acknowledged %d, restored at %d", acked, restored.Version)
	if restored.Version < acked || restored.Version > acked+1 {
		t.Fatalf("restored at version %d; %d were acknowledged, 1 in flight", restored.Version, acked)
	}
	if restored.Version == before.Version && !wsclient.SameEncoding(t, restored, before) {
		t.Fatal("the restored game differs from the one before the crash")
	}
	for _, p := range players {
		p.Client = wsclient.Dial(t, srv.url())
		r := p.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: p.Token}).Joined
		if r.Seat != p.Seat || r.Code != code {
			t.Fatalf("seat %d resumed as %+v", p.Seat, r)
		}
		if v := p.WaitView(func(*protocol.View) bool { return true }); v.Game.Version != restored.Version || !v.Room.Started {
			t.Fatalf("seat %d resumed at version %d, room %+v", p.Seat, v.Game.Version, v.Room)
		}
	}
	acked = restored.Version
	play(func(v *protocol.View) bool { return v.Room.Over })
	final := fac.WaitView(func(v *protocol.View) bool { return v.Room.Over }).Game
	if final.Scores == nil {
		t.Fatal("no scores")
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
	hub, err := room.New(room.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Close()
	g, err := hub.Game(code, facTok)
	if err != nil {
		t.Fatal(err)
	}
	g.People = nil // the config as played, seats named as the room names them
	replayed, err := debrief.Replay(g)
	if err != nil {
		t.Fatal(err)
	}
	if !wsclient.SameEncoding(t, replayed.State.View(sim.Facilitator), final) {
		t.Fatal("the final state differs from an uninterrupted replay of the stored commands")
	}
}
