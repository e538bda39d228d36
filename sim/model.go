package sim

import "math"

// The model: how a turn's decisions move the meters. Every equation here is
// written out, with its source, in sim/README.md; keep the two in step.

// Quality scores a business case against a card, 0..1: the two evidence
// levers count most, then a concrete alternative, then an ask that fits.
func Quality(m *Mandate, k Case) float64 {
	q := 0.35*m.Arguments[k.Data] + 0.35*m.Arguments[k.Impact]
	if k.Data == k.Impact {
		q = 0.35 * m.Arguments[k.Data] // the same point twice is one point
	}
	if k.Alternative != "" {
		q += 0.15
	}
	switch k.Ask {
	case AskWithdraw:
		if m.Harm >= 0.6 {
			q += 0.15
		} else {
			q += 0.05
		}
	case AskAmend:
		q += 0.12
	case AskPilot:
		q += 0.1
	}
	return q
}

// Persuasion is how far a case moves a persona: the case's quality and how
// well its levers match what the persona values, damped by board pressure.
func Persuasion(p *Persona, m *Mandate, k Case, standing, pressure int) float64 {
	q := Quality(m, k)
	match := 0.5*p.Values[k.Data] + 0.5*p.Values[k.Impact]
	open := p.Openness * (1 - p.KneeJerk*float64(pressure)/100)
	return open*(0.6*q+0.4*match) + 0.25*float64(standing-50)/50
}

// resolve applies the mandate, the responses, the rulings, the team actions
// and the market, in that order, then records the turn.
func (s *State) resolve() {
	c := &s.Scn.Coeff
	var compliance float64
	var targets int
	for i := range s.Teams {
		seat := Seat(i + 1)
		t := &s.Teams[i]
		m0 := t.Meters // the month's sales come from how the team stood at its start
		d := Decision{Turn: s.Turn, Seat: seat, Card: -1, Response: t.Response, Case: t.Case,
			Action: t.Action, Verdict: t.Verdict, Escalated: t.Escalate, Visited: s.Visit == seat}
		told := t.Action == ActionCandid
		// Drag of mandates already in force (landed in earlier turns).
		for _, f := range t.InForce {
			if dr := s.Scn.Mandates[f.Card].Effects.Drag; dr != 0 && float64(s.Turn-f.Turn) <= c.DragTurns {
				s.team(seat, MeterMorale, roundf(float64(dr)*f.Eff), CauseDrag, f.Card)
			}
		}
		if s.Targeted(seat) {
			targets++
			d.Card = s.Card
			compliance += s.land(seat, t, &d, told)
		}
		if t.Escalate >= 0 {
			s.escalate(seat, t, &d, told)
		}
		s.teamAction(seat, t)
		if short := s.Scn.Start.Trust - t.Trust; short > 0 {
			s.trust(seat, c.Repair*float64(short), CauseRepair, -1)
		}
		// Morale drifts toward trust: a team that second-guesses its manager slows.
		s.team(seat, MeterMorale, roundf(c.MoraleFromTrust*float64(t.Trust-t.Morale)), CauseTrustDrift, -1)
		s.sales(seat, t, m0)
		s.team(seat, MeterStanding, roundf(c.QuotaStanding*float64(t.Quota-70)), CauseResults, -1)
		if t.Morale < 35 && s.float() < float64(35-t.Morale)/50 {
			t.Resignations++
			s.team(seat, MeterQuota, -4, CauseResignation, -1)
			s.team(seat, MeterMorale, -3, CauseResignation, -1)
			s.company(MeterCost, 1, CauseResignation, int(seat))
		}
		t.Pulse = clamp(m0.Morale+int(math.Round((s.float()-0.5)*16)), 0, 100)
		s.Decisions = append(s.Decisions, d)
	}
	s.companyTurn(compliance, targets)
	s.snapshot()
}

