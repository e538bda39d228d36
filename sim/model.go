package sim

import (
	"fmt"
	"math"
)

// The model: how a turn's decisions move the meters. Every equation here is
// written out, with its source, in sim/README.md; keep the two in step.

// EvidenceFull is the harm shift at which a cited piece of evidence bears
// fully on a card: a signal that makes the card 0.2 worse for the team is as
// strong as evidence gets.
const EvidenceFull = 0.2

// Grade is a business case against one card, part by part. GradeCase is the
// one function that grades a case: the persona's ruling, the manager's
// feedback and the debrief all read the same numbers.
type Grade struct {
	Evidence    float64 `msgpack:"evidence"`    // 0..1: how well the cited evidence bears on the card
	Cited       int     `msgpack:"cited"`       // the evidence card that bore most, -1 none
	Framing     float64 `msgpack:"framing"`     // 0..1: the levers' strength against the card, backed by evidence
	Backed      uint8   `msgpack:"backed"`      // bit l set: lever l is backed by cited evidence
	Alternative bool    `msgpack:"alternative"` // offered one of the card's costed alternatives
	AskFits     bool    `msgpack:"ask_fits"`    // withdraw for a harmful card, amend or pilot otherwise
	Harm        float64 `msgpack:"harm"`        // the harm the case shows: typical, moved by the news and the cited evidence
	Quality     float64 `msgpack:"quality"`     // 0..1, the weighted sum
}

// GradeCase grades a case against a card from what the case itself shows —
// the card, the month's news and the evidence it cites — so an executive,
// person or persona, can judge it without seeing the manager's hidden state.
//
// quality = 0.6·evidence + 0.2·framing + 0.1·alternative + 0.1·ask fit
// (0.03 for an ask that does not fit). Evidence is 0.75·r₁ + 0.25·r₂ for the
// two most relevant citations, r = shift/EvidenceFull clamped to 0..1; a
// lever frames the case at its full strength only when cited evidence backs
// it (else 0.3 of it), and one lever used twice counts once. In a scenario
// without evidence (Legacy) the levers stand in for evidence, as before.
func GradeCase(scn *Scenario, card int, k Case, news []int) Grade {
	var x caseIndex
	resolveCase(scn, card, &k, nil, true, &x)
	return gradeCase(scn, card, &k, &x, news)
}

// resolveCase keeps a case against card in x with its IDs as indexes (-1
// for none or not found), as a Decision does: its alternative among the
// card's, its cited evidence among held, the evidence the manager holds
// (what it can cite), and with deck then in the whole deck.
func resolveCase(scn *Scenario, card int, k *Case, held []int, deck bool, x *caseIndex) {
	*x = noCase
	x.data, x.impact, x.ask = k.Data, k.Impact, k.Ask
	if k.Alternative != "" {
		x.alternative = int16(scn.Mandates[card].alternative(k.Alternative))
	}
	for i, id := range k.Evidence {
		switch {
		case id == "":
		case i > 0 && id == k.Evidence[0]:
			x.evidence[i] = x.evidence[0]
		default:
			e := -1
			for _, h := range held {
				if scn.Evidence[h].ID == id {
					e = h
				}
			}
			if e < 0 && deck {
				e = scn.EvidenceIndex(id)
			}
			x.evidence[i] = int16(e)
		}
	}
}

// gradeCase is GradeCase on a case resolved (resolveCase) into x.
func gradeCase(scn *Scenario, card int, k *Case, x *caseIndex, news []int) Grade {
	m := &scn.Mandates[card]
	g := Grade{Cited: -1}
	h := NewsHarm(scn, card, news)
	var r1, r2 float64
	if scn.Legacy() {
		r1, r2 = m.Arguments[k.Data], m.Arguments[k.Impact]
		if k.Data == k.Impact {
			r2 = 0
		}
		if r2 > r1 {
			r1, r2 = r2, r1
		}
		g.Backed = 0xff
	} else {
		for i, e := range x.evidence {
			if e < 0 || (i > 0 && e == x.evidence[0]) { // one card cited twice counts once
				continue
			}
			by := scn.Evidence[e].Shift(card)
			h += by
			r := min(max(by/EvidenceFull, 0), 1)
			if r > 0 {
				g.Backed |= 1 << scn.Evidence[e].Lever
			}
			switch {
			case r > r1:
				r1, r2, g.Cited = r, r1, int(e)
			case r > r2:
				r2 = r
			}
		}
	}
	g.Harm = m.clampHarm(h)
	g.Evidence = 0.75*r1 + 0.25*r2
	frame := func(l Lever) float64 {
		if g.Backed&(1<<l) != 0 {
			return m.Arguments[l]
		}
		return 0.3 * m.Arguments[l]
	}
	g.Framing = frame(k.Data) / 2
	if k.Impact != k.Data {
		g.Framing += frame(k.Impact) / 2
	}
	g.Alternative = x.alternative >= 0
	if k.Ask == AskWithdraw {
		g.AskFits = g.Harm >= 0.6
	} else {
		g.AskFits = g.Harm < 0.6
	}
	g.Quality = 0.6*g.Evidence + 0.2*g.Framing + 0.03
	if g.Alternative {
		g.Quality += 0.1
	}
	if g.AskFits {
		g.Quality += 0.07
	}
	return g
}

