package room

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"pushback/scenarios"
	"pushback/server/balance"
	"pushback/server/protocol"
	"pushback/server/protocol/text"
	"pushback/sim"
)

// Hosting: what a trainer asks before any room exists — the scenarios on
// offer, whether a file of their own is playable, and how a table would
// balance. None of it touches a room, so none of it can stall play.

// PreviewGames is how many bot games a preview plays: enough for stable
// means, a fraction of a second of one core.
const PreviewGames = 300

// previewWait is how long a preview waits for one of the global slots.
const previewWait = 2 * time.Second

// trainerScenario is one valid file of serve -scenarios DIR.
type trainerScenario struct {
	file string
	src  []byte
	scn  *sim.Scenario
}

// loadLibrary reads every *.yaml of dir, in name order. A file that is too
// large, does not parse, or whose id is taken (by a shipped scenario or an
// earlier file) is logged with its problems and skipped: one trainer's typo
// must not keep the server, or the other files, from the workshop.
func loadLibrary(dir string) []trainerScenario {
	if dir == "" {
		return nil
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || paths == nil {
		slog.Warn("no scenario files", "dir", dir, "err", err)
		return nil
	}
	slices.Sort(paths)
	var out []trainerScenario
	for _, p := range paths {
		src, err := readBounded(p)
		if err != nil {
			slog.Error("scenario file skipped", "file", p, "err", err)
			continue
		}
		scn, _, err := scenarios.Check(p, src)
		if err != nil {
			slog.Error("scenario file skipped: fix it and restart", "file", p, "problems", err.Error())
			continue
		}
		switch {
		case slices.Contains(scenarios.Names(), scn.ID):
			slog.Error("scenario file skipped: a shipped scenario has its id; give it another", "file", p, "id", scn.ID)
			continue
		case slices.ContainsFunc(out, func(t trainerScenario) bool { return t.scn.ID == scn.ID }):
			slog.Error("scenario file skipped: an earlier file has its id", "file", p, "id", scn.ID)
			continue
		}
		out = append(out, trainerScenario{file: p, src: src, scn: scn})
		slog.Info("trainer scenario loaded", "file", p, "id", scn.ID, "title", scn.Title)
	}
	return out
}

// readBounded reads a scenario file of at most protocol.MaxScenario bytes,
// the bound of an uploaded one.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, protocol.MaxScenario+1))
	if err != nil {
		return nil, err
	}
	if len(b) > protocol.MaxScenario {
		return nil, fmt.Errorf("larger than %d KiB", protocol.MaxScenario>>10)
	}
	return b, nil
}

// trainer is a file of serve -scenarios DIR by id, nil if none.
func (h *Hub) trainer(id string) *trainerScenario {
	for i := range h.library {
		if h.library[i].scn.ID == id {
			return &h.library[i]
		}
	}
	return nil
}

// scenarioOf resolves what a create or preview plays: the uploaded Source,
// else a trainer's file or a shipped scenario by name. A broken upload is a
// bad_message naming its first problem at line:column.
func (h *Hub) scenarioOf(req *protocol.CreateRoom) (*sim.Scenario, []byte, error) {
	if len(req.Source) > 0 {
		scn, _, err := scenarios.Check(fileName(req.File), req.Source)
		if err != nil {
			var errs scenarios.Errors
			if errors.As(err, &errs) && len(errs) > 0 {
				msg := errs[0].Error()
				if len(errs) > 1 {
					msg += fmt.Sprintf(" (and %d more problems; check the file first)", len(errs)-1)
				}
				return nil, nil, &codeError{protocol.CodeBadMessage, msg}
			}
			return nil, nil, &codeError{protocol.CodeBadMessage, err.Error()}
		}
		return scn, req.Source, nil
	}
	name := req.Scenario
	if name == "" {
		name = scenarios.Default
	}
	if t := h.trainer(name); t != nil {
		return t.scn, t.src, nil
	}
	scn, src, err := shipped(name)
	if err != nil {
		var ids []string
		for _, c := range h.choices() {
			ids = append(ids, c.ID)
		}
		return nil, nil, &codeError{protocol.CodeBadCommand, fmt.Sprintf("no scenario %q here (have %s)", name, strings.Join(ids, ", "))}
	}
	return scn, src, nil
}

// choices is every scenario this server offers: shipped ones first.
func (h *Hub) choices() []protocol.ScenarioChoice {
	var out []protocol.ScenarioChoice
	for _, n := range scenarios.Names() {
		if scn, _, err := shipped(n); err == nil {
			out = append(out, protocol.Choice(scn, false))
		}
	}
	for _, t := range h.library {
		out = append(out, protocol.Choice(t.scn, true))
	}
	return out
}

