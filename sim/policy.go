package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"unsafe"
)

// Bots plays seats for whoever is absent: personas for the executive, styles
// for managers. It decides from what the seat knows (seen: read straight
// from the state by the rules of State.View, and tested equal to what the
// view shows), so a bot can never use what the seat could not see; the
// same policies decide from a View for clients. Its randomness is its own,
// apart from the game's, so a bot's choices are commands like any other
// and replay from the log.
type Bots struct {
	rng     *rand.Rand
	pcg     rand.PCG
	k       seen  // what the seat deciding now knows, refilled for each decision
	cards   []int // scratch: a manager's cards in force
	persona *Persona
	styles  [MaxManagers]*Style // per manager seat
}

// NewBots prepares the policies named in the game's Config.
func NewBots(s *State, seed uint64) (*Bots, error) {
	b := &Bots{pcg: *rand.NewPCG(seed, seed^0x5851f42d4c957f2d), cards: make([]int, 0, s.Scn.Turns)}
	b.rng = rand.New(&b.pcg)
	b.persona = s.Scn.Persona(s.Cfg.Persona)
	if b.persona == nil {
		return nil, fmt.Errorf("%w: no persona %q in scenario %q", ErrBadCommand, s.Cfg.Persona, s.Scn.ID)
	}
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
	var c Command
	ok := b.decide(s, seat, &c)
	return c, ok
}

// decide is Decide into c, which must be the zero Command.
func (b *Bots) decide(s *State, seat Seat, c *Command) bool {
	if !s.Pending(seat) {
		return false
	}
	b.move(s, seat, c)
	return true
}

// move is the bot's command for a seat that owes one, into c, which must
// be the zero Command.
func (b *Bots) move(s *State, seat Seat, c *Command) {
	if s.Phase == PhaseReveal { // every policy is done reading
		c.Kind, c.Seat = CmdReady, seat
		return
	}
	share(&b.cards, b.k.fromState(s, seat, b.cards)) // the same scratch, unless it grew
	if seat == Executive {
		personaMove(b.persona, s.Scn, &b.k, b.rng, c)
	} else {
		styleMove(b.styles[seat-1], s.Scn, &b.k, b.rng, c)
	}
}

// seen is what one seat knows that a bot decides from: a small read-only
// summary, filled from the seat's View (PersonaMove and StyleMove, for
// clients and the debrief) or straight from the State (Bots, which so build
// no view). Filled either way it is the same for every seat at every point
// of a game (TestRandomCommandSequences): a bot reads nothing its view
// would not show. A manager decides from its own team only; the executive
// from every manager as its view shows them.
type seen struct {
	seat          Seat
	phase         Phase
	turn, card    int
	target, visit Seat
	company       Company
	news, played  []int // read-only: the state's own when filled from it
	evidence      []int // a manager's own; the executive's: the team visited this turn
	inForce       []int // a manager's own cards in force
	n             int   // the executive's managers, in mgr
	mgr           [MaxManagers]seenManager
	held          [EvidenceHand]int // evidence's array when filled from the state
	// The source, one of the two: where caseOf finds a shown objection's case.
	st *State
	v  *View
}

// seenManager is one manager as the executive sees it.
type seenManager struct {
	seat            Seat
	response        ResponseKind // as shown: a quiet shield is a relay
	verdict         Verdict
	quota, standing int
	escalate        int
	idx             int // in the source's teams or managers
}

func (k *seen) managers() []seenManager { return k.mgr[:k.n] }

// caseOf is the case of an objection the executive sees (m.response voiced).
func (k *seen) caseOf(m *seenManager) *Case {
	if k.st != nil {
		return &k.st.Teams[m.idx].Case
	}
	return &k.v.Managers[m.idx].Case
}

// gradeOf is that case graded against card: from the state, as graded when
// it was made (GradeCase on the same case and news).
func (k *seen) gradeOf(scn *Scenario, m *seenManager, card int) Grade {
	if k.st != nil {
		if t := &k.st.Teams[m.idx]; t.gradedNews == len(k.st.News) {
			return t.Grade
		}
	}
	return GradeCase(scn, card, *k.caseOf(m), k.news)
}

// fromView fills k from a seat's view.
func (k *seen) fromView(v *View) {
	*k = seen{seat: v.Seat, phase: v.Phase, turn: v.Turn, card: v.Card, target: v.Target, visit: v.Visit,
		company: v.Company, news: v.News, played: v.Played, v: v}
	if v.Seat != Executive {
		if me := v.Manager(v.Seat); me != nil {
			k.evidence, k.inForce = me.Evidence, me.InForce
		}
		return
	}
	if m := v.Manager(v.Visit); m != nil {
		k.evidence = m.Evidence
	}
	for i := range v.Managers {
		m := &v.Managers[i]
		k.mgr[k.n] = seenManager{m.Seat, m.Response, m.Verdict, m.Meters.Quota, m.Meters.Standing, m.Escalate, i}
		k.n++
	}
}

