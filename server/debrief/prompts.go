package debrief

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"pushback/sim"
)

// Placeholders lists every {name} a scenario's debrief prompts may use, with
// what it is filled with; the README repeats it for scenario writers.
var Placeholders = map[string]string{
	"manager":            "the manager's name (the prompt is then asked once per manager)",
	"pushbacks_on_sound": "objections (push back, negotiate, late escalation) against sound mandates",
	"relays_of_harmful":  "harmful mandates relayed as-is, without context",
	"best_case":          "the strongest business case's quality, out of 100",
	"wins":               "objections the executive withdrew or amended",
	"cases":              "objections raised",
	"trust":              "trust at the end (the table's mean without {manager})",
	"candid":             "candid team meetings held",
	"largest_drop":       "the largest single trust loss, in points",
	"largest_drop_turn":  "the turn of that loss",
	"largest_drop_cause": "its cause, in words",
	"visits":             "the executive's front-line visits",
	"pressure":           "board pressure at the end",
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// prompts fills the scenario's debrief prompts with the facts of the turns
// finished so far.
func prompts(s *sim.State, r *Replayed, played int) []Prompt {
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
			f := facts(s, r, played, seat)
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
func facts(s *sim.State, r *Replayed, played int, seat sim.Seat) map[string]string {
	scn := s.Scn
	mine := func(x sim.Seat) bool { return seat == 0 || x == seat }
	var onSound, relays, wins, cases, candid int
	best := -1.0
	for _, d := range s.Decisions {
		if !mine(d.Seat) || d.Turn > played {
			continue
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
	visits := 0
	for _, v := range r.Visits {
		if v.Turn <= played {
			visits++
		}
	}
	f := map[string]string{
		"pushbacks_on_sound": strconv.Itoa(onSound),
		"relays_of_harmful":  strconv.Itoa(relays),
		"best_case":          "none (no case made)",
		"wins":               strconv.Itoa(wins),
		"cases":              strconv.Itoa(cases),
		"trust":              strconv.Itoa((trust + n/2) / n),
		"candid":             strconv.Itoa(candid),
		"largest_drop":       "0",
		"largest_drop_turn":  "none",
		"largest_drop_cause": "no trust was lost",
		"visits":             strconv.Itoa(visits),
		"pressure":           strconv.Itoa(last.Company.Pressure),
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
