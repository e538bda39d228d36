package main

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// The estimate's shape: a month never outlasts its deadlines, a bigger
// table waits longer for its slowest seat, a scripted executive saves the
// mandate and the rulings; the command prints a row per scenario and size.
func TestTiming(t *testing.T) {
	p := pace{mandate: 50 * time.Second, answer: 100 * time.Second, rule: 30 * time.Second, read: 45 * time.Second,
		spread: 0.4, readSpread: 0.3, object: 0.4}
	r := rand.New(rand.NewPCG(1, 2))
	mean := func(p pace, n int, d [4]int) float64 {
		sum := 0.0
		for range 2000 {
			m := p.month(r, n, d)
			if d[0] > 0 && m > float64(d[0]+d[1]+d[2]+d[3]) {
				t.Fatalf("a month of %.0f s outlasted deadlines %v", m, d)
			}
			sum += m
		}
		return sum / 2000
	}
	paced := [4]int{60, 180, 120, 60}
	four, eight := mean(p, 4, [4]int{}), mean(p, 8, [4]int{})
	if eight <= four {
		t.Errorf("8 managers %.0f s a month, 4 managers %.0f s: a bigger table should take longer", eight, four)
	}
	if capped := mean(p, 8, paced); capped >= eight {
		t.Errorf("deadlines did not shorten a month: %.0f s vs %.0f s", capped, eight)
	}
	scripted := p
	scripted.persona = true
	if s := mean(scripted, 4, [4]int{}); s >= four-60 {
		t.Errorf("a scripted executive saved only %.0f s a month", four-s)
	}

	var out, errb bytes.Buffer
	if code := timing([]string{"-games", "100", "-managers", "4,8"}, &out, &errb); code != 0 {
		t.Fatalf("timing: %d %s", code, errb.String())
	}
	for _, want := range []string{"tutorial (5)", "mild-slowdown (8)", "hard-landing (10)", "paced"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if rows := strings.Count(out.String(), "\n"); rows != 1+6+1 {
		t.Errorf("%d lines, want a header, 6 rows and the note:\n%s", rows, out.String())
	}
	if code := timing([]string{"-managers", "9"}, &out, &errb); code != 2 {
		t.Errorf("-managers 9 accepted")
	}
}
