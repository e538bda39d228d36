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
	ID        string
	Title     string
	Text      string
	Harm      float64 // 0 sound … 1 plainly harmful
	Effects   Effects
	Arguments [NumLevers]float64 // strength of each lever against it, 0..1
	Amend     float64            // share of effects left after an amendment
}

// Sound reports whether pushing back against the card is crying wolf.
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
	// VisitEvery makes the persona visit the front line every n turns (0 never);
	// it visits the manager whose pulse is lowest.
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
		ShieldRisk:      0.25,
		VisitRisk:       0.5,
		ShieldCost:      20,
		LateFactor:      0.5,
		QuotaStanding:   0.15,
		MissPressure:    0.25,
		CommitFloor:     55,
		MoraleFromTrust: 0.1,
		LateCost:        3,
		Repair:          0.15,
		DragTurns:       3,
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
	}
}
