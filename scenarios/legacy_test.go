package scenarios

import (
	"strings"
	"testing"

	"pushback/sim"
)

// A scenario file written before evidence, costed alternatives and harm
// bands existed (today's copy of the old default scenario) stays valid and
// plays sensibly: cases are judged on their levers, every card offers the
// default pilot, and the good style still beats the yes-man. Check says,
// line by line, how to upgrade it.
func TestOldFileStillPlaysAndSaysHowToUpgrade(t *testing.T) {
	scn, hints, err := CheckFile("testdata/legacy-mild-slowdown.yaml")
	if err != nil {
		t.Fatalf("the old file no longer validates: %v", err)
	}
	if !scn.Legacy() || len(scn.Mandates[0].Alternatives) != 1 || scn.Mandates[0].Alternatives[0].ID != "pilot" {
		t.Errorf("old file: legacy %v, alternatives %+v", scn.Legacy(), scn.Mandates[0].Alternatives)
	}
	var evidence, events, alternatives int
	for _, h := range hints {
		switch {
		case h.Line < 1 || h.Col < 1:
			t.Errorf("hint without a place: %v", h)
		case strings.Contains(h.Msg, "no evidence deck"):
			evidence++
		case strings.Contains(h.Msg, "events for"):
			events++
		case strings.Contains(h.Msg, "no alternatives"):
			alternatives++
		}
	}
	if evidence != 1 || events != 1 || alternatives != len(scn.Mandates) {
		t.Errorf("hints: %d evidence, %d events, %d alternatives (want 1, 1, %d):\n%v", evidence, events, alternatives, len(scn.Mandates), hints)
	}
	score := func(style string) float64 {
		sum := 0
		for seed := range uint64(100) {
			cfg := sim.Config{Persona: scn.Personas[int(seed)%len(scn.Personas)].ID, ExecutiveBot: true}
			for _, st := range []string{style, "diplomat", "yes-man", "advocate"} {
				cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: st, Style: st, Bot: true})
			}
			s, err := sim.New(scn, cfg, seed)
			if err != nil {
				t.Fatal(err)
			}
			bots, err := sim.NewBots(s, seed+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := bots.Run(s); err != nil {
				t.Fatalf("old file, seed %d: %v", seed, err)
			}
			sum += s.Scores.Managers[0]
		}
		return float64(sum) / 100
	}
	if good, yes := score("advocate"), score("yes-man"); good < yes+5 {
		t.Errorf("old file: the advocate scores %.1f, the yes-man %.1f", good, yes)
	}
	// The shipped files use everything new: no upgrade hints.
	for _, name := range Names() {
		data, _ := Source(name)
		if _, hints, err := Check(name+".yaml", data); err != nil || len(hints) > 0 {
			t.Errorf("%s: %v, hints %v", name, err, hints)
		}
	}
}
