package scene

import (
	"slices"
	"strings"
	"testing"

	"pushback/client/model"
	"pushback/client/session"
	"pushback/server/protocol/report"
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
		a := NewApp(session.New(tc.m, nil, nil, &recorder{}))
		img, _, _ := render(a, laptop, true)
		c := a.ctx(&Input{}, nil)
		scenes[model.ScreenDebrief](c)
		var ids []string
		for _, f := range c.pass.Order {
			ids = append(ids, f.ID)
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

// The debrief calls people by the names they joined with and the seats
// bots played by their style; nothing technical (seed, command count) is on
// the screen.
func TestDebriefNames(t *testing.T) {
	tb := newTable(t)
	tb.play(nil, func(*sim.State) bool { return false })
	rep := tb.report()
	m := debriefed(tb.model(1, true, 0), rep, rep.Played)
	m.Do(model.OpenDebrief{})
	d := newDriver(t, m, laptop)
	d.tick(Input{})
	var words []string
	for _, n := range d.a.st.nodes {
		words = append(words, n.name)
	}
	all := strings.Join(words, "\n")
	for _, want := range []string{"Ann", "Bo", "Diplomat (bot)", "Yes-man (bot)", "Eve (executive)", "the executive: Eve"} {
		if !strings.Contains(all, want) {
			t.Errorf("the debrief does not name %q", want)
		}
	}
	for _, not := range []string{"Manager 1", "Manager 3", "seed", "Seed", "commands"} {
		if strings.Contains(all, not) {
			t.Errorf("the debrief shows %q", not)
		}
	}
}
