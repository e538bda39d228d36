package balance

import (
	"sync/atomic"
	"testing"

	"pushback/scenarios"
)

// Different styles must come out different, or the table tells nothing;
// and the table does not depend on the number of workers.
func TestBalanceSeparatesStyles(t *testing.T) {
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	o := Options{Scenario: scn, Games: 200, Seed: 1, Styles: []string{"yes-man", "advocate"},
		Persona: scn.Personas[0].ID, Workers: 2, Done: &n}
	b, err := Run(o)
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 200 || b.Games != 200 || b.Seats[0].Score.N != 200 {
		t.Fatalf("played %d, counted %d", n.Load(), b.Games)
	}
	if b.Seats[0].Meters[1].Mean() == b.Seats[1].Meters[1].Mean() {
		t.Fatal("yes-man and advocate end with the same trust")
	}
	o.Workers, o.Done = 1, nil
	one, err := Run(o)
	if err != nil {
		t.Fatal(err)
	}
	if one.Seats[1].Score != b.Seats[1].Score || one.Exec != b.Exec {
		t.Fatal("1 worker and 2 workers disagree")
	}
	if _, err := Run(Options{Scenario: scn, Games: 2, Styles: []string{"no-such-style"}, Persona: scn.Personas[0].ID, Workers: 1}); err == nil {
		t.Fatal("an unknown style played")
	}
}

func BenchmarkBotGame(b *testing.B) {
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		b.Fatal(err)
	}
	o := Options{Scenario: scn, Games: 1, Styles: []string{"yes-man", "firebrand", "diplomat", "advocate"}, Persona: scn.Personas[0].ID, Workers: 1}
	for b.Loop() {
		o.Seed++
		if _, err := Run(o); err != nil {
			b.Fatal(err)
		}
	}
}
