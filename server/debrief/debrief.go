// Package debrief turns a game's command log into the trainer's debrief: a
// report with meter timelines, what the executive saw against what was true,
// key moments, the decision matrix, scores and the scenario's prompts filled
// with this game's facts; and the exports of it (HTML, CSV, JSON). A report is
// always computed by replaying the log through sim, never from what a client
// claims, so the file a trainer sends out is the game that was played.
package debrief

import (
	"cmp"
	"fmt"
	"slices"

	"pushback/scenarios"
	"pushback/server/protocol/report"
	"pushback/sim"
)

// Game is one table as sim needs it to replay exactly: sim is deterministic,
// so scenario, config, seed and commands are the whole game. The scenario
// travels as its source text so that a game replays even after the shipped
// file changes.
type Game struct {
	Table          string // a label for people: the room code or table name; optional
	ScenarioName   string
	ScenarioSource []byte // the scenario YAML; empty means the shipped file named ScenarioName
	// Parsed is the scenario already parsed, when the caller holds it (a
	// live room); nil: Scenario parses ScenarioSource.
	Parsed   *sim.Scenario
	Config   sim.Config
	Seed     uint64
	Commands []sim.Command
	Final    *Summary // what the table ended in, when known; Check compares against it
	// Takeaways are the participants' end-of-game answers (reaction poll,
	// commitment), kept by the room beside the log.
	Takeaways []report.Takeaway
	// People name the seats when the room knows who played them: [0] the
	// executive, [i] manager i, each the name the person joined with, ""
	// where no person held the seat (a bot played it). Nil (a file from
	// before names were kept): the config's names stand.
	People []string
}

// person is the name of whoever played seat s, "" for a bot or unknown.
func (g *Game) person(s sim.Seat) string {
	if s >= 0 && int(s) < len(g.People) {
		return g.People[s]
	}
	return ""
}

// config is the game's config with its seats named as the report calls
// them: a person by the name they joined with, a bot seat by its style
// ("Diplomat (bot)", with the seat when two bots share a style).
func (g *Game) config(scn *sim.Scenario) sim.Config {
	cfg := g.Config
	if g.People == nil {
		return cfg
	}
	cfg.Managers = slices.Clone(cfg.Managers)
	shared := map[string]int{}
	for i, m := range cfg.Managers {
		if g.person(sim.Seat(i+1)) == "" {
			shared[m.Style]++
		}
	}
	for i := range cfg.Managers {
		m := &cfg.Managers[i]
		if n := g.person(sim.Seat(i + 1)); n != "" {
			m.Name = n
		} else if st := scn.Style(m.Style); st != nil {
			m.Name = st.Name + " (bot)"
			if shared[m.Style] > 1 {
				m.Name = fmt.Sprintf("%s (bot, seat %d)", st.Name, i+1)
			}
		}
	}
	return cfg
}

// Scenario parses the game's scenario from its source, or loads the shipped
// one of that name when the game carries no source.
func (g *Game) Scenario() (*sim.Scenario, error) {
	if g.Parsed != nil {
		return g.Parsed, nil
	}
	if len(g.ScenarioSource) == 0 {
		scn, err := scenarios.Load(g.ScenarioName)
		if err != nil {
			return nil, fmt.Errorf("game %s: %w", g.label(), err)
		}
		return scn, nil
	}
	name := g.ScenarioName
	if name == "" {
		name = "scenario"
	}
	scn, err := scenarios.Parse(name+".yaml", g.ScenarioSource)
	if err != nil {
		return nil, fmt.Errorf("game %s: %w", g.label(), err)
	}
	return scn, nil
}

func (g *Game) label() string {
	if g.Table != "" {
		return g.Table
	}
	return fmt.Sprintf("seed %d", g.Seed)
}

// Replayed is a game rebuilt from its log: the state plus what the log says
// that the state does not keep (framings, visits as they happened).
type Replayed struct {
	State    *sim.State
	Mandates []MandatePlay // in play order
	Visits   []Visit
	Injects  []Inject
	News     [][]int // per turn from 1, the market events drawn or injected
	Applied  int     // commands applied; less than len(Commands) when one was rejected
}

