package sim_test

// Each dynamic of GAME.md ("Dynamics the model must reproduce") compared
// across policies over 200 seeds in every shipped scenario, asserting the
// direction with a margin. Seat 1 plays the policy under test; seats 2–4 are
// a fixed mix of peers; the executive persona rotates with the seed.

import (
	"testing"

	"pushback/scenarios"
	"pushback/sim"
)

var peers = []string{"diplomat", "yes-man", "advocate"}

// games plays seat 1 with style over the seeds, rotating personas.
func games(t *testing.T, scn *sim.Scenario, style string) []*sim.State {
	t.Helper()
	out := make([]*sim.State, 0, seeds)
	for seed := range uint64(seeds) {
		p := scn.Personas[int(seed)%len(scn.Personas)].ID
		s, _ := play(t, scn, table(p, append([]string{style}, peers...)...), seed)
		out = append(out, s)
	}
	return out
}

// impact sums the changes to one meter of a seat in a turn that the given
// causes explain: what one decision did, apart from everything else.
func impact(s *sim.State, d sim.Decision, m sim.Meter, causes ...sim.Cause) float64 {
	sum := 0
	for _, x := range s.Deltas {
		if int(x.Turn) != d.Turn || x.Seat != d.Seat || x.Meter != m {
			continue
		}
		for _, c := range causes {
			if x.Cause == c {
				sum += int(x.Amount)
			}
		}
	}
	return float64(sum)
}

var mandateTrust = []sim.Cause{sim.CauseRelay, sim.CauseExplain, sim.CauseExplainFramed, sim.CauseVoiceHeard, sim.CauseVoiceSilent,
	sim.CauseVoiceCredit, sim.CauseSpared, sim.CauseShieldFound}
var voiceStanding = []sim.Cause{sim.CausePushBack, sim.CauseWeakCase, sim.CauseNoEvidence, sim.CauseNoAlternative, sim.CauseWolf, sim.CauseCompliance}

// decisions collects seat 1's decisions that match.
func decisions(states []*sim.State, keep func(s *sim.State, d sim.Decision) bool, f func(s *sim.State, d sim.Decision) float64) []float64 {
	var out []float64
	for _, s := range states {
		for _, d := range s.Decisions {
			if d.Seat == 1 && keep(s, d) {
				out = append(out, f(s, d))
			}
		}
	}
	return out
}

func harmful(s *sim.State, d sim.Decision) bool {
	return d.Card >= 0 && !s.Scn.Mandates[d.Card].Sound(&s.Scn.Coeff)
}

func sound(s *sim.State, d sim.Decision) bool {
	return d.Card >= 0 && s.Scn.Mandates[d.Card].Sound(&s.Scn.Coeff)
}

func trustOf(s *sim.State, d sim.Decision) float64 {
	return impact(s, d, sim.MeterTrust, mandateTrust...)
}

// atLeast fails unless a exceeds b by margin.
func atLeast(t *testing.T, what string, a, b, margin float64) {
	t.Helper()
	if a < b+margin {
		t.Errorf("%s: %.2f is not above %.2f by %.2f", what, a, b, margin)
	} else {
		t.Logf("%s: %.2f > %.2f", what, a, b)
	}
}

func eachScenario(t *testing.T, f func(t *testing.T, scn *sim.Scenario)) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) { f(t, load(t, name)) })
	}
}

// Relaying a harmful mandate without context costs more trust than relaying
// it with context, which costs more than pushing back.
func TestDynamicRelayExplainPushBack(t *testing.T) {
	eachScenario(t, func(t *testing.T, scn *sim.Scenario) {
		relay := mean(decisions(games(t, scn, "always-relay"), harmful, trustOf))
		explain := mean(decisions(games(t, scn, "always-explain"), harmful, trustOf))
		push := mean(decisions(games(t, scn, "always-pushback"), harmful, trustOf))
		atLeast(t, "trust per harmful mandate: explained vs relayed as-is", explain, relay, 1)
		atLeast(t, "trust per harmful mandate: pushed back vs explained", push, explain, 1)
	})
}

// A failed pushback that the team hears about keeps more trust than silent
// compliance.
func TestDynamicHeardFailureBeatsSilentCompliance(t *testing.T) {
	eachScenario(t, func(t *testing.T, scn *sim.Scenario) {
		failed := decisions(games(t, scn, "always-pushback"), func(s *sim.State, d sim.Decision) bool {
			return harmful(s, d) && d.Response == sim.ResponsePushBack && d.Verdict == sim.VerdictUphold && d.Action == sim.ActionCandid
		}, trustOf)
		if len(failed) < 20 {
			t.Fatalf("only %d failed, heard pushbacks in %d games", len(failed), seeds)
		}
		silent := decisions(games(t, scn, "always-relay"), harmful, trustOf)
		atLeast(t, "trust: failed pushback the team heard about vs relayed as-is", mean(failed), mean(silent), 3)
	})
}