// fromState fills k for seat (the executive or a manager) by the rules of
// State.View, with cards as scratch for a manager's cards in force; it
// returns the scratch for the next call.
func (k *seen) fromState(s *State, seat Seat, cards []int) []int {
	// Field by field: the managers past n are never read, and clearing
	// them all would cost more than the rest. The slices and pointers are
	// those k holds already, decision after decision: share writes one
	// only when it changes, for while the collector marks, every pointer
	// written costs a write barrier (a fresh game's largest share of them).
	k.seat, k.phase, k.turn, k.card, k.target, k.visit = seat, s.Phase, s.Turn, s.Card, s.Target, s.Visit
	k.company, k.n = s.Company.seenBy(seat), 0
	share(&k.news, s.News)
	share(&k.played, s.PlayedTurn)
	if k.st != s {
		k.st = s
	}
	if k.v != nil {
		k.v = nil
	}
	// The evidence is copied into k's own array, and the executive sees
	// no cards in force through the same scratch.
	cards = cards[:0]
	var evidence []int
	if seat != Executive {
		t := s.Team(seat)
		for _, f := range t.InForce {
			cards = append(cards, int(f.Card))
		}
		evidence = t.held()
	} else if s.Visit > 0 {
		evidence = s.Team(s.Visit).held()
	}
	for i, e := range evidence {
		k.held[i] = e
	}
	share(&k.evidence, k.held[:len(evidence)])
	share(&k.inForce, cards)
	if seat != Executive {
		return cards
	}
	shown, revealed := s.answersShown(true), s.Phase >= PhaseReveal
	for i := range s.Teams {
		// In place, field by field: a whole seenManager built and then
		// copied is read back across its narrow stores, which stalls.
		t, m := &s.Teams[i], &k.mgr[i]
		m.seat, m.quota, m.standing, m.idx = Seat(i+1), t.Quota, t.Standing, i
		m.response, m.verdict, m.escalate = ResponseNone, VerdictPending, -1
		if shown {
			m.response, m.verdict, m.escalate = shownResponse(t.Response, true, revealed), t.Verdict, t.Escalate
		}
	}
	k.n = len(s.Teams)
	return cards
}

