// Package scenetest holds what the client's scene and render tests share:
// real games of the default scenario stopped at every screen (built with
// the scenario parser and, for the debrief, the server's own report), a
// Sender that records, and the device sizes drawn for. Only tests import
// it, so it may reach the server as tests may.
package scenetest

import (
	"testing"
	"time"

	"pushback/client/model"
	"pushback/scenarios"
	serverdebrief "pushback/server/debrief"
	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/sim"
)

// fixtureSeed deals Ann two pieces of evidence against month 2's mandate, so
// the screens show a case that cites them and the ruling it wins.
const fixtureSeed = 95

// T0 is the fixed wall clock of every fixture.
var T0 = time.Unix(1_750_000_000, 0)

// Table is a real game of the default scenario: seat 1 (Ann) and the
// executive are people, the other managers bots, so fixtures can stop at
// any phase.
type Table struct {
	T    *testing.T
	S    *sim.State
	Bots *sim.Bots
	Cmds []sim.Command // the log, for the debrief
}

func NewTable(t *testing.T) *Table {
	t.Helper()
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.Config{Persona: scn.Personas[0].ID, Managers: []sim.SeatConfig{
		{Name: "Ann", Style: "advocate"}, {Name: "Bo", Style: "firebrand"},
		{Name: "Cy", Style: "diplomat"}, {Name: "Di", Style: "yes-man"}}}
	s, err := sim.New(scn, cfg, fixtureSeed)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sim.NewBots(s, 5)
	if err != nil {
		t.Fatal(err)
	}
	return &Table{T: t, S: s, Bots: b}
}

// Play lets bots move every seat not in people until stop holds or no bot
// can move.
func (tb *Table) Play(people []sim.Seat, stop func(*sim.State) bool) {
	tb.T.Helper()
	for !stop(tb.S) && tb.S.Phase != sim.PhaseOver {
		moved := false
	seats:
		for seat := sim.Executive; int(seat) <= tb.S.Managers(); seat++ {
			for _, p := range people {
				if p == seat {
					continue seats
				}
			}
			if c, ok := tb.Bots.Decide(tb.S, seat); ok {
				tb.Apply(c)
				moved = true
				if stop(tb.S) {
					return
				}
			}
		}
		if !moved {
			return
		}
	}
}

func (tb *Table) Apply(c sim.Command) {
	tb.T.Helper()
	if err := tb.S.Apply(c); err != nil {
		tb.T.Fatal(err)
	}
	tb.Cmds = append(tb.Cmds, c)
}

// Report is the debrief of the table's game so far, as the server builds
// it: the people by the names they joined with (Eve the executive, Ann and
// Bo), the seats bots played by their style.
func (tb *Table) Report() *report.Report {
	tb.T.Helper()
	r, err := serverdebrief.Build(serverdebrief.Game{Table: "KX7PQR", ScenarioName: scenarios.Default, Config: tb.S.Cfg, Seed: fixtureSeed, Commands: tb.Cmds,
		People: []string{"Eve", "Ann", "Bo", "", ""}})
	if err != nil {
		tb.T.Fatal(err)
	}
	return r
}

// Debriefed gives a model the table's report as the server sends it.
func Debriefed(m *model.Model, r *report.Report, step int) *model.Model {
	m.Handle(protocol.ServerMsg{Kind: protocol.KindDebrief, Debrief: r})
	m.Do(model.ShowMonth{Month: step})
	return m
}

func (tb *Table) Room(started bool) protocol.Room {
	r := protocol.Room{Code: "KX7PQR", Scenario: tb.S.Scn.ID, Started: started, Now: T0.UnixMilli(),
		Seats: []protocol.SeatInfo{{Seat: sim.Executive, Role: "executive", Name: "Eve", Human: true, Connected: true}}}
	for i, mc := range tb.S.Cfg.Managers {
		si := protocol.SeatInfo{Seat: sim.Seat(i + 1), Role: "manager", Name: mc.Name, Bot: i > 0}
		if i == 0 {
			si.Human, si.Connected = true, true
		}
		r.Seats = append(r.Seats, si)
	}
	r.Seats[2].Human, r.Seats[2].Bot, r.Seats[2].Connected = true, false, false // Bo stepped away
	return r
}

// Model returns a client model of seat that has received the table's
// current state.
func (tb *Table) Model(seat sim.Seat, started bool, deadline time.Duration) *model.Model {
	m := model.New(model.Saved{})
	m.Tick(T0)
	tb.Feed(m, seat, started, deadline)
	return m
}

