package model

import (
	"fmt"

	"pushback/server/protocol"
	"pushback/sim"
)

// HostForm is what the host settings screen collects before a workshop
// room is created (issue 10): the scenario (shipped, or the trainer's own
// file), the executive, the manager seats, the deadlines and the audience.
type HostForm struct {
	Open      bool   // the settings screen is up (from the title's "Host a workshop")
	Scenario  string // a listed scenario's ID; "" the server's default
	Executive string // "human", or a persona ID ("" the scenario's first)
	Managers  int    // manager seats, 1..MaxManagers
	Deadline  int    // index into Deadlines: 0 off
	Audience  bool   // joins past the seats watch as observers

	// Own is the trainer's uploaded file once it checked clean; UseOwn
	// makes it the chosen scenario (sent as create's source).
	Own    *OwnScenario
	UseOwn bool
	Path   string            // the desktop build's file path, as typed
	Check  *protocol.Checked // the last check's answer: problems with line and column
	// Balance is the preview's table; Previewing while it is being played.
	Balance    *protocol.Balance
	Previewing bool

	checking *OwnScenario // sent to check, adopted when it comes back clean
}

// OwnScenario is a trainer's scenario file: its bytes, its name, and what
// the server's check made of it.
type OwnScenario struct {
	Source []byte
	File   string
	Info   protocol.ScenarioChoice
}

// MaxManagers is the most manager seats a room may have.
const MaxManagers = 8

// DeadlineChoice is one way to time a workshop's phases.
type DeadlineChoice struct {
	Label string
	D     protocol.Deadlines
}

// Deadlines are the host screen's timing choices; the first is none.
var Deadlines = []DeadlineChoice{
	{"off", protocol.Deadlines{}},
	{"1 min a phase", protocol.Deadlines{Mandate: 60, Response: 60, Ruling: 60, Reveal: 60}},
	{"2 min a phase", protocol.Deadlines{Mandate: 120, Response: 120, Ruling: 120, Reveal: 120}},
	{"3 min a phase", protocol.Deadlines{Mandate: 180, Response: 180, Ruling: 180, Reveal: 180}},
	{"paced: 1 / 3 / 2 / 1 min", protocol.Deadlines{Mandate: 60, Response: 180, Ruling: 120, Reveal: 60}},
}

// OpenHost shows the host settings and asks the server for its scenarios.
type OpenHost struct{}

// CloseHost goes back from the host settings to the title.
type CloseHost struct{}

// CheckFile sends a trainer's scenario file to the server's check; Err is
// why the file could not be read (then nothing is sent).
type CheckFile struct {
	File   string
	Source []byte
	Err    error
}

// Preview asks for the balance table of the chosen settings.
type Preview struct{}

// Host creates a workshop room with the host settings; the creator becomes
// its facilitator.
type Host struct{}

// NewTable creates another table with the same settings under the same
// facilitator token (a new code); the console switches to it.
type NewTable struct{}

// Confirm holds a risky order (end the game, inject news) until the
// facilitator says yes to it.
type Confirm struct{ Order Order }

// Confirmed answers the pending confirmation: Yes sends the order.
type Confirmed struct{ Yes bool }

// KeptToken hides the facilitator token shown once after creating.
type KeptToken struct{}

func (OpenHost) intent()  {}
func (CloseHost) intent() {}
func (CheckFile) intent() {}
func (Preview) intent()   {}
func (Host) intent()      {}
func (NewTable) intent()  {}
func (Confirm) intent()   {}
func (Confirmed) intent() {}
func (KeptToken) intent() {}

// host carries out the hosting intents.
func (m *Model) host(in Intent) []protocol.ClientMsg {
	h := &m.Host
	switch in := in.(type) {
	case OpenHost:
		h.Open = true
		h.Managers = min(max(h.Managers, 1), MaxManagers)
		if h.Managers == 1 && len(m.Scenarios) == 0 {
			h.Managers = 3
		}
		return m.msg(protocol.ClientMsg{Kind: protocol.KindScenarios})
	case CloseHost:
		h.Open = false
	case CheckFile:
		if in.Err != nil {
			m.Notice = "Could not read that file: " + in.Err.Error()
			return nil
		}
		if len(in.Source) > protocol.MaxScenario {
			h.Check = &protocol.Checked{File: in.File, Problems: []protocol.Problem{{Message: fmt.Sprintf(
				"the file is %d KiB; a scenario may be at most %d KiB", (len(in.Source)+1023)/1024, protocol.MaxScenario>>10)}}}
			return nil
		}
		h.checking = &OwnScenario{Source: in.Source, File: in.File}
		h.Check = nil
		return m.msg(protocol.ClientMsg{Kind: protocol.KindCheck, Source: in.Source, File: in.File})
	case Preview:
		h.Previewing, h.Balance = true, nil
		return m.msg(protocol.ClientMsg{Kind: protocol.KindPreview, Create: m.hostCreate()})
	case Host:
		c := m.hostCreate()
		c.Facilitator = m.Saved.Facilitator
		m.Hosted, m.Busy, m.Notice = c, true, ""
		return m.msg(protocol.ClientMsg{Kind: protocol.KindCreate, Create: c})
	case NewTable:
		if m.Saved.Facilitator == "" {
			return nil
		}
		c := *m.sameTable()
		c.Facilitator = m.Saved.Facilitator
		// A connection stays in one room: the create goes on a new one.
		m.Enter = &protocol.ClientMsg{Kind: protocol.KindCreate, Create: &c}
		m.Busy, m.Notice, m.Redial = true, "", true
	case Confirm:
		if m.HasView && m.View.Phase == sim.PhaseOver {
			return nil // nothing left to end or inject
		}
		o := in.Order
		m.Confirm = &o
	case Confirmed:
		o := m.Confirm
		m.Confirm = nil
		if in.Yes && o != nil {
			return m.Do(*o)
		}
	case KeptToken:
		m.ShowToken = false
	}
	return nil
}

