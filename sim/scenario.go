package sim

// Lever is a kind of argument a manager can bring in a business case. Mandate
// cards say how strong each lever is against them; personas say how much each
// one moves them. A fixed, small set keeps cases comparable and bots honest.
type Lever uint8

// The levers, in wire order. LeverNone means the part of the case is empty.
const (
	LeverNone      Lever = iota
	LeverPipeline        // pipeline and win-rate data
	LeverCustomers       // what key customers say and do
	LeverPeople          // attrition, hiring cost, team capacity
	LeverMargin          // margin, cost and cash effects
	NumLevers
)

var leverNames = [NumLevers]string{"none", "pipeline", "customers", "people", "margin"}

func (l Lever) String() string {
	if l < NumLevers {
		return leverNames[l]
	}
	return "lever?"
}

// ParseLever maps a scenario or wire name to a Lever.
func ParseLever(s string) (Lever, bool) {
	for i, n := range leverNames {
		if n == s {
			return Lever(i), true
		}
	}
	return LeverNone, false
}

// LeverNames lists the valid names, for error messages and manuals.
func LeverNames() []string { return leverNames[1:] }

// Scenario is everything a trainer writes: the deck, the cards, the people and
// the coefficients. sim never reads files; package scenarios builds this.
type Scenario struct {
	ID         string
	Title      string
	Summary    string
	Objectives []Objective
	Turns      int
	Start      Start
	Events     []Event
	Mandates   []Mandate
	Personas   []Persona
	Styles     []Style
	Coeff      Coefficients
	Debrief    []Prompt
	// Evidence is the deck of front-line signals managers draw from each
	// month; empty in files written before evidence existed (see Legacy).
	Evidence []Evidence
}

// Legacy reports whether the scenario has no evidence deck: cases are then
// judged on their levers alone, as before evidence existed, so that a
// trainer's older file still plays and teaches.
func (scn *Scenario) Legacy() bool { return len(scn.Evidence) == 0 }

// EvidenceHand is how many evidence cards each manager holds a month: enough
// to tell one team's situation from another's, few enough to read in a minute.
const EvidenceHand = 2

// Shift moves one mandate's harm for the team it applies to: positive makes
// the card worse for that team, negative makes it sounder.
type Shift struct {
	Card int     // mandate index
	By   float64 // −1..1, added to the card's harm
}

// Condition limits when an evidence card can be drawn for a team; zero
// fields do not limit. It lets a team's state shape what its front line
// reports (low morale makes "two sellers are interviewing" likelier).
type Condition struct {
	MoraleBelow, TrustBelow, QuotaBelow, QuotaAtLeast int
}

// Holds reports whether a team's meters meet the condition.
func (c *Condition) Holds(m Meters) bool {
	return (c.MoraleBelow == 0 || m.Morale < c.MoraleBelow) &&
		(c.TrustBelow == 0 || m.Trust < c.TrustBelow) &&
		(c.QuotaBelow == 0 || m.Quota < c.QuotaBelow) &&
		(c.QuotaAtLeast == 0 || m.Quota >= c.QuotaAtLeast)
}

// Evidence is a front-line signal a manager holds privately for a month —
// what the executive cannot see from the dashboard. It changes how harmful
// some mandates really are for that team, and citing it is what makes a
// business case strong.
type Evidence struct {
	ID     string
	Title  string // the signal in one line, e.g. "3 of your top 10 accounts renew this month"
	Text   string // what it means, in a sentence or two
	Lever  Lever  // the kind of argument it supports
	Shifts []Shift
	When   Condition
}

// Shift returns how far the evidence moves a card's harm (0 if it does not
// bear on it).
func (e *Evidence) Shift(card int) float64 { return shiftOf(e.Shifts, card) }

func shiftOf(shifts []Shift, card int) float64 {
	for _, x := range shifts {
		if x.Card == card {
			return x.By
		}
	}
	return 0
}

// Objective is one learning objective; debrief prompts point at it by ID.
type Objective struct {
	ID   string
	Text string
}

// Prompt is a debrief question in what happened / so what / now what shape.
// The texts may contain {placeholders} that the debrief fills from the game.
type Prompt struct {
	Objective    string
	WhatHappened string
	SoWhat       string
	NowWhat      string
}

// Start holds the opening meters: every team starts alike so that differences
// at the end come from decisions, not from the deal.
type Start struct {
	Morale, Trust, Quota, Standing int
	Revenue, Cost, Pressure        int
	Market                         int // demand index, 100 = normal
}

// Event is a market news card.
type Event struct {
	ID       string
	Title    string
	Text     string
	Market   int // change to the demand index
	Pressure int // change to board pressure
	Morale   int // change to every team's morale
	// Shifts move mandates' harm for every team during the month of the news.
	Shifts []Shift
}