func (tb *Table) Feed(m *model.Model, seat sim.Seat, started bool, deadline time.Duration) {
	m.Handle(protocol.ServerMsg{Kind: protocol.KindWelcome, V: protocol.Version, Now: T0.UnixMilli()})
	if !m.Joined {
		m.Handle(protocol.ServerMsg{Kind: protocol.KindJoined, Joined: &protocol.Joined{Code: "KX7PQR", Seat: seat,
			Token: "tok", Facilitator: map[bool]string{true: "fac"}[seat == sim.Facilitator], Scenario: protocol.Info(tb.S.Scn)}})
		m.Connected()
		m.Conn = model.ConnOnline
	}
	v := tb.S.View(seat)
	texts := make([]string, len(v.Deltas))
	for i, d := range v.Deltas {
		texts[i] = d.Text(tb.S.Scn)
	}
	room := tb.Room(started)
	if deadline > 0 {
		room.Deadline = T0.Add(deadline).UnixMilli()
	}
	m.Handle(protocol.ServerMsg{Kind: protocol.KindView, View: &protocol.View{Game: v, Room: room, Texts: texts}})
}

// Briefed marks the model's room as briefed, as "Got it" does.
func Briefed(m *model.Model) *model.Model {
	m.Do(model.CloseBriefing{})
	return m
}

// Fixture is one screen to draw.
type Fixture struct {
	Name   string
	Screen model.Screen
	M      *model.Model
}

// MandatePlayed and AtReveal are stops for Play.
func MandatePlayed(s *sim.State) bool { return s.Phase >= sim.PhaseResponse }
func AtReveal(s *sim.State) bool      { return s.Phase == sim.PhaseReveal }

