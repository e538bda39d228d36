package sim_test

import (
	"fmt"
	"testing"

	"pushback/scenarios"
	"pushback/sim"
)

// load returns a shipped scenario; tests may change the copy they get.
func load(t testing.TB, name string) *sim.Scenario {
	t.Helper()
	scn, err := scenarios.Load(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return scn
}

// table seats one manager per style, named after it.
func table(persona string, styles ...string) sim.Config {
	cfg := sim.Config{Persona: persona, ExecutiveBot: true}
	for i, st := range styles {
		cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: fmt.Sprintf("%s-%d", st, i+1), Style: st, Bot: true})
	}
	return cfg
}

// play runs a bot-only game to the end and returns it with its command log.
func play(t testing.TB, scn *sim.Scenario, cfg sim.Config, seed uint64) (*sim.State, []sim.Command) {
	t.Helper()
	s, err := sim.New(scn, cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	bots, err := sim.NewBots(s, seed+1)
	if err != nil {
		t.Fatal(err)
	}
	var log []sim.Command
	for s.Phase != sim.PhaseOver {
		moved := false
		for seat := sim.Executive; int(seat) <= s.Managers(); seat++ {
			if c, ok := bots.Decide(s, seat); ok {
				if err := s.Apply(c); err != nil {
					t.Fatalf("seed %d: bot %d: %v (%+v)", seed, seat, err, c)
				}
				log = append(log, c)
				moved = true
			}
		}
		if !moved {
			t.Fatalf("seed %d: stuck in %s", seed, s.Phase)
		}
	}
	return s, log
}

// mean is the arithmetic mean.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

const seeds = 200
