package sim

import (
	"fmt"
	"math/rand/v2"
)

// Meter names a gauge: the four per manager, then the company's.
type Meter uint8

// The meters.
const (
	MeterMorale Meter = iota
	MeterTrust
	MeterQuota
	MeterStanding
	MeterRevenue
	MeterCost
	MeterPressure
	NumMeters
)

var meterNames = [NumMeters]string{"Morale", "Trust", "Quota", "Standing", "Revenue", "Cost", "Board pressure"}

func (m Meter) String() string {
	if m < NumMeters {
		return meterNames[m]
	}
	return "meter?"
}

// Meters are one team's gauges, each 0..100.
type Meters struct {
	Morale   int `msgpack:"morale"`
	Trust    int `msgpack:"trust"`
	Quota    int `msgpack:"quota"`
	Standing int `msgpack:"standing"`
}

// Get returns the meter by name; m must be one of the four team meters.
func (t *Meters) Get(m Meter) int {
	return *t.ptr(m)
}

func (t *Meters) ptr(m Meter) *int {
	switch m {
	case MeterMorale:
		return &t.Morale
	case MeterTrust:
		return &t.Trust
	case MeterQuota:
		return &t.Quota
	default:
		return &t.Standing
	}
}

// Company is the executive's dashboard.
type Company struct {
	Revenue  int `msgpack:"revenue"`  // % of plan
	Cost     int `msgpack:"cost"`     // index, 100 = budget
	Pressure int `msgpack:"pressure"` // board pressure 0..100
	Market   int `msgpack:"market"`   // demand index, 100 = normal
}

// SeatConfig describes a manager seat when the game is created.
type SeatConfig struct {
	Name  string
	Style string // the bot style that plays the seat when no person does
	Bot   bool   // no person is expected in this seat
}

// Config is who sits where; the game does not care whether a seat is a
// person or a bot at any moment (the room decides), but keeps the plan.
type Config struct {
	Persona      string // the persona that plays the executive when no person does
	ExecutiveBot bool
	Managers     []SeatConfig
}

// Force is a mandate in force on a team, with the share that landed.
type Force struct {
	Card, Turn int32 // narrow: New allocates one per manager and turn
	Eff        float64
	Harm       float64 // the card's harm for this team when it landed
}

// Team is one manager's state.
type Team struct {
	Meters
	Pulse        int // the executive's lagging, noisy survey of morale
	Resignations int
	// This turn's answer (the one-byte fields together, with the case as
	// indexes, kept as it is graded: a Decision copies it).
	Answered bool
	Response ResponseKind
	Action   TeamAction
	Verdict  Verdict
	Ready    bool
	kase     caseIndex
	Case     Case
	Escalate int // in-force card escalated, or -1
	// What the executive saw on a visit (the truth at that moment).
	VisitTurn  int
	SeenMorale int
	SeenTrust  int
	Discovered int // shields discovered so far
	InForce    []Force
	// Evidence is this month's front-line evidence (indexes into the
	// scenario's deck, -1 for none): private to the manager.
	Evidence [EvidenceHand]int
	// Grade is this turn's case as graded (shown from the reveal). It is
	// graded when the case is made (GradeCase on what the case shows), so
	// the persona's ruling and the resolution grade it once, and holds
	// while the month's news is still gradedNews long.
	Grade      Grade
	gradedNews int
}

// Delta is one meter change with its cause; Text renders it in words.
// It is small on purpose (10 bytes): a game records hundreds of them.
type Delta struct {
	Turn   int16 `msgpack:"turn"`
	Amount int16 `msgpack:"amount"`
	Ref    int16 `msgpack:"ref"`  // card or event index (a seat for a visit), -1 for none
	Seat   Seat  `msgpack:"seat"` // the manager; Executive for company meters
	Meter  Meter `msgpack:"meter"`
	Cause  Cause `msgpack:"cause"`
}

// Snapshot is every meter at the end of a turn (turn 0: the start).
type Snapshot struct {
	Turn    int      `msgpack:"turn"`
	Teams   []Meters `msgpack:"teams"`
	Pulse   []int    `msgpack:"pulse"`
	Company Company  `msgpack:"company"`
}

