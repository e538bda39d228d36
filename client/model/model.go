// Package model is what the client's screens show, as plain data: the room,
// the seat's view of the game, the meters as they animate, the answers being
// drafted, and the intents a player's clicks turn into. It imports no
// graphics, so it runs and tests headless; client/scene lays it out and
// draws it.
package model

import (
	"fmt"
	"time"

	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/sim"
)

// Screen is which of the client's screens is up. It follows from the model
// (joined? which seat? which phase?) rather than being set by buttons, so a
// reconnect or a late message always lands on the right screen.
type Screen uint8

// The screens. ScreenDebrief is the table's story on screen: for players
// once the game is over, for the facilitator on request (live mid-game),
// and on the projector by itself when the game ends.
const (
	ScreenTitle Screen = iota
	ScreenLobby
	ScreenManager
	ScreenExecutive
	ScreenReveal
	ScreenEnd
	ScreenFacilitator
	ScreenProjector
	ScreenDebrief
	ScreenBriefing // the briefing again, from the help button (brief.go)
	ScreenHost     // the host settings, before a workshop room exists
	NumScreens
)

var screenNames = [NumScreens]string{"title", "lobby", "manager", "executive", "reveal", "end", "facilitator", "projector", "debrief", "briefing", "host"}

func (s Screen) String() string {
	if s < NumScreens {
		return screenNames[s]
	}
	return "screen?"
}

// ConnState is the link to the server as the player should see it.
type ConnState uint8

// The link states.
const (
	ConnOffline    ConnState = iota // not connected yet
	ConnConnecting                  // first dial under way
	ConnOnline
	ConnLost // dropped; retrying with backoff
)

var connNames = [...]string{"offline", "connecting", "online", "connection lost"}

func (c ConnState) String() string {
	if int(c) < len(connNames) {
		return connNames[c]
	}
	return "conn?"
}

// Answer is a manager's answer being drafted; it becomes a respond command.
type Answer struct {
	Turn     int
	Response sim.ResponseKind
	Case     sim.Case
	Action   sim.TeamAction
	Escalate int  // in-force card to escalate, -1 none
	Sent     bool // sent at least once this turn
	Dirty    bool // changed since it was last sent
}

// Orders is the executive's mandate being drafted.
type Orders struct {
	Turn    int
	Card    int // index into the scenario's mandates, -1 none chosen
	Target  sim.Seat
	Framing string
}

// TitleForm is what the title screen collects.
type TitleForm struct {
	Code      string
	Name      string
	Projector bool // join as the projector rather than as a player
	SoloExec  bool // play solo as the executive rather than as a manager
}

// Saved is what survives a restart of the client: enough to come back to
// the same seat. The desktop keeps it in a file, the browser in localStorage.
type Saved struct {
	Code        string `json:"code"`
	Token       string `json:"token,omitempty"`       // seat token
	Facilitator string `json:"facilitator,omitempty"` // facilitator token
	Draft       string `json:"draft,omitempty"`       // the unsent answer (see draft.go)
	// Projector: this device is Code's projector (which has no token), so a
	// reload joins it as the projector again.
	Projector bool   `json:"projector,omitempty"`
	Briefed   string `json:"briefed,omitempty"` // the room whose briefing was read here
	Seen      int64  `json:"seen,omitempty"`    // the facilitator's notices up to this time (unix ms) are dismissed
}

// MeterKey names one meter of one seat; company meters use sim.Executive.
type MeterKey struct {
	Seat  sim.Seat
	Meter sim.Meter
}

