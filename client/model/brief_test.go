package model

import (
	"strings"
	"testing"
	"time"

	"pushback/server/protocol"
	"pushback/sim"
)

// joinAs returns a model of seat in room ABCDEF of the game s, with its
// first view; info's executive is persona ("" for a person).
func joinAs(t *testing.T, s *sim.State, seat sim.Seat, role, persona string, saved Saved) *Model {
	t.Helper()
	m := New(saved)
	j := joinedMsg(s, seat, "")
	j.Joined.Role, j.Joined.Scenario.Executive = role, persona
	m.Receive(frame(t, j))
	v := viewMsg(s, seat, false, 0)
	v.View.Room.Seats = []protocol.SeatInfo{{Seat: sim.Executive, Name: "Eve", Human: persona == "", Connected: true}}
	m.Receive(frame(t, v))
	return m
}

// The briefing tells each role who the executive is, what the meters
// mean, what each answer does and the scenario's objectives, in words that
// name the engine's own answers.
func TestBriefingPerRole(t *testing.T) {
	s := game(t)
	persona := s.Scn.Personas[0]
	mgr := joinAs(t, s, 1, protocol.RoleManager, persona.ID, Saved{}).Briefing()
	if mgr.Executive != persona.Name || !strings.Contains(mgr.ExecAbout, persona.Summary) {
		t.Errorf("the manager is told the executive is %q (%q), want %q", mgr.Executive, mgr.ExecAbout, persona.Name)
	}
	var terms []string
	for _, l := range mgr.Answers {
		terms = append(terms, l.Term)
		if l.Text == "" {
			t.Errorf("answer %q has no words", l.Term)
		}
	}
	for r := sim.ResponseRelay; r < sim.NumResponses; r++ { // every answer the engine takes, by its own name
		if !strings.Contains(strings.Join(terms, "|"), r.String()) {
			t.Errorf("the manager's briefing does not say what %q does (has %v)", r, terms)
		}
	}
	if len(mgr.Meters) != 4 || mgr.Meters[0].Term != sim.MeterMorale.String() || mgr.Meters[3].Term != sim.MeterStanding.String() {
		t.Errorf("a manager's meters: %+v", mgr.Meters)
	}
	if len(mgr.Goals) != len(s.Scn.Objectives) || mgr.Goals[0] != s.Scn.Objectives[0].Text {
		t.Errorf("objectives %q, want the scenario's %d", mgr.Goals, len(s.Scn.Objectives))
	}
	if !strings.Contains(mgr.Role, "8 months") || mgr.Actions == "" || mgr.Case == "" {
		t.Errorf("the manager's role %q, actions %q, case %q", mgr.Role, mgr.Actions, mgr.Case)
	}

	if who := joinAs(t, s, 2, protocol.RoleManager, "", Saved{}).Briefing().Executive; who != "Eve" {
		t.Errorf("with a person in the seat the executive is %q, want Eve", who)
	}
	exec := joinAs(t, s, sim.Executive, protocol.RoleExecutive, "", Saved{}).Briefing()
	if exec.Executive != "you" {
		t.Errorf("the executive is told the executive is %q", exec.Executive)
	}
	if len(exec.Meters) != 7 || exec.Meters[0].Term != "Revenue vs plan" || !strings.HasPrefix(exec.Role, "You are the executive") {
		t.Errorf("the executive's meters %+v, role %q", exec.Meters, exec.Role)
	}
	if exec.Answers[0].Term != "Visit" || exec.Actions != "" {
		t.Errorf("the executive's moves: %+v", exec.Answers)
	}

	room := joinAs(t, s, sim.Public, protocol.RoleProjector, persona.ID, Saved{}).Briefing()
	if len(room.Meters) != 7 || len(room.Answers) != len(mgr.Answers)+len(exec.Answers) || room.Executive != persona.Name {
		t.Errorf("the projector's briefing: %d meters, %d moves, executive %q", len(room.Meters), len(room.Answers), room.Executive)
	}
}