// MandatePlay is a mandate card as played, with the executive's framing.
type MandatePlay struct {
	Turn    int    `json:"turn"`
	Card    int    `json:"card"`
	Target  int    `json:"target"` // 0: every manager
	Framing string `json:"framing,omitempty"`
}

// Inject is a market event the facilitator added by hand.
type Inject struct {
	Turn  int `json:"turn"`
	Event int `json:"event"`
}

// Replay runs the command log through a fresh game: the one log-to-game
// conversion, used by the live room's restore, the reports and server
// replay. On a rejected command it
// returns what was replayed so far together with the error, so that a caller
// can still say where a tampered log parts from the recorded game.
func Replay(g Game) (*Replayed, error) {
	scn, err := g.Scenario()
	if err != nil {
		return nil, err
	}
	s, err := sim.New(scn, g.config(scn), g.Seed)
	if err != nil {
		return nil, fmt.Errorf("game %s: new game: %w", g.label(), err)
	}
	r := &Replayed{State: s}
	r.noteNews()
	for i, c := range g.Commands {
		turn := s.Turn
		if err := s.Apply(c); err != nil {
			return r, fmt.Errorf("game %s: command %d (turn %d, %s by seat %d) rejected: %w", g.label(), i+1, turn, c.Kind, c.Seat, err)
		}
		r.Applied++
		r.noteNews()
		switch c.Kind {
		case sim.CmdMandate:
			r.Mandates = append(r.Mandates, MandatePlay{Turn: turn, Card: s.Card, Target: int(c.Target), Framing: c.Framing})
		case sim.CmdVisit:
			t := s.Team(c.Target)
			r.Visits = append(r.Visits, Visit{Turn: turn, Seat: int(c.Target), Morale: t.SeenMorale, Trust: t.SeenTrust})
		case sim.CmdInject:
			r.Injects = append(r.Injects, Inject{Turn: turn, Event: s.EventIndex(c.Event)})
		}
	}
	return r, nil
}

// noteNews keeps the current turn's news, which the state forgets when the
// next turn starts.
func (r *Replayed) noteNews() {
	s := r.State
	for len(r.News) < s.Turn {
		r.News = append(r.News, nil)
	}
	r.News[s.Turn-1] = append(r.News[s.Turn-1][:0], s.News...)
}

// The report's data types live in package report, which imports only sim,
// so that the client (a lean wasm build) can receive a report without this
// package's templates; the names stay here for the server's callers.
type (
	Report     = report.Report
	Manager    = report.Manager
	Decision   = report.Decision
	Case       = report.Case
	TurnInfo   = report.TurnInfo
	Moment     = report.Moment
	Scores     = report.Scores
	Prompt     = report.Prompt
	PromptItem = report.PromptItem
	Company    = report.Company
	Visit      = report.Visit
	Takeaway   = report.Takeaway
)

// MaxMoments is how many key moments a report lists, and MomentsPerMeter
// how many of them one seat's meter may take.
const (
	MaxMoments      = 8
	MomentsPerMeter = 2
)

// Build replays the game and writes its debrief. It works on an unfinished
// log too (the facilitator's live view); the report then covers the turns
// finished so far.
func Build(g Game) (*Report, error) {
	r, err := Replay(g)
	if err != nil {
		return nil, err
	}
	return FromReplay(g, r), nil
}

