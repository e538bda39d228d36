package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Bots plays seats for whoever is absent: personas for the executive, styles
// for managers. It decides from each seat's View only, so a bot can never
// use what the seat could not see. Its randomness is its own, apart from the
// game's, so a bot's choices are commands like any other and replay from
// the log.
type Bots struct {
	rng     *rand.Rand
	pcg     *rand.PCG
	view    View
	persona *Persona
	styles  []*Style // per manager seat
}

// NewBots prepares the policies named in the game's Config.
func NewBots(s *State, seed uint64) (*Bots, error) {
	pcg := rand.NewPCG(seed, seed^0x5851f42d4c957f2d)
	b := &Bots{rng: rand.New(pcg), pcg: pcg}
	b.persona = s.Scn.Persona(s.Cfg.Persona)
	if b.persona == nil {
		return nil, fmt.Errorf("%w: no persona %q in scenario %q", ErrBadCommand, s.Cfg.Persona, s.Scn.ID)
	}
	b.styles = make([]*Style, len(s.Cfg.Managers))
	for i, m := range s.Cfg.Managers {
		b.styles[i] = s.Scn.Style(m.Style)
		if b.styles[i] == nil {
			return nil, fmt.Errorf("%w: no bot style %q in scenario %q", ErrBadCommand, m.Style, s.Scn.ID)
		}
	}
	return b, nil
}

// Reset reseeds the bots for a new game of the same table (after
// State.Reset), as NewBots with that seed would.
func (b *Bots) Reset(seed uint64) { b.pcg.Seed(seed, seed^0x5851f42d4c957f2d) }

// Persona finds a persona by ID, or nil.
func (scn *Scenario) Persona(id string) *Persona {
	for i := range scn.Personas {
		if scn.Personas[i].ID == id {
			return &scn.Personas[i]
		}
	}
	return nil
}

// Style finds a bot style by ID, or nil.
func (scn *Scenario) Style(id string) *Style {
	for i := range scn.Styles {
		if scn.Styles[i].ID == id {
			return &scn.Styles[i]
		}
	}
	return nil
}

// Decide returns the command the bot for seat would send now, if the seat
// owes one.
func (b *Bots) Decide(s *State, seat Seat) (Command, bool) {
	if !s.Pending(seat) {
		return Command{}, false
	}
	if s.Phase == PhaseReveal { // every policy is done reading: no view needed
		return Command{Kind: CmdReady, Seat: seat}, true
	}
	s.viewInto(&b.view, seat, false)
	if seat == Executive {
		return PersonaMove(b.persona, s.Scn, &b.view, b.rng), true
	}
	return StyleMove(b.styles[seat-1], s.Scn, &b.view, b.rng), true
}

// Run plays every seat by bot until the game ends; for bot-only games,
// simulate and benchmarks.
func (b *Bots) Run(s *State) error { return b.Play(s, nil) }

// Play is Run with a watcher: each (unless nil) sees every command once it
// is applied, and stops the game there by returning false. Every bot-only
// game, the tests' included, is played by this one loop.
func (b *Bots) Play(s *State, each func(Command) bool) error {
	for s.Phase != PhaseOver {
		moved := false
		for seat := Executive; int(seat) <= len(s.Teams); seat++ {
			if c, ok := b.Decide(s, seat); ok {
				if err := s.Apply(c); err != nil {
					return fmt.Errorf("bot seat %d: %w", seat, err)
				}
				moved = true
				if each != nil && !each(c) {
					return nil
				}
			}
		}
		if !moved {
			return fmt.Errorf("%w: no seat can move in %s", ErrBadCommand, s.Phase)
		}
	}
	return nil
}

