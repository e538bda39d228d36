package sim_test

import (
	"testing"

	"pushback/scenarios"
	"pushback/sim"
)

// BenchmarkFullGame plays one whole game of the default scenario: four bot
// managers (one of each character) and a persona executive, from New to the
// final scores. Target: ≤ 20 µs and ≤ 50 allocations per game on one core.
func BenchmarkFullGame(b *testing.B) {
	scn := load(b, scenarios.Default)
	cfg := table(scn.Personas[0].ID, "yes-man", "firebrand", "diplomat", "advocate")
	var seed uint64
	for b.Loop() {
		seed++
		s, err := sim.New(scn, cfg, seed)
		if err != nil {
			b.Fatal(err)
		}
		bots, err := sim.NewBots(s, seed)
		if err != nil {
			b.Fatal(err)
		}
		if err := bots.Run(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkViews builds every seat's view of a finished game, reusing one
// buffer, as the server does after each command.
func BenchmarkViews(b *testing.B) {
	scn := load(b, scenarios.Default)
	s, _ := play(b, scn, table(scn.Personas[0].ID, "yes-man", "firebrand", "diplomat", "advocate"), 1)
	var v sim.View
	for b.Loop() {
		for seat := sim.Public; int(seat) <= s.Managers(); seat++ {
			s.ViewInto(&v, seat)
		}
	}
}

// BenchmarkFullGameReused is BenchmarkFullGame the way simulate plays:
// one table reset for each new seed, reusing the finished game's buffers.
func BenchmarkFullGameReused(b *testing.B) {
	scn := load(b, scenarios.Default)
	cfg := table(scn.Personas[0].ID, "yes-man", "firebrand", "diplomat", "advocate")
	s, _ := sim.New(scn, cfg, 0)
	bots, _ := sim.NewBots(s, 0)
	var seed uint64
	for b.Loop() {
		seed++
		s.Reset(seed)
		bots.Reset(seed)
		if err := bots.Run(s); err != nil {
			b.Fatal(err)
		}
	}
}
