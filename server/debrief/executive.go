package debrief

import (
	"pushback/server/protocol/report"
	"pushback/sim"
)

// Feedback is a graded case in words, exactly as sim.Grade.Feedback says it
// to the manager after the ruling: the evidence that bore most by title,
// and the lever a scripted executive values most (none for a person, whose
// values nobody can state). The report and the reveal use the same words.
func Feedback(s *sim.State, g sim.Grade) []string {
	cited := ""
	if g.Cited >= 0 && g.Cited < len(s.Scn.Evidence) {
		cited = s.Scn.Evidence[g.Cited].Title
	}
	valued := sim.LeverNone
	if p := s.Scn.Persona(s.Cfg.Persona); p != nil && s.Cfg.ExecutiveBot {
		valued = p.Valued()
	}
	return g.Feedback(cited, valued)
}

// execSection writes the executive's side: every ruling set against what
// the case's quality called for, every mandate's saving against the trust
// and standing it cost, and the score in its parts.
func execSection(s *sim.State, r *Replayed, played int) *report.ExecSection {
	scn := s.Scn
	x := &report.ExecSection{Parts: s.ExecutiveParts()}
	for _, d := range s.Decisions {
		if d.Turn > played || !d.Response.Voiced() || d.Verdict == sim.VerdictPending {
			continue
		}
		card := d.Card
		if d.Response == sim.ResponseEscalate {
			card = d.Escalated
		}
		ru := report.Ruling{Turn: d.Turn, Manager: s.Cfg.Managers[d.Seat-1].Name, Response: d.Response.String(),
			Quality: d.Grade.Quality, Called: sim.CalledVerdict(d.Grade.Quality, d.Response).String(),
			Verdict: d.Verdict.String(), Against: AgainstQuality(d), Feedback: Feedback(s, d.Grade)}
		if card >= 0 {
			ru.Card = scn.Mandates[card].Title
		}
		if ru.Against {
			x.Against++
		}
		x.Rulings = append(x.Rulings, ru)
	}
	for _, m := range r.Mandates {
		if m.Turn > played {
			continue
		}
		card := &scn.Mandates[m.Card]
		sv := report.Saving{Turn: m.Turn, Card: card.Title, Target: "all", Expected: card.Saving()}
		if m.Target > 0 {
			sv.Target = s.Cfg.Managers[m.Target-1].Name
		}
		for _, d := range s.Deltas {
			if int(d.Ref) != m.Card || d.Cause == sim.CauseNews || d.Cause == sim.CauseVisit {
				continue
			}
			switch {
			case d.Seat == sim.Executive && d.Meter == sim.MeterCost && d.Cause == sim.CauseMandate:
				sv.Booked -= int(d.Amount)
			case d.Seat == sim.Executive:
			case d.Meter == sim.MeterTrust:
				sv.Trust += int(d.Amount)
			case d.Meter == sim.MeterStanding:
				sv.Standing += int(d.Amount)
			case d.Meter == sim.MeterMorale:
				sv.Morale += int(d.Amount)
			}
		}
		x.Savings = append(x.Savings, sv)
	}
	return x
}

// execBenchmark replays the game with the judging executive in the
// executive's seat.
func execBenchmark(scn *sim.Scenario, g *Game, x *report.ExecSection) {
	s, dropped, err := counterfactual(scn, g, sim.Executive, "")
	if err != nil {
		return
	}
	p := s.ExecutiveParts()
	x.Judging = &p
	x.Benchmark = &report.Benchmark{Who: Judging, Style: "judging", Final: s.Scores.Executive, Dropped: dropped}
}
