package ui

import (
	"slices"
	"testing"

	"pushback/client/model"
	"pushback/server/debrief/report"
	"pushback/sim"
)

// The debrief opens with the reaction round: a player's screen has the
// 1–5 chips, the word, the commitment and their buttons, and ghost lines of
// their seat played by the good style and by the yes-man; the projector's
// has the poll's summary and no controls for it. Pictures of both go to
// -shots.
func TestDebriefTakeaways(t *testing.T) {
	var player, proj *model.Model
	for _, fx := range fixtures(t) {
		switch fx.name {
		case "debrief":
			player = fx.m
		case "debrief-projector":
			proj = fx.m
		}
	}
	if player == nil || proj == nil || !player.Report.Final {
		t.Fatal("no finished debrief among the fixtures")
	}
	rep := *proj.Report
	rep.Takeaways = []report.Takeaway{{Seat: 1, Name: "Ann", Word: "squeezed", Scale: 2, Commitment: "Bring renewal data."},
		{Seat: 2, Name: "Bo", Word: "squeezed", Scale: 4}, {Seat: 0, Name: "Executive", Word: "tense", Scale: 3}}
	rep.Poll = report.Summarize(rep.Takeaways)
	proj.Report = &rep
	player.Take = model.Takeaway{Scale: 4, Word: "squeezed", Commitment: "Next month I will bring renewal data to every objection."}
	for _, tc := range []struct {
		name     string
		m        *model.Model
		controls bool
	}{{"player", player, true}, {"projector", proj, false}} {
		a := NewApp(tc.m, nil, nil, &recorder{})
		img, _ := render(a, laptop, true)
		c := a.ctx(&input{}, nil)
		scenes[model.ScreenDebrief](c)
		var ids []string
		for _, f := range c.order {
			ids = append(ids, f.id)
		}
		for _, id := range []string{"deb.take.scale.0", "deb.take.scale.4", "deb.take.word", "deb.take.react", "deb.take.commit", "deb.take.send"} {
			if slices.Contains(ids, id) != tc.controls {
				t.Errorf("%s: control %s present %v", tc.name, id, !tc.controls)
			}
		}
		if got := len(c.ghosts()); got != map[bool]int{true: 2, false: 0}[tc.controls] {
			t.Errorf("%s: %d ghost lines", tc.name, got)
		}
		writePNG(t, *shots, "debrief-takeaways-"+tc.name+".png", img)
	}
	if proj.Seat != sim.Public {
		t.Errorf("the projector fixture sits in seat %d", proj.Seat)
	}
}