// Effects are what a mandate does when it lands in full; an amended ruling
// scales them by the card's Amend factor and a withdrawal by zero.
type Effects struct {
	Morale   int     // once, on each targeted team
	Quota    int     // once, on each targeted team's attainment
	Cost     int     // once, on the company cost index (scaled by compliance)
	Pressure int     // once, on board pressure
	Drag     int     // every later turn while in force, on morale
	Output   float64 // productivity change while in force
	Stretch  bool    // a hard goal: Output helps only while commitment holds
}

// Mandate is a card in the executive's hand.
type Mandate struct {
	ID    string
	Title string
	Text  string
	// Harm is the card's typical harm, 0 sound … 1 plainly harmful. For a
	// given team it is moved by the month's news and the team's evidence,
	// and kept within Band.
	Harm      float64
	Band      [2]float64 // lowest and highest harm the card can have for a team
	Effects   Effects
	Arguments [NumLevers]float64 // strength of each lever against it, 0..1
	Amend     float64            // share of effects left after an amendment
	// Alternatives are the costed options a case may offer instead; an
	// amendment to one keeps its share of the card (and of its saving).
	Alternatives []Alternative
	// Framing is the line a scripted executive plays the card with.
	Framing string
}

// Alternative is a costed option a manager can put forward instead of a card.
type Alternative struct {
	ID    string
	Title string
	Keep  float64 // share of the card's effects and saving it keeps, 0..1
}

// Saving is what the card shows the executive: the cost points it saves when
// every team carries it out (its human cost is not on the card).
func (m *Mandate) Saving() int { return max(0, -m.Effects.Cost) }

// Alternative finds one of the card's alternatives by ID, or returns nil.
func (m *Mandate) Alternative(id string) *Alternative {
	if i := m.alternative(id); i >= 0 {
		return &m.Alternatives[i]
	}
	return nil
}

// alternative is the index of one of the card's alternatives, or -1.
func (m *Mandate) alternative(id string) int {
	for i := range m.Alternatives {
		if m.Alternatives[i].ID == id {
			return i
		}
	}
	return -1
}

// Sound reports whether the card, at its typical harm, is sound: pushing
// back on it is crying wolf. For one team, compare TeamHarm instead.
func (m *Mandate) Sound(c *Coefficients) bool { return m.Harm < c.SoundBelow }

// Target says whom a persona aims a mandate at.
type Target uint8

// Persona targets.
const (
	TargetAll Target = iota
	TargetLowestQuota
	TargetLowestStanding
)

// Rule is one line of a persona's playbook: when the condition holds, play
// the first card of Mandates not yet played (else the first one).
type Rule struct {
	PressureAtLeast int // 0: any
	PressureBelow   int // 0: any
	RevenueBelow    int // 0: any
	FromTurn        int // 0: any (turns count from 1)
	Mandates        []int
	Target          Target
}

// Persona is a scripted executive, written as rules in scenario data.
type Persona struct {
	ID       string
	Name     string
	Summary  string
	Rules    []Rule
	Values   [NumLevers]float64 // how much each lever persuades, 0..1
	Openness float64            // 0..1 receptiveness to pushback
	KneeJerk float64            // 0..1 how much pressure erodes openness
	// VisitEvery makes the persona consult the front line every n turns (0
	// never) before choosing a card: it visits the manager it trusts most
	// (highest standing) and passes over a card that team's evidence shows
	// would hurt.
	VisitEvery int
}

// Style is a bot manager's way of playing, as data.
type Style struct {
	ID      string
	Name    string
	Summary string
	// Harm thresholds (perceived harm at or above which the bot acts); above 1 means never.
	PushAbove      float64
	NegotiateAbove float64
	ShieldAbove    float64
	Explain        bool       // relay with context rather than as-is
	Tell           bool       // hold a candid team meeting after voicing an objection
	Skill          float64    // 0..1: how well it builds cases and reads harm
	Action         TeamAction // team action otherwise
	EscalateAfter  int        // relay now, escalate this many turns later (0 never)
	// NeedEvidence pushes back only with evidence in hand that bears on the
	// card, and negotiates instead when it has none: judgement, not reflex.
	NeedEvidence bool
}

// Coefficients are the model's tunable numbers; scenarios may override each
// within the bounds documented in sim/README.md (Bounds).
type Coefficients struct {
	SoundBelow      float64 // harm under which a mandate counts as sound
	RelayLoss       float64 // trust lost per unit of landed harm when relayed as-is
	ExplainShare    float64 // share of RelayLoss kept when relayed with context
	VoiceShare      float64 // share kept after a pushback the team heard about
	SilentShare     float64 // share kept after a pushback the team did not hear about
	VoiceCredit     float64 // trust gained per unit of harm for a voiced objection
	WolfCredit      float64 // the same for an objection to a sound mandate
	TrustGainRate   float64 // gains are scaled by this (losses are not)
	PushCost        float64 // standing lost per pushback, at best
	WeakCaseCost    float64 // extra standing lost for a worthless case
	WolfCost        float64 // extra standing lost for objecting to a sound mandate
	ShieldRisk      float64 // base chance a shield is discovered
	VisitRisk       float64 // added chance when the manager's team was visited
	ShieldCost      float64 // standing lost when a shield is discovered
	LateFactor      float64 // per turn of age, the weight of an escalation
	QuotaStanding   float64 // standing change per turn per point of quota over 70
	MissPressure    float64 // pressure per point of revenue under 90
	CommitFloor     float64 // commitment under which hard goals backfire
	MoraleFromTrust float64 // per turn, morale moves this share toward trust
	LateCost        float64 // extra standing lost per turn of a mandate's age when escalated
	Repair          float64 // per turn, trust regains this share of its shortfall from the start
	DragTurns       float64 // turns a mandate in force drags on morale before the team adapts
	ReviewWeight    float64 // how far a board review pulls standing toward results
	FramingShare    float64 // share of an explained relay's trust loss kept when the executive framed the card
	JointBonus      float64 // persuasion added per other manager objecting to the same card
	BackDown        float64 // board pressure per mandate withdrawn on an objection (half for an amendment)
}

