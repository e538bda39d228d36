package room

import (
	"testing"

	"pushback/scenarios"
	"pushback/sim"
)

// TestSaidTextsAgree plays bot games of every scenario, one after the other
// through the same saidTexts (as a room restarting with another scenario
// does), and checks after every command that each seat's delta texts from
// the cache are the ones rendered fresh.
func TestSaidTextsAgree(t *testing.T) {
	var said saidTexts
	checked := 0
	for _, name := range scenarios.Names() {
		scn, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg := sim.Config{Persona: scn.Personas[0].ID, ExecutiveBot: true}
		for _, st := range []string{"yes-man", "firebrand", "diplomat"} {
			cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: st, Style: st, Bot: true})
		}
		s, err := sim.New(scn, cfg, 7)
		if err != nil {
			t.Fatal(err)
		}
		bots, err := sim.NewBots(s, 8)
		if err != nil {
			t.Fatal(err)
		}
		var v sim.View
		err = bots.Play(s, func(sim.Command) bool {
			for seat := sim.Public; int(seat) <= s.Managers(); seat++ {
				s.ViewInto(&v, seat)
				for _, d := range v.Deltas {
					if got, want := said.text(scn, d), d.Text(scn); got != want {
						t.Fatalf("%s seat %d: cached %q, fresh %q", name, seat, got, want)
					}
					checked++
				}
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked == 0 {
		t.Fatal("no delta was checked")
	}
}
