package debrief

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"pushback/scenarios"
	"pushback/sim"
)

// Format names the layout of an exported game file; ReadJSON refuses others.
const Format = "pushback-game/1"

// MaxJSONSize bounds a game file ReadJSON accepts: a long game is tens of
// kilobytes, and a wrong file must not exhaust memory.
const MaxJSONSize = 16 << 20

// Summary is the state a game ended in (or stood in when exported), per
// turn, so that a replay can say not only whether it differs but from which
// turn on.
type Summary struct {
	Turn    int           `json:"turn"`
	Phase   string        `json:"phase"`
	Version uint64        `json:"version"`
	Turns   []TurnSummary `json:"turns"` // turn 0 (the start) and every finished turn
	Scores  *Scores       `json:"scores,omitempty"`
}

// TurnSummary is every meter at the end of a turn and a digest of the
// turn's meter changes and decisions, which catches what the meters hide.
type TurnSummary struct {
	Turn    int           `json:"turn"`
	Teams   []TeamSummary `json:"teams"`
	Company Company       `json:"company"`
	Digest  string        `json:"digest"`
}

// TeamSummary is one team's meters and the executive's pulse of it.
type TeamSummary struct {
	Morale   int `json:"morale"`
	Trust    int `json:"trust"`
	Quota    int `json:"quota"`
	Standing int `json:"standing"`
	Pulse    int `json:"pulse"`
}

// Summarize describes a state for Game.Final.
func Summarize(s *sim.State) *Summary {
	sum := &Summary{Turn: s.Turn, Phase: s.Phase.String(), Version: s.Version}
	digests := make([]hash.Hash, len(s.History))
	for k := range digests {
		digests[k] = sha256.New()
	}
	at := func(turn int) hash.Hash {
		if turn >= 0 && turn < len(digests) {
			return digests[turn]
		}
		return nil
	}
	for _, d := range s.Deltas {
		if h := at(int(d.Turn)); h != nil {
			fmt.Fprintf(h, "d %d %d %d %d %d %d\n", d.Seat, d.Meter, d.Amount, d.Cause, d.Ref, d.Turn)
		}
	}
	for _, d := range s.Decisions {
		if h := at(d.Turn); h != nil {
			k := s.Case(&d)
			fmt.Fprintf(h, "c %d %d %d %d %d %d %t %.9f %d %d %q %d %q\n", d.Seat, d.Card, d.Response, d.Verdict,
				d.Action, d.Escalated, d.Discovered, d.Grade.Quality, k.Data, k.Impact, k.Alternative, k.Ask, k.Text+"|"+strings.Join(k.Evidence[:], ","))
		}
	}
	for k, h := range s.History {
		c := h.Company
		ts := TurnSummary{Turn: h.Turn, Company: Company{Revenue: c.Revenue, Cost: c.Cost, Pressure: c.Pressure, Market: c.Market}, Digest: hex.EncodeToString(digests[k].Sum(nil)[:8])}
		for i, m := range h.Teams {
			ts.Teams = append(ts.Teams, TeamSummary{m.Morale, m.Trust, m.Quota, m.Standing, h.Pulse[i]})
		}
		sum.Turns = append(sum.Turns, ts)
	}
	if s.Scores != nil {
		x := s.Scores.Executive
		sum.Scores = &Scores{Managers: append([]int(nil), s.Scores.Managers...), Executive: &x}
	}
	return sum
}

// The file layout. Enumerations are written by name, not number, so that a
// file stays readable and survives a reordering of sim's constants.
type file struct {
	Format         string        `json:"format"`
	Table          string        `json:"table,omitempty"`
	Scenario       string        `json:"scenario"`
	ScenarioSource string        `json:"scenario_source"`
	Seed           uint64        `json:"seed,string"`
	Config         fileConfig    `json:"config"`
	People         []string      `json:"people,omitempty"` // who played each seat, 0 the executive; "" a bot
	Commands       []fileCommand `json:"commands"`
	Final          *Summary      `json:"final"`
}

type fileConfig struct {
	Persona      string     `json:"persona"`
	ExecutiveBot bool       `json:"executive_bot"`
	Managers     []fileSeat `json:"managers"`
}

type fileSeat struct {
	Name  string `json:"name"`
	Style string `json:"style,omitempty"`
	Bot   bool   `json:"bot,omitempty"`
}

type fileCommand struct {
	Kind     string    `json:"kind"`
	Seat     int       `json:"seat"`
	Card     string    `json:"card,omitempty"`
	Target   int       `json:"target,omitempty"`
	Framing  string    `json:"framing,omitempty"`
	Response string    `json:"response,omitempty"`
	Case     *fileCase `json:"case,omitempty"`
	Action   string    `json:"action,omitempty"`
	Verdict  string    `json:"verdict,omitempty"`
	Event    string    `json:"event,omitempty"`
}