// FromReplay writes the debrief of an already replayed game.
func FromReplay(g Game, r *Replayed) *Report {
	s := r.State
	scn := s.Scn
	played := len(s.History) - 1
	rep := &Report{
		Table: g.Table, Scenario: scn.ID, Title: scn.Title, Summary: scn.Summary,
		Seed: s.Seed, Executive: "Executive", Turns: scn.Turns, Played: played,
		Final: s.Phase == sim.PhaseOver, Phase: s.Phase.String(), Commands: r.Applied,
	}
	if p := scn.Persona(s.Cfg.Persona); p != nil && s.Cfg.ExecutiveBot {
		rep.Executive = p.Name
	}
	if n := g.person(sim.Executive); n != "" {
		rep.Executive = n
	}
	for _, v := range r.Visits {
		if v.Turn <= played {
			rep.Visits = append(rep.Visits, v)
		}
	}
	for _, h := range s.History {
		c := h.Company
		rep.Company = append(rep.Company, Company{Revenue: c.Revenue, Cost: c.Cost, Pressure: c.Pressure, Market: c.Market})
	}
	// Turns: news from the deltas and injects, mandates from the log.
	rep.Turn = make([]TurnInfo, played)
	for i := range rep.Turn {
		rep.Turn[i].Turn = i + 1
	}
	for k := range rep.Turn {
		for _, e := range r.News[k] {
			rep.Turn[k].News = append(rep.Turn[k].News, scn.Events[e].Title)
		}
	}
	for _, d := range s.Deltas {
		if turn := int(d.Turn); d.Seat == sim.Executive && turn >= 1 && turn <= played && d.Amount != 0 {
			rep.Turn[turn-1].Changes = append(rep.Turn[d.Turn-1].Changes, d.Text(scn))
		}
	}
	for _, m := range r.Mandates {
		if m.Turn > played {
			continue
		}
		t := &rep.Turn[m.Turn-1]
		card := &scn.Mandates[m.Card]
		t.Mandate, t.Harm, t.Sound, t.Framing = card.Title, card.Harm, card.Sound(&scn.Coeff), m.Framing
		t.Target = "all"
		if m.Target > 0 {
			t.Target = s.Cfg.Managers[m.Target-1].Name
		}
	}
	// Managers.
	all := swings(s, played)
	for i := range s.Teams {
		seat := sim.Seat(i + 1)
		m := Manager{Seat: int(seat), Name: s.Cfg.Managers[i].Name, Style: s.Cfg.Managers[i].Style,
			Resigned: s.Teams[i].Resignations, Found: s.Teams[i].Discovered}
		if g.person(seat) != "" {
			m.Style = "" // a person played it: the bot style planned for it says nothing of them
		}
		for _, h := range s.History {
			m.Meters = append(m.Meters, h.Teams[i])
			m.Pulse = append(m.Pulse, h.Pulse[i])
			m.Score = append(m.Score, sim.ManagerScore(h.Teams[i]))
		}
		for _, d := range s.Decisions {
			if d.Seat == seat {
				m.Decisions = append(m.Decisions, decision(s, d, changes(s, seat, d.Turn)))
			}
		}
		if s.Phase == sim.PhaseOver {
			m.Benchmarks = benchmarks(scn, &g, seat)
			m.WhatIfs = whatIfs(scn, &g, s, all, seat)
		}
		rep.Managers = append(rep.Managers, m)
	}
	rep.Moments = moments(all)
	for i := range rep.Managers {
		rep.Managers[i].Best, rep.Managers[i].Worst = bestWorst(all, rep.Managers[i].Seat)
	}
	rep.Scores.Managers = make([]int, len(s.Teams))
	for i := range s.Teams {
		rep.Scores.Managers[i] = sim.ManagerScore(s.History[played].Teams[i])
	}
	if s.Scores != nil {
		copy(rep.Scores.Managers, s.Scores.Managers)
		x := s.Scores.Executive
		rep.Scores.Executive = &x
	}
	rep.Prompts = prompts(s, r, played, rep.Managers)
	rep.Exec = execSection(s, r, played)
	rep.Exec.Best, rep.Exec.Worst = bestWorst(all, 0)
	rep.Takeaways, rep.Poll = g.Takeaways, report.Summarize(g.Takeaways)
	if s.Phase == sim.PhaseOver {
		execBenchmark(scn, &g, rep.Exec)
	}
	return rep
}