// land applies this turn's mandate to one targeted team and returns the
// share of it the company got (0 if withdrawn or quietly shielded).
func (s *State) land(seat Seat, t *Team, d *Decision, told bool) float64 {
	c := &s.Scn.Coeff
	m := &s.Scn.Mandates[s.Card]
	eff := 1.0
	if t.Response == ResponsePushBack || t.Response == ResponseNegotiate {
		d.Quality = Quality(m, t.Case)
		eff = s.verdictEff(t.Verdict, m)
		cost := c.PushCost + c.WeakCaseCost*(1-d.Quality)
		wolf := 0.0
		if m.Sound(c) {
			wolf = c.WolfCost
		}
		if t.Response == ResponseNegotiate {
			cost, wolf = cost/2, wolf/2
		}
		s.team(seat, MeterStanding, -roundf(c.PushCost), CausePushBack, s.Card)
		s.team(seat, MeterStanding, -roundf(cost-c.PushCost), CauseWeakCase, s.Card)
		s.team(seat, MeterStanding, -roundf(wolf), CauseWolf, s.Card)
	}
	landed := m.Harm * eff
	shielded := t.Response == ResponseShield
	if shielded {
		// Once caught, watched; and a squeezed executive checks delivery.
		risk := c.ShieldRisk + 0.15*float64(t.Discovered) + 0.2*float64(s.Company.Pressure)/100
		if s.Visit == seat {
			risk += c.VisitRisk
		}
		if s.float() < risk {
			d.Discovered = true
			t.Discovered++
			s.team(seat, MeterStanding, -roundf(c.ShieldCost), CauseShieldFound, s.Card)
			shielded = false
		} else {
			s.team(seat, MeterMorale, 0, CauseShielded, s.Card)
		}
	}
	if !shielded && eff > 0 {
		s.team(seat, MeterMorale, roundf(float64(m.Effects.Morale)*eff), CauseMandate, s.Card)
		s.team(seat, MeterQuota, roundf(float64(m.Effects.Quota)*eff), CauseMandate, s.Card)
		t.InForce = append(t.InForce, Force{Card: s.Card, Eff: eff, Turn: s.Turn})
	}
	switch t.Response {
	case ResponseRelay, ResponseEscalate:
		s.trust(seat, -(c.RelayLoss * landed), CauseRelay, s.Card)
		s.team(seat, MeterStanding, 1, CauseCompliance, s.Card)
	case ResponseExplain:
		s.trust(seat, -(c.RelayLoss * c.ExplainShare * landed), CauseExplain, s.Card)
		s.team(seat, MeterStanding, 1, CauseCompliance, s.Card)
	case ResponseShield:
		if !shielded { // discovered: the team gets the mandate after all, from above
			s.trust(seat, -(c.RelayLoss * c.ExplainShare * landed), CauseShieldFound, s.Card)
		}
	case ResponsePushBack, ResponseNegotiate:
		if told {
			s.trust(seat, -(c.RelayLoss * c.VoiceShare * landed), CauseVoiceHeard, s.Card)
			s.trust(seat, s.voiceCredit(m), CauseVoiceCredit, s.Card)
		} else {
			s.trust(seat, -(c.RelayLoss * c.SilentShare * landed), CauseVoiceSilent, s.Card)
			s.trust(seat, 0.5*s.voiceCredit(m)*(1-eff), CauseSpared, s.Card)
		}
	}
	if shielded {
		return 0
	}
	return eff
}

func (s *State) voiceCredit(m *Mandate) float64 {
	c := &s.Scn.Coeff
	if m.Sound(c) {
		return c.WolfCredit
	}
	return c.VoiceCredit * m.Harm
}

func (s *State) verdictEff(v Verdict, m *Mandate) float64 {
	switch v {
	case VerdictWithdraw:
		return 0
	case VerdictAmend:
		return m.Amend
	}
	return 1
}

