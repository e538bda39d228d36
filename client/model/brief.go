package model

import (
	"fmt"
	"strings"
	"time"

	"pushback/server/protocol"
	"pushback/sim"
)

// The briefing introduces a room before month 1: who the executive is,
// what the meters mean, what each answer does, and the scenario's
// objectives, worded for the seat that reads it. It is part of the lobby
// (and of the projector's waiting screen) until the reader says "Got it",
// which is remembered per room with the seat's token, so a reload does not
// show it again; the help button brings it back at any time (ScreenBriefing).

// ShowBriefing opens the briefing again (the help button).
type ShowBriefing struct{}

// CloseBriefing is "Got it": the briefing is read, for this room.
type CloseBriefing struct{}

// DismissNotice hides the facilitator's notices up to At (unix ms).
type DismissNotice struct{ At int64 }

func (ShowBriefing) intent()  {}
func (CloseBriefing) intent() {}
func (DismissNotice) intent() {}

// Line is one term of the briefing and what it means.
type Line struct{ Term, Text string }

// Briefing is what the briefing screen shows, as plain data.
type Briefing struct {
	Title     string // the scenario's
	Summary   string
	Role      string // what this seat does, in one paragraph
	Executive string // who the executive is: a persona's name, or a person
	ExecAbout string // the persona's summary, or what a person in that seat does
	Meters    []Line // the four team meters, and for the executive or the room the company's three
	Answers   []Line // what each answer does (and the executive's three verdicts), one line each
	Actions   string // the team actions, in one line
	Case      string // what a business case is made of (managers and the room)
	Goals     []string
}

// Briefed reports whether this room's briefing has been read here.
func (m *Model) Briefed() bool { return m.Room.Code != "" && m.Saved.Briefed == m.Room.Code }

// The words are paraphrased from the model's document (sim/README.md):
// they say what the engine does, not what a player might hope it does.
var (
	teamMeters = []Line{
		{"Morale", "a team's motivation. Low morale slows sales a month later; below 35, people start to resign."},
		{"Trust", "a team's trust in its manager: credibility. It falls faster than it rises, and morale follows it."},
		{"Quota", "how much of its target a team sells, in %. It follows morale and trust, a month late."},
		{"Standing", "the executive's confidence in a manager: political capital. Objections spend it; results and the board's reviews set it."},
	}
	companyMeters = []Line{
		{"Revenue vs plan", "the managers' quotas on average, against the plan. A miss raises board pressure."},
		{"Cost vs budget", "falls as teams carry out the mandates that save money; 100 is the budget."},
		{"Board pressure", "the executive's own squeeze. It rises with missed revenue, and with every mandate withdrawn or watered down that no front-line evidence explains."},
	}
	managerAnswers = []Line{
		{sim.ResponseRelay.String(), "pass it on because management says so. When the mandate hurts your team, this costs the most trust."},
		{sim.ResponseExplain.String(), "pass it on and explain why: it costs less trust, and less again when the executive gave a reason."},
		{sim.ResponsePushBack.String(), "argue against it with a business case. It costs some standing (less with a strong case, more against a sound mandate); your team keeps most of its trust if it hears that you tried, even when you lose."},
		{sim.ResponseNegotiate.String(), "propose a compromise with a business case; a weak case, or a sound mandate, costs you half the standing a push back would."},
		{sim.ResponseShield.String(), "quietly keep it from your team. Morale is spared, but if it is found out the mandate lands after all and your standing drops hard."},
		{sim.ResponseEscalate.String(), "object later to a mandate already in force: it costs more standing and wins less the later it comes, and the harm done stays done."},
	}
	executiveAnswers = []Line{
		{"Visit", "before choosing, spend time with one team: you see its true morale and trust and its front-line evidence."},
		{"Mandate", "play one card from your hand, to every manager or to one, with a line of framing. A card shows what it saves, never what it costs the team."},
		{"Uphold, amend or withdraw", "your ruling on each objection. Backing down costs board pressure unless front-line evidence explains it."},
	}
	caseLine = "A business case cites your front-line evidence, names what the numbers show and what the mandate would cost, offers a costed alternative, and asks for something; the more of it that bears on the mandate, the more it persuades."
)