// Pushback costs standing: less with a strong case than a weak one; pushing
// back against sound mandates costs standing and buys little trust.
func TestDynamicPushbackCostsStanding(t *testing.T) {
	eachScenario(t, func(t *testing.T, scn *sim.Scenario) {
		standing := func(s *sim.State, d sim.Decision) float64 {
			return impact(s, d, sim.MeterStanding, voiceStanding...)
		}
		pushed := func(s *sim.State, d sim.Decision) bool { return harmful(s, d) && d.Response == sim.ResponsePushBack }
		// The first three turns, before standing can hit its floor and hide the cost.
		strong := decisions(games(t, scn, "always-pushback"), func(s *sim.State, d sim.Decision) bool {
			return pushed(s, d) && d.Grade.Quality >= 0.7 && d.Turn <= 3
		}, standing)
		weak := decisions(games(t, scn, "firebrand"), func(s *sim.State, d sim.Decision) bool {
			return pushed(s, d) && d.Grade.Quality < 0.5 && d.Turn <= 3
		}, standing)
		atLeast(t, "standing per pushback: strong case vs weak case", mean(strong), mean(weak), 2)
		if mean(strong) >= 0 {
			t.Errorf("a strong pushback should still cost standing, got %.2f", mean(strong))
		}
		pushStates := games(t, scn, "always-pushback")
		wolf := decisions(pushStates, sound, standing)
		comply := decisions(games(t, scn, "always-explain"), sound, standing)
		atLeast(t, "standing on sound mandates: complying vs crying wolf", mean(comply), mean(wolf), 4)
		wolfTrust := mean(decisions(pushStates, sound, trustOf))
		realTrust := mean(decisions(pushStates, harmful, func(s *sim.State, d sim.Decision) float64 {
			return impact(s, d, sim.MeterTrust, sim.CauseVoiceCredit)
		}))
		atLeast(t, "trust bought: pushback on harmful vs on sound mandates", realTrust, wolfTrust, 1)
	})
}

// No fixed response policy beats the deliberately good style — in every
// shipped scenario, against every persona.
func TestNoDominantFixedPolicy(t *testing.T) {
	eachScenario(t, func(t *testing.T, scn *sim.Scenario) {
		for _, p := range scn.Personas {
			score := func(style string) float64 {
				var xs []float64
				for seed := range uint64(seeds) {
					s, _ := play(t, scn, table(p.ID, append([]string{style}, peers...)...), seed)
					xs = append(xs, float64(s.Scores.Managers[0]))
				}
				return mean(xs)
			}
			good := score("advocate")
			for _, fixed := range []string{"always-relay", "always-explain", "always-pushback", "always-shield"} {
				atLeast(t, p.ID+": balanced score: advocate vs "+fixed, good, score(fixed), 1)
			}
		}
	})
}

// Low trust and morale lower productivity and next turn's quota; low quota
// lowers standing and raises board pressure, which makes personas more
// knee-jerk.
func TestDynamicViciousCircle(t *testing.T) {
	eachScenario(t, func(t *testing.T, scn *sim.Scenario) {
		low := *scn
		low.Start.Morale -= 25
		low.Start.Trust -= 25
		type outcome struct{ sales, standing, pressure, harm, heard float64 }
		run := func(scn *sim.Scenario) outcome {
			var o outcome
			var harms, heard []float64
			for _, s := range games(t, scn, "diplomat") {
				for _, d := range s.Deltas {
					if d.Turn == 1 && d.Seat == 1 && d.Cause == sim.CauseSales {
						o.sales += float64(d.Amount) / seeds
					}
				}
				last := s.History[len(s.History)-1]
				o.standing += float64(last.Teams[0].Standing) / seeds
				o.pressure += float64(last.Company.Pressure) / seeds
				for _, d := range s.Decisions {
					if d.Response.Voiced() {
						won := 0.0
						if d.Verdict != sim.VerdictUphold {
							won = 1
						}
						heard = append(heard, won)
					}
				}
				for i, turn := range s.PlayedTurn {
					if turn > 0 && turn <= s.Scn.Turns/2 {
						harms = append(harms, s.Scn.Mandates[i].Harm)
					}
				}
			}
			o.harm, o.heard = mean(harms), mean(heard)
			return o
		}
		hi, lo := run(scn), run(&low)
		atLeast(t, "first month's sales: trusted team vs distrusted team", hi.sales, lo.sales, 2)
		atLeast(t, "final standing: trusted vs distrusted start", hi.standing, lo.standing, 2)
		atLeast(t, "final board pressure: distrusted vs trusted start", lo.pressure, hi.pressure, 2)
		atLeast(t, "objections that moved the executive: trusted vs distrusted start", hi.heard, lo.heard, 0.02)
		if scn.Turns >= 8 { // a short game ends before the squeeze changes the cards
			atLeast(t, "harm of first-half mandates: distrusted vs trusted start", lo.harm, hi.harm, 0.01)
		}
	})
}

