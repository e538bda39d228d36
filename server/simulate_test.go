package main

import (
	"bytes"
	"strings"
	"testing"
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
