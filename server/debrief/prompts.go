package debrief

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"pushback/sim"
)

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// prompts fills the scenario's debrief prompts with the facts of the turns
// finished so far.
func prompts(s *sim.State, r *Replayed, played int, managers []Manager) []Prompt {
	var out []Prompt
	for _, p := range s.Scn.Debrief {
		pr := Prompt{Objective: p.Objective}
		for _, o := range s.Scn.Objectives {
			if o.ID == p.Objective {
				pr.Text = o.Text
			}
		}
		perManager := strings.Contains(p.WhatHappened+p.SoWhat+p.NowWhat, "{manager}")
		seats := []sim.Seat{0}
		if perManager {
			seats = seats[:0]
			for i := range s.Teams {
				seats = append(seats, sim.Seat(i+1))
			}
		}
		for _, seat := range seats {
			f := facts(s, r, played, seat, benchFacts(managers, seat))
			fill := func(text string) string {
				return placeholder.ReplaceAllStringFunc(text, func(ph string) string {
					if v, ok := f[ph[1:len(ph)-1]]; ok {
						return v
					}
					return ph // unknown: left for the trainer to see
				})
			}
			it := PromptItem{WhatHappened: fill(p.WhatHappened), SoWhat: fill(p.SoWhat), NowWhat: fill(p.NowWhat)}
			if seat > 0 {
				it.Manager = s.Cfg.Managers[seat-1].Name
			}
			pr.Items = append(pr.Items, it)
		}
		out = append(out, pr)
	}
	return out
}