// Model is the whole client-side state. Only its methods change it; the UI
// reads its fields and turns clicks into intents for Do.
type Model struct {
	Conn    ConnState
	Attempt int           // reconnect attempts since the link dropped
	RetryIn time.Duration // until the next attempt, for the banner
	Notice  string        // the last error from the server, in words
	// Replaced: the server gave this device's seat to another connection
	// (a second tab or device); no automatic resume until TakeBack.
	Replaced bool
	Busy     bool // a join or create is on its way

	Joined  bool
	Seat    sim.Seat
	Role    string
	Saved   Saved
	Info    protocol.ScenarioInfo
	Room    protocol.Room
	View    sim.View
	Texts   []string // Texts[i] explains View.Deltas[i]
	HasView bool
	Tables  []protocol.Table // the facilitator's tables
	Debrief bool             // the player asked for the debrief
	Help    bool             // the briefing is open again (the help button)
	Report  *report.Report   // the table's debrief, when the server sent one
	Step    int              // the debrief's cursor: the story is shown up to this month
	Take    Takeaway         // the end-of-game answers being written (debrief.go)

	Title  TitleForm
	Host   HostForm             // the host settings (host.go)
	Hosted *protocol.CreateRoom // the settings this console last hosted with, for New table
	// Scenarios are the server's offer for the host settings.
	Scenarios []protocol.ScenarioChoice
	Confirm   *Order // a risky order waiting for the facilitator's yes
	ShowToken bool   // the facilitator token is shown once, after creating
	// Redial asks for a new connection (the server keeps one in one room):
	// to open another table, or to create one (Enter, sent when it is up).
	Redial bool
	Enter  *protocol.ClientMsg
	Answer Answer
	Orders Orders

	// Now is the model's clock (time since it started), Wall the local wall
	// clock and Skew the server's clock minus ours, for deadlines.
	Now  time.Duration
	Wall time.Time
	Skew time.Duration

	anims  map[MeterKey]*Anim
	start  time.Time
	nextID uint32
}

// New returns a model at the title screen, with what a previous run saved.
func New(saved Saved) *Model {
	return &Model{Saved: saved, anims: map[MeterKey]*Anim{}, Answer: Answer{Escalate: -1}, Orders: Orders{Card: -1},
		Title: TitleForm{Code: saved.Code}}
}

// Tick advances the model's clocks to wall; animations and countdowns read them.
func (m *Model) Tick(wall time.Time) {
	if m.start.IsZero() {
		m.start = wall
	}
	m.Wall = wall
	m.Now = wall.Sub(m.start)
}

// Screen is the screen the model calls for.
func (m *Model) Screen() Screen {
	switch {
	case !m.Joined && m.Host.Open:
		return ScreenHost
	case !m.Joined:
		return ScreenTitle
	case m.Help:
		return ScreenBriefing
	case (m.Seat == sim.Facilitator || m.Seat == sim.Public) && m.Debrief && m.Report != nil:
		return ScreenDebrief
	case m.Seat == sim.Facilitator:
		return ScreenFacilitator
	case m.Seat == sim.Public:
		return ScreenProjector
	case !m.HasView || !m.Room.Started:
		return ScreenLobby
	case m.View.Phase == sim.PhaseOver && m.Debrief:
		return ScreenDebrief
	case m.View.Phase == sim.PhaseOver:
		return ScreenEnd
	case m.View.Phase == sim.PhaseReveal:
		return ScreenReveal
	case m.Seat == sim.Executive:
		return ScreenExecutive
	}
	return ScreenManager
}

// Remaining is the time left before the phase's deadline, and false when the
// phase has none. It is measured on the server's clock.
func (m *Model) Remaining() (time.Duration, bool) {
	if m.Room.Deadline == 0 || m.Room.Paused || m.View.Phase == sim.PhaseOver {
		return 0, false
	}
	server := m.Wall.Add(m.Skew)
	left := time.UnixMilli(m.Room.Deadline).Sub(server)
	if left < 0 {
		left = 0
	}
	return left, true
}

// Animating reports whether any meter is still moving.
func (m *Model) Animating() bool {
	for _, a := range m.anims {
		if !a.Done(m.Now) {
			return true
		}
	}
	return false
}

// Targeted reports whether this turn's mandate is addressed to our seat.
func (m *Model) Targeted() bool {
	v := &m.View
	return v.Card >= 0 && (v.Target == 0 || v.Target == m.Seat)
}

