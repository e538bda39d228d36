package debrief_test

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"pushback/server/debrief"
	"pushback/sim"
)

// feedback is what the manager is told of a graded case: the evidence that
// bore most by title and, against a scripted executive, the lever it values.
func feedback(s *sim.State, g sim.Grade) []string {
	cited := ""
	if g.Cited >= 0 {
		cited = s.Scn.Evidence[g.Cited].Title
	}
	valued := sim.LeverNone
	if s.Cfg.ExecutiveBot {
		valued = s.Scn.Persona(s.Cfg.Persona).Valued()
	}
	return g.Feedback(cited, valued)
}

// checkReveal replays the log and, at every reveal, compares what each
// objecting manager was shown of their case (their own view's grade) with
// the report's grade and words: the reveal and the report agree, and no
// case is called weak without the reason.
func checkReveal(t *testing.T, g debrief.Game, r *debrief.Report) {
	t.Helper()
	scn, err := g.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(scn, g.Config, g.Seed)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, c := range g.Commands {
		before := s.Phase
		if err := s.Apply(c); err != nil {
			t.Fatal(err)
		}
		if before == sim.PhaseReveal || s.Phase != sim.PhaseReveal || s.Turn > r.Played {
			continue
		}
		for i := range s.Teams {
			seat := sim.Seat(i + 1)
			v := s.View(seat)
			me := v.Manager(seat)
			d := r.Managers[i].Decisions[s.Turn-1]
			if !me.Response.Voiced() {
				if d.Case != nil {
					t.Errorf("turn %d seat %d: the report shows a case the reveal did not", s.Turn, seat)
				}
				continue
			}
			seen++
			if d.Case == nil || d.Case.Grade != me.Grade || d.Case.Quality != me.Grade.Quality {
				t.Fatalf("turn %d seat %d: the reveal graded the case %+v, the report %+v", s.Turn, seat, me.Grade, d.Case)
			}
			if !reflect.DeepEqual(d.Case.Feedback, feedback(s, me.Grade)) {
				t.Errorf("turn %d seat %d: feedback %q", s.Turn, seat, d.Case.Feedback)
			}
			if me.Grade.Quality < 0.45 && !strings.Contains(strings.Join(d.Case.Feedback, " "), "Missing:") {
				t.Errorf("turn %d seat %d: a weak case (%.2f) without the reason: %q", s.Turn, seat, me.Grade.Quality, d.Case.Feedback)
			}
		}
	}
	if seen == 0 && r.Played > 2 {
		t.Errorf("no objection to compare with its reveal")
	}
}

// checkExec recomputes the executive's section from the engine's record.
func checkExec(t *testing.T, g debrief.Game, s *sim.State, r *debrief.Report) {
	t.Helper()
	x := r.Exec
	if x == nil {
		t.Fatal("no executive section")
	}
	played := len(s.History) - 1
	var want []string
	against := 0
	for _, d := range s.Decisions {
		if !d.Response.Voiced() || d.Turn > played {
			continue
		}
		q := d.Grade.Quality
		called := sim.VerdictUphold
		switch {
		case q >= 0.65 && d.Response != sim.ResponseNegotiate:
			called = sim.VerdictWithdraw
		case q >= 0.45 || d.Response == sim.ResponseNegotiate && q >= 0.25:
			called = sim.VerdictAmend
		}
		bad := d.Verdict == sim.VerdictUphold && called == sim.VerdictWithdraw || d.Verdict == sim.VerdictWithdraw && called == sim.VerdictUphold
		if bad {
			against++
		}
		want = append(want, s.Cfg.Managers[d.Seat-1].Name+"/"+d.Verdict.String()+"/"+called.String())
	}
	var got []string
	for _, ru := range x.Rulings {
		got = append(got, ru.Manager+"/"+ru.Verdict+"/"+ru.Called)
		if len(ru.Feedback) == 0 {
			t.Errorf("ruling %+v without words", ru)
		}
	}
	if !slices.Equal(got, want) || x.Against != against {
		t.Errorf("rulings %v (%d against quality), game %v (%d)", got, x.Against, want, against)
	}
	// Savings: what was booked adds up to the mandates' cost changes.
	booked, trust := 0, 0
	for _, d := range s.Deltas {
		if d.Seat == sim.Executive && d.Meter == sim.MeterCost && d.Cause == sim.CauseMandate && int(d.Turn) <= played {
			booked -= int(d.Amount)
		}
		if d.Seat != sim.Executive && d.Meter == sim.MeterTrust && d.Cause != sim.CauseNews && d.Ref >= 0 && d.Cause != sim.CauseRepair && d.Cause != sim.CauseCandid && int(d.Turn) <= played {
			trust += int(d.Amount)
		}
	}
	gotBooked, gotTrust := 0, 0
	for _, sv := range x.Savings {
		gotBooked += sv.Booked
		gotTrust += sv.Trust
		if card := s.Scn.Mandates[s.MandateIndex(cardID(s, sv.Card))]; sv.Expected != card.Saving() {
			t.Errorf("%s: expected saving %d, the card shows %d", sv.Card, sv.Expected, card.Saving())
		}
	}
	if gotBooked != booked || gotTrust != trust {
		t.Errorf("savings book %d and cost %d trust; the game booked %d and lost %d", gotBooked, gotTrust, booked, trust)
	}
	// The score's parts add up to the score the game gave.
	p := x.Parts
	if sum := p.Revenue + p.Cost + p.Pressure + p.Attrition + p.LostTrust; int(math.Round(sum)) != p.Total && p.Total != 0 && p.Total != 200 {
		t.Errorf("parts %+v add to %.2f", p, sum)
	}
	if s.Scores != nil && p.Total != s.Scores.Executive {
		t.Errorf("parts total %d, the game scored the executive %d", p.Total, s.Scores.Executive)
	}
}