// check answers a trainer's file with every problem, each at its line and
// column, and the hints.
func (h *Hub) check(c *client, m protocol.ClientMsg) {
	file := fileName(m.File)
	out := &protocol.Checked{File: file, Problems: []protocol.Problem{}, Hints: []protocol.Problem{}}
	if len(m.Source) == 0 {
		out.Problems = append(out.Problems, protocol.Problem{Line: 1, Column: 1, Message: "the file is empty"})
	} else {
		scn, hints, err := scenarios.Check(file, m.Source)
		var errs scenarios.Errors
		switch {
		case errors.As(err, &errs):
			for _, e := range errs {
				out.Problems = append(out.Problems, protocol.Problem{Line: e.Line, Column: e.Col, Message: e.Msg})
			}
		case err != nil:
			out.Problems = append(out.Problems, protocol.Problem{Line: 1, Column: 1, Message: err.Error()})
		default:
			ch := protocol.Choice(scn, true)
			out.Scenario = &ch
		}
		for _, e := range hints {
			out.Hints = append(out.Hints, protocol.Problem{Line: e.Line, Column: e.Col, Message: e.Msg})
		}
	}
	c.reply(protocol.ServerMsg{Kind: protocol.KindChecked, Re: m.ID, Checked: out})
}

// preview answers the balance table of the table a create describes. The
// answer goes out after the preview's slot is given back, so that whoever
// reads it may ask again at once.
func (h *Hub) preview(c *client, m protocol.ClientMsg) {
	bal, err := h.balance(c.key, m.Create)
	if err != nil {
		var ce *codeError
		if !errors.As(err, &ce) {
			ce = &codeError{protocol.CodeInternal, err.Error()}
		}
		c.fail(m.ID, ce.code, ce.msg)
		return
	}
	c.reply(protocol.ServerMsg{Kind: protocol.KindBalance, Re: m.ID, Balance: bal})
}

// balance plays PreviewGames bot games of req's table. It runs on the
// asking connection's reader, one at a time per address group (key) and on
// at most Config.Previews at once on the server.
func (h *Hub) balance(key string, req *protocol.CreateRoom) (*protocol.Balance, error) {
	if req == nil {
		return nil, &codeError{protocol.CodeBadMessage, "preview needs its create field: the table to try"}
	}
	scn, _, err := h.scenarioOf(req)
	if err != nil {
		return nil, err
	}
	persona := scn.Personas[0].ID
	if req.Executive != "" && req.Executive != "human" {
		if scn.Persona(req.Executive) == nil {
			return nil, &codeError{protocol.CodeBadCommand, fmt.Sprintf("no persona %q in %s", req.Executive, scn.ID)}
		}
		persona = req.Executive
	}
	n := req.Managers
	if n == 0 {
		n = 3
	}
	if n < 1 || n > sim.MaxManagers || len(req.Styles) > sim.MaxManagers {
		return nil, &codeError{protocol.CodeBadCommand, fmt.Sprintf("managers must be 1..%d", sim.MaxManagers)}
	}
	styles := seatStyles(DefaultStyles, req.Styles, n)
	if !h.cfg.NoLimits {
		h.mu.Lock()
		busy := h.previews[key]
		h.previews[key] = true
		h.mu.Unlock()
		if busy {
			return nil, &codeError{protocol.CodeRateLimited, "a preview from this address is running; wait for its table"}
		}
		defer func() {
			h.mu.Lock()
			delete(h.previews, key)
			h.mu.Unlock()
		}()
		select {
		case h.previewSlots <- struct{}{}:
			defer func() { <-h.previewSlots }()
		case <-time.After(previewWait):
			return nil, &codeError{protocol.CodeRateLimited, "the server is busy with other previews; try again in a moment"}
		}
	}
	res, err := balance.Run(balance.Options{Scenario: scn, Games: PreviewGames, Seed: 1, Styles: styles, Persona: persona, Workers: 1})
	if err != nil {
		return nil, &codeError{protocol.CodeBadCommand, err.Error()}
	}
	out := &protocol.Balance{Scenario: scn.ID, Persona: persona, Games: res.Games, Exec: res.Exec.Mean(), Rows: []protocol.BalanceRow{}}
	for i, s := range res.Seats {
		row := protocol.BalanceRow{Style: styles[i], Morale: s.Meters[0].Mean(), Trust: s.Meters[1].Mean(),
			Quota: s.Meters[2].Mean(), Standing: s.Meters[3].Mean(), Score: s.Score.Mean(), Resigned: s.Left.Mean(),
			Objections: float64(s.Objections) / float64(max(res.Games, 1))}
		if s.Objections > 0 {
			row.Won = float64(s.Won) / float64(s.Objections)
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// fileName is an uploaded file's name as the messages show it: its base
// name, or "scenario.yaml" for none or one that is long or not plain text.
func fileName(name string) string {
	name = filepath.Base(name)
	if name == "." || name == "/" || text.Check(name, 100, false) != nil || strings.TrimSpace(name) == "" {
		return "scenario.yaml"
	}
	return name
}

// seatStyles is the bot style of each of n manager seats: the defaults
// cycled, each replaced by the request's own where it names one.
func seatStyles(defaults, chosen []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = defaults[i%len(defaults)]
		if i < len(chosen) && chosen[i] != "" {
			out[i] = chosen[i]
		}
	}
	return out
}