// hostCreate is the room the host settings describe.
func (m *Model) hostCreate() *protocol.CreateRoom {
	h := &m.Host
	c := &protocol.CreateRoom{Scenario: h.Scenario, Executive: h.Executive, Managers: h.Managers,
		Deadlines: Deadlines[min(max(h.Deadline, 0), len(Deadlines)-1)].D, Audience: h.Audience}
	if h.UseOwn && h.Own != nil {
		c.Scenario, c.Source, c.File = "", h.Own.Source, h.Own.File
	}
	return c
}

// sameTable is the room New table creates: the settings this console
// hosted with, or after a reload those the current room shows.
func (m *Model) sameTable() *protocol.CreateRoom {
	if m.Hosted != nil {
		return m.Hosted
	}
	c := &protocol.CreateRoom{Scenario: m.Info.ID, Executive: m.Info.Executive, Deadlines: m.Room.Deadlines, Audience: m.Room.Audience}
	if c.Executive == "" {
		c.Executive = "human"
	}
	for _, s := range m.Room.Seats {
		if s.Seat >= 1 {
			c.Managers++
		}
	}
	return c
}

// HostChoice is the scenario the host settings play: the trainer's own
// file when chosen, else the listed one picked (or the first listed).
func (m *Model) HostChoice() *protocol.ScenarioChoice {
	h := &m.Host
	if h.UseOwn && h.Own != nil {
		return &h.Own.Info
	}
	for i := range m.Scenarios {
		if m.Scenarios[i].ID == h.Scenario {
			return &m.Scenarios[i]
		}
	}
	if len(m.Scenarios) > 0 {
		return &m.Scenarios[0]
	}
	return nil
}

// checked takes the server's check of a trainer's file: a clean one
// becomes the chosen scenario.
func (m *Model) checked(c *protocol.Checked) {
	h := &m.Host
	h.Check = c
	if len(c.Problems) == 0 && c.Scenario != nil && h.checking != nil {
		own := *h.checking
		own.Info = *c.Scenario
		h.Own, h.UseOwn, h.Balance = &own, true, nil
		if h.Executive != "human" {
			h.Executive = ""
		}
	}
	h.checking = nil
}

// ReportURL is the address of this table's report in a format (html, csv,
// json) under the server's base address, with the facilitator token; with
// format "all", the combined report of every table of the facilitator.
func (m *Model) ReportURL(base, format string) string {
	if len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	if format == "all" {
		return base + "/reports?token=" + m.Saved.Facilitator
	}
	return base + "/rooms/" + m.Room.Code + "/report." + format + "?token=" + m.Saved.Facilitator
}

// TimedRoom reports whether the room has phase deadlines (so "+1 minute"
// means something).
func (m *Model) TimedRoom() bool { return m.Room.Deadlines != protocol.Deadlines{} }

// OrderWords is what a confirmation says of an order: the question, and
// for injected news the event's words.
func (m *Model) OrderWords(o Order) (question, detail string) {
	switch o.Kind {
	case protocol.KindEnd:
		return "End the game now?", "It is scored as it stands and every player sees the final scores. This cannot be undone."
	case protocol.KindInject:
		for _, e := range m.Info.Events {
			if e.ID == o.Event {
				return "Inject this market news now?", e.Title + ": " + e.Text
			}
		}
		return "Inject this market news now?", o.Event
	}
	return "Send " + o.Kind + "?", ""
}

// PersonWhere is where a person of the console's list sits, in words.
func PersonWhere(p protocol.Person) string {
	if p.Role == protocol.RoleManager || p.Role == protocol.RoleExecutive {
		return RoleName(p.Seat)
	}
	return p.Role
}
