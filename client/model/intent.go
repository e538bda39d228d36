package model

import (
	"strings"

	"pushback/server/protocol"
	"pushback/sim"
)

// Intent is something a player asked for by click, tap or key. Do turns it
// into the protocol messages to send; the UI knows nothing of the protocol.
type Intent interface{ intent() }

// Join asks for a seat in a room by its code.
type Join struct {
	Code, Name string
	Projector  bool // the room's big screen rather than a player
}

// Solo creates a room with one person and bots, and starts it.
type Solo struct {
	Scenario string
	Name     string
	Exec     bool // play the executive rather than a manager
}

// SendAnswer sends the manager's drafted answer (again, to change it).
type SendAnswer struct{}

// PlayMandate sends the executive's drafted mandate.
type PlayMandate struct{}

// Visit spends the executive's turn on a front-line visit to a team.
type Visit struct{ Target sim.Seat }

// Rule is the executive's verdict on one objection.
type Rule struct {
	Target  sim.Seat
	Verdict sim.Verdict
}

// Ready says the player has read the reveal.
type Ready struct{}

// Order is a facilitator's control: Kind is one of protocol's order kinds
// (start, pause, continue, extend, skip, inject, lock, bot, assign, end).
type Order struct {
	Kind    string
	Seconds int      // extend
	Event   string   // inject
	Seat    sim.Seat // bot
	On      bool     // lock, bot
	Conn    int      // assign: the person to move
	Code    string   // assign: to that other table of this facilitator
}

// ListTables asks for every table of this facilitator.
type ListTables struct{}

// OpenTable switches the facilitator's console to another of their tables.
type OpenTable struct{ Code string }

// OpenDebrief shows the debrief once the game is over; the facilitator's
// also asks the server for the report as it stands, mid-game too.
type OpenDebrief struct{}

// Leave forgets the room and the token, back to the title.
type Leave struct{}

// Dismiss hides the notice.
type Dismiss struct{}

// TakeBack resumes this device's seat after the server moved it to another
// connection (a second tab or device): only on the player's word, so that
// two tabs never take the seat from each other in turn.
type TakeBack struct{}

// CloseDebrief goes back from the debrief to the scores.
type CloseDebrief struct{}

func (Join) intent()         {}
func (Solo) intent()         {}
func (TakeBack) intent()     {}
func (SendAnswer) intent()   {}
func (PlayMandate) intent()  {}
func (Visit) intent()        {}
func (Rule) intent()         {}
func (Ready) intent()        {}
func (Order) intent()        {}
func (ListTables) intent()   {}
func (OpenTable) intent()    {}
func (OpenDebrief) intent()  {}
func (Leave) intent()        {}
func (Dismiss) intent()      {}
func (CloseDebrief) intent() {}