// PersonaMove is a scripted executive's decision from the executive's view.
func PersonaMove(p *Persona, scn *Scenario, v *View, r *rand.Rand) Command {
	c := Command{Seat: Executive}
	switch v.Phase {
	case PhaseMandate:
		if p.VisitEvery > 0 && v.Turn%p.VisitEvery == 0 && v.Visit == 0 {
			// Ask the front line first: the manager it trusts most.
			c.Kind, c.Target = CmdVisit, lowest(v, func(m *ManagerView) int { return -m.Meters.Standing })
			return c
		}
		c.Kind = CmdMandate
		card, target := personaCard(p, scn, v)
		c.Card, c.Framing = scn.Mandates[card].ID, scn.Mandates[card].Framing
		switch target {
		case TargetLowestQuota:
			c.Target = lowest(v, func(m *ManagerView) int { return m.Meters.Quota })
		case TargetLowestStanding:
			c.Target = lowest(v, func(m *ManagerView) int { return m.Meters.Standing })
		}
	case PhaseRuling:
		c.Kind = CmdRule
		for i := range v.Managers {
			m := &v.Managers[i]
			if !m.Response.Voiced() || m.Verdict != VerdictPending {
				continue
			}
			x := RulingScore(p, scn, v, m)
			x += (r.Float64() - 0.5) * 0.16
			c.Target, c.Verdict = m.Seat, VerdictUphold
			switch {
			case x >= 0.58 && m.Response != ResponseNegotiate:
				c.Verdict = VerdictWithdraw
			case x >= 0.4 || (m.Response == ResponseNegotiate && x >= 0.33):
				c.Verdict = VerdictAmend
			}
			return c
		}
	case PhaseReveal:
		c.Kind = CmdReady
	}
	return c
}

// RulingScore is how far one objection in the executive's view moves a
// persona, before its noise: the graded case, the persona's values, the
// manager's standing and board pressure, the other managers objecting to
// the same card, and for a late escalation LateFactor per turn of age.
func RulingScore(p *Persona, scn *Scenario, v *View, m *ManagerView) float64 {
	card := v.Card
	if m.Response == ResponseEscalate {
		card = m.Escalate
	}
	joint := 0
	if m.Response != ResponseEscalate {
		for i := range v.Managers {
			o := &v.Managers[i]
			if o.Seat != m.Seat && (o.Response == ResponsePushBack || o.Response == ResponseNegotiate) {
				joint++
			}
		}
	}
	g := GradeCase(scn, card, m.Case, v.News)
	x := Persuasion(p, g, m.Case, m.Meters.Standing, v.Company.Pressure, joint, &scn.Coeff)
	if m.Response == ResponseEscalate {
		x *= math.Pow(scn.Coeff.LateFactor, float64(v.Turn-v.Played[card]))
	}
	return x
}

// personaCard walks the persona's rules in order and plays the first unplayed
// card of the first rule that holds, passing over a card that the evidence
// of the team it consulted this turn shows would hurt (unless the rule has
// nothing else); with no rule, the first card in hand.
func personaCard(p *Persona, scn *Scenario, v *View) (int, Target) {
	var seen []int
	if v.Visit > 0 {
		if m := v.Manager(v.Visit); m != nil {
			seen = m.Evidence
		}
	}
	for _, rule := range p.Rules {
		if rule.PressureAtLeast > 0 && v.Company.Pressure < rule.PressureAtLeast ||
			rule.PressureBelow > 0 && v.Company.Pressure >= rule.PressureBelow ||
			rule.RevenueBelow > 0 && v.Company.Revenue >= rule.RevenueBelow ||
			rule.FromTurn > 0 && v.Turn < rule.FromTurn {
			continue
		}
		first := -1
		for _, card := range rule.Mandates {
			if v.Played[card] != 0 {
				continue
			}
			if first < 0 {
				first = card
			}
			warned := 0.0
			for _, e := range seen {
				warned += scn.Evidence[e].Shift(card)
			}
			if warned < 0.15 {
				return card, rule.Target
			}
		}
		if first >= 0 {
			return first, rule.Target
		}
	}
	return v.Hand[0], TargetAll
}