// Fixtures builds a model for every screen, from real games.
func Fixtures(t *testing.T) []Fixture {
	var fx []Fixture
	add := func(name string, want model.Screen, m *model.Model) {
		if got := m.Screen(); got != want {
			t.Fatalf("fixture %s is on screen %s, want %s (notice %q)", name, got, want, m.Notice)
		}
		fx = append(fx, Fixture{name, want, m})
	}

	title := model.New(model.Saved{})
	title.Tick(T0)
	title.Conn = model.ConnOnline
	title.Title.Code, title.Title.Name = "KX7PQR", "Ann"
	add("title", model.ScreenTitle, title)

	add("host", model.ScreenHost, HostForm(t, false))
	add("host-upload", model.ScreenHost, HostForm(t, true))

	tb := NewTable(t)
	add("briefing", model.ScreenLobby, tb.Model(1, false, 0)) // the lobby until its briefing is read
	add("lobby", model.ScreenLobby, Briefed(tb.Model(1, false, 0)))
	add("projector-briefing", model.ScreenProjector, tb.Model(sim.Public, false, 0))

	// Month 2: the first month played by bots, so meters have a history.
	everyone := []sim.Seat{}
	tb.Play(everyone, func(s *sim.State) bool { return s.Turn == 2 })
	add("executive-mandate", model.ScreenExecutive, func() *model.Model {
		// The executive has visited Ann's team first (on a copy of the
		// game, so the bots' game goes on as it would).
		seen := &Table{T: t, S: tb.S.Clone(), Bots: tb.Bots}
		seen.Apply(sim.Command{Kind: sim.CmdVisit, Seat: sim.Executive, Target: 1})
		m := seen.Model(sim.Executive, true, 0)
		m.Orders.Card = m.View.Hand[1]
		m.Orders.Target = 0
		m.Orders.Framing = "The board wants a plan by Friday."
		return m
	}())
	add("briefing-executive", model.ScreenBriefing, func() *model.Model {
		m := tb.Model(sim.Executive, true, 0)
		m.Do(model.ShowBriefing{})
		return m
	}())
	tb.Play([]sim.Seat{1}, MandatePlayed)
	add("projector", model.ScreenProjector, func() *model.Model {
		m := tb.Model(sim.Public, true, 75*time.Second)
		m.Room.Answered, m.Room.Waiting = 3, 4 // the bots have answered, Ann has not
		return m
	}())
	add("manager", model.ScreenManager, func() *model.Model {
		m := tb.Model(1, true, 75*time.Second)
		m.EditAnswer(func(a *model.Answer) {
			a.Response, a.Action = sim.ResponsePushBack, sim.ActionCandid
			a.Case = GoodCase(tb.S, 1)
		})
		return m
	}())
	// Ann pushes back; the executive is a person and has to rule.
	before := tb.Model(1, true, 0) // Ann's screen before the reveal, for the animation
	tb.Apply(sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponsePushBack, Action: sim.ActionCandid,
		Case: GoodCase(tb.S, 1)})
	tb.Play([]sim.Seat{1, sim.Executive}, func(s *sim.State) bool { return s.Phase >= sim.PhaseRuling })
	if tb.S.Phase == sim.PhaseRuling {
		add("executive-ruling", model.ScreenExecutive, tb.Model(sim.Executive, true, 0))
	} else {
		t.Fatalf("expected a ruling phase, got %s", tb.S.Phase)
	}
	add("facilitator", model.ScreenFacilitator, func() *model.Model {
		m := tb.Model(sim.Facilitator, true, 40*time.Second)
		m.Tables = []protocol.Table{
			{Code: "KX7PQR", Scenario: "mild-slowdown", Turn: 2, Turns: 8, Phase: "ruling", Started: true, Seats: m.Room.Seats},
			{Code: "M4TNWE", Scenario: "hard-landing", Turn: 3, Turns: 10, Phase: "response", Started: true,
				Seats: []protocol.SeatInfo{{Seat: 1, Connected: true}, {Seat: 2, Connected: true}}},
			{Code: "RB9HJZ", Scenario: "mild-slowdown", Turns: 8},
		}
		m.Room.Deadlines = protocol.Deadlines{Mandate: 60, Response: 180, Ruling: 120, Reveal: 60}
		m.Room.Turned = 2
		m.Busy = false // the resume Connected sent is answered
		m.Room.People = []protocol.Person{{Conn: 1, Name: "Eve", Role: "executive", Seat: 0}, {Conn: 2, Name: "Ann", Role: "manager", Seat: 1},
			{Conn: 5, Name: "Gus", Role: "observer", Seat: sim.Public}}
		return m
	}())
	add("facilitator-confirm", model.ScreenFacilitator, func() *model.Model {
		m := tb.Model(sim.Facilitator, true, 40*time.Second)
		m.Do(model.KeptToken{})
		m.Busy = false
		m.Do(model.Confirm{Order: model.Order{Kind: protocol.KindInject, Event: m.Info.Events[0].ID}})
		return m
	}())
	add("paused", model.ScreenExecutive, func() *model.Model {
		m := tb.Model(sim.Executive, true, 0)
		m.Room.Paused = true
		m.Room.Notices = []protocol.Notice{
			{At: T0.UnixMilli() - 60_000, Kind: protocol.NoticeInjected, Everyone: true, Text: "The facilitator injected market news: " + m.Info.Events[1].Title},
			{At: T0.UnixMilli() - 1000, Kind: protocol.NoticePaused, Everyone: true, Text: "The facilitator paused the game."},
		}
		return m
	}())
	tb.Play([]sim.Seat{1}, AtReveal)
	before.Tick(T0.Add(time.Second))
	tb.Feed(before, 1, true, 0)
	before.Tick(T0.Add(time.Second + 3*model.MeterAnimation))
	before.Info.Executive = tb.S.Cfg.Persona // a persona ruled: the feedback names what it values
	add("reveal", model.ScreenReveal, before)
	add("executive-reveal", model.ScreenReveal, tb.Model(sim.Executive, true, 0))
	add("projector-reveal", model.ScreenProjector, func() *model.Model {
		m := tb.Model(sim.Public, true, 0)
		m.Room.Answered, m.Room.Waiting = 2, 5
		return m
	}())
	tb.Play(nil, func(s *sim.State) bool { return false })
	add("end", model.ScreenEnd, tb.Model(1, true, 0))
	rep := tb.Report()
	deb := Debriefed(tb.Model(1, true, 0), rep, rep.Played)
	deb.Do(model.OpenDebrief{})
	add("debrief", model.ScreenDebrief, deb)
	mid := Debriefed(tb.Model(1, true, 0), rep, 3)
	mid.Do(model.OpenDebrief{})
	add("debrief-month3", model.ScreenDebrief, mid)
	add("debrief-projector", model.ScreenDebrief, Debriefed(tb.Model(sim.Public, true, 0), rep, rep.Played))
	return fx
}

// GoodCase is the case a careful manager builds against this month's card:
// the held evidence that bears on it, most telling first, framed in that
// evidence's lever, the card's first costed alternative, and the ask that
// grades best.
func GoodCase(s *sim.State, seat sim.Seat) sim.Case {
	scn := s.Scn
	var k sim.Case
	n := 0
	best := 0.0
	for _, e := range s.Team(seat).Evidence {
		if e < 0 || scn.Evidence[e].Shift(s.Card) <= 0 {
			continue
		}
		if by := scn.Evidence[e].Shift(s.Card); n == 0 || by > best {
			k.Evidence[0], k.Evidence[1] = scn.Evidence[e].ID, k.Evidence[0]
			k.Data, best = scn.Evidence[e].Lever, by
		} else {
			k.Evidence[1] = scn.Evidence[e].ID
		}
		n++
	}
	if k.Data == sim.LeverNone {
		k.Data = sim.LeverCustomers
	}
	if alts := scn.Mandates[s.Card].Alternatives; len(alts) > 0 {
		k.Alternative = alts[0].ID
	}
	k.Text = "Three of our top ten accounts renew this quarter."
	q := -1.0
	for _, ask := range []sim.Ask{sim.AskWithdraw, sim.AskAmend, sim.AskPilot} {
		try := k
		try.Ask = ask
		if g := sim.GradeCase(scn, s.Card, try, s.News); g.Quality > q {
			q, k.Ask = g.Quality, ask
		}
	}
	return k
}