// caseGrade is a team's objection graded against its card: as graded when
// it was made, unless news came since (an event the facilitator injected).
func (s *State) caseGrade(t *Team, card int) Grade {
	if t.gradedNews != len(s.News) {
		t.Grade, t.gradedNews = gradeCase(s.Scn, card, &t.Case, &t.kase, s.News), len(s.News)
	}
	return t.Grade
}

// Persuasion is how far a case moves a persona: the case's quality first,
// scaled by how open the persona is under the current board pressure (a
// closed executive is moved less, never not at all); then how well the
// case's strongest lever matches what the persona values (half for a lever
// no evidence backs; one lever twice counts once), the manager's standing,
// and other managers objecting to the same card (a joint case).
func Persuasion(p *Persona, g Grade, k Case, standing, pressure, joint int, c *Coefficients) float64 {
	open := p.Openness * (1 - p.KneeJerk*float64(pressure)/100)
	match := 0.0
	for _, l := range [2]Lever{k.Data, k.Impact} {
		v := p.Values[l]
		if g.Backed&(1<<l) == 0 {
			v /= 2
		}
		match = max(match, v)
	}
	return g.Quality*(0.5+0.5*open) + 0.12*(match-0.5) + 0.2*float64(standing-50)/50 + c.JointBonus*float64(min(joint, 3))
}

// resolve applies the mandate, the responses, the rulings, the team actions
// and the market, in that order, then the board's review, and records the
// turn.
func (s *State) resolve() {
	c := &s.Scn.Coeff
	var compliance, backDown float64
	backRef := -1
	for i := range s.Teams {
		seat := Seat(i + 1)
		t := &s.Teams[i]
		m0 := t.Meters // the month's sales come from how the team stood at its start
		// The record is filled in place, field by field: a Decision built
		// whole and then copied is read back across its narrow stores,
		// which stalls the processor (the stores cannot be forwarded).
		s.Decisions = append(s.Decisions, Decision{})
		d := &s.Decisions[len(s.Decisions)-1]
		d.Turn, d.Seat, d.Card, d.Response, d.Action, d.Verdict = s.Turn, seat, -1, t.Response, t.Action, t.Verdict
		d.Escalated, d.Visited, d.Grade, d.kase = t.Escalate, s.Visit == seat, Grade{Cited: -1}, noCase
		for k, e := range t.Evidence {
			d.Evidence[k] = int16(e)
		}
		if !t.Case.empty() {
			s.keepCase(d, t)
		}
		told := t.Action == ActionCandid
		// Drag of mandates already in force (landed in earlier turns).
		for _, f := range t.InForce {
			if dr := s.Scn.Mandates[f.Card].Effects.Drag; dr != 0 && float64(s.Turn-int(f.Turn)) <= c.DragTurns {
				s.morale(seat, roundf(float64(dr)*f.Eff), CauseDrag, int(f.Card))
			}
		}
		if s.Targeted(seat) {
			d.Card = s.Card
			compliance += s.land(seat, t, d, told)
		}
		if t.Escalate >= 0 {
			s.escalate(seat, t, d, told)
		}
		t.Grade = d.Grade
		if d.Response.Voiced() && t.Verdict > VerdictUphold {
			backDown += float64(t.Verdict-VerdictUphold) / 2 * (1 - d.Grade.Evidence) // amend ½, withdraw 1
			backRef = s.Card
			if t.Escalate >= 0 {
				backRef = t.Escalate
			}
		}
		s.teamAction(seat, t)
		if short := s.Scn.Start.Trust - t.Trust; short > 0 {
			s.trust(seat, c.Repair*float64(short), CauseRepair, -1)
		}
		// Morale drifts toward trust: a team that second-guesses its manager slows.
		s.morale(seat, roundf(c.MoraleFromTrust*float64(t.Trust-t.Morale)), CauseTrustDrift, -1)
		s.sales(seat, t, m0)
		s.standing(seat, roundf(c.QuotaStanding*float64(t.Quota-70)), CauseResults, -1)
		if t.Morale < 35 && s.float() < float64(35-t.Morale)/50 {
			t.Resignations++
			s.quota(seat, -4, CauseResignation, -1)
			s.morale(seat, -3, CauseResignation, -1)
			s.company(MeterCost, 1, CauseResignation, int(seat))
		}
		t.Pulse = clamp(m0.Morale+int(math.Round((s.float()-0.5)*16)), 0, 100)
	}
	if s.Turn == s.Scn.Turns || (s.Scn.Turns >= 4 && s.Turn == (s.Scn.Turns+1)/2) {
		s.boardReview()
	}
	// Backing down is not free: the board sees every measure withdrawn or
	// watered down as a commitment missed — unless front-line evidence
	// explains it, which the executive can show the board.
	s.company(MeterPressure, roundf(c.BackDown*backDown), CauseBackDown, backRef)
	s.companyTurn(compliance)
	s.snapshot()
}