func decision(s *sim.State, d sim.Decision, changes []string) Decision {
	scn := s.Scn
	out := Decision{Turn: d.Turn, Response: d.Response.String(), Voiced: d.Response.Voiced(),
		Action: d.Action.String(), Discovered: d.Discovered, Changes: changes}
	if d.Card >= 0 {
		out.Card, out.Harm, out.Sound = scn.Mandates[d.Card].Title, d.Harm, d.Sound(&scn.Coeff)
	}
	if d.Escalated >= 0 {
		out.Escalated = scn.Mandates[d.Escalated].Title
	}
	if d.Response.Voiced() {
		out.Verdict = d.Verdict.String()
		k := s.Case(&d)
		out.Case = &Case{Data: k.Data.String(), Impact: k.Impact.String(),
			Alternative: k.Alternative, Ask: k.Ask.String(), Text: k.Text, Quality: CaseQuality(scn, d),
			Grade: d.Grade, Feedback: Feedback(s, d.Grade)}
	}
	return out
}

// CaseQuality is the quality the engine gave a decision's business case
// (sim.GradeCase, recorded in the decision's Grade).
func CaseQuality(scn *sim.Scenario, d sim.Decision) float64 {
	return d.Grade.Quality
}

// changes lists a seat's meter changes in a turn, in the order they happened.
func changes(s *sim.State, seat sim.Seat, turn int) []string {
	var out []string
	for _, d := range s.Deltas {
		if int(d.Turn) == turn && d.Seat == seat && d.Amount != 0 {
			out = append(out, d.Text(s.Scn))
		}
	}
	return out
}

// moments keeps the largest swings, but no more than MomentsPerMeter of one
// seat's meter, so that one manager's steady slide does not hide everyone
// else's story.
func moments(all []Moment) []Moment {
	var kept []Moment
	per := map[[2]any]int{}
	for _, m := range all {
		k := [2]any{m.Seat, m.Meter}
		if per[k] < MomentsPerMeter && len(kept) < MaxMoments {
			per[k]++
			kept = append(kept, m)
		}
	}
	return kept
}

// swings finds the net change of each meter of each seat in each finished
// turn, with the causes that made it up, largest first.
func swings(s *sim.State, played int) []Moment {
	type key struct {
		turn int
		seat sim.Seat
		m    sim.Meter
	}
	net := map[key]int{}
	causes := map[key][]sim.Delta{}
	var order []key
	for _, d := range s.Deltas {
		if d.Turn < 1 || int(d.Turn) > played || d.Amount == 0 {
			continue
		}
		if d.Seat == sim.Executive && d.Meter != sim.MeterPressure {
			continue // revenue and cost follow the teams; board pressure is the executive's own squeeze
		}
		k := key{int(d.Turn), d.Seat, d.Meter}
		if _, ok := net[k]; !ok {
			order = append(order, k)
		}
		net[k] += int(d.Amount)
		causes[k] = append(causes[k], d)
	}
	var out []Moment
	for _, k := range order {
		if net[k] == 0 {
			continue
		}
		who := "Company"
		if k.seat != sim.Executive {
			who = s.Cfg.Managers[k.seat-1].Name
		}
		ds := causes[k]
		slices.SortStableFunc(ds, func(a, b sim.Delta) int { return cmp.Compare(abs(int(b.Amount)), abs(int(a.Amount))) })
		m := Moment{Turn: k.turn, Seat: int(k.seat), Who: who, Meter: k.m.String(), Change: net[k]}
		for _, d := range ds {
			m.Causes = append(m.Causes, d.Text(s.Scn))
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b Moment) int {
		if c := cmp.Compare(abs(b.Change), abs(a.Change)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Turn, b.Turn); c != 0 {
			return c
		}
		return cmp.Compare(a.Seat, b.Seat)
	})
	return out
}

// bestWorst picks a seat's best and worst moment from the swings: its
// largest rise and largest fall (for the executive, board pressure's
// largest fall and rise).
func bestWorst(all []Moment, seat int) (best, worst *Moment) {
	for k := range all {
		m := all[k]
		if m.Seat != seat {
			continue
		}
		good := (m.Change > 0) != (seat == 0)
		if good && best == nil {
			best = &m
		}
		if !good && worst == nil {
			worst = &m
		}
	}
	return best, worst
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
