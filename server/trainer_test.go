package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"pushback/scenarios"
	"pushback/server/protocol"
	"pushback/server/wsclient"
)

// ownScenario is a trainer's file: the shipped tutorial under another id.
func ownScenario(t *testing.T, id string) []byte {
	t.Helper()
	src, err := scenarios.Source("tutorial")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Replace(src, []byte("id: tutorial"), []byte("id: "+id), 1)
}

// The real binary with serve -scenarios DIR: the valid file is offered, the
// broken one is logged with its file:line:column and skipped, the
// oversized one is logged and skipped, and the server runs. A room created
// from an uploaded file survives SIGKILL: restarted without the directory,
// it replays from the source it stored and plays on to the end.
func TestTrainerScenariosAndUploadSurviveSIGKILL(t *testing.T) {
	bin := serverBin(t)
	tmp := t.TempDir()
	dir, data := filepath.Join(tmp, "scenarios"), filepath.Join(tmp, "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	good := ownScenario(t, "our-workshop")
	i := bytes.Index(good, []byte("\nturns: "))
	line := bytes.Count(good[:i+1], []byte("\n")) + 1
	broken := bytes.Replace(good, []byte("\nturns: "), []byte("\nturns: many #"), 1)
	huge := append(ownScenario(t, "huge"), bytes.Repeat([]byte("# padding\n"), protocol.MaxScenario/10)...)
	for name, b := range map[string][]byte{"ours.yaml": good, "broken.yaml": broken, "huge.yaml": huge} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := startChild(t, bin, data, "-scenarios", dir)
	log := srv.logged()
	if want := fmt.Sprintf("broken.yaml:%d:8: turns:", line); !strings.Contains(log, want) {
		t.Errorf("the log does not name %q:\n%s", want, log)
	}
	if !strings.Contains(log, "huge.yaml") || !strings.Contains(log, "larger than 64 KiB") {
		t.Errorf("the log does not name the oversized file:\n%s", log)
	}
	fac := wsclient.Dial(t, srv.url())
	var ids []string
	for _, c := range fac.Must(protocol.ClientMsg{Kind: protocol.KindScenarios}).Scenarios {
		ids = append(ids, fmt.Sprintf("%s:%v", c.ID, c.Trainer))
	}
	if got := strings.Join(ids, " "); !strings.Contains(got, "our-workshop:true") || strings.Contains(got, "huge") || !strings.Contains(got, scenarios.Default+":false") {
		t.Fatalf("offered: %s", got)
	}

	// A table of an uploaded file, played into its second month.
	upload := ownScenario(t, "uploaded")
	scn, err := scenarios.Parse("uploaded.yaml", upload)
	if err != nil {
		t.Fatal(err)
	}
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Source: upload, File: "uploaded.yaml",
		Executive: "human", Managers: 2, Seed: 5}}).Joined
	if j.Scenario.ID != "uploaded" {
		t.Fatalf("created %+v", j.Scenario)
	}
	var players []*wsclient.Bot
	for i, role := range []string{protocol.RoleExecutive, protocol.RoleManager, protocol.RoleManager} {
		c := wsclient.Dial(t, srv.url())
		jj := c.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "P" + string(rune('1'+i)), Role: role}).Joined
		p := &wsclient.Bot{Client: c, Seat: jj.Seat, Token: jj.Token, Rng: rand.New(rand.NewPCG(uint64(i), 5)),
			Persona: &scn.Personas[0], Style: scn.Style("advocate")}
		players = append(players, p)
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	var acked uint64
	play := func(stop func(v *protocol.View) bool) {
		for moves := 0; ; moves++ {
			if moves > 500 {
				t.Fatal("game stuck")
			}
			for _, p := range players {
				p.WaitView(func(v *protocol.View) bool { return v.Room.Started && v.Game.Version >= acked })
				if cmd, ok := p.Decide(scn); ok {
					p.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
					acked = p.View.Game.Version
				}
			}
			if stop(fac.WaitView(func(v *protocol.View) bool { return v.Game.Version >= acked })) {
				return
			}
		}
	}
	play(func(v *protocol.View) bool { return v.Game.Turn >= 2 })
	before := fac.WaitView(func(v *protocol.View) bool { return true }).Game
	srv.cmd.Process.Signal(syscall.SIGKILL)
	if err := <-srv.exit; err == nil {
		t.Fatal("the server exited cleanly after SIGKILL")
	}

	srv = startChild(t, bin, data) // no -scenarios: the room carries its own source
	fac = wsclient.Dial(t, srv.url())
	if r := fac.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: j.Facilitator, Code: j.Code}).Joined; r.Scenario.ID != "uploaded" {
		t.Fatalf("resumed into %+v", r.Scenario)
	}
	if after := fac.WaitView(func(*protocol.View) bool { return true }).Game; !wsclient.SameEncoding(t, after, before) {
		t.Fatalf("restored at version %d, was %d", after.Version, before.Version)
	}
	acked = before.Version
	for _, p := range players {
		p.Client = wsclient.Dial(t, srv.url())
		p.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: p.Token})
	}
	play(func(v *protocol.View) bool { return v.Room.Over })
	if v := fac.WaitView(func(v *protocol.View) bool { return v.Room.Over }); v.Game.Scores == nil || v.Game.Turn != scn.Turns {
		t.Fatalf("final %+v", v.Game)
	}
}