// escalate handles a late objection to a mandate already in force: it costs
// standing in full and is worth LateFactor^age of an early one.
func (s *State) escalate(seat Seat, t *Team, d *Decision, told bool) {
	c := &s.Scn.Coeff
	m := &s.Scn.Mandates[t.Escalate]
	q := Quality(m, t.Case)
	d.Quality = q // an escalation relays this turn's mandate, so the case is the escalation's
	age := 0
	for k, f := range t.InForce {
		if f.Card != t.Escalate {
			continue
		}
		age = s.Turn - f.Turn
		switch t.Verdict {
		case VerdictWithdraw:
			t.InForce = append(t.InForce[:k], t.InForce[k+1:]...)
		case VerdictAmend:
			t.InForce[k].Eff *= m.Amend
		}
		break
	}
	s.team(seat, MeterStanding, -roundf(c.PushCost+c.LateCost*float64(age)), CauseEscalate, t.Escalate)
	s.team(seat, MeterStanding, -roundf(c.WeakCaseCost*(1-q)), CauseWeakCase, t.Escalate)
	if told {
		s.trust(seat, s.voiceCredit(m)*math.Pow(c.LateFactor, float64(age)), CauseLateCredit, t.Escalate)
	}
}

func (s *State) teamAction(seat Seat, t *Team) {
	switch t.Action {
	case ActionCoach:
		s.team(seat, MeterMorale, 3, CauseCoach, -1)
	case ActionCelebrate:
		if t.Quota >= 60 {
			s.team(seat, MeterMorale, 4, CauseCelebrate, -1)
		} else {
			s.team(seat, MeterMorale, 1, CauseCelebrateThin, -1)
		}
	case ActionCandid:
		s.team(seat, MeterMorale, 1, CauseCandid, -1)
		if !t.Response.Voiced() && t.Response != ResponseShield {
			s.trust(seat, 1, CauseCandid, -1)
		}
	}
}

// sales turns the team's productivity at the start of the month into
// attainment; the quota meter is a running average, so it lags a turn.
func (s *State) sales(seat Seat, t *Team, m0 Meters) {
	c := &s.Scn.Coeff
	p := 0.55 + 0.45*(0.6*float64(m0.Morale)+0.4*float64(m0.Trust))/100
	bonus := 0.0
	if t.Action == ActionFocus {
		bonus += 0.05
	}
	commit := float64(m0.Morale+m0.Trust) / 2
	for _, f := range t.InForce {
		e := &s.Scn.Mandates[f.Card].Effects
		out := e.Output * f.Eff
		if e.Stretch && commit < c.CommitFloor {
			out = -out
		}
		bonus += out
	}
	attain := float64(s.Company.Market) * p * (1 + bonus)
	s.team(seat, MeterQuota, roundf(0.5*(attain-float64(t.Quota))), CauseSales, -1)
}

func (s *State) companyTurn(compliance float64, targets int) {
	c := &s.Scn.Coeff
	if s.Card >= 0 && targets > 0 {
		e := &s.Scn.Mandates[s.Card].Effects
		share := compliance / float64(targets)
		s.company(MeterCost, roundf(float64(e.Cost)*share), CauseMandate, s.Card)
		s.company(MeterPressure, roundf(float64(e.Pressure)*share), CauseMandate, s.Card)
	}
	sum := 0
	for i := range s.Teams {
		sum += s.Teams[i].Quota
	}
	rev := roundf(float64(sum) / float64(len(s.Teams)))
	s.company(MeterRevenue, rev-s.Company.Revenue, CauseSales, -1)
	switch plan := s.Scn.Start.Revenue; {
	case rev < plan:
		s.company(MeterPressure, roundf(c.MissPressure*float64(plan-rev)), CauseMissedPlan, -1)
	case rev >= plan+5:
		s.company(MeterPressure, -2, CauseOnPlan, -1)
	}
	if s.Company.Cost > 100 {
		s.company(MeterPressure, roundf(0.2*float64(s.Company.Cost-100)), CauseOverBudget, -1)
	}
}