// Briefing is the briefing for this seat (a manager, the executive, or the
// projector and observers, who get every part).
func (m *Model) Briefing() Briefing {
	b := Briefing{Title: m.Info.Title, Summary: m.Info.Summary}
	b.Executive, b.ExecAbout = m.executiveWho()
	for _, o := range m.Info.Objectives {
		if t := strings.TrimSpace(o.Text); t != "" {
			b.Goals = append(b.Goals, t)
		}
	}
	months := "Each month brings market news, a mandate from the executive, the managers' answers, the executive's rulings, and a reveal of what it all did."
	if m.Info.Turns > 0 {
		months = strings.Replace(months, "Each month", "Each of the "+fmt.Sprint(m.Info.Turns)+" months", 1)
	}
	b.Case = caseLine
	b.Actions = "Every month each manager also picks one team action: " + joinActions() + ". A candid meeting is how your team hears that you objected."
	switch {
	case m.Seat == sim.Executive:
		b.Role = "You are the executive. " + months + " You see revenue, cost and board pressure, and each manager's quota and standing; morale and trust reach you only late, through a pulse survey and resignations, unless you visit."
		b.Meters = append(append([]Line{}, companyMeters...), teamMeters...)
		b.Answers = executiveAnswers
		b.Actions, b.Case = "", ""
	case m.Seat >= 1:
		b.Role = "You are a sales manager, between your team and the executive. " + months + " Your meters are yours alone; the others see your quota and, at the reveal, what you decided."
		b.Meters = teamMeters
		b.Answers = managerAnswers
	default:
		b.Role = "The managers answer the executive's mandates; the executive rules on their objections. " + months + " This screen shows the month, how many have answered, the news and the mandate, and at the reveal what each manager decided and why the meters moved."
		b.Meters = append(append([]Line{}, teamMeters...), companyMeters...)
		b.Answers = append(append([]Line{}, managerAnswers...), executiveAnswers...)
	}
	return b
}

// executiveWho names the executive: the persona that plays it, with its
// summary, or the person in the seat.
func (m *Model) executiveWho() (who, about string) {
	if m.Seat == sim.Executive {
		return "you", "You choose the mandates and rule on the managers' objections; the board judges your results."
	}
	if id := m.Info.Executive; id != "" {
		for _, p := range m.Info.Personas {
			if p.ID == id {
				return p.Title, p.Text + " A scripted executive: it plays by rules and rules on the quality of each case."
			}
		}
	}
	for _, s := range m.Room.Seats {
		if s.Seat == sim.Executive && s.Human {
			name := "A person at this table"
			if s.Name != "" {
				name = s.Name
			}
			return name, "A person at this table plays the executive: they choose the mandates and rule on your objections."
		}
	}
	return "A scripted executive", "It plays by rules and rules on the quality of each case."
}

func joinActions() string {
	var s []string
	for a := sim.ActionNone + 1; a < sim.NumActions; a++ {
		s = append(s, a.String())
	}
	return strings.Join(s, ", ")
}

// Banners are the facilitator's notices this seat has not dismissed,
// oldest first. A pause is not among them: while the room is paused every
// screen says so (PauseText), and the banner goes when the game continues.
// Nobody clicks on a projector, so its notices pass after NoticeShown.
// The facilitator gets none: the console shows what they did.
func (m *Model) Banners() []protocol.Notice {
	var out []protocol.Notice
	if m.Seat == sim.Facilitator {
		return nil
	}
	now := m.Wall.Add(m.Skew).UnixMilli()
	for _, n := range m.Room.Notices {
		if n.At <= m.Saved.Seen || n.Kind == protocol.NoticePaused || n.Kind == protocol.NoticeContinued ||
			m.Seat == sim.Public && now-n.At > NoticeShown.Milliseconds() {
			continue
		}
		out = append(out, n)
	}
	return out
}

// NoticeShown is how long the projector shows a notice.
const NoticeShown = 90 * time.Second

// PauseText is the paused state in words, or "" while the game runs.
func (m *Model) PauseText() string {
	if !m.Room.Paused || !m.Room.Started {
		return ""
	}
	return "Paused: the facilitator has stopped the game for a moment. The clock is stopped; answers wait until the game continues."
}

// NewsOf finds the market event an injected-news notice is about, by its
// title in the notice's words; -1 when none matches.
func (m *Model) NewsOf(n protocol.Notice) int {
	best := -1
	for i, e := range m.Info.Events {
		if e.Title != "" && strings.Contains(n.Text, e.Title) && (best < 0 || len(e.Title) > len(m.Info.Events[best].Title)) {
			best = i
		}
	}
	return best
}