// HostForm is the host settings screen with the server's list of the
// shipped scenarios: seats, deadlines and audience chosen and a balance
// previewed; or, with upload, after a trainer's file came back with
// problems.
func HostForm(t *testing.T, upload bool) *model.Model {
	m := model.New(model.Saved{})
	m.Tick(T0)
	m.Conn = model.ConnOnline
	m.Do(model.OpenHost{})
	var list []protocol.ScenarioChoice
	for _, name := range scenarios.Names() {
		scn, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		in := protocol.Info(scn)
		c := protocol.ScenarioChoice{ID: in.ID, Title: in.Title, Summary: in.Summary, Turns: in.Turns, Styles: in.Styles}
		for _, p := range in.Personas {
			c.Personas = append(c.Personas, p.Card)
		}
		list = append(list, c)
	}
	m.Handle(protocol.ServerMsg{Kind: protocol.KindScenarioList, Scenarios: list})
	m.Host.Managers, m.Host.Deadline, m.Host.Audience = 6, 4, true
	if upload {
		m.Host.Executive = "human"
		m.Do(model.CheckFile{File: "retail.yaml", Source: []byte("id: retail")})
		m.Handle(protocol.ServerMsg{Kind: protocol.KindChecked, Checked: &protocol.Checked{File: "retail.yaml", Problems: []protocol.Problem{
			{Line: 14, Column: 12, Message: "turns: want a whole number of months, got \"eight\""},
			{Line: 31, Column: 5, Message: "mandates[2]: unknown field \"savings\" (did you mean \"saving\"?)"}},
			Hints: []protocol.Problem{{Line: 3, Column: 1, Message: "summary: longer than 300 characters; the host screen shows its start"}}}})
		return m
	}
	// A balance as the server's preview sends it (numbers of this fixture).
	m.Handle(protocol.ServerMsg{Kind: protocol.KindBalance, Balance: &protocol.Balance{Scenario: list[0].ID, Persona: "Dana, the cost-cutter", Games: 300,
		Rows: []protocol.BalanceRow{
			{Style: "yes-man", Quota: 71, Morale: 38, Trust: 41, Standing: 66, Score: 49, Resigned: 0.42, Objections: 0, Won: 0},
			{Style: "firebrand", Quota: 64, Morale: 61, Trust: 58, Standing: 39, Score: 52, Resigned: 0.12, Objections: 5.8, Won: 0.21},
			{Style: "diplomat", Quota: 69, Morale: 57, Trust: 60, Standing: 61, Score: 60, Resigned: 0.15, Objections: 2.1, Won: 0.48},
			{Style: "advocate", Quota: 70, Morale: 63, Trust: 66, Standing: 63, Score: 64, Resigned: 0.08, Objections: 3.0, Won: 0.62}},
		Exec: 58}})
	return m
}

// Takeaways are the debrief's reaction round from the fixtures: a player's
// with their answers typed in, and the projector's with three given.
func Takeaways(t *testing.T) (player, proj *model.Model) {
	for _, fx := range Fixtures(t) {
		switch fx.Name {
		case "debrief":
			player = fx.M
		case "debrief-projector":
			proj = fx.M
		}
	}
	if player == nil || proj == nil || !player.Report.Final {
		t.Fatal("no finished debrief among the fixtures")
	}
	rep := *proj.Report
	rep.Takeaways = []report.Takeaway{{Seat: 1, Name: "Ann", Word: "squeezed", Scale: 2, Commitment: "Bring renewal data."},
		{Seat: 2, Name: "Bo", Word: "squeezed", Scale: 4}, {Seat: 0, Name: "Executive", Word: "tense", Scale: 3}}
	rep.Poll = report.Summarize(rep.Takeaways)
	proj.Report = &rep
	player.Take = model.Takeaway{Scale: 4, Word: "squeezed", Commitment: "Next month I will bring renewal data to every objection."}
	return player, proj
}

// Recorder is a Sender that keeps what the UI sent.
type Recorder struct{ Msgs []protocol.ClientMsg }

func (r *Recorder) SendMsg(m protocol.ClientMsg) bool {
	r.Msgs = append(r.Msgs, m)
	return true
}

// Size is a device to draw for.
type Size struct {
	Name string
	W, H float64
}

var (
	Laptop    = Size{"1280x720", 1280, 720}
	BigScreen = Size{"1920x1080", 1920, 1080}
	Phone     = Size{"phone", 360, 740}
)