// "Got it" is remembered for the room across a reload; the help button
// opens the briefing again, and another room is briefed afresh.
func TestBriefingRemembered(t *testing.T) {
	s := game(t)
	m := joinAs(t, s, 1, protocol.RoleManager, "", Saved{})
	if m.Briefed() || m.Screen() != ScreenLobby {
		t.Fatalf("a new player: briefed %v, screen %s", m.Briefed(), m.Screen())
	}
	m.Do(CloseBriefing{})
	if !m.Briefed() || m.Saved.Briefed != "ABCDEF" {
		t.Fatalf("after Got it: briefed %v, saved %+v", m.Briefed(), m.Saved)
	}
	m.Do(ShowBriefing{})
	if m.Screen() != ScreenBriefing {
		t.Fatalf("the help button shows %s", m.Screen())
	}
	m.Do(CloseBriefing{})
	if m.Screen() != ScreenLobby {
		t.Fatalf("closing the briefing shows %s", m.Screen())
	}
	again := joinAs(t, s, 1, protocol.RoleManager, "", m.Saved) // the page reloaded
	if !again.Briefed() {
		t.Error("a reload shows the briefing again")
	}
	other := New(m.Saved)
	j := joinedMsg(s, 1, "t")
	j.Joined.Code = "OTHER1"
	other.Receive(frame(t, j))
	v := viewMsg(s, 1, false, 0)
	v.View.Room.Code = "OTHER1"
	other.Receive(frame(t, v))
	if other.Briefed() {
		t.Error("another room counts as briefed")
	}
}

// The projector has no token: it is saved as the projector of its room,
// and a reload joins it as the projector again.
func TestProjectorSurvivesReload(t *testing.T) {
	s := game(t)
	m := New(Saved{})
	m.Connected()
	msgs := m.Do(Join{Code: "abc-def", Projector: true})
	if len(msgs) != 1 || msgs[0].Role != protocol.RoleProjector {
		t.Fatalf("join as projector sent %+v", msgs)
	}
	m.Receive(frame(t, projectorJoined(s)))
	if !m.Saved.Projector || m.Saved.Code != "ABCDEF" || m.Saved.Token != "" {
		t.Fatalf("saved %+v", m.Saved)
	}
	reloaded := New(m.Saved)
	out := reloaded.Connected()
	if len(out) != 2 || out[1].Kind != protocol.KindJoin || out[1].Role != protocol.RoleProjector || out[1].Code != "ABCDEF" {
		t.Fatalf("a reloaded projector sent %+v", out)
	}
	reloaded.Receive(frame(t, projectorJoined(s)))
	reloaded.Receive(frame(t, viewMsg(s, sim.Public, true, 0)))
	if reloaded.Screen() != ScreenProjector {
		t.Fatalf("after the reload: %s", reloaded.Screen())
	}
	// The room is gone: the next load starts at the title.
	gone := New(m.Saved)
	gone.Connected()
	gone.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindError, Error: &protocol.Error{Code: protocol.CodeUnknownRoom}}))
	if gone.Saved.Projector {
		t.Error("a projector of a room that is gone is still saved")
	}
	// Leaving, or joining as a player, is not the projector any more.
	reloaded.Do(Leave{})
	if reloaded.Saved.Projector {
		t.Error("Leave kept the projector")
	}
	p := New(m.Saved)
	p.Receive(frame(t, joinedMsg(s, 1, "tok")))
	if p.Saved.Projector || p.Saved.Token != "tok" {
		t.Errorf("a player's join: %+v", p.Saved)
	}
}

// projectorJoined is the joined message a projector of room ABCDEF receives.
func projectorJoined(s *sim.State) protocol.ServerMsg {
	j := joinedMsg(s, sim.Public, "")
	j.Joined.Role = protocol.RoleProjector
	return j
}

// A pause is one banner on every screen while it lasts, gone on continue;
// a command refused for the pause adds no second banner, and the answer
// can be sent again.
func TestPauseBanner(t *testing.T) {
	s := game(t)
	bots(t, s, 1)
	m := New(Saved{})
	m.Receive(frame(t, joinedMsg(s, 1, "tok")))
	paused := viewMsg(s, 1, true, 0)
	paused.View.Room.Paused = true
	m.Receive(frame(t, paused))
	if m.PauseText() == "" || !strings.Contains(m.PauseText(), "Paused") {
		t.Fatalf("paused: %q", m.PauseText())
	}
	m.Answer.Response = sim.ResponseRelay
	m.Do(SendAnswer{})
	m.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindError, Error: &protocol.Error{Code: protocol.CodePaused, Message: "the facilitator has paused the game"}}))
	if m.Notice != "" {
		t.Errorf("a second banner while paused: %q", m.Notice)
	}
	if !m.Answer.Dirty {
		t.Error("the refused answer cannot be sent again")
	}
	// Refused before the paused view arrived: a notice, gone on continue.
	m.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindError, Error: &protocol.Error{Code: protocol.CodePaused, Message: "the facilitator has paused the game"}}))
	m.Room.Paused = false
	m.failed(protocol.Error{Code: protocol.CodePaused, Message: "the facilitator has paused the game"})
	if m.Notice != "The facilitator has paused the game." {
		t.Errorf("the refusal reads %q (doubled?)", m.Notice)
	}
	m.Receive(frame(t, viewMsg(s, 1, true, 0)))
	if m.PauseText() != "" || m.Notice != "" {
		t.Errorf("after continue: pause %q, notice %q", m.PauseText(), m.Notice)
	}
}

