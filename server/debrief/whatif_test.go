package debrief_test

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"pushback/server/debrief"
	"pushback/sim"
)

// eightManagers plays hard-landing by bot at a full table: eight managers
// (the four characters and the four fixed policies), ten turns.
func eightManagers(t testing.TB, seed uint64) (debrief.Game, *sim.State) {
	t.Helper()
	g, s := botTable(t, "hard-landing", append(slices.Clone(styles), others...), "", seed, 0)
	if s.Scn.Turns != 10 || s.Managers() != 8 {
		t.Fatalf("hard-landing: %d turns, %d managers; the benchmark wants 10 and 8", s.Scn.Turns, s.Managers())
	}
	return g, s
}

// Every manager of a finished game gets its benchmarks (good style, then
// yes-man) and at most three what-ifs at the turns of their largest
// swings; a what-if that claims better does better, says so in words and
// numbers, and tried a bounded number of answers. Building twice gives
// the same report, and the stored game is not changed.
func TestWhatIfs(t *testing.T) {
	for _, seed := range []uint64{2, 5} {
		g, s := eightManagers(t, seed)
		stored := slices.Clone(g.Commands)
		r, err := debrief.Build(g)
		if err != nil {
			t.Fatal(err)
		}
		again, err := debrief.Build(g)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r, again) {
			t.Fatal("two builds of the same game differ")
		}
		if !reflect.DeepEqual(g.Commands, stored) {
			t.Fatal("the debrief changed the stored game")
		}
		better := 0
		for i, m := range r.Managers {
			if len(m.Benchmarks) != 2 || m.Benchmarks[0].Style != debrief.GoodStyle || m.Benchmarks[1].Style != debrief.YesMan {
				t.Fatalf("%s: benchmarks %+v", m.Name, m.Benchmarks)
			}
			for _, b := range m.Benchmarks {
				if len(b.Meters) != s.Scn.Turns+1 || b.Final != b.Score[len(b.Score)-1] {
					t.Errorf("%s: benchmark %s covers %d turns, ends at %d, score path %v", m.Name, b.Who, len(b.Meters), b.Final, b.Score)
				}
				if b.Meters[0] != m.Meters[0] {
					t.Errorf("%s: benchmark %s starts elsewhere", m.Name, b.Who)
				}
			}
			if len(m.WhatIfs) == 0 || len(m.WhatIfs) > debrief.WhatIfsPerManager {
				t.Errorf("%s: %d what-ifs", m.Name, len(m.WhatIfs))
			}
			turns := map[int]bool{}
			for _, w := range m.WhatIfs {
				if turns[w.Turn] {
					t.Errorf("%s: two what-ifs in turn %d", m.Name, w.Turn)
				}
				turns[w.Turn] = true
				if w.Options < 1 || w.Options > 12 {
					t.Errorf("%s turn %d: %d answers tried", m.Name, w.Turn, w.Options)
				}
				if w.Actual != s.Teams[i].Meters || w.Score != s.Scores.Managers[i] {
					t.Errorf("%s turn %d: the what-if's actual end is not the game's", m.Name, w.Turn)
				}
				if w.Better != (w.AltScore > w.Score) {
					t.Errorf("%s turn %d: better %v but %d vs %d", m.Name, w.Turn, w.Better, w.AltScore, w.Score)
				}
				if w.Better {
					better++
					for _, want := range []string{"Had you " + w.Try, strconv.Itoa(w.AltScore) + ", not " + strconv.Itoa(w.Score)} {
						if !strings.Contains(w.Text, want) {
							t.Errorf("%s turn %d: %q lacks %q", m.Name, w.Turn, w.Text, want)
						}
					}
				} else if !strings.Contains(w.Text, "None of the") {
					t.Errorf("%s turn %d: %q", m.Name, w.Turn, w.Text)
				}
			}
		}
		if better == 0 {
			t.Errorf("seed %d: no what-if found anything better", seed)
		}
	}
}

// BenchmarkDebrief8x10 builds the whole debrief of an eight-manager,
// ten-turn game of hard-landing: the replay, the report, the benchmarks of
// every seat and the what-ifs of every manager's key moments.
func BenchmarkDebrief8x10(b *testing.B) {
	g, _ := eightManagers(b, 7)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := debrief.Build(g); err != nil {
			b.Fatal(err)
		}
	}
}
