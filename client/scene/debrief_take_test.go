package scene

import (
	"slices"
	"strings"
	"testing"

	"pushback/client/model"
	. "pushback/client/scene/scenetest"
	"pushback/sim"
)

// The debrief opens with the reaction round: a player's screen has the
// 1–5 chips, the word, the commitment and their buttons, and ghost lines of
// their seat played by the good style and by the yes-man; the projector's
// has the poll's summary and no controls for it. (client/ui's
// TestDebriefTakeawayShots draws both.)
func TestDebriefTakeaways(t *testing.T) {
	player, proj := Takeaways(t)
	for _, tc := range []struct {
		name     string
		m        *model.Model
		controls bool
	}{{"player", player, true}, {"projector", proj, false}} {
		a := newDriver(t, tc.m, Laptop).a
		a.Step(&Input{})
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
	}
	if proj.Seat != sim.Public {
		t.Errorf("the projector fixture sits in seat %d", proj.Seat)
	}
}

// The debrief calls people by the names they joined with and the seats
// bots played by their style; nothing technical (seed, command count) is on
// the screen.
func TestDebriefNames(t *testing.T) {
	tb := NewTable(t)
	tb.Play(nil, func(*sim.State) bool { return false })
	rep := tb.Report()
	m := Debriefed(tb.Model(1, true, 0), rep, rep.Played)
	m.Do(model.OpenDebrief{})
	d := newDriver(t, m, Laptop)
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