// boardReview re-rates every manager's standing from results, as a board
// does at mid-year and year end: quota attainment, judged against the
// peers' (a team that lags the company is noticed), less resignations. It is
// how the manager who relays everything is found out in the end — the
// executive's confidence cannot outlive the numbers it rests on.
func (s *State) boardReview() {
	sum := 0
	for i := range s.Teams {
		sum += s.Teams[i].Quota
	}
	mean := float64(sum) / float64(len(s.Teams))
	for i := range s.Teams {
		t := &s.Teams[i]
		r := float64(t.Quota) + 3*(float64(t.Quota)-mean) - 5*float64(t.Resignations)
		r = min(max(r, 0), 100)
		s.standing(Seat(i+1), roundf(s.Scn.Coeff.ReviewWeight*(r-float64(t.Standing))), CauseBoardReview, -1)
	}
}

// Framed reports whether the executive's framing line gives the team a
// reason (three words at least), which softens a relay with context.
func Framed(framing string) bool {
	words, in := 0, false
	for _, r := range framing {
		space := r == ' ' || r == '\t' || r == '\n'
		if !space && !in {
			words++
		}
		in = !space
	}
	return words >= 3
}

// objectionCost charges standing for an objection: the push itself, the
// weakness of the case (named by its weakest part, never "weak" without a
// reason) and crying wolf; a compromise costs half of the last two.
func (s *State) objectionCost(seat Seat, card int, g Grade, base float64, baseCause Cause, sound, half bool) {
	c := &s.Scn.Coeff
	weak := c.WeakCaseCost * (1 - g.Quality)
	wolf := 0.0
	if sound {
		wolf = c.WolfCost
	}
	if half {
		weak, wolf = weak/2, wolf/2
	}
	cause := CauseWeakCase
	switch {
	case !s.Scn.Legacy() && g.Evidence == 0:
		cause = CauseNoEvidence
	case !g.Alternative:
		cause = CauseNoAlternative
	}
	s.standing(seat, -roundf(base), baseCause, card)
	s.standing(seat, -roundf(weak), cause, card)
	s.standing(seat, -roundf(wolf), CauseWolf, card)
}

