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
	if err := bots.Play(s, func(c sim.Command) bool { log = append(log, c); return true }); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
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