// trust changes a team's trust. Gains are scaled by TrustGainRate and losses
// are not: trust is lost faster than it is won (Slovic 1993).
func (s *State) trust(seat Seat, x float64, cause Cause, ref int) {
	if x > 0 {
		x *= s.Scn.Coeff.TrustGainRate
	}
	s.team(seat, MeterTrust, roundf(x), cause, ref)
}

// team changes a manager's meter, clamped to 0..100, and records the change.
func (s *State) team(seat Seat, m Meter, amount int, cause Cause, ref int) {
	p := s.Team(seat).ptr(m)
	s.record(p, seat, m, amount, cause, ref, cause == CauseShielded)
}

// company changes a company meter and records it.
func (s *State) company(m Meter, amount int, cause Cause, ref int) {
	var p *int
	hi := 100
	switch m {
	case MeterRevenue:
		p, hi = &s.Company.Revenue, 200
	case MeterCost:
		p, hi = &s.Company.Cost, 200
	default:
		p = &s.Company.Pressure
	}
	v := clamp(*p+amount, 0, hi)
	if v == *p {
		return
	}
	s.Deltas = append(s.Deltas, Delta{Turn: int16(s.Turn), Seat: Executive, Meter: m, Amount: int16(v - *p), Cause: cause, Ref: int16(ref)})
	*p = v
}

func (s *State) record(p *int, seat Seat, m Meter, amount int, cause Cause, ref int, keepZero bool) {
	v := clamp(*p+amount, 0, 100)
	if v == *p && !keepZero {
		return
	}
	s.Deltas = append(s.Deltas, Delta{Turn: int16(s.Turn), Seat: seat, Meter: m, Amount: int16(v - *p), Cause: cause, Ref: int16(ref)})
	*p = v
}

func (s *State) snapshot() {
	n := len(s.Teams)
	k := len(s.History)
	buf := s.histTeams[k*n : (k+1)*n : (k+1)*n]
	pulse := s.histPulse[k*n : (k+1)*n : (k+1)*n]
	for i := range s.Teams {
		buf[i] = s.Teams[i].Meters
		pulse[i] = s.Teams[i].Pulse
	}
	turn := s.Turn
	if len(s.History) == 0 {
		turn = 0
	}
	s.History = append(s.History, Snapshot{Turn: turn, Teams: buf, Pulse: pulse, Company: s.Company})
}

// score computes the balanced scorecards: for a manager, the mean of the four
// meters pulled toward the weakest one (a scorecard is only as good as its
// worst line); for the executive, revenue and cost less attrition and trust.
func (s *State) score() *Scores {
	sc := &Scores{Managers: make([]int, len(s.Teams))}
	trust, resign := 0, 0
	for i := range s.Teams {
		sc.Managers[i] = ManagerScore(s.Teams[i].Meters)
		trust += s.Teams[i].Trust
		resign += s.Teams[i].Resignations
	}
	lost := float64(s.Scn.Start.Trust) - float64(trust)/float64(len(s.Teams))
	ex := float64(s.Company.Revenue) + 0.5*float64(100-s.Company.Cost) - 3*float64(resign) - 0.3*math.Max(0, lost)
	sc.Executive = clamp(roundf(ex), 0, 200)
	return sc
}

// ManagerScore is the balanced scorecard of one team's meters.
func ManagerScore(m Meters) int {
	sum := m.Morale + m.Trust + m.Quota + m.Standing
	lo := min(m.Morale, m.Trust, m.Quota, m.Standing)
	return roundf(0.8*float64(sum)/4 + 0.2*float64(lo))
}

// roundf rounds half away from zero, like math.Round but cheaper on a path
// taken a few hundred times a game.
func roundf(x float64) int {
	if x < 0 {
		return -int(-x + 0.5)
	}
	return int(x + 0.5)
}
