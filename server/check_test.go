package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pushback/scenarios"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	src, err := scenarios.Source(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, src, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	broken := strings.Replace(string(src), "turns: 8", "turns: -8", 1)
	broken = strings.Replace(broken, "harm: 0.7", "harm: high", 1)
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	line := func(s string) int { return strings.Count(broken[:strings.Index(broken, s)], "\n") + 1 }
	badErrs := fmt.Sprintf("%s:%d:8: turns: -8 is out of range 1..20\n", bad, line("turns: -8")) +
		fmt.Sprintf("%s:%d:11: mandate \"raise-quotas\": harm: want a number, got the text \"high\"\n", bad, line("harm: high"))

	cases := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"usage", nil, 2, "", "usage: server check FILE...\n"},
		{"help", []string{"-h"}, 2, "", "usage: server check FILE...\n"},
		{"good", []string{good}, 0, good + ": ok (A Mild Slowdown, 8 turns, 10 mandates, 14 evidence cards)\n", ""},
		{"bad", []string{bad}, 1, "", badErrs},
		{"missing file", []string{missing}, 1, "", missing + ": open " + missing + ": no such file or directory\n"},
		{"mixed", []string{good, bad}, 1, good + ": ok (A Mild Slowdown, 8 turns, 10 mandates, 14 evidence cards)\n", badErrs},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := check(tc.args, &out, &errOut)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if out.String() != tc.out {
				t.Errorf("stdout %q, want %q", out.String(), tc.out)
			}
			if !strings.HasPrefix(errOut.String(), tc.err) || (tc.err == "" && errOut.Len() > 0) {
				t.Errorf("stderr %q, want prefix %q", errOut.String(), tc.err)
			}
		})
	}
	if _, ok := subcommands["check"]; !ok {
		t.Error("check is not registered")
	}
}