// share sets *dst to src, writing the slice's pointer only when it changes.
func share(dst *[]int, src []int) {
	if cap(*dst) == cap(src) && unsafe.SliceData(*dst) == unsafe.SliceData(src) {
		*dst = (*dst)[:len(src)]
		return
	}
	*dst = src
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
			if !s.Pending(seat) {
				continue
			}
			var c Command
			b.move(s, seat, &c)
			if err := s.apply(&c); err != nil {
				return fmt.Errorf("bot seat %d: %w", seat, err)
			}
			moved = true
			if each != nil && !each(c) {
				return nil
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
	var k seen
	k.fromView(v)
	var c Command
	personaMove(p, scn, &k, r, &c)
	return c
}

// personaMove decides into c, which must be the zero Command.
func personaMove(p *Persona, scn *Scenario, k *seen, r *rand.Rand, c *Command) {
	c.Seat = Executive
	switch k.phase {
	case PhaseMandate:
		if p.VisitEvery > 0 && k.turn%p.VisitEvery == 0 && k.visit == 0 {
			// Ask the front line first: the manager it trusts most.
			c.Kind, c.Target = CmdVisit, k.mostTrusted()
			return
		}
		c.Kind = CmdMandate
		card, target := personaCard(p, scn, k)
		c.Card, c.Framing = scn.Mandates[card].ID, scn.Mandates[card].Framing
		switch target {
		case TargetLowestQuota:
			c.Target = k.lowest(func(m *seenManager) int { return m.quota })
		case TargetLowestStanding:
			c.Target = k.lowest(func(m *seenManager) int { return m.standing })
		}
	case PhaseRuling:
		c.Kind = CmdRule
		for i := range k.n {
			m := &k.mgr[i]
			if !m.response.Voiced() || m.verdict != VerdictPending {
				continue
			}
			x := rulingScore(p, scn, k, m)
			x += (r.Float64() - 0.5) * 0.16
			c.Target, c.Verdict = m.seat, VerdictUphold
			switch {
			case x >= 0.58 && m.response != ResponseNegotiate:
				c.Verdict = VerdictWithdraw
			case x >= 0.4 || (m.response == ResponseNegotiate && x >= 0.33):
				c.Verdict = VerdictAmend
			}
			return
		}
	case PhaseReveal:
		c.Kind = CmdReady
	}
}

// RulingScore is how far one objection in the executive's view moves a
// persona, before its noise: the graded case, the persona's values, the
// manager's standing and board pressure, the other managers objecting to
// the same card, and for a late escalation LateFactor per turn of age.
func RulingScore(p *Persona, scn *Scenario, v *View, m *ManagerView) float64 {
	var k seen
	k.fromView(v)
	for i := range k.n {
		if k.mgr[i].seat == m.Seat {
			return rulingScore(p, scn, &k, &k.mgr[i])
		}
	}
	return 0
}

func rulingScore(p *Persona, scn *Scenario, k *seen, m *seenManager) float64 {
	card := k.card
	if m.response == ResponseEscalate {
		card = m.escalate
	}
	joint := 0
	if m.response != ResponseEscalate {
		for _, o := range k.managers() {
			if o.seat != m.seat && (o.response == ResponsePushBack || o.response == ResponseNegotiate) {
				joint++
			}
		}
	}
	g := k.gradeOf(scn, m, card)
	x := Persuasion(p, g, *k.caseOf(m), m.standing, k.company.Pressure, joint, &scn.Coeff)
	if m.response == ResponseEscalate {
		x *= math.Pow(scn.Coeff.LateFactor, float64(k.turn-k.played[card]))
	}
	return x
}

// personaCard walks the persona's rules in order and plays the first unplayed
// card of the first rule that holds, passing over a card that the evidence
// of the team it consulted this turn shows would hurt (unless the rule has
// nothing else); with no rule, the first card in hand.
func personaCard(p *Persona, scn *Scenario, k *seen) (int, Target) {
	for _, rule := range p.Rules {
		if rule.PressureAtLeast > 0 && k.company.Pressure < rule.PressureAtLeast ||
			rule.PressureBelow > 0 && k.company.Pressure >= rule.PressureBelow ||
			rule.RevenueBelow > 0 && k.company.Revenue >= rule.RevenueBelow ||
			rule.FromTurn > 0 && k.turn < rule.FromTurn {
			continue
		}
		first := -1
		for _, card := range rule.Mandates {
			if k.played[card] != 0 {
				continue
			}
			if first < 0 {
				first = card
			}
			warned := 0.0
			for _, e := range k.evidence {
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
	for card, turn := range k.played { // the first card in hand
		if turn == 0 {
			return card, TargetAll
		}
	}
	panic("sim: a persona asked for a card with none in hand")
}

// mostTrusted is the manager with the highest standing, the first of equals.
func (k *seen) mostTrusted() Seat { return k.lowest(func(m *seenManager) int { return -m.standing }) }

// lowest is the manager for whom f is least, the first of equals.
func (k *seen) lowest(f func(*seenManager) int) Seat {
	best := &k.mgr[0]
	for i := range k.n {
		if f(&k.mgr[i]) < f(best) {
			best = &k.mgr[i]
		}
	}
	return best.seat
}

// SeenHarm is a card's harm as a manager can know it: typical, moved by the
// month's news and by the manager's own evidence — exactly the truth, for
// one who reads every signal.
func SeenHarm(scn *Scenario, v *View, card int) float64 {
	var k seen
	k.fromView(v)
	return seenHarm(scn, &k, card)
}

func seenHarm(scn *Scenario, k *seen, card int) float64 {
	h := NewsHarm(scn, card, k.news)
	for _, e := range k.evidence {
		h += scn.Evidence[e].Shift(card)
	}
	return scn.Mandates[card].clampHarm(h)
}

// StyleMove is a bot manager's decision from the manager's view.
func StyleMove(st *Style, scn *Scenario, v *View, r *rand.Rand) Command {
	var k seen
	k.fromView(v)
	var c Command
	styleMove(st, scn, &k, r, &c)
	return c
}

// styleMove decides into c, which must be the zero Command.
func styleMove(st *Style, scn *Scenario, k *seen, r *rand.Rand, c *Command) {
	c.Seat = k.seat
	switch k.phase {
	case PhaseResponse:
		c.Kind, c.Action = CmdRespond, st.Action
		if st.EscalateAfter > 0 {
			for _, card := range k.inForce {
				if k.turn-k.played[card] == st.EscalateAfter && seenHarm(scn, k, card) >= 0.5 {
					c.Response, c.Card = ResponseEscalate, scn.Mandates[card].ID
					buildCase(st, scn, k, card, seenHarm(scn, k, card), r, &c.Case)
					if st.Tell {
						c.Action = ActionCandid
					}
					return
				}
			}
		}
		if k.card < 0 || (k.target != 0 && k.target != k.seat) {
			return
		}
		harm := seenHarm(scn, k, k.card) + (1-st.Skill)*(r.Float64()-0.5)*0.6
		switch {
		case harm >= st.PushAbove && st.NeedEvidence && !holdsAgainst(scn, k.evidence, k.card):
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
			buildCase(st, scn, k, k.card, harm, r, &c.Case)
			if st.Tell {
				c.Action = ActionCandid
			}
		}
	case PhaseReveal:
		c.Kind = CmdReady
	}
}

// holdsAgainst reports whether a manager holds evidence that bears fully on
// the card (makes it EvidenceFull worse for the team): what a strong case
// is built on.
func holdsAgainst(scn *Scenario, evidence []int, card int) bool {
	for _, e := range evidence {
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
	var k seen
	k.fromView(v)
	var c Case
	buildCase(st, scn, &k, card, harm, r, &c)
	return c
}

// buildCase is BuildCase into k, which must be the zero Case (filled in
// place: a Case returned and copied costs write barriers while the
// collector runs).
func buildCase(st *Style, scn *Scenario, seen *seen, card int, harm float64, r *rand.Rand, k *Case) {
	m := &scn.Mandates[card]
	held := seen.evidence
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
