package scene

import (
	"fmt"
	"strings"
	"testing"

	"pushback/client/model"
	. "pushback/client/scene/scenetest"
	"pushback/client/ui/layout"
	"pushback/server/protocol"
	"pushback/sim"
)

// One test per friction of issue 14 that a test can show.

// TestEnterJoins: Enter in the code field moves on to the name; Enter in
// the name field, with both filled in, joins.
func TestEnterJoins(t *testing.T) {
	m := model.New(model.Saved{})
	m.Conn = model.ConnOnline
	d := newDriver(t, m, Phone)
	d.tick(Input{Tab: true})
	d.want("code")
	d.tick(Input{Chars: []rune("kx7pqr")})
	d.tick(Input{Enter: true})
	d.want("name")
	if len(d.rec.Msgs) != 0 {
		t.Fatalf("Enter with no name sent %+v", d.rec.Msgs)
	}
	d.tick(Input{Chars: []rune("Ann")})
	d.tick(Input{Enter: true})
	if len(d.rec.Msgs) != 1 || d.rec.Msgs[0].Kind != protocol.KindJoin || d.rec.Msgs[0].Code != "KX7PQR" || d.rec.Msgs[0].Name != "Ann" {
		t.Fatalf("Enter in the name field sent %+v", d.rec.Msgs)
	}
}

// TestHeaderSticks: scrolled down, the header with the month and phase is
// still on the screen (client/ui's TestHeaderSticksDrawn reads its pixels),
// a tap on it does not reach what scrolled under it, and a control the
// keyboard focuses is not left under it.
func TestHeaderSticks(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	d := newDriver(t, m, Phone)
	a := d.a
	d.tick(Input{})
	a.st.scroll = 500
	d.tick(Input{})
	d.tick(Input{})
	if a.st.scroll < 400 {
		t.Fatalf("the fixture does not scroll (%.0f)", a.st.scroll)
	}
	if !strings.Contains(strings.Join(texts(a.st.nodes), "\n"), "Month ") {
		t.Error("the header's month is not on the screen")
	}
	before := m.Answer.Response
	d.tick(Input{X: 30, Y: 40, Pointer: true, Press: true})
	d.tick(Input{X: 30, Y: 40, Pointer: true, Release: true})
	if m.Answer.Response != before || d.focus() != "" {
		t.Errorf("a tap on the header hit %q", d.focus())
	}
	d.tick(Input{Tab: true})
	r := d.rectOf(d.focus())
	if r.y < a.st.scroll+a.st.sticky {
		t.Errorf("the focused %s at %.0f is under the header (scroll %.0f, header %.0f)", d.focus(), r.y, a.st.scroll, a.st.sticky)
	}
}

func texts(ns []node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.name)
	}
	return out
}

// TestLastRevealButton: the last month's reveal leads to the final
// scores, not to a next month.
func TestLastRevealButton(t *testing.T) {
	tb := NewTable(t)
	tb.Play(nil, AtReveal)
	if b := find(nodesOf(newDriver(t, tb.Model(1, true, 0), Laptop)), func(n node) bool { return n.key == "ready" }); len(b) != 1 || b[0].name != "On to the next month" {
		t.Errorf("month %d's reveal: %+v", tb.S.Turn, b)
	}
	for tb.S.Turn < tb.S.Scn.Turns || tb.S.Phase != sim.PhaseReveal {
		tb.Play(nil, func(s *sim.State) bool { return s.Turn == tb.S.Scn.Turns && s.Phase == sim.PhaseReveal })
	}
	b := find(nodesOf(newDriver(t, tb.Model(1, true, 0), Laptop)), func(n node) bool { return n.key == "ready" })
	if len(b) != 1 || b[0].name != "See the final scores" {
		t.Errorf("the last reveal (month %d of %d): %+v", tb.S.Turn, tb.S.Scn.Turns, b)
	}
}

// TestEndScreenNamesAndScale: a solo player called "You" is not "You
// (you)"; every score is on one scale, and a line at 100 is named.
func TestEndScreenNamesAndScale(t *testing.T) {
	if got := ownName("You"); got != "You" {
		t.Errorf("ownName(You) = %q", got)
	}
	if got := ownName("Ann"); got != "Ann (you)" {
		t.Errorf("ownName(Ann) = %q", got)
	}
	tb := NewTable(t)
	tb.Play(nil, func(*sim.State) bool { return false })
	m := tb.Model(1, true, 0)
	m.Room.Seats[1].Name = "You"
	ns := nodesOf(newDriver(t, m, Laptop))
	scores := find(ns, func(n node) bool {
		return n.role == roleMeter && n.max != 100 || n.role == roleMeter && isExec(n.name)
	})
	var top int
	for _, n := range find(ns, func(n node) bool { return n.role == roleMeter }) {
		if strings.Contains(n.name, "(you)") && strings.HasPrefix(n.name, "You") {
			t.Errorf("meter named %q", n.name)
		}
		if n.name == "You" {
			top = n.max
		}
	}
	if top == 0 {
		t.Fatal("no score for the player named You")
	}
	execs := 0
	for _, n := range scores {
		if isExec(n.name) {
			execs++
			// Called by name: the persona's (or the person's), never a bare role.
			if want := m.Briefing().Executive + " (executive)"; n.name != want {
				t.Errorf("the executive's score is named %q, want %q", n.name, want)
			}
		}
		if isExec(n.name) && n.max != top {
			t.Errorf("the executive's score is on a scale to %d, the managers' to %d", n.max, top)
		}
		if n.max > 100 && !strings.Contains(n.valueTxt, "100 is plan") {
			t.Errorf("the line at 100 is not named: %q", n.valueTxt)
		}
	}
	if execs != 1 {
		t.Errorf("%d executive scores on the end screen, want 1", execs)
	}
}