// The facilitator's notices are banners until dismissed (a projector's
// pass by themselves); injected news is found by its title, to be shown as
// news.
func TestNotices(t *testing.T) {
	s := game(t)
	bots(t, s, 1)
	now := time.UnixMilli(1_750_000_000_000)
	m := New(Saved{})
	m.Tick(now)
	m.Receive(frame(t, joinedMsg(s, 1, "tok")))
	ev := s.Scn.Events[2]
	v := viewMsg(s, 1, true, now.UnixMilli())
	v.View.Room.Notices = []protocol.Notice{
		{At: now.UnixMilli() - 5000, Kind: protocol.NoticePaused, Everyone: true, Text: "The facilitator paused the game."},
		{At: now.UnixMilli() - 4000, Kind: protocol.NoticeContinued, Everyone: true, Text: "The game continues."},
		{At: now.UnixMilli() - 3000, Kind: protocol.NoticeInjected, Everyone: true, Text: "Market news: " + ev.Title},
		{At: now.UnixMilli() - 2000, Kind: protocol.NoticeBot, Seat: 1, Text: "The facilitator handed your seat to a bot."},
	}
	m.Receive(frame(t, v))
	b := m.Banners()
	if len(b) != 2 || b[0].Kind != protocol.NoticeInjected || b[1].Kind != protocol.NoticeBot {
		t.Fatalf("banners %+v", b)
	}
	if i := m.NewsOf(b[0]); i != 2 {
		t.Errorf("the injected news is event %d, want 2", i)
	}
	if i := m.NewsOf(b[1]); i != -1 {
		t.Errorf("a bot notice is news %d", i)
	}
	m.Do(DismissNotice{At: b[0].At})
	if b := m.Banners(); len(b) != 1 || b[0].Kind != protocol.NoticeBot {
		t.Fatalf("after dismissing the news: %+v", b)
	}
	if m.Saved.Seen != now.UnixMilli()-3000 {
		t.Errorf("dismissed notices are not saved: %+v", m.Saved)
	}
	// A reload keeps them dismissed; another room starts afresh.
	again := New(m.Saved)
	again.Tick(now)
	again.Receive(frame(t, joinedMsg(s, 1, "tok")))
	again.Receive(frame(t, v))
	if b := again.Banners(); len(b) != 1 {
		t.Errorf("after a reload: %+v", b)
	}
	other := New(m.Saved)
	j := joinedMsg(s, 1, "tok")
	j.Joined.Code = "OTHER1"
	other.Receive(frame(t, j))
	if other.Saved.Seen != 0 {
		t.Errorf("another room keeps %d", other.Saved.Seen)
	}
	// The facilitator did it: the console has no banners of it.
	f := New(Saved{})
	f.Receive(frame(t, joinedMsg(s, sim.Facilitator, "")))
	f.Receive(frame(t, v))
	if b := f.Banners(); len(b) != 0 {
		t.Errorf("the facilitator's banners: %+v", b)
	}
	// The projector's notices pass after NoticeShown.
	p := New(Saved{})
	p.Tick(now)
	p.Receive(frame(t, joinedMsg(s, sim.Public, "")))
	pv := viewMsg(s, sim.Public, true, now.UnixMilli())
	pv.View.Room.Notices = v.View.Room.Notices[2:3]
	p.Receive(frame(t, pv))
	if len(p.Banners()) != 1 {
		t.Fatalf("the projector shows %d notices", len(p.Banners()))
	}
	p.Tick(now.Add(NoticeShown + time.Second))
	if len(p.Banners()) != 0 {
		t.Errorf("the projector still shows a notice after %s", NoticeShown)
	}
}
