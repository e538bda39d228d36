package room

import (
	"testing"

	"pushback/scenarios"
	"pushback/sim"
)

// deltaText remembers texts across rooms and broadcasts; what it gives is
// always sim.Delta.Text of the room's own scenario, for every meter, cause
// and reference, in two scenarios whose cards differ, after its memory
// started again too.
func TestDeltaTextIsTheDeltasText(t *testing.T) {
	a, err := scenarios.Load("mild-slowdown")
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenarios.Load("hard-landing")
	if err != nil {
		t.Fatal(err)
	}
	check := func() (n int) {
		for _, scn := range []*sim.Scenario{a, b, a} {
			for c := range sim.NumCauses + 1 {
				for m := range sim.NumMeters {
					for ref := int16(-1); ref <= int16(len(scn.Mandates)+1); ref++ {
						d := sim.Delta{Turn: int16(ref + 3), Amount: ref - 4, Ref: ref, Seat: 2, Meter: m, Cause: c}
						if got, want := deltaText(scn, d), d.Text(scn); got != want {
							t.Fatalf("deltaText(%+v) = %q, want %q", d, got, want)
						}
						n++
					}
				}
			}
		}
		return n
	}
	n := check()
	// The same texts again, now from memory, and different ones in the
	// two scenarios where a card's title is in the text.
	check()
	d := sim.Delta{Amount: -3, Ref: 0, Meter: sim.MeterTrust, Cause: sim.CauseRelay}
	if a.Mandates[0].Title != b.Mandates[0].Title && deltaText(a, d) == deltaText(b, d) {
		t.Fatalf("two scenarios share a text: %q", deltaText(a, d))
	}
	// Past maxDeltaTexts the memory starts again and still answers right.
	for i := 0; i*n <= maxDeltaTexts; i++ {
		c, err := scenarios.Load("mild-slowdown")
		if err != nil {
			t.Fatal(err)
		}
		a = c
		check()
	}
	deltaTexts.RLock()
	kept := len(deltaTexts.m)
	deltaTexts.RUnlock()
	if kept > maxDeltaTexts {
		t.Fatalf("%d texts kept, at most %d wanted", kept, maxDeltaTexts)
	}
}