// NormalizeCode turns what a person typed into a room code: capitals, no
// spaces or dashes.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Do carries out an intent and returns the messages to send. An intent that
// cannot be sent yet (an empty name, a missing choice) sets Notice instead.
func (m *Model) Do(in Intent) []protocol.ClientMsg {
	switch in := in.(type) {
	case Join:
		code, name := NormalizeCode(in.Code), strings.TrimSpace(in.Name)
		if code == "" {
			m.Notice = "Type the room code shown on the projector."
			return nil
		}
		role := protocol.RolePlayer
		if in.Projector {
			role = protocol.RoleProjector
		} else if name == "" {
			m.Notice = "Type your name, so the others know who you are."
			return nil
		}
		m.Busy, m.Notice = true, ""
		return m.msg(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: clip(name, protocol.MaxName), Role: role})
	case OpenHost, CloseHost, CheckFile, Preview, Host, NewTable, Confirm, Confirmed, KeptToken:
		return m.host(in)
	case Solo:
		name := strings.TrimSpace(in.Name)
		if name == "" {
			name = "You"
		}
		role := protocol.RoleManager
		if in.Exec {
			role = protocol.RoleExecutive
		}
		m.Busy, m.Notice = true, ""
		return m.msg(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{
			Scenario: in.Scenario, Solo: role, Name: clip(name, protocol.MaxName)}})
	case SendAnswer:
		c, ok := m.answerCommand()
		if !ok {
			return nil
		}
		m.Answer.Sent, m.Answer.Dirty = true, false
		m.keepDraft()
		return m.command(c)
	case PlayMandate:
		if m.Orders.Card < 0 || m.CardID(m.Orders.Card) == "" {
			m.Notice = "Choose a mandate from your hand first."
			return nil
		}
		return m.command(sim.Command{Kind: sim.CmdMandate, Seat: sim.Executive, Card: m.CardID(m.Orders.Card),
			Target: m.Orders.Target, Framing: clip(m.Orders.Framing, sim.MaxText)})
	case EditTitle, EditOrders, EditDraft, EditTakeaway, EditHost:
		m.edit(in)
	case Cite:
		m.cite(in.ID)
	case Offer:
		m.offer(in.ID)
	case Visit:
		return m.command(sim.Command{Kind: sim.CmdVisit, Seat: sim.Executive, Target: in.Target})
	case Rule:
		return m.command(sim.Command{Kind: sim.CmdRule, Seat: sim.Executive, Target: in.Target, Verdict: in.Verdict})
	case Ready:
		return m.command(sim.Command{Kind: sim.CmdReady, Seat: m.Seat})
	case Order:
		msg := protocol.ClientMsg{Kind: in.Kind, Seconds: in.Seconds, Event: in.Event, On: in.On, Conn: in.Conn, Code: in.Code}
		if in.Kind == protocol.KindBot {
			s := in.Seat
			msg.Seat = &s
		}
		return m.msg(msg)
	case ListTables:
		if m.Saved.Facilitator == "" {
			return nil
		}
		return m.msg(protocol.ClientMsg{Kind: protocol.KindTables, Token: m.Saved.Facilitator})
	case OpenTable:
		if m.Saved.Facilitator == "" || in.Code == "" {
			return nil
		}
		// A connection stays in one room: a new one resumes the other table
		// with the facilitator token (Connected).
		m.Saved.Code, m.Redial, m.Busy = in.Code, true, true
	case OpenDebrief:
		m.Debrief = true
		if m.Seat == sim.Facilitator { // the live report, as it stands now
			return m.msg(protocol.ClientMsg{Kind: protocol.KindDebrief})
		}
	case StepDebrief:
		m.Step = clampStep(m.Step+in.By, m.Report)
	case ShowMonth:
		m.Step = clampStep(in.Month, m.Report)
	case CloseDebrief:
		m.Debrief = false
	case React, Commit:
		return m.takeaway(in)
	case Dismiss:
		m.Notice = ""
	case ShowBriefing:
		m.Help = true
	case CloseBriefing:
		m.Help = false
		m.Saved.Briefed = m.Room.Code
	case DismissNotice:
		m.Saved.Seen = max(m.Saved.Seen, in.At)
	case TakeBack:
		if !m.Replaced || m.Saved.Token == "" {
			return nil
		}
		m.Replaced, m.Busy = false, true
		return m.msg(protocol.ClientMsg{Kind: protocol.KindResume, Code: m.Saved.Code, Token: m.Saved.Token})
	case Leave:
		fresh := New(Saved{Code: m.Saved.Code, Briefed: m.Saved.Briefed})
		fresh.Conn, fresh.Now, fresh.Wall, fresh.Skew, fresh.start, fresh.nextID = m.Conn, m.Now, m.Wall, m.Skew, m.start, m.nextID
		fresh.Title.Name = m.Title.Name
		*m = *fresh
	}
	return nil
}

// answerCommand builds the respond command from the draft, or says in
// Notice what is missing.
func (m *Model) answerCommand() (sim.Command, bool) {
	a := &m.Answer
	c := sim.Command{Kind: sim.CmdRespond, Seat: m.Seat, Response: a.Response, Action: a.Action}
	if c.Response == sim.ResponseEscalate {
		c.Card = m.CardID(a.Escalate)
		if c.Card == "" {
			m.Notice = "Choose the mandate in force you object to."
			return c, false
		}
	} else if !m.Targeted() {
		c.Response = sim.ResponseNone
	} else if c.Response == sim.ResponseNone {
		m.Notice = "Choose how you answer the mandate."
		return c, false
	}
	if c.Response.Voiced() {
		c.Case = a.Case
		m.checkCase(&c.Case, m.CaseCard())
		c.Case.Text = clip(c.Case.Text, sim.MaxText)
	}
	return c, true
}

// EditAnswer changes the manager's draft and marks it as not yet sent.
func (m *Model) EditAnswer(f func(*Answer)) {
	f(&m.Answer)
	m.Answer.Dirty = true
	m.keepDraft()
}

func (m *Model) command(c sim.Command) []protocol.ClientMsg {
	m.Notice = ""
	return m.msg(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &c, Based: m.View.Version})
}

func (m *Model) msg(c protocol.ClientMsg) []protocol.ClientMsg {
	m.nextID++
	c.ID = m.nextID
	return []protocol.ClientMsg{c}
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