// setView takes a new view of the game: meters start gliding to their new
// values and drafts from a past turn are cleared.
func (m *Model) setView(v sim.View, texts []string) {
	if m.HasView && v.Turn == m.View.Turn && v.Version < m.View.Version {
		return // a late view: never step back
	}
	m.View, m.HasView = v, true
	m.Texts = texts
	if v.Phase == sim.PhaseOver {
		m.Confirm = nil // the game ended meanwhile: nothing left to end or inject
	}
	if m.Answer.Turn != v.Turn {
		m.Answer = Answer{Turn: v.Turn, Escalate: -1}
		m.Orders = Orders{Turn: v.Turn, Card: -1}
	}
	if me := m.Me(); me != nil && v.Phase == sim.PhaseResponse {
		switch {
		case me.Answered && !m.Answer.Sent && !m.Answer.Dirty:
			// A resumed seat: show what was sent.
			m.Answer.Response, m.Answer.Case, m.Answer.Action, m.Answer.Escalate = me.Response, me.Case, me.Action, me.Escalate
			m.Answer.Sent = true
		case m.Answer.Response == sim.ResponseNone && m.Targeted():
			m.Answer.Response = sim.ResponseExplain
		}
	}
	if m.Seat >= 1 {
		m.restoreDraft()
	}
	for i := range v.Managers {
		mv := &v.Managers[i]
		for k := sim.MeterMorale; k <= sim.MeterStanding; k++ {
			m.target(MeterKey{mv.Seat, k}, mv.Meters.Get(k))
		}
	}
	m.target(MeterKey{sim.Executive, sim.MeterRevenue}, v.Company.Revenue)
	m.target(MeterKey{sim.Executive, sim.MeterCost}, v.Company.Cost)
	m.target(MeterKey{sim.Executive, sim.MeterPressure}, v.Company.Pressure)
}

func (m *Model) target(k MeterKey, v int) {
	if v == sim.Hidden {
		delete(m.anims, k)
		return
	}
	a := m.anims[k]
	if a == nil {
		a = &Anim{}
		m.anims[k] = a
	}
	a.Target(float64(v), m.Now)
}

// Gauge is one meter ready to draw.
type Gauge struct {
	Seat    sim.Seat // whose meter: sim.Executive for the company's
	Meter   sim.Meter
	Label   string
	Value   float64 // the animated value to draw now
	Target  int     // where it is going
	Hidden  bool    // this seat may not see it
	Max     int     // full scale: 100, or 200 for revenue and cost
	Unit    string  // "%" for quota, revenue and cost
	Trend   int     // change this turn (sum of visible deltas), or over the last turn
	History []int   // one per finished turn, for the sparkline; hidden entries dropped
	Mark    string  // what the line at 100 stands for on a scale past 100 ("plan" when empty)
}

// Gauge returns a meter of a seat (any seat for the company meters) as it
// should be drawn now.
func (m *Model) Gauge(seat sim.Seat, k sim.Meter) Gauge {
	g := Gauge{Meter: k, Label: k.String(), Max: 100, Target: sim.Hidden}
	if k == sim.MeterQuota || k == sim.MeterRevenue || k == sim.MeterCost {
		g.Unit = "%"
	}
	if k >= sim.MeterRevenue {
		seat = sim.Executive
		switch k {
		case sim.MeterRevenue:
			g.Target, g.Max, g.Label = m.View.Company.Revenue, 200, "Revenue vs plan"
		case sim.MeterCost:
			g.Target, g.Max, g.Label = m.View.Company.Cost, 200, "Cost vs budget"
		default:
			g.Target = m.View.Company.Pressure
		}
	} else if mv := m.manager(seat); mv != nil {
		g.Target = mv.Meters.Get(k)
		for _, h := range mv.History {
			if v := h.Get(k); v != sim.Hidden {
				g.History = append(g.History, v)
			}
		}
	}
	g.Seat = seat
	if g.Target == sim.Hidden || !m.HasView {
		g.Hidden = true
		return g
	}
	g.Value = float64(g.Target)
	if a := m.anims[MeterKey{seat, k}]; a != nil {
		g.Value = a.Value(m.Now)
	}
	counted := false
	for _, d := range m.View.Deltas {
		if d.Seat == seat && d.Meter == k {
			g.Trend += int(d.Amount)
			counted = true
		}
	}
	if !counted && len(g.History) >= 2 {
		g.Trend = g.History[len(g.History)-1] - g.History[len(g.History)-2]
	}
	return g
}