// land applies this turn's mandate to one targeted team and returns the
// share of it the company got (0 if withdrawn or quietly shielded).
func (s *State) land(seat Seat, t *Team, d *Decision, told bool) float64 {
	c := &s.Scn.Coeff
	m := &s.Scn.Mandates[s.Card]
	h := s.TeamHarm(seat, s.Card)
	sound := h < c.SoundBelow
	d.Harm = h
	eff := 1.0
	if t.Response == ResponsePushBack || t.Response == ResponseNegotiate {
		d.Grade = s.caseGrade(t, s.Card)
		eff = verdictEff(t.Verdict, m, t.kase.alternative)
		s.objectionCost(seat, s.Card, d.Grade, c.PushCost, CausePushBack, sound, t.Response == ResponseNegotiate)
	}
	landed := h * eff
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
			s.standing(seat, -roundf(c.ShieldCost), CauseShieldFound, s.Card)
			shielded = false
		} else {
			s.teamChange(seat, &t.Morale, MeterMorale, 0, CauseShielded, s.Card)
		}
	}
	if !shielded && eff > 0 {
		// The card hurts this team as much as its situation makes it.
		scale := eff * (1 + h - m.Harm)
		s.morale(seat, roundf(float64(m.Effects.Morale)*scale), CauseMandate, s.Card)
		s.quota(seat, roundf(float64(m.Effects.Quota)*scale), CauseMandate, s.Card)
		t.InForce = append(t.InForce, Force{})
		f := &t.InForce[len(t.InForce)-1] // in place (see addDelta)
		f.Card, f.Eff, f.Turn, f.Harm = int32(s.Card), eff, int32(s.Turn), h
	}
	switch t.Response {
	case ResponseRelay, ResponseEscalate:
		s.trust(seat, -(c.RelayLoss * landed), CauseRelay, s.Card)
		s.standing(seat, 1, CauseCompliance, s.Card)
	case ResponseExplain:
		share, cause := c.ExplainShare, CauseExplain
		if Framed(s.Framing) {
			share, cause = share*c.FramingShare, CauseExplainFramed
		}
		s.trust(seat, -(c.RelayLoss * share * landed), cause, s.Card)
		s.standing(seat, 1, CauseCompliance, s.Card)
	case ResponseShield:
		if !shielded { // discovered: the team gets the mandate after all, from above
			s.trust(seat, -(c.RelayLoss * c.ExplainShare * landed), CauseShieldFound, s.Card)
		}
	case ResponsePushBack, ResponseNegotiate:
		// What was spared earns credit; a lost fight the team heard about
		// costs little, and earns nothing: they know you tried.
		if told {
			s.trust(seat, -(c.RelayLoss * c.VoiceShare * landed), CauseVoiceHeard, s.Card)
			s.trust(seat, s.voiceCredit(h)*(1-eff), CauseVoiceCredit, s.Card)
		} else {
			s.trust(seat, -(c.RelayLoss * c.SilentShare * landed), CauseVoiceSilent, s.Card)
			s.trust(seat, 0.5*s.voiceCredit(h)*(1-eff), CauseSpared, s.Card)
		}
	}
	if shielded {
		return 0
	}
	return eff
}

func (s *State) voiceCredit(h float64) float64 {
	c := &s.Scn.Coeff
	if h < c.SoundBelow {
		return c.WolfCredit
	}
	return c.VoiceCredit * h
}

// verdictEff is the share of a card that lands after a ruling: an amendment
// keeps the offered alternative's share (alt, its index; -1 for none), or
// the card's own.
func verdictEff(v Verdict, m *Mandate, alt int16) float64 {
	switch v {
	case VerdictWithdraw:
		return 0
	case VerdictAmend:
		if alt >= 0 {
			return m.Alternatives[alt].Keep
		}
		return m.Amend
	}
	return 1
}

// escalate handles a late objection to a mandate already in force: it costs
// standing in full and is worth LateFactor^age of an early one.
func (s *State) escalate(seat Seat, t *Team, d *Decision, told bool) {
	c := &s.Scn.Coeff
	m := &s.Scn.Mandates[t.Escalate]
	g := s.caseGrade(t, t.Escalate)
	d.Grade = g // an escalation relays this turn's mandate, so the case is the escalation's
	age, h, kept := 0, m.Harm, 1.0
	for k, f := range t.InForce {
		if int(f.Card) != t.Escalate {
			continue
		}
		age, h = s.Turn-int(f.Turn), f.Harm
		switch t.Verdict {
		case VerdictWithdraw:
			t.InForce = append(t.InForce[:k], t.InForce[k+1:]...)
			kept = 0
		case VerdictAmend:
			kept = verdictEff(VerdictAmend, m, t.kase.alternative)
			t.InForce[k].Eff *= kept
		}
		break
	}
	if d.Card < 0 { // a seat both targeted and escalating keeps the new card's harm
		d.Harm = h
	}
	s.objectionCost(seat, t.Escalate, g, c.PushCost+c.LateCost*float64(age), CauseEscalate, h < c.SoundBelow, true)
	if told {
		// The team hears you objected at last: worth less the later it comes.
		s.trust(seat, s.voiceCredit(h)*math.Pow(c.LateFactor, float64(age)), CauseLateCredit, t.Escalate)
	}
}