// Decision is what happened to one manager in one turn, for the debrief.
// It holds no pointers (104 bytes, not 184): a game records one per manager
// and turn, all allocated by New. The case is kept as indexes; State.Case
// gives it back.
type Decision struct {
	// Harm is how harmful the mandate (or the escalated card) really was
	// for this team this month; Grade is the case part by part.
	Harm       float64             `msgpack:"harm"`
	Grade      Grade               `msgpack:"grade"`
	Turn       int                 `msgpack:"turn"`
	Card       int                 `msgpack:"card"`      // the mandate, -1 if none targeted this seat
	Escalated  int                 `msgpack:"escalated"` // card escalated, -1 for none
	Evidence   [EvidenceHand]int16 `msgpack:"evidence"`  // what the manager held
	Seat       Seat                `msgpack:"seat"`
	Response   ResponseKind        `msgpack:"response"`
	Action     TeamAction          `msgpack:"action"`
	Verdict    Verdict             `msgpack:"verdict"`
	Discovered bool                `msgpack:"discovered"`
	Visited    bool                `msgpack:"visited"` // the executive visited this team this turn
	kase       caseIndex           // the case: State.Case
}

// caseIndex is a Case as a Decision keeps it: its IDs as indexes (of the
// card's alternatives, of the scenario's evidence, of State.texts; -1 for
// none), so that the record holds no pointers.
type caseIndex struct {
	alternative  int16
	evidence     [EvidenceHand]int16
	text         int16
	data, impact Lever
	ask          Ask
}

var noCase = caseIndex{alternative: -1, evidence: [EvidenceHand]int16{-1, -1}, text: -1}

// keepCase keeps the team's case in its decision: as indexes, as it was
// graded (gradeCase), and its free text among the game's texts.
func (s *State) keepCase(d *Decision, t *Team) {
	d.kase = t.kase
	if t.Case.Text != "" {
		d.kase.text = int16(len(s.texts))
		s.texts = append(s.texts, t.Case.Text)
	}
}

// Case is the business case a decision made, as the manager sent it (the
// zero Case for none).
func (s *State) Case(d *Decision) Case {
	x := &d.kase
	k := Case{Data: x.data, Impact: x.impact, Ask: x.ask}
	card := d.Card
	if d.Escalated >= 0 {
		card = d.Escalated
	}
	if x.alternative >= 0 {
		k.Alternative = s.Scn.Mandates[card].Alternatives[x.alternative].ID
	}
	for i, e := range x.evidence {
		if e >= 0 {
			k.Evidence[i] = s.Scn.Evidence[e].ID
		}
	}
	if x.text >= 0 {
		k.Text = s.texts[x.text]
	}
	return k
}

// Sound reports whether the decision's card was sound for that team that
// month (objecting to it was crying wolf).
func (d *Decision) Sound(c *Coefficients) bool { return d.Harm < c.SoundBelow }

// State is a whole game. Only Apply changes it.
type State struct {
	Scn        *Scenario
	Cfg        Config
	Seed       uint64
	rng        rand.PCG
	Version    uint64 // commands applied so far
	Turn       int    // 1-based
	Phase      Phase
	Company    Company
	Teams      []Team
	PlayedTurn []int // per mandate card, the turn it was played (0 not yet)
	deck       []int
	deckPos    int
	// This turn.
	Card      int // mandate index, -1 none
	Target    Seat
	Framing   string
	Visit     Seat // visited manager, 0 none
	ExecReady bool
	News      []int
	// The record.
	Deltas    []Delta
	History   []Snapshot
	Decisions []Decision
	Scores    *Scores
	histTeams []Meters // backing arrays of History, allocated once
	texts     []string // the cases' free texts that Decisions index
	histPulse []int
	pool      []int // scratch for drawing evidence
	// conditional lists the evidence cards that have a condition (When),
	// in deck order: drawing reads only those, not the whole deck.
	conditional []int
}

// Scores are the final balanced scorecards.
type Scores struct {
	Managers  []int `msgpack:"managers"`
	Executive int   `msgpack:"executive"`
}

