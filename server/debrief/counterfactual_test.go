package debrief_test

import (
	"reflect"
	"slices"
	"testing"

	"pushback/server/debrief"
	"pushback/sim"
)

// A counterfactual replay with every seat's own moves reproduces the stored
// game exactly; with the good style (or the judging executive) it differs,
// the same way every time; the stored game is never changed.
func TestCounterfactualReplays(t *testing.T) {
	for _, persona := range []string{"", "listener"} {
		for _, seed := range []uint64{3, 9} {
			for _, st := range [][]string{styles, others} {
				g, _ := botGameOf(t, st, persona, seed, 0)
				stored := slices.Clone(g.Commands)
				want, err := debrief.Replay(g)
				if err != nil {
					t.Fatal(err)
				}
				for seat := sim.Executive; int(seat) <= len(g.Config.Managers); seat++ {
					got, err := debrief.Identity(g, seat)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want.State) {
						t.Fatalf("%s seed %d seat %d: replaying the seat's own moves does not reproduce the game", persona, seed, seat)
					}
					style := debrief.GoodStyle
					if seat >= 1 && g.Config.Managers[seat-1].Style == style {
						style = debrief.YesMan
					}
					a, _, err := debrief.Counterfactual(g, seat, style)
					if err != nil {
						t.Fatal(err)
					}
					b, _, err := debrief.Counterfactual(g, seat, style)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(a, b) {
						t.Fatalf("%s seed %d seat %d: two counterfactual runs differ", persona, seed, seat)
					}
					if a.Phase != sim.PhaseOver {
						t.Fatalf("seat %d: the counterfactual did not finish the game", seat)
					}
					if reflect.DeepEqual(a.Decisions, want.State.Decisions) {
						t.Errorf("%s seed %d seat %d: %s plays exactly as the seat did", persona, seed, seat, style)
					}
					if !reflect.DeepEqual(g.Commands, stored) {
						t.Fatalf("the stored game changed")
					}
				}
			}
		}
	}
}
