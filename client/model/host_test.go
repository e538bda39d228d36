package model

import (
	"reflect"
	"strings"
	"testing"

	"pushback/server/protocol"
	"pushback/sim"
)

// TestHostSettings walks the host screen's model: open (asks for the
// scenarios), upload a broken file (its problems kept with line and
// column, nothing adopted), a clean one (it becomes the chosen scenario and
// create sends its source), preview, create, and the token shown once.
func TestHostSettings(t *testing.T) {
	m := New(Saved{})
	out := m.Do(OpenHost{})
	if m.Screen() != ScreenHost || len(out) != 1 || out[0].Kind != protocol.KindScenarios {
		t.Fatalf("open host: screen %v, sent %+v", m.Screen(), out)
	}
	if m.Host.Managers != 3 {
		t.Errorf("default seats %d, want 3", m.Host.Managers)
	}
	m.Handle(protocol.ServerMsg{Kind: protocol.KindScenarioList, Scenarios: []protocol.ScenarioChoice{
		{ID: "mild-slowdown", Title: "A mild slowdown", Personas: []protocol.Card{{ID: "dana", Title: "Dana"}}},
		{ID: "deep", Title: "Deep cuts"},
	}})
	if c := m.HostChoice(); c == nil || c.ID != "mild-slowdown" {
		t.Fatalf("default choice %+v", c)
	}

	bad := []byte("id: x\nturns: nine\n")
	out = m.Do(CheckFile{File: "mine.yaml", Source: bad})
	if len(out) != 1 || out[0].Kind != protocol.KindCheck || out[0].File != "mine.yaml" || string(out[0].Source) != string(bad) {
		t.Fatalf("check sent %+v", out)
	}
	m.Handle(protocol.ServerMsg{Kind: protocol.KindChecked, Checked: &protocol.Checked{File: "mine.yaml",
		Problems: []protocol.Problem{{Line: 2, Column: 8, Message: "turns: not a number"}}}})
	if m.Host.Own != nil || m.Host.Check == nil || m.Host.Check.Problems[0].Line != 2 {
		t.Fatalf("a broken file: own %+v, check %+v", m.Host.Own, m.Host.Check)
	}

	good := []byte("id: mine\nturns: 6\n")
	m.Do(CheckFile{File: "mine.yaml", Source: good})
	m.Handle(protocol.ServerMsg{Kind: protocol.KindChecked, Checked: &protocol.Checked{File: "mine.yaml",
		Scenario: &protocol.ScenarioChoice{ID: "mine", Title: "Mine", Turns: 6}}})
	if c := m.HostChoice(); c == nil || c.ID != "mine" {
		t.Fatalf("a clean file is not the choice: %+v", c)
	}
	m.Host.Executive, m.Host.Managers, m.Host.Deadline = "human", 6, 1
	out = m.Do(Preview{})
	want := &protocol.CreateRoom{Executive: "human", Managers: 6, Source: good, File: "mine.yaml",
		Deadlines: protocol.Deadlines{Mandate: 60, Response: 60, Ruling: 60, Reveal: 60}}
	if len(out) != 1 || out[0].Kind != protocol.KindPreview || !reflect.DeepEqual(out[0].Create, want) || !m.Host.Previewing {
		t.Fatalf("preview sent %+v", out)
	}
	m.Handle(protocol.ServerMsg{Kind: protocol.KindBalance, Balance: &protocol.Balance{Games: 200, Rows: []protocol.BalanceRow{{Style: "advocate"}}}})
	if m.Host.Previewing || m.Host.Balance == nil || m.Host.Balance.Games != 200 {
		t.Fatalf("balance not kept: %+v", m.Host)
	}

	out = m.Do(Host{})
	if len(out) != 1 || out[0].Kind != protocol.KindCreate || !reflect.DeepEqual(out[0].Create, want) || !m.Busy {
		t.Fatalf("create sent %+v", out)
	}
	out = m.Handle(protocol.ServerMsg{Kind: protocol.KindJoined, Joined: &protocol.Joined{Code: "QWERTY", Seat: sim.Facilitator,
		Role: protocol.RoleFacilitator, Facilitator: "fac-token"}})
	if m.Screen() != ScreenFacilitator || !m.ShowToken || m.Saved.Facilitator != "fac-token" {
		t.Fatalf("after create: screen %v, show token %v", m.Screen(), m.ShowToken)
	}
	if len(out) != 1 || out[0].Kind != protocol.KindTables || out[0].Token != "fac-token" {
		t.Errorf("the console did not ask for the tables: %+v", out)
	}
	m.Do(KeptToken{})
	if m.ShowToken {
		t.Error("the token is still shown")
	}

	// New table: the same settings, the same token; the new room's joined
	// does not show the token again.
	out = m.Do(NewTable{})
	if out != nil || !m.Redial {
		t.Fatalf("new table sent %+v on the room's connection (redial %v)", out, m.Redial)
	}
	out = m.Connected() // the new connection
	nt := *want
	nt.Facilitator = "fac-token"
	if len(out) != 2 || out[1].Kind != protocol.KindCreate || !reflect.DeepEqual(out[1].Create, &nt) {
		t.Fatalf("new table sent %+v", out)
	}
	m.Handle(protocol.ServerMsg{Kind: protocol.KindJoined, Joined: &protocol.Joined{Code: "ZXCVBN", Seat: sim.Facilitator,
		Role: protocol.RoleFacilitator, Facilitator: "fac-token"}})
	if m.ShowToken || m.Room.Code != "ZXCVBN" {
		t.Errorf("new table: show token %v, room %q", m.ShowToken, m.Room.Code)
	}
	if got := m.ReportURL("http://host:8080/", "html"); got != "http://host:8080/rooms/ZXCVBN/report.html?token=fac-token" {
		t.Errorf("report url %q", got)
	}
	if got := m.ReportURL("http://host:8080/", "all"); got != "http://host:8080/reports?token=fac-token" {
		t.Errorf("combined report url %q", got)
	}
}