func lowest(v *View, f func(*ManagerView) int) Seat {
	best := &v.Managers[0]
	for i := range v.Managers {
		if f(&v.Managers[i]) < f(best) {
			best = &v.Managers[i]
		}
	}
	return best.Seat
}

// SeenHarm is a card's harm as a manager can know it: typical, moved by the
// month's news and by the manager's own evidence — exactly the truth, for
// one who reads every signal.
func SeenHarm(scn *Scenario, v *View, card int) float64 {
	h := NewsHarm(scn, card, v.News)
	if me := v.Manager(v.Seat); me != nil {
		for _, e := range me.Evidence {
			h += scn.Evidence[e].Shift(card)
		}
	}
	return scn.Mandates[card].clampHarm(h)
}

// StyleMove is a bot manager's decision from the manager's view.
func StyleMove(st *Style, scn *Scenario, v *View, r *rand.Rand) Command {
	c := Command{Seat: v.Seat}
	switch v.Phase {
	case PhaseResponse:
		c.Kind, c.Action = CmdRespond, st.Action
		me := v.Manager(v.Seat)
		if st.EscalateAfter > 0 {
			for _, card := range me.InForce {
				if v.Turn-v.Played[card] == st.EscalateAfter && SeenHarm(scn, v, card) >= 0.5 {
					c.Response, c.Card = ResponseEscalate, scn.Mandates[card].ID
					c.Case = BuildCase(st, scn, v, card, SeenHarm(scn, v, card), r)
					if st.Tell {
						c.Action = ActionCandid
					}
					return c
				}
			}
		}
		if v.Card < 0 || (v.Target != 0 && v.Target != v.Seat) {
			return c
		}
		harm := SeenHarm(scn, v, v.Card) + (1-st.Skill)*(r.Float64()-0.5)*0.6
		switch {
		case harm >= st.PushAbove && st.NeedEvidence && !holdsAgainst(scn, me, v.Card):
			c.Response = ResponseNegotiate
		case harm >= st.PushAbove:
			c.Response = ResponsePushBack
		case harm >= st.NegotiateAbove:
			c.Response = ResponseNegotiate
		case harm >= st.ShieldAbove:
			c.Response = ResponseShield
		case st.Explain:
			c.Response = ResponseExplain
		default:
			c.Response = ResponseRelay
		}
		if c.Response.Voiced() {
			c.Case = BuildCase(st, scn, v, v.Card, harm, r)
			if st.Tell {
				c.Action = ActionCandid
			}
		}
	case PhaseReveal:
		c.Kind = CmdReady
	}
	return c
}

// holdsAgainst reports whether a manager holds evidence that bears fully on
// the card (makes it EvidenceFull worse for the team): what a strong case
// is built on.
func holdsAgainst(scn *Scenario, me *ManagerView, card int) bool {
	for _, e := range me.Evidence {
		if scn.Evidence[e].Shift(card) >= EvidenceFull {
			return true
		}
	}
	return scn.Legacy()
}

// BuildCase is how a bot argues against a card it sees as this harmful. A
// skilled one (with probability Skill) cites its evidence that bears on the
// card, most telling first, frames the case in that evidence's lever and the
// card's strongest other lever; an unskilled one cites at random and picks
// levers at random. Skill 0.5 and up brings the card's first costed
// alternative and an ask that fits the harm.
func BuildCase(st *Style, scn *Scenario, v *View, card int, harm float64, r *rand.Rand) Case {
	m := &scn.Mandates[card]
	var k Case
	var held []int
	if me := v.Manager(v.Seat); me != nil {
		held = me.Evidence
	}
	if r.Float64() < st.Skill {
		a, b := -1, -1
		for _, e := range held {
			by := scn.Evidence[e].Shift(card)
			switch {
			case by <= 0:
			case a < 0 || by > scn.Evidence[a].Shift(card):
				a, b = e, a
			case b < 0 || by > scn.Evidence[b].Shift(card):
				b = e
			}
		}
		k.Data, k.Impact = bestTwo(m)
		if a >= 0 {
			k.Evidence[0] = scn.Evidence[a].ID
			if l := scn.Evidence[a].Lever; l != k.Data {
				k.Data, k.Impact = l, k.Data
			}
		}
		if b >= 0 {
			k.Evidence[1] = scn.Evidence[b].ID
		}
	} else {
		if len(held) > 0 && r.IntN(2) == 0 {
			k.Evidence[0] = scn.Evidence[held[r.IntN(len(held))]].ID
		}
		k.Data = Lever(1 + r.IntN(int(NumLevers)-1))
		k.Impact = Lever(1 + r.IntN(int(NumLevers)-1))
	}
	k.Ask = AskWithdraw
	if st.Skill >= 0.5 {
		if len(m.Alternatives) > 0 {
			k.Alternative = m.Alternatives[0].ID
		}
		if harm < 0.6 {
			k.Ask = AskAmend
		}
	}
	return k
}