// facts computes every placeholder for one manager, or for the whole table
// when seat is 0, over the finished turns.
// bench is the good style's and the yes-man's scores in that seat (means
// over the table for seat 0), nil when there are none.
func facts(s *sim.State, r *Replayed, played int, seat sim.Seat, bench []string) map[string]string {
	scn := s.Scn
	mine := func(x sim.Seat) bool { return seat == 0 || x == seat }
	var onSound, relays, wins, cases, candid, early, escalations, ages, rulings, against, cited int
	best := -1.0
	for _, d := range s.Decisions {
		if !mine(d.Seat) || d.Turn > played {
			continue
		}
		switch d.Response {
		case sim.ResponsePushBack, sim.ResponseNegotiate:
			early++
		case sim.ResponseEscalate:
			escalations++
			ages += d.Turn - s.PlayedTurn[d.Escalated]
		}
		if d.Response.Voiced() {
			if d.Verdict != sim.VerdictPending {
				rulings++
			}
			if AgainstQuality(d) {
				against++
			}
			if d.Grade.Evidence > 0 {
				cited++
			}
		}
		objected := -1
		switch {
		case d.Response == sim.ResponseEscalate:
			objected = d.Escalated
		case d.Response.Voiced():
			objected = d.Card
		}
		if objected >= 0 {
			cases++
			if d.Sound(&scn.Coeff) {
				onSound++
			}
			if d.Verdict == sim.VerdictWithdraw || d.Verdict == sim.VerdictAmend {
				wins++
			}
			best = max(best, CaseQuality(scn, d))
		}
		relayed := d.Response == sim.ResponseRelay || d.Response == sim.ResponseEscalate
		if relayed && d.Card >= 0 && !d.Sound(&scn.Coeff) {
			relays++
		}
		if d.Action == sim.ActionCandid {
			candid++
		}
	}
	last := s.History[played]
	trust, n := 0, 0
	for i, m := range last.Teams {
		if mine(sim.Seat(i + 1)) {
			trust += m.Trust
			n++
		}
	}
	var drop *sim.Delta
	for k := range s.Deltas {
		d := &s.Deltas[k]
		if d.Meter == sim.MeterTrust && d.Amount < 0 && int(d.Turn) <= played && d.Seat != sim.Executive && mine(d.Seat) {
			if drop == nil || d.Amount < drop.Amount {
				drop = d
			}
		}
	}
	visits, before, harmful := 0, 0, 0
	hurt := map[int]bool{} // turns whose mandate was harmful for a team it reached
	for _, d := range s.Decisions {
		if d.Card >= 0 && d.Turn <= played && !d.Sound(&scn.Coeff) {
			hurt[d.Turn] = true
		}
	}
	harmful = len(hurt)
	for _, v := range r.Visits {
		if v.Turn <= played {
			visits++
			if hurt[v.Turn] {
				before++
			}
		}
	}
	score, n2 := 0, 0
	for i, m := range last.Teams {
		if mine(sim.Seat(i + 1)) {
			score += sim.ManagerScore(m)
			n2++
		}
	}
	f := map[string]string{
		"pushbacks_on_sound":      strconv.Itoa(onSound),
		"relays_of_harmful":       strconv.Itoa(relays),
		"best_case":               "none (no case made)",
		"wins":                    strconv.Itoa(wins),
		"cases":                   strconv.Itoa(cases),
		"trust":                   strconv.Itoa((trust + n/2) / n),
		"candid":                  strconv.Itoa(candid),
		"largest_drop":            "0",
		"largest_drop_turn":       "none",
		"largest_drop_cause":      "no trust was lost",
		"visits":                  strconv.Itoa(visits),
		"pressure":                strconv.Itoa(last.Company.Pressure),
		"early_objections":        strconv.Itoa(early),
		"escalations":             strconv.Itoa(escalations),
		"escalation_age":          "none",
		"harmful_mandates":        strconv.Itoa(harmful),
		"consults_before_harmful": strconv.Itoa(before),
		"rulings":                 strconv.Itoa(rulings),
		"rulings_against_quality": strconv.Itoa(against),
		"evidence_cited":          strconv.Itoa(cited),
		"score":                   strconv.Itoa((score + n2/2) / n2),
		"good_style_score":        "n/a (game not over)",
		"yes_man_score":           "n/a (game not over)",
	}
	if escalations > 0 {
		f["escalation_age"] = strconv.FormatFloat(float64(ages)/float64(escalations), 'f', 1, 64) + " turns"
	}
	if bench != nil {
		f["good_style_score"], f["yes_man_score"] = bench[0], bench[1]
	}
	if seat > 0 {
		f["manager"] = s.Cfg.Managers[seat-1].Name
	}
	if best >= 0 {
		f["best_case"] = fmt.Sprintf("%d/100", int(best*100+0.5))
	}
	if drop != nil {
		f["largest_drop"] = strconv.Itoa(-int(drop.Amount))
		f["largest_drop_turn"] = strconv.Itoa(int(drop.Turn))
		f["largest_drop_cause"] = drop.Reason(scn)
		if seat == 0 {
			f["largest_drop_cause"] += " (" + s.Cfg.Managers[drop.Seat-1].Name + ")"
		}
	}
	return f
}

// AgainstQuality reports whether a ruling went against what the case's
// quality called for: a strong case upheld, or a weak one withdrawn
// (sim.CalledVerdict's thresholds on the case as sim.GradeCase graded it).
func AgainstQuality(d sim.Decision) bool {
	if !d.Response.Voiced() || d.Verdict == sim.VerdictPending {
		return false
	}
	want := sim.CalledVerdict(d.Grade.Quality, d.Response)
	return d.Verdict == sim.VerdictUphold && want == sim.VerdictWithdraw ||
		d.Verdict == sim.VerdictWithdraw && want == sim.VerdictUphold
}

// benchFacts is the benchmark scores of a seat (the table's means for seat
// 0), as words for a prompt; nil without benchmarks.
func benchFacts(managers []Manager, seat sim.Seat) []string {
	var sum [2]int
	n := 0
	for _, m := range managers {
		if (seat == 0 || m.Seat == int(seat)) && len(m.Benchmarks) == 2 {
			sum[0] += m.Benchmarks[0].Final
			sum[1] += m.Benchmarks[1].Final
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return []string{strconv.Itoa((sum[0] + n/2) / n), strconv.Itoa((sum[1] + n/2) / n)}
}