type fileCase struct {
	Data        string   `json:"data"`
	Impact      string   `json:"impact"`
	Alternative string   `json:"alternative,omitempty"`
	Ask         string   `json:"ask"`
	Text        string   `json:"text,omitempty"`
	Evidence    []string `json:"evidence,omitempty"` // IDs of the evidence cards cited
}

// WriteJSON writes the game as a file that replays exactly: the command log,
// seed, config, scenario source and a summary of the state it ends in. The
// summary is computed here by replaying the log, so a file never carries a
// state its own log does not produce.
func WriteJSON(w io.Writer, g Game) error {
	if len(g.ScenarioSource) == 0 {
		scn, err := scenarios.Source(g.ScenarioName)
		if err != nil {
			return fmt.Errorf("game %s: %w", g.label(), err)
		}
		g.ScenarioSource = scn
	}
	r, err := Replay(g)
	if err != nil {
		return err
	}
	f := file{Format: Format, Table: g.Table, Scenario: g.ScenarioName, ScenarioSource: string(g.ScenarioSource),
		Seed: g.Seed, Final: Summarize(r.State), Commands: make([]fileCommand, 0, len(g.Commands)), People: g.People}
	f.Config = fileConfig{Persona: g.Config.Persona, ExecutiveBot: g.Config.ExecutiveBot, Managers: []fileSeat{}}
	for _, m := range r.State.Cfg.Managers { // named as the report names them
		f.Config.Managers = append(f.Config.Managers, fileSeat{m.Name, m.Style, m.Bot})
	}
	for _, c := range g.Commands {
		fc := fileCommand{Kind: c.Kind.String(), Seat: int(c.Seat), Card: c.Card, Target: int(c.Target),
			Framing: c.Framing, Event: c.Event}
		if c.Response != sim.ResponseNone {
			fc.Response = c.Response.String()
		}
		if c.Action != sim.ActionNone {
			fc.Action = c.Action.String()
		}
		if c.Verdict != sim.VerdictPending {
			fc.Verdict = c.Verdict.String()
		}
		if c.Case != (sim.Case{}) {
			fc.Case = &fileCase{c.Case.Data.String(), c.Case.Impact.String(), c.Case.Alternative, c.Case.Ask.String(), c.Case.Text, nil}
			for _, id := range c.Case.Evidence {
				if id != "" {
					fc.Case.Evidence = append(fc.Case.Evidence, id)
				}
			}
		}
		f.Commands = append(f.Commands, fc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// ReadJSON reads a file WriteJSON wrote.
func ReadJSON(r io.Reader) (Game, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxJSONSize+1))
	if err != nil {
		return Game{}, fmt.Errorf("read game file: %w", err)
	}
	if len(data) > MaxJSONSize {
		return Game{}, fmt.Errorf("game file is larger than %d bytes", MaxJSONSize)
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return Game{}, fmt.Errorf("game file: %w", err)
	}
	if f.Format != Format {
		return Game{}, fmt.Errorf("game file: format %q, want %q", f.Format, Format)
	}
	g := Game{Table: f.Table, ScenarioName: f.Scenario, ScenarioSource: []byte(f.ScenarioSource), Seed: f.Seed,
		Final: f.Final, Commands: make([]sim.Command, 0, len(f.Commands)), People: f.People}
	g.Config = sim.Config{Persona: f.Config.Persona, ExecutiveBot: f.Config.ExecutiveBot}
	for _, m := range f.Config.Managers {
		g.Config.Managers = append(g.Config.Managers, sim.SeatConfig{Name: m.Name, Style: m.Style, Bot: m.Bot})
	}
	for i, fc := range f.Commands {
		c, err := fc.command()
		if err != nil {
			return Game{}, fmt.Errorf("game file: command %d: %w", i+1, err)
		}
		g.Commands = append(g.Commands, c)
	}
	return g, nil
}

func (fc fileCommand) command() (sim.Command, error) {
	c := sim.Command{Seat: sim.Seat(fc.Seat), Card: fc.Card, Target: sim.Seat(fc.Target), Framing: fc.Framing, Event: fc.Event}
	var errs []error
	get := func(err error) { errs = append(errs, err) }
	var err error
	if c.Kind, err = named(fc.Kind, sim.NumCommands, "command kind"); err != nil {
		get(err)
	}
	if c.Response, err = named(fc.Response, sim.NumResponses, "response"); err != nil {
		get(err)
	}
	if c.Action, err = named(fc.Action, sim.NumActions, "team action"); err != nil {
		get(err)
	}
	if c.Verdict, err = named(fc.Verdict, sim.NumVerdicts, "verdict"); err != nil {
		get(err)
	}
	if k := fc.Case; k != nil {
		c.Case.Alternative, c.Case.Text = k.Alternative, k.Text
		if len(k.Evidence) > len(c.Case.Evidence) {
			get(fmt.Errorf("a case cites %d evidence cards (at most %d)", len(k.Evidence), len(c.Case.Evidence)))
		}
		copy(c.Case.Evidence[:], k.Evidence)
		if c.Case.Data, err = named(k.Data, sim.NumLevers, "lever"); err != nil {
			get(err)
		}
		if c.Case.Impact, err = named(k.Impact, sim.NumLevers, "lever"); err != nil {
			get(err)
		}
		if c.Case.Ask, err = named(k.Ask, sim.NumAsks, "ask"); err != nil {
			get(err)
		}
	}
	return c, errors.Join(errs...)
}

// named maps a name back to its enumeration value; "" is the zero value.
func named[T interface {
	~uint8
	fmt.Stringer
}](s string, n T, what string) (T, error) {
	if s == "" {
		return 0, nil
	}
	for v := T(0); v < n; v++ {
		if v.String() == s {
			return v, nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q", what, s)
}

// Result is what Check found.
type Result struct {
	Match     bool
	Turns     int    // turns compared
	FirstTurn int    // the first turn that differs, when not Match (the current turn when only the end state does)
	Detail    string // what differs there, in words
}

// Check replays a game and compares it, turn by turn, with the summary it
// carries: the answer to "does this file end in exactly the same state?".
func Check(g Game) (Result, error) {
	if g.Final == nil {
		return Result{}, fmt.Errorf("game %s: no recorded final state to compare with", g.label())
	}
	r, rerr := Replay(g)
	if r == nil {
		return Result{}, rerr
	}
	got := Summarize(r.State)
	want := g.Final
	res := Result{Match: true, Turns: len(want.Turns)}
	differ := func(turn int, format string, args ...any) {
		if res.Match {
			res.Match, res.FirstTurn, res.Detail = false, turn, fmt.Sprintf(format, args...)
		}
	}
	for k := 0; k < max(len(got.Turns), len(want.Turns)); k++ {
		switch {
		case k >= len(got.Turns):
			differ(want.Turns[k].Turn, "recorded as finished, but the replay never finished it")
		case k >= len(want.Turns):
			differ(got.Turns[k].Turn, "the replay finished it, the record did not")
		default:
			if d := diffTurn(r.State, want.Turns[k], got.Turns[k]); d != "" {
				differ(got.Turns[k].Turn, "%s", d)
			}
		}
		if !res.Match {
			break
		}
	}
	if rerr != nil && res.Match {
		differ(r.State.Turn, "%v", rerr)
	} else if rerr != nil {
		res.Detail += "; then " + rerr.Error()
	}
	switch {
	case !res.Match:
	case got.Turn != want.Turn || got.Phase != want.Phase || got.Version != want.Version:
		differ(got.Turn, "the game stands at turn %d, %s, after %d commands; recorded: turn %d, %s, after %d commands",
			got.Turn, got.Phase, got.Version, want.Turn, want.Phase, want.Version)
	case (got.Scores == nil) != (want.Scores == nil):
		differ(got.Turn, "final scores present in only one of recorded and replayed")
	case got.Scores != nil && (fmt.Sprint(got.Scores.Managers) != fmt.Sprint(want.Scores.Managers) ||
		want.Scores.Executive == nil || *got.Scores.Executive != *want.Scores.Executive):
		differ(got.Turn, "final scores differ: recorded %s, replayed %s", want.Scores, got.Scores)
	}
	return res, nil
}

// diffTurn names the first difference between a recorded and a replayed turn.
func diffTurn(s *sim.State, want, got TurnSummary) string {
	if want.Turn != got.Turn {
		return fmt.Sprintf("turn numbered %d in the record, %d in the replay", want.Turn, got.Turn)
	}
	if len(want.Teams) != len(got.Teams) {
		return fmt.Sprintf("%d teams recorded, %d replayed", len(want.Teams), len(got.Teams))
	}
	for i := range got.Teams {
		w, g := want.Teams[i], got.Teams[i]
		for _, f := range []struct {
			name string
			w, g int
		}{{"morale", w.Morale, g.Morale}, {"trust", w.Trust, g.Trust}, {"quota", w.Quota, g.Quota},
			{"standing", w.Standing, g.Standing}, {"pulse", w.Pulse, g.Pulse}} {
			if f.w != f.g {
				return fmt.Sprintf("%s's %s recorded %d, replayed %d", s.Cfg.Managers[i].Name, f.name, f.w, f.g)
			}
		}
	}
	if want.Company != got.Company {
		return fmt.Sprintf("company recorded %+v, replayed %+v", want.Company, got.Company)
	}
	if want.Digest != got.Digest {
		return fmt.Sprintf("the meters agree but their changes or the decisions differ (digest recorded %s, replayed %s)", want.Digest, got.Digest)
	}
	return ""
}