// TestHostTooLargeFile: a file over the limit is refused on the spot, with
// its size, and nothing is sent.
func TestHostTooLargeFile(t *testing.T) {
	m := New(Saved{})
	m.Do(OpenHost{})
	out := m.Do(CheckFile{File: "big.yaml", Source: make([]byte, protocol.MaxScenario+1)})
	if out != nil || m.Host.Check == nil || len(m.Host.Check.Problems) != 1 || !strings.Contains(m.Host.Check.Problems[0].Message, "64 KiB") {
		t.Fatalf("sent %+v, check %+v", out, m.Host.Check)
	}
}

// TestConfirmRiskyOrders: End game and Inject wait for a yes; Cancel
// sends nothing; the confirmation names the event's words.
func TestConfirmRiskyOrders(t *testing.T) {
	m := New(Saved{Facilitator: "f"})
	m.Info.Events = []protocol.Card{{ID: "strike", Title: "A strike", Text: "Trucks stop."}}
	if out := m.Do(Confirm{Order: Order{Kind: protocol.KindInject, Event: "strike"}}); out != nil || m.Confirm == nil {
		t.Fatalf("inject went out before the yes: %+v", out)
	}
	if q, d := m.OrderWords(*m.Confirm); !strings.Contains(q, "Inject") || d != "A strike: Trucks stop." {
		t.Errorf("confirmation words %q %q", q, d)
	}
	if out := m.Do(Confirmed{}); out != nil || m.Confirm != nil {
		t.Fatalf("cancel sent %+v", out)
	}
	m.Do(Confirm{Order: Order{Kind: protocol.KindEnd}})
	out := m.Do(Confirmed{Yes: true})
	if len(out) != 1 || out[0].Kind != protocol.KindEnd || m.Confirm != nil {
		t.Fatalf("yes sent %+v", out)
	}
	// A question asked at one table is not answered at another.
	m.Do(Confirm{Order: Order{Kind: protocol.KindEnd}})
	m.Handle(protocol.ServerMsg{Kind: protocol.KindJoined, Joined: &protocol.Joined{Code: "OTHER1", Seat: sim.Facilitator, Role: protocol.RoleFacilitator}})
	if m.Confirm != nil {
		t.Error("the confirmation followed the console to another table")
	}
}

// TestTimedRoomAndNewTableAfterReload: +1 minute follows the room's
// deadlines; New table after a reload rebuilds the settings from the room.
func TestTimedRoomAndNewTableAfterReload(t *testing.T) {
	m := New(Saved{Facilitator: "f", Code: "ABCDEF"})
	if m.TimedRoom() {
		t.Error("a room without deadlines is timed")
	}
	m.Room = protocol.Room{Code: "ABCDEF", Audience: true, Deadlines: protocol.Deadlines{Response: 120},
		Seats: []protocol.SeatInfo{{Seat: 0}, {Seat: 1}, {Seat: 2}}}
	m.Info = protocol.ScenarioInfo{ID: "deep", Executive: "dana"}
	if !m.TimedRoom() {
		t.Error("a room with deadlines is not timed")
	}
	m.Do(NewTable{})
	out := m.Connected()[1:]
	want := &protocol.CreateRoom{Scenario: "deep", Executive: "dana", Managers: 2, Audience: true,
		Deadlines: protocol.Deadlines{Response: 120}, Facilitator: "f"}
	if len(out) != 1 || !reflect.DeepEqual(out[0].Create, want) {
		t.Fatalf("new table sent %+v", out[0].Create)
	}
}

// TestOpenTable: another table opens on a new connection, which resumes it
// with the facilitator token.
func TestOpenTable(t *testing.T) {
	m := New(Saved{Facilitator: "fac", Code: "ABCDEF"})
	if out := m.Do(OpenTable{Code: "QWERTY"}); out != nil || !m.Redial {
		t.Fatalf("open table sent %+v on the room's connection", out)
	}
	out := m.Connected()
	if len(out) != 2 || out[1].Kind != protocol.KindResume || out[1].Code != "QWERTY" || out[1].Token != "fac" {
		t.Fatalf("the new connection sent %+v", out)
	}
}