// DefaultCoefficients are the model's numbers as documented in sim/README.md.
func DefaultCoefficients() Coefficients {
	return Coefficients{
		SoundBelow:      0.35,
		RelayLoss:       10,
		ExplainShare:    0.5,
		VoiceShare:      0.25,
		SilentShare:     0.7,
		VoiceCredit:     12,
		WolfCredit:      1,
		TrustGainRate:   0.5,
		PushCost:        2,
		WeakCaseCost:    8,
		WolfCost:        6,
		ShieldRisk:      0.35,
		VisitRisk:       0.5,
		ShieldCost:      20,
		LateFactor:      0.8,
		QuotaStanding:   0.15,
		MissPressure:    0.25,
		CommitFloor:     55,
		MoraleFromTrust: 0.1,
		LateCost:        0.5,
		Repair:          0.15,
		DragTurns:       3,
		ReviewWeight:    0.6,
		FramingShare:    0.7,
		JointBonus:      0.05,
		BackDown:        3,
	}
}

// Bound is the range a scenario may set a coefficient to.
type Bound struct {
	Name     string
	Min, Max float64
	Field    func(*Coefficients) *float64
}

// Bounds lists every float coefficient with its documented range, so that
// the scenario validator and the manual use one source.
func Bounds() []Bound {
	return []Bound{
		{"sound_below", 0, 1, func(c *Coefficients) *float64 { return &c.SoundBelow }},
		{"relay_loss", 0, 40, func(c *Coefficients) *float64 { return &c.RelayLoss }},
		{"explain_share", 0, 1, func(c *Coefficients) *float64 { return &c.ExplainShare }},
		{"voice_share", 0, 1, func(c *Coefficients) *float64 { return &c.VoiceShare }},
		{"silent_share", 0, 1, func(c *Coefficients) *float64 { return &c.SilentShare }},
		{"voice_credit", 0, 20, func(c *Coefficients) *float64 { return &c.VoiceCredit }},
		{"wolf_credit", 0, 20, func(c *Coefficients) *float64 { return &c.WolfCredit }},
		{"trust_gain_rate", 0.1, 1, func(c *Coefficients) *float64 { return &c.TrustGainRate }},
		{"push_cost", 0, 20, func(c *Coefficients) *float64 { return &c.PushCost }},
		{"weak_case_cost", 0, 30, func(c *Coefficients) *float64 { return &c.WeakCaseCost }},
		{"wolf_cost", 0, 30, func(c *Coefficients) *float64 { return &c.WolfCost }},
		{"shield_risk", 0, 1, func(c *Coefficients) *float64 { return &c.ShieldRisk }},
		{"visit_risk", 0, 1, func(c *Coefficients) *float64 { return &c.VisitRisk }},
		{"shield_cost", 0, 50, func(c *Coefficients) *float64 { return &c.ShieldCost }},
		{"late_factor", 0, 1, func(c *Coefficients) *float64 { return &c.LateFactor }},
		{"quota_standing", 0, 1, func(c *Coefficients) *float64 { return &c.QuotaStanding }},
		{"miss_pressure", 0, 2, func(c *Coefficients) *float64 { return &c.MissPressure }},
		{"commit_floor", 0, 100, func(c *Coefficients) *float64 { return &c.CommitFloor }},
		{"morale_from_trust", 0, 0.5, func(c *Coefficients) *float64 { return &c.MoraleFromTrust }},
		{"late_cost", 0, 20, func(c *Coefficients) *float64 { return &c.LateCost }},
		{"repair", 0, 0.5, func(c *Coefficients) *float64 { return &c.Repair }},
		{"drag_turns", 0, 20, func(c *Coefficients) *float64 { return &c.DragTurns }},
		{"review_weight", 0, 1, func(c *Coefficients) *float64 { return &c.ReviewWeight }},
		{"framing_share", 0, 1, func(c *Coefficients) *float64 { return &c.FramingShare }},
		{"joint_bonus", 0, 0.2, func(c *Coefficients) *float64 { return &c.JointBonus }},
		{"back_down", 0, 10, func(c *Coefficients) *float64 { return &c.BackDown }},
	}
}