func (m *Model) manager(seat sim.Seat) *sim.ManagerView {
	for i := range m.View.Managers {
		if m.View.Managers[i].Seat == seat {
			return &m.View.Managers[i]
		}
	}
	return nil
}

// Manager is one manager's view as our seat sees it, or nil.
func (m *Model) Manager(seat sim.Seat) *sim.ManagerView { return m.manager(seat) }

// Me is our own manager seat's view, or nil for other seats.
func (m *Model) Me() *sim.ManagerView {
	if m.Seat < 1 {
		return nil
	}
	return m.manager(m.Seat)
}

// Cause is one meter change, in words, for the reveal.
type Cause struct {
	Seat   sim.Seat
	Meter  sim.Meter
	Amount int
	Text   string
}

// Causes lists this turn's visible changes for seat (sim.Executive for the
// company), oldest first, each with its reason in words.
func (m *Model) Causes(seat sim.Seat) []Cause {
	var out []Cause
	for i, d := range m.View.Deltas {
		if d.Seat != seat || (d.Amount == 0 && d.Cause != sim.CauseShielded) {
			continue
		}
		text := ""
		if i < len(m.Texts) {
			text = m.Texts[i]
		}
		if text == "" {
			text = fmt.Sprintf("%s %s", d.Meter, Signed(int(d.Amount)))
		}
		out = append(out, Cause{Seat: d.Seat, Meter: d.Meter, Amount: int(d.Amount), Text: text})
	}
	return out
}

// Signed writes a change with its sign, a true minus for losses, so that
// the direction reads without colour.
func Signed(n int) string { return sim.Signed(n) }

// SeatName is how a seat is called on screen.
func (m *Model) SeatName(s sim.Seat) string {
	for _, si := range m.Room.Seats {
		if si.Seat == s && si.Name != "" {
			return si.Name
		}
	}
	if mv := m.manager(s); mv != nil && mv.Name != "" {
		return mv.Name
	}
	return RoleName(s)
}

// RoleName names a seat's role.
func RoleName(s sim.Seat) string {
	switch {
	case s == sim.Executive:
		return "Executive"
	case s == sim.Facilitator:
		return "Facilitator"
	case s == sim.Public:
		return "Projector"
	case s >= 1:
		return fmt.Sprintf("Manager %d", s)
	}
	return "Seat?"
}

// Card is a mandate card's words, with a placeholder when the scenario is
// unknown so that nothing on screen is ever blank.
func (m *Model) Card(i int) (title, text string) {
	if i >= 0 && i < len(m.Info.Mandates) {
		return m.Info.Mandates[i].Title, m.Info.Mandates[i].Text
	}
	return fmt.Sprintf("Mandate #%d", i+1), ""
}

// Levers are the scenario's names of the business levers a case argues
// from, sim.Lever 1 first (the scenario info's Levers, whose 0 is "none"),
// with placeholders while the scenario is unknown.
func (m *Model) Levers() []string {
	names := make([]string, sim.NumLevers-1)
	for i := range names {
		names[i] = m.LeverName(sim.Lever(i + 1))
	}
	return names
}

// LeverName is one lever's name in the scenario's words.
func (m *Model) LeverName(l sim.Lever) string {
	if int(l) < len(m.Info.Levers) {
		return m.Info.Levers[l]
	}
	return fmt.Sprintf("lever %d", l)
}

// CardID is a mandate card's ID, which commands carry.
func (m *Model) CardID(i int) string {
	if i >= 0 && i < len(m.Info.Mandates) {
		return m.Info.Mandates[i].ID
	}
	return ""
}

// Event is a market event's words.
func (m *Model) Event(i int) (title, text string) {
	if i >= 0 && i < len(m.Info.Events) {
		return m.Info.Events[i].Title, m.Info.Events[i].Text
	}
	return fmt.Sprintf("Market news #%d", i+1), ""
}
