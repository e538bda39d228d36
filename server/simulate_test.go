package main

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"

	"pushback/scenarios"
)

// The balance table has a row per style, and does not depend on how many
// workers played the games.
func TestSimulate(t *testing.T) {
	var outs []string
	for _, w := range []string{"1", "3"} {
		var out, errb bytes.Buffer
		if code := simulate([]string{"-games", "300", "-seed", "7", "-workers", w}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		outs = append(outs, out.String())
	}
	if outs[0] != outs[1] {
		t.Fatalf("1 worker and 3 workers disagree:\n%s\n%s", outs[0], outs[1])
	}
	for _, want := range []string{"300 games", "yes-man", "firebrand", "diplomat", "advocate", "executive score", "±"} {
		if !strings.Contains(outs[0], want) {
			t.Errorf("output lacks %q:\n%s", want, outs[0])
		}
	}
	bad := [][]string{
		{"-games", "0"},
		{"-scenario", "no-such-scenario"},
		{"-styles", "no-such-style", "-games", "2"},
		{"-persona", "no-such-persona", "-games", "2"},
	}
	for _, args := range bad {
		var out, errb bytes.Buffer
		if code := simulate(args, &out, &errb); code == 0 {
			t.Errorf("simulate %v succeeded", args)
		}
	}
}

// Different styles must come out different, or the table tells nothing.
func TestBalanceSeparatesStyles(t *testing.T) {
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	b, err := runBalance(simOptions{scn: scn, games: 200, seed: 1, styles: []string{"yes-man", "advocate"},
		persona: scn.Personas[0].ID, workers: 2}, &n)
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 200 || b.games != 200 || b.seats[0].score.n != 200 {
		t.Fatalf("played %d, counted %d", n.Load(), b.games)
	}
	if b.seats[0].meters[1].mean() == b.seats[1].meters[1].mean() {
		t.Fatal("yes-man and advocate end with the same trust")
	}
}

func BenchmarkBotGame(b *testing.B) {
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		b.Fatal(err)
	}
	o := simOptions{scn: scn, games: 1, styles: []string{"yes-man", "firebrand", "diplomat", "advocate"}, persona: scn.Personas[0].ID, workers: 1}
	var n atomic.Int64
	for b.Loop() {
		o.seed++
		if _, err := runBalance(o, &n); err != nil {
			b.Fatal(err)
		}
	}
}