// New starts a game at turn 1, news drawn, waiting for the mandate.
func New(scn *Scenario, cfg Config, seed uint64) (*State, error) {
	n := len(cfg.Managers)
	if n < 1 || n > MaxManagers {
		return nil, fmt.Errorf("%w: %d managers (1..%d)", ErrBadCommand, n, MaxManagers)
	}
	if scn.Turns < 1 || len(scn.Mandates) == 0 {
		return nil, fmt.Errorf("%w: scenario %q has no turns or no mandates", ErrBadCommand, scn.ID)
	}
	s := &State{
		Scn:  scn,
		Cfg:  cfg,
		Seed: seed,
		rng:  *rand.NewPCG(seed, seed^0x9e3779b97f4a7c15),
		Turn: 1,
		Card: -1,
		Company: Company{
			Revenue: scn.Start.Revenue, Cost: scn.Start.Cost,
			Pressure: scn.Start.Pressure, Market: scn.Start.Market,
		},
		Teams:     make([]Team, n),
		Deltas:    make([]Delta, 0, scn.Turns*n*12+16),
		History:   make([]Snapshot, 0, scn.Turns+1),
		Decisions: make([]Decision, 0, scn.Turns*n),
	}
	// The lists of numbers share one allocation, each capped at its length.
	conditional := 0
	for i := range scn.Evidence {
		if scn.Evidence[i].When != (Condition{}) {
			conditional++
		}
	}
	ints := make([]int, 0, len(scn.Mandates)+len(scn.Events)+4+len(scn.Evidence)+conditional+n*(scn.Turns+1))
	take := func(k int) []int {
		ints = ints[:len(ints)+k]
		return ints[len(ints)-k : len(ints) : len(ints)]
	}
	s.PlayedTurn, s.deck, s.News, s.pool = take(len(scn.Mandates)), take(len(scn.Events)), take(4)[:0], take(len(scn.Evidence))[:0]
	s.conditional, s.histPulse = take(conditional)[:0], take(n*(scn.Turns+1))
	for i := range scn.Evidence {
		if scn.Evidence[i].When != (Condition{}) {
			s.conditional = append(s.conditional, i)
		}
	}
	forces := make([]Force, n*scn.Turns)
	s.histTeams = make([]Meters, n*(scn.Turns+1))
	for i := range s.Teams {
		t := &s.Teams[i]
		t.Meters = Meters{scn.Start.Morale, scn.Start.Trust, scn.Start.Quota, scn.Start.Standing}
		t.Pulse = scn.Start.Morale
		t.Escalate = -1
		t.InForce = forces[i*scn.Turns : i*scn.Turns : (i+1)*scn.Turns]
		t.Evidence = noEvidence
	}
	s.begin()
	return s, nil
}

// begin deals the opening: the shuffled deck, turn 0's snapshot, turn 1.
func (s *State) begin() {
	for i := range s.deck {
		s.deck[i] = i
	}
	s.shuffle()
	s.snapshot()
	s.startTurn()
}

// Reset starts the same table over with another seed, reusing every buffer
// of the game it replaces: simulate and the benchmarks play thousands of
// games without allocating. Afterwards the state equals New(s.Scn, s.Cfg,
// seed); whatever the old game held is gone.
func (s *State) Reset(seed uint64) {
	scn := s.Scn
	old := *s
	clear(old.texts)
	*s = State{
		Scn: scn, Cfg: old.Cfg, Seed: seed,
		rng:  *rand.NewPCG(seed, seed^0x9e3779b97f4a7c15),
		Turn: 1, Card: -1,
		Company: Company{
			Revenue: scn.Start.Revenue, Cost: scn.Start.Cost,
			Pressure: scn.Start.Pressure, Market: scn.Start.Market,
		},
		Teams: old.Teams, PlayedTurn: old.PlayedTurn, deck: old.deck,
		News: old.News[:0], Deltas: old.Deltas[:0], History: old.History[:0], Decisions: old.Decisions[:0], texts: old.texts[:0],
		histTeams: old.histTeams, histPulse: old.histPulse, pool: old.pool[:0], conditional: old.conditional,
	}
	clear(s.PlayedTurn)
	clear(s.histTeams)
	clear(s.histPulse)
	for i := range s.Teams {
		t := &s.Teams[i]
		inForce := t.InForce[:0]
		*t = Team{InForce: inForce, Escalate: -1, Evidence: noEvidence, Pulse: scn.Start.Morale,
			Meters: Meters{scn.Start.Morale, scn.Start.Trust, scn.Start.Quota, scn.Start.Standing}}
	}
	s.begin()
}