func (s *State) teamAction(seat Seat, t *Team) {
	switch t.Action {
	case ActionCoach:
		s.morale(seat, 3, CauseCoach, -1)
	case ActionCelebrate:
		// A win lifts a team that is on plan; celebrating thin numbers
		// rings hollow.
		if t.Quota >= 70 {
			s.morale(seat, 4, CauseCelebrate, -1)
		} else {
			s.morale(seat, -1, CauseCelebrateThin, -1)
		}
	case ActionCandid:
		// Telling the team how you managed up lifts them most when there
		// was a fight to tell about.
		if t.Response.Voiced() {
			s.morale(seat, 2, CauseCandid, -1)
		} else {
			s.morale(seat, 1, CauseCandid, -1)
			if t.Response != ResponseShield {
				s.trust(seat, 1, CauseCandid, -1)
			}
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
		bonus += 0.08
	}
	commit := float64(m0.Morale+m0.Trust) / 2
	for _, f := range t.InForce {
		e := &s.Scn.Mandates[f.Card].Effects
		out := e.Output * f.Eff
		if e.Stretch && commit < c.CommitFloor {
			out = -out
		}
		if out < 0 && float64(s.Turn-int(f.Turn)) > c.DragTurns {
			out /= 2 // the team has found its way around it, mostly
		}
		bonus += out
	}
	attain := float64(s.Company.Market) * p * (1 + bonus)
	s.quota(seat, roundf(0.5*(attain-float64(t.Quota))), CauseSales, -1)
}

// companyTurn books the mandate's saving in proportion to the teams that
// carried it out among all teams (aiming a cut at one compliant manager
// saves that team's share, not the company's), then revenue and pressure.
func (s *State) companyTurn(compliance float64) {
	c := &s.Scn.Coeff
	if s.Card >= 0 {
		e := &s.Scn.Mandates[s.Card].Effects
		share := compliance / float64(len(s.Teams))
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
	if x := roundf(x); x != 0 {
		s.teamChange(seat, &s.Teams[seat-1].Trust, MeterTrust, x, cause, ref)
	}
}

// morale, quota and standing change a manager's meter, clamped to 0..100,
// and record the change. A zero change records nothing, and is not even a
// call: a third of the changes a game works out are zero.
func (s *State) morale(seat Seat, amount int, cause Cause, ref int) {
	if amount != 0 {
		s.teamChange(seat, &s.Teams[seat-1].Morale, MeterMorale, amount, cause, ref)
	}
}

func (s *State) quota(seat Seat, amount int, cause Cause, ref int) {
	if amount != 0 {
		s.teamChange(seat, &s.Teams[seat-1].Quota, MeterQuota, amount, cause, ref)
	}
}

func (s *State) standing(seat Seat, amount int, cause Cause, ref int) {
	if amount != 0 {
		s.teamChange(seat, &s.Teams[seat-1].Standing, MeterStanding, amount, cause, ref)
	}
}

// teamChange changes the meter p points at, seat's meter m, and records
// it; no change records nothing (but a quiet shield's).
func (s *State) teamChange(seat Seat, p *int, m Meter, amount int, cause Cause, ref int) {
	v := clamp(*p+amount, 0, 100)
	if v == *p && cause != CauseShielded {
		return
	}
	s.addDelta(seat, m, v-*p, cause, ref)
	*p = v
}

// company changes a company meter and records it; a zero change records
// nothing.
func (s *State) company(m Meter, amount int, cause Cause, ref int) {
	if amount != 0 {
		s.companyChange(m, amount, cause, ref)
	}
}

func (s *State) companyChange(m Meter, amount int, cause Cause, ref int) {
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
	s.addDelta(Executive, m, v-*p, cause, ref)
	*p = v
}

// addDelta appends a meter change, its fields stored one by one into the
// record: a Delta built whole and then copied is read back in wide loads
// across its narrow stores, which stalls the processor (the store cannot
// be forwarded) — a tenth of a game's time, with a few hundred changes.
func (s *State) addDelta(seat Seat, m Meter, amount int, cause Cause, ref int) {
	n := len(s.Deltas)
	if n == cap(s.Deltas) {
		s.Deltas = append(s.Deltas, Delta{})
	}
	s.Deltas = s.Deltas[:n+1]
	d := &s.Deltas[n]
	d.Turn, d.Amount, d.Ref, d.Seat, d.Meter, d.Cause = int16(s.Turn), int16(amount), int16(ref), seat, m, cause
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
// worst line); for the executive, revenue and cost less board pressure,
// attrition and lost trust.
func (s *State) score() *Scores {
	// One allocation for the scorecards and their list.
	x := new(struct {
		sc Scores
		m  [MaxManagers]int
	})
	sc := &x.sc
	sc.Managers = x.m[:len(s.Teams)]
	for i := range s.Teams {
		sc.Managers[i] = ManagerScore(s.Teams[i].Meters)
	}
	sc.Executive = s.ExecutiveParts().Total
	return sc
}

// ExecutiveParts is the executive's score broken into its parts, so that
// the debrief can show what made it without writing the formula again.
// Total is what the game scores (the parts summed, rounded, 0..200).
type ExecutiveParts struct {
	Revenue   float64 `msgpack:"revenue"`    // revenue, % of plan
	Cost      float64 `msgpack:"cost"`       // 0.8 × (100 − cost index): under budget earns, over costs
	Pressure  float64 `msgpack:"pressure"`   // −0.25 × board pressure
	Attrition float64 `msgpack:"attrition"`  // −3 per resignation
	LostTrust float64 `msgpack:"lost_trust"` // −0.5 × mean trust lost since the start
	Total     int     `msgpack:"total"`
}

// ExecutiveParts scores the executive on the state as it stands: revenue
// and cost less board pressure, attrition and lost trust.
func (s *State) ExecutiveParts() ExecutiveParts {
	trust, resign := 0, 0
	for i := range s.Teams {
		trust += s.Teams[i].Trust
		resign += s.Teams[i].Resignations
	}
	lost := float64(s.Scn.Start.Trust) - float64(trust)/float64(len(s.Teams))
	p := ExecutiveParts{
		Revenue:   float64(s.Company.Revenue),
		Cost:      0.8 * float64(100-s.Company.Cost),
		Pressure:  -0.25 * float64(s.Company.Pressure),
		Attrition: -3 * float64(resign),
		LostTrust: -0.5 * math.Max(0, lost),
	}
	p.Total = clamp(roundf(p.Revenue+p.Cost+p.Pressure+p.Attrition+p.LostTrust), 0, 200)
	return p
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

// Feedback says in words which parts of a graded case landed and which did
// not — never "weak" without the reason. cited is the title of the evidence
// card that bore most (g.Cited), valued the lever the executive values most
// (LeverNone when a person plays the executive and nobody can say).
func (g Grade) Feedback(cited string, valued Lever) []string {
	var out []string
	switch {
	case g.Evidence >= 0.7:
		out = append(out, fmt.Sprintf("Landed: your evidence (%s) bears directly on this mandate.", cited))
	case g.Evidence > 0:
		out = append(out, fmt.Sprintf("Partly landed: your evidence (%s) bears on this mandate, but not strongly.", cited))
	default:
		out = append(out, "Missing: no front-line evidence that bears on this mandate — the one thing the executive cannot see from the dashboard.")
	}
	switch {
	case g.Framing >= 0.6:
		out = append(out, "Landed: you framed it where the mandate really hurts.")
	case g.Framing >= 0.3:
		out = append(out, "Partly landed: your framing fits, but it rests on one lever; a second one, backed by your evidence, would add weight.")
	default:
		out = append(out, "Missing: your framing is not where this mandate hurts, or no evidence backs it.")
	}
	if g.Alternative {
		out = append(out, "Landed: you offered a costed alternative the executive could say yes to.")
	} else {
		out = append(out, "Missing: no costed alternative, so the executive had nothing to say yes to.")
	}
	switch {
	case g.AskFits:
		out = append(out, "Landed: your ask fits how harmful the mandate is.")
	case g.Harm >= 0.6:
		out = append(out, "Missing: for a mandate this harmful, ask to withdraw it.")
	default:
		out = append(out, "Missing: for a mandate this mild, ask to amend or pilot it rather than withdraw it.")
	}
	if valued != LeverNone {
		out = append(out, fmt.Sprintf("The executive is moved most by arguments about %s.", valued))
	}
	return out
}

// Valued is the lever a persona values most: what a manager is told after a
// ruling, so the next case can be framed for this executive.
func (p *Persona) Valued() Lever {
	best := LeverNone
	for l := Lever(1); l < NumLevers; l++ {
		if p.Values[l] > p.Values[best] {
			best = l
		}
	}
	return best
}