func isExec(name string) bool { return strings.HasSuffix(name, "(executive)") || name == "Executive" }

// TestAlternativeShowsAllText: on a phone a case's long text is shown
// whole (the field grows), not only its end.
func TestAlternativeShowsAllText(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	long := "Pilot it in the northern region for one month, measure the pipeline, then decide with the numbers in hand"
	// The alternative is now one of the card's costed options (chips); the
	// free text of the case is the field that must show all it holds.
	m.EditAnswer(func(a *model.Answer) { a.Response, a.Case.Text = sim.ResponsePushBack, long })
	d := newDriver(t, m, Phone)
	r := d.rectOf("text")
	lines := wrap(long, r.w-20, sizeBody, false)
	if len(lines) < 2 {
		t.Fatalf("the fixture's text fits one line (%.0f units)", r.w)
	}
	if need := float64(len(lines)) * lineHeight(sizeBody); r.h-16 < need {
		t.Errorf("the field is %.0f units tall for %d lines (%.0f)", r.h, len(lines), need)
	}
}

// TestChipsKeepTheirWidth: choosing a chip does not make it grow and push
// its neighbours along.
func TestChipsKeepTheirWidth(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	d := newDriver(t, m, Laptop)
	var before []rect
	for i := 0; i < 5; i++ {
		before = append(before, d.rectOf("resp."+string(rune('0'+i))))
	}
	for sel := 0; sel < 5; sel++ {
		d.tap("resp."+string(rune('0'+sel)), false)
		for i := range before {
			if r := d.rectOf("resp." + string(rune('0'+i))); r != before[i] {
				t.Errorf("with resp.%d chosen, resp.%d moved or grew: %+v, was %+v", sel, i, r, before[i])
			}
		}
	}
}

// TestNewsCauseShown: a meter that moved before anyone decided (the
// month's news) has its cause on the same screen.
func TestNewsCauseShown(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	moved := 0
	ns := nodesOf(newDriver(t, m, Laptop))
	all := strings.Join(texts(ns), "\n")
	for k := sim.MeterMorale; k <= sim.MeterStanding; k++ {
		g := m.Gauge(1, k)
		if g.Trend == 0 {
			continue
		}
		moved++
		found := false
		for _, n := range ns {
			found = found || strings.Contains(n.name, fmt.Sprintf("%s %s", g.Label, model.Signed(g.Trend))) && strings.Contains(n.name, "last month's changes")
		}
		for _, cs := range m.Causes(1) {
			if cs.Meter == k && strings.Contains(all, cs.Text) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s moved %d in month %d with no cause on the screen", k, g.Trend, m.View.Turn)
		}
	}
	if moved == 0 {
		t.Fatalf("the fixture's month %d moved no meter before the answers", m.View.Turn)
	}
}

// TestArrowDownByRows: ArrowDown from an answer chip goes to the next row
// of controls below it (the chips' second row, or the business case), not
// to a team action further down that happens to be nearer in a straight
// line.
func TestArrowDownByRows(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	for _, sz := range []Size{Laptop, Phone} {
		m := tb.Model(1, true, 0)
		m.EditAnswer(func(a *model.Answer) { a.Response = sim.ResponsePushBack })
		d := newDriver(t, m, sz)
		var order []layout.Control
		c := d.a.ctx(&Input{}, nil)
		scenes[model.ScreenManager](c)
		order = c.pass.Order
		for _, f := range order {
			if !strings.HasPrefix(f.ID, "resp.") {
				continue
			}
			d.a.st.nav.ID = f.ID
			d.tick(Input{Down: true})
			next := d.rectOf(d.focus())
			nextRow := 1e9
			for _, g := range order {
				if g.R.Y > f.R.Y+4 && g.R.Y < nextRow {
					nextRow = g.R.Y
				}
			}
			if strings.HasPrefix(d.focus(), "act.") || next.y != nextRow {
				t.Errorf("%s: ArrowDown from %s went to %s at y=%.0f; the next row is at y=%.0f", sz.Name, f.ID, d.focus(), next.y, nextRow)
			}
		}
	}
}