func cardID(s *sim.State, title string) string {
	for _, m := range s.Scn.Mandates {
		if m.Title == title {
			return m.ID
		}
	}
	return ""
}

// checkBenchmarks replays each benchmark on its own and compares.
func checkBenchmarks(t *testing.T, g debrief.Game, s *sim.State, r *debrief.Report) {
	t.Helper()
	if s.Phase != sim.PhaseOver {
		for _, m := range r.Managers {
			if len(m.Benchmarks)+len(m.WhatIfs) > 0 {
				t.Errorf("%s: benchmarks of a game still running", m.Name)
			}
		}
		if r.Exec.Benchmark != nil {
			t.Errorf("executive benchmark of a game still running")
		}
		return
	}
	for i, m := range r.Managers {
		for k, style := range []string{debrief.GoodStyle, debrief.YesMan} {
			cf, dropped, err := debrief.Counterfactual(g, sim.Seat(i+1), style)
			if err != nil {
				t.Fatal(err)
			}
			b := m.Benchmarks[k]
			if b.Style != style || b.Final != cf.Scores.Managers[i] || b.Dropped != dropped || b.Meters[len(b.Meters)-1] != cf.Teams[i].Meters {
				t.Errorf("%s: benchmark %+v, replayed %d %+v", m.Name, b, cf.Scores.Managers[i], cf.Teams[i].Meters)
			}
		}
		for _, w := range m.WhatIfs {
			if w.Actual != s.Teams[i].Meters {
				t.Errorf("%s: what-if of turn %d starts from another ending", m.Name, w.Turn)
			}
		}
	}
	cf, _, err := debrief.Counterfactual(g, sim.Executive, "")
	if err != nil {
		t.Fatal(err)
	}
	if b := r.Exec.Benchmark; b == nil || b.Final != cf.Scores.Executive || r.Exec.Judging.Total != cf.Scores.Executive {
		t.Errorf("judging executive %+v, replayed %d", b, cf.Scores.Executive)
	}
}

// checkNewSections finds every benchmark, what-if, ruling, saving, score
// part and case feedback of the report on its HTML page.
func checkNewSections(t *testing.T, page string, r *debrief.Report) {
	t.Helper()
	text := html.UnescapeString(page)
	var want []string
	for i, m := range r.Managers {
		want = append(want, fmt.Sprintf("%s: you %d", m.Name, r.Scores.Managers[i]))
		for _, b := range m.Benchmarks {
			want = append(want, fmt.Sprintf("%s %d", b.Who, b.Final))
		}
		for _, w := range m.WhatIfs {
			want = append(want, w.Text)
		}
		for _, d := range m.Decisions {
			if d.Case != nil {
				want = append(want, d.Case.Feedback...)
			}
		}
	}
	x := r.Exec
	want = append(want, fmt.Sprintf("Rulings against case quality: %d of %d", x.Against, len(x.Rulings)))
	for _, ru := range x.Rulings {
		want = append(want, ru.Feedback...)
	}
	for _, sv := range x.Savings {
		want = append(want, fmt.Sprintf("<td>%s</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td>", sv.Card, sv.Target, sv.Expected, sv.Booked))
	}
	want = append(want, fmt.Sprintf("<b>%d</b>", x.Parts.Total), "Lost trust: −0.5 × mean trust lost")
	if x.Judging != nil {
		want = append(want, fmt.Sprintf("judging executive: %d", x.Benchmark.Final), fmt.Sprintf("<b>%d</b>", x.Judging.Total))
	}
	for _, tk := range r.Takeaways {
		want = append(want, "<td>"+tk.Name+"</td>", tk.Commitment)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

// The facilitator's report opens with the reaction poll and every
// participant's commitment.
func TestReportShowsTakeaways(t *testing.T) {
	_, r := handoutGame(t)
	var buf bytes.Buffer
	if err := debrief.WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(buf.String())
	checkNewSections(t, page, r)
	if !strings.Contains(page, "2 answered the reaction poll</b>; mean 3.0 of 5") || !strings.Contains(page, "“squeezed”, 2 of 5") {
		t.Errorf("the poll is not summed up")
	}
	if strings.Index(page, "Reaction, then analysis") > strings.Index(page, "<h2>Scores</h2>") {
		t.Errorf("the reaction comes after the analysis")
	}
}