func bestTwo(m *Mandate) (Lever, Lever) {
	a, b := Lever(1), Lever(2)
	if m.Arguments[b] > m.Arguments[a] {
		a, b = b, a
	}
	for l := Lever(3); l < NumLevers; l++ {
		switch {
		case m.Arguments[l] > m.Arguments[a]:
			a, b = l, a
		case m.Arguments[l] > m.Arguments[b]:
			b = l
		}
	}
	return a, b
}

// BuiltinStyles are the manager styles every scenario has unless it
// redefines one by ID: the four characters of GAME.md and the fixed
// policies the balance tests compare against.
func BuiltinStyles() []Style {
	return []Style{
		{ID: "yes-man", Name: "Yes-man", Summary: "relays everything as-is and keeps the boss happy",
			PushAbove: 2, NegotiateAbove: 2, ShieldAbove: 2, Skill: 0.3, Action: ActionCelebrate},
		{ID: "firebrand", Name: "Firebrand", Summary: "pushes back on everything, with whatever argument is at hand",
			PushAbove: -1, NegotiateAbove: 2, ShieldAbove: 2, Skill: 0.2, Tell: true, Action: ActionCoach},
		{ID: "diplomat", Name: "Diplomat", Summary: "negotiates a compromise on every mandate and explains it",
			PushAbove: 2, NegotiateAbove: -1, ShieldAbove: 2, Explain: true, Skill: 0.6, Action: ActionCoach},
		{ID: "advocate", Name: "Advocate", Summary: "reads the front line; pushes back early on harmful mandates with the evidence in hand, negotiates without it, explains what is relayed, tells the team",
			PushAbove: 0.55, NegotiateAbove: 0.4, ShieldAbove: 2, Explain: true, Tell: true, Skill: 0.9, Action: ActionCoach, NeedEvidence: true},
		{ID: "always-relay", Name: "Always relay", Summary: "fixed policy: relay as-is",
			PushAbove: 2, NegotiateAbove: 2, ShieldAbove: 2, Skill: 0.9, Action: ActionCoach},
		{ID: "always-explain", Name: "Always explain", Summary: "fixed policy: relay with context",
			PushAbove: 2, NegotiateAbove: 2, ShieldAbove: 2, Explain: true, Skill: 0.9, Action: ActionCoach},
		{ID: "always-pushback", Name: "Always push back", Summary: "fixed policy: push back with a strong case and tell the team",
			PushAbove: -1, NegotiateAbove: 2, ShieldAbove: 2, Tell: true, Skill: 0.9, Action: ActionCoach},
		{ID: "always-shield", Name: "Always shield", Summary: "fixed policy: quietly shield the team",
			PushAbove: 2, NegotiateAbove: 2, ShieldAbove: -1, Skill: 0.9, Action: ActionCoach},
		{ID: "late-escalator", Name: "Late escalator", Summary: "relays now, objects two turns later",
			PushAbove: 2, NegotiateAbove: 2, ShieldAbove: 2, Tell: true, Skill: 0.9, Action: ActionCoach, EscalateAfter: 2},
	}
}