// Shielding protects morale now but risks a large standing loss if
// discovered, more likely after a front-line visit.
func TestDynamicShielding(t *testing.T) {
	eachScenario(t, func(t *testing.T, scn *sim.Scenario) {
		morale := func(s *sim.State, d sim.Decision) float64 {
			return impact(s, d, sim.MeterMorale, sim.CauseMandate)
		}
		shield := games(t, scn, "always-shield")
		hidden := decisions(shield, func(s *sim.State, d sim.Decision) bool { return harmful(s, d) && !d.Discovered }, morale)
		relayed := decisions(games(t, scn, "always-relay"), harmful, morale)
		atLeast(t, "morale now: shielded vs relayed", mean(hidden), mean(relayed), 2)
		lost := decisions(shield, func(s *sim.State, d sim.Decision) bool { return d.Discovered && d.Turn <= 3 }, func(s *sim.State, d sim.Decision) float64 {
			return impact(s, d, sim.MeterStanding, sim.CauseShieldFound)
		})
		atLeast(t, "standing: a discovered shield's loss vs none", 0, mean(lost), scn.Coeff.ShieldCost/2)
		var visited, unvisited []float64
		for _, s := range shield {
			for _, d := range s.Decisions {
				if d.Seat != 1 || d.Response != sim.ResponseShield {
					continue
				}
				found := 0.0
				if d.Discovered {
					found = 1
				}
				if d.Visited {
					visited = append(visited, found)
				} else {
					unvisited = append(unvisited, found)
				}
			}
		}
		if len(visited) < 10 {
			t.Skipf("only %d visited shields: no persona here visits", len(visited))
		}
		atLeast(t, "discovery rate: visited vs not visited", mean(visited), mean(unvisited), 0.2)
	})
}

// Early pushback beats late escalation.
func TestDynamicEarlyBeatsLate(t *testing.T) {
	eachScenario(t, func(t *testing.T, scn *sim.Scenario) {
		with := *scn
		late := *with.Style("late-escalator")
		early := late
		early.ID, early.EscalateAfter, early.PushAbove = "early", 0, 0.5
		with.Styles = append(append([]sim.Style(nil), scn.Styles...), early)
		final := func(style string, m sim.Meter) float64 {
			var xs []float64
			for _, s := range games(t, &with, style) {
				xs = append(xs, float64(s.Teams[0].Get(m)))
			}
			return mean(xs)
		}
		atLeast(t, "final trust: early objection vs late escalation", final("early", sim.MeterTrust), final("late-escalator", sim.MeterTrust), 2)
		atLeast(t, "final standing: early objection vs late escalation", final("early", sim.MeterStanding), final("late-escalator", sim.MeterStanding), 1)
	})
}

// Trust falls faster than it rises: in the same games, the losses are what
// they would be with symmetric trust, while the gains are damped.
func TestDynamicTrustAsymmetry(t *testing.T) {
	eachScenario(t, func(t *testing.T, scn *sim.Scenario) {
		moves := func(scn *sim.Scenario) (up, down float64) {
			for _, style := range []string{"advocate", "yes-man", "always-pushback"} {
				for _, s := range games(t, scn, style) {
					for _, d := range s.Deltas {
						if d.Seat == 1 && d.Meter == sim.MeterTrust {
							if d.Amount > 0 {
								up += float64(d.Amount)
							} else {
								down -= float64(d.Amount)
							}
						}
					}
				}
			}
			return up, down
		}
		sym := *scn
		sym.Coeff.TrustGainRate = 1
		up, down := moves(scn)
		symUp, symDown := moves(&sym)
		t.Logf("trust gained %.0f (symmetric %.0f), lost %.0f (symmetric %.0f)", up, symUp, down, symDown)
		atLeast(t, "trust gained: symmetric vs asymmetric, per 100", 100*symUp/up, 100, 40)
		if down < 0.8*symDown || down > 1.25*symDown {
			t.Errorf("losses should not depend on the gain rate: %.0f vs %.0f", down, symDown)
		}
	})
}
