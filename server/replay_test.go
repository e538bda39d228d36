package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pushback/scenarios"
	"pushback/server/debrief"
	"pushback/sim"
)

// exportedGame plays a bot game of the default scenario and exports it the
// way the server's report.json does.
func exportedGame(t *testing.T) []byte {
	t.Helper()
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.Config{Persona: scn.Personas[0].ID, ExecutiveBot: true}
	for _, st := range []string{"yes-man", "firebrand", "diplomat", "advocate"} {
		cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: st, Style: st, Bot: true})
	}
	s, err := sim.New(scn, cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	bots, err := sim.NewBots(s, 4)
	if err != nil {
		t.Fatal(err)
	}
	g := debrief.Game{Table: "REPLAY", ScenarioName: scenarios.Default, Config: cfg, Seed: 3}
	if err := bots.Play(s, func(c sim.Command) bool { g.Commands = append(g.Commands, c); return true }); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := debrief.WriteJSON(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReplay(t *testing.T) {
	dir := t.TempDir()
	file := exportedGame(t)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", file)
	// Board pressure recorded at the end of turn 6, raised by one.
	at := bytes.Index(file, []byte(`"turn": 6,`))
	p := at + bytes.Index(file[at:], []byte(`"pressure": `)) + len(`"pressure": `)
	end := p + bytes.IndexAny(file[p:], ",\n}")
	tampered := append(append(append([]byte{}, file[:p]...), []byte("99")...), file[end:]...)
	bad := write("tampered.json", tampered)
	junk := write("junk.json", []byte("{not json"))
	report := filepath.Join(dir, "report.html")

	cases := []struct {
		name string
		args []string
		code int
		out  string // in stdout
		err  string // in stderr
	}{
		{"match", []string{good}, 0, "match: ", ""},
		{"match with report", []string{"-html", report, good}, 0, "match: ", ""},
		{"tampered", []string{bad}, 1, "MISMATCH: the replay first differs in turn 6: company recorded", ""},
		{"no file", nil, 2, "", "usage: server replay"},
		{"two files", []string{good, bad}, 2, "", "usage: server replay"},
		{"missing file", []string{filepath.Join(dir, "missing.json")}, 2, "", "no such file"},
		{"not a game file", []string{junk}, 2, "", "game file:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := replay(tc.args, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.err) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, stdout.String(), stderr.String(), tc.code, tc.out, tc.err)
			}
		})
	}
	page, err := os.ReadFile(report)
	if err != nil || !bytes.Contains(page, []byte("Debrief of table REPLAY")) {
		t.Fatalf("the -html report was not written: %v", err)
	}
}