// Managers is the number of manager seats.
func (s *State) Managers() int { return len(s.Teams) }

// Team returns a manager seat's team; seat must be 1..Managers.
func (s *State) Team(seat Seat) *Team { return &s.Teams[seat-1] }

func (s *State) float() float64 { return float64(s.rng.Uint64()>>11) / (1 << 53) }

func (s *State) shuffle() {
	for i := len(s.deck) - 1; i > 0; i-- {
		j := int(s.rng.Uint64() % uint64(i+1))
		s.deck[i], s.deck[j] = s.deck[j], s.deck[i]
	}
	s.deckPos = 0
}

func (s *State) startTurn() {
	s.Phase = PhaseNews
	s.Card, s.Target, s.Framing, s.Visit, s.ExecReady = -1, 0, "", 0, false
	s.News = s.News[:0]
	for i := range s.Teams {
		t := &s.Teams[i]
		t.Answered, t.Response, t.Action, t.Escalate, t.Verdict, t.Ready = false, ResponseNone, ActionNone, -1, VerdictPending, false
		if !t.Case.empty() { // clearing only a case there is: skips write barriers
			t.Case = Case{}
		}
		t.Grade, t.gradedNews = Grade{Cited: -1}, -1
	}
	if len(s.deck) > 0 {
		if s.deckPos == len(s.deck) {
			s.shuffle()
		}
		s.applyEvent(s.deck[s.deckPos])
		s.deckPos++
	}
	for i := range s.Teams {
		s.drawEvidence(&s.Teams[i])
	}
	s.Phase = PhaseMandate
}

var noEvidence = [EvidenceHand]int{-1, -1}

// drawEvidence deals a team this month's front-line evidence: distinct cards,
// drawn by the game's generator from those whose condition the team meets.
// The draw is a swap-remove on that pool (take pool[j], move the last card
// into its place), worked out without building the pool: it is the deck in
// order less the few conditional cards the team does not meet.
func (s *State) drawEvidence(t *Team) {
	t.Evidence = noEvidence
	s.pool = s.pool[:0] // the cards left out, in deck order
	for _, i := range s.conditional {
		if !s.Scn.Evidence[i].When.Holds(t.Meters) {
			s.pool = append(s.pool, i)
		}
	}
	n := len(s.Scn.Evidence) - len(s.pool)
	var moved [EvidenceHand]struct{ at, card int } // after draw k, pool[moved[k].at] = moved[k].card
	at := func(j, drawn int) int {
		for k := drawn - 1; k >= 0; k-- {
			if moved[k].at == j {
				return moved[k].card
			}
		}
		for _, x := range s.pool { // the j-th card not left out
			if x > j {
				break
			}
			j++
		}
		return j
	}
	for k := 0; k < EvidenceHand && n > 0; k++ {
		j := int(s.rng.Uint64() % uint64(n))
		t.Evidence[k] = at(j, k)
		if k+1 < EvidenceHand { // the last draw moves nothing that is read
			moved[k].card, moved[k].at = at(n-1, k), j
		}
		n--
	}
	s.pool = s.pool[:0]
}

// TeamHarm is how harmful a card really is for one team this month: its
// typical harm, moved by the month's news and by the evidence the team
// holds, within the card's band. Only the manager's evidence reveals it.
func (s *State) TeamHarm(seat Seat, card int) float64 {
	h := NewsHarm(s.Scn, card, s.News)
	for _, e := range s.Team(seat).Evidence {
		if e >= 0 {
			h += s.Scn.Evidence[e].Shift(card)
		}
	}
	return s.Scn.Mandates[card].clampHarm(h)
}

// NewsHarm is a card's typical harm moved by the given news, unclamped: what
// anyone at the table can know of it without front-line evidence.
func NewsHarm(scn *Scenario, card int, news []int) float64 {
	h := scn.Mandates[card].Harm
	for _, e := range news {
		h += shiftOf(scn.Events[e].Shifts, card)
	}
	return h
}

// clampHarm keeps a harm within the card's band (0..1 when none is set).
func (m *Mandate) clampHarm(h float64) float64 {
	lo, hi := m.Band[0], m.Band[1]
	if hi <= 0 {
		lo, hi = 0, 1
	}
	return min(max(h, lo), hi)
}

// EvidenceIndex finds an evidence card by ID, or -1.
func (scn *Scenario) EvidenceIndex(id string) int {
	for i := range scn.Evidence {
		if scn.Evidence[i].ID == id {
			return i
		}
	}
	return -1
}

func (s *State) applyEvent(e int) {
	ev := &s.Scn.Events[e]
	s.News = append(s.News, e)
	s.Company.Market = clamp(s.Company.Market+ev.Market, 20, 150)
	s.company(MeterPressure, ev.Pressure, CauseNews, e)
	if ev.Morale != 0 {
		for i := range s.Teams {
			s.morale(Seat(i+1), ev.Morale, CauseNews, e)
		}
	}
}

// Targeted reports whether this turn's mandate is addressed to seat.
func (s *State) Targeted(seat Seat) bool {
	return s.Card >= 0 && (s.Target == 0 || s.Target == seat)
}

// Hand lists the mandate cards the executive can still play.
func (s *State) Hand(dst []int) []int {
	dst = dst[:0]
	for i, p := range s.PlayedTurn {
		if p == 0 {
			dst = append(dst, i)
		}
	}
	return dst
}

// MandateIndex finds a card by ID.
func (s *State) MandateIndex(id string) int {
	for i := range s.Scn.Mandates {
		if s.Scn.Mandates[i].ID == id {
			return i
		}
	}
	return -1
}

// EventIndex finds a market event by ID.
func (s *State) EventIndex(id string) int {
	for i := range s.Scn.Events {
		if s.Scn.Events[i].ID == id {
			return i
		}
	}
	return -1
}

// Pending reports whether seat owes a command in the current phase: the
// room and the bot driver ask this, and defaults fill exactly these seats.
func (s *State) Pending(seat Seat) bool {
	switch s.Phase {
	case PhaseMandate:
		return seat == Executive
	case PhaseResponse:
		return seat >= 1 && int(seat) <= len(s.Teams) && !s.Team(seat).Answered
	case PhaseRuling:
		if seat != Executive {
			return false
		}
		for i := range s.Teams {
			if s.Teams[i].Response.Voiced() && s.Teams[i].Verdict == VerdictPending {
				return true
			}
		}
		return false
	case PhaseReveal:
		if seat == Executive {
			return !s.ExecReady
		}
		return seat >= 1 && int(seat) <= len(s.Teams) && !s.Team(seat).Ready
	}
	return false
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// Clone returns a deep copy that shares nothing mutable with s (the
// scenario is read-only and shared): for what-if checks and tests.
func (s *State) Clone() *State {
	c := *s
	c.Cfg.Managers = append([]SeatConfig(nil), s.Cfg.Managers...)
	c.Teams = append([]Team(nil), s.Teams...)
	n, turns := len(s.Teams), s.Scn.Turns
	forces := make([]Force, n*turns)
	for i := range c.Teams {
		f := forces[i*turns : i*turns : (i+1)*turns]
		c.Teams[i].InForce = append(f, s.Teams[i].InForce...)
	}
	c.PlayedTurn = append([]int(nil), s.PlayedTurn...)
	c.deck = append([]int(nil), s.deck...)
	c.News = append(make([]int, 0, cap(s.News)), s.News...)
	c.Deltas = append(make([]Delta, 0, cap(s.Deltas)), s.Deltas...)
	c.Decisions = append(make([]Decision, 0, cap(s.Decisions)), s.Decisions...)
	c.texts = append([]string(nil), s.texts...)
	c.histTeams = append([]Meters(nil), s.histTeams...)
	c.histPulse = append([]int(nil), s.histPulse...)
	c.pool = make([]int, 0, cap(s.pool))
	c.History = make([]Snapshot, len(s.History), cap(s.History))
	for k, h := range s.History {
		c.History[k] = h
		c.History[k].Teams = c.histTeams[k*n : (k+1)*n : (k+1)*n]
		c.History[k].Pulse = c.histPulse[k*n : (k+1)*n : (k+1)*n]
	}
	if s.Scores != nil {
		sc := *s.Scores
		sc.Managers = append([]int(nil), s.Scores.Managers...)
		c.Scores = &sc
	}
	return &c
}
