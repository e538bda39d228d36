package debrief

import (
	"errors"

	"pushback/sim"
)

// A counterfactual replays a stored game with one seat played otherwise:
// the same scenario, seed and config, every other seat's logged commands
// in log order. sim is deterministic, so whatever differs at the end is the
// other seat's doing (and the month-to-month luck it set off).
//
// How the log and the substitute meet:
//   - the substitute's own logged commands are not applied; it decides when
//     the game waits for it, or just before a facilitator's skip or end
//     (a player who is there answers before the deadline);
//   - when the seat is a manager, the executive's logged rulings on it are
//     not applied either: the case may differ, so the persona of the config
//     rules (for a human executive too — the scenario persona named in the
//     config stands in for them);
//   - a logged command that is illegal after the games part (a case citing
//     evidence the other seat no longer holds, a ruling on an objection no
//     longer raised) is dropped, and that seat's bot fills the gap when the
//     game waits for it;
//   - after the log ends, bots finish the game.
type replay struct {
	s    *sim.State
	log  []sim.Command
	pos  int
	sub  sim.Seat // the seat played otherwise; -3 for none
	skip func(c sim.Command, s *sim.State) bool
	// decide plays the substitute; ok false hands the move to the bots.
	decide func(s *sim.State, seat sim.Seat) (sim.Command, bool)
	// own, when set, plays the substitute from these logged commands
	// instead, each in the phase it fits.
	own []sim.Command
	// ownRulings keeps the executive's logged rulings on the substitute.
	ownRulings bool
	bots       *sim.Bots
	newBots    func() *sim.Bots
	dropped    int
}

const noSeat sim.Seat = -3

// newReplay starts a game at its beginning with fill-in bots that play the
// config's persona and styles, except style for the substituted seat.
func newReplay(scn *sim.Scenario, g *Game, seat sim.Seat, style string) (*replay, error) {
	s, err := sim.New(scn, g.Config, g.Seed)
	if err != nil {
		return nil, err
	}
	cfg := g.Config
	cfg.Managers = append([]sim.SeatConfig(nil), g.Config.Managers...)
	if scn.Persona(cfg.Persona) == nil && len(scn.Personas) > 0 {
		cfg.Persona = scn.Personas[0].ID
	}
	for i := range cfg.Managers {
		if scn.Style(cfg.Managers[i].Style) == nil {
			cfg.Managers[i].Style = "advocate"
		}
	}
	if seat >= 1 && style != "" {
		cfg.Managers[seat-1].Style = style
	}
	// The bots' choices are their own draws, seeded from the game and the
	// seat, so that a benchmark is the same every time it is built.
	seed := g.Seed ^ 0x6a09e667f3bcc909 ^ uint64(seat+8)<<32
	table := &sim.State{Scn: scn, Cfg: cfg}
	if _, err := sim.NewBots(table, seed); err != nil {
		return nil, err
	}
	newBots := func() *sim.Bots {
		b, _ := sim.NewBots(table, seed)
		return b
	}
	return &replay{s: s, log: g.Commands, sub: seat, bots: newBots(), newBots: newBots,
		skip: func(sim.Command, *sim.State) bool { return false }}, nil
}

// clone copies a replay midway, for trying several answers from one point;
// the copy's bots start afresh from the same seed, so every copy meets the
// same luck.
func (r *replay) clone() *replay {
	c := *r
	c.s = r.s.Clone()
	c.bots = r.newBots()
	return &c
}

// step applies the next logged command, filling in for waiting seats first
// when the game lags the log. It returns false when the log is done.
func (r *replay) step() bool {
	if r.pos >= len(r.log) {
		return false
	}
	c := r.log[r.pos]
	r.pos++
	if r.s.Phase == sim.PhaseOver {
		return true
	}
	if r.mine(c) || r.skip(c, r.s) {
		return true
	}
	if c.Kind == sim.CmdSkip || c.Kind == sim.CmdEnd {
		r.actSub() // the substitute answers before the deadline
	}
	for range 16 {
		err := r.s.Apply(c)
		if err == nil {
			return true
		}
		// The game lags the log: the substitute owes a move, or a seat
		// whose logged move was dropped does (the log holds this phase's
		// moves before c, so every seat still owing one is such a seat).
		if !errors.Is(err, sim.ErrWrongPhase) || !r.catchUp() {
			break
		}
	}
	r.dropped++
	return true
}

// mine reports whether a logged command is the substituted seat's own.
func (r *replay) mine(c sim.Command) bool {
	switch {
	case r.sub == noSeat:
		return false
	case r.sub == sim.Executive:
		return c.Seat == sim.Executive
	}
	return c.Seat == r.sub || (!r.ownRulings && c.Kind == sim.CmdRule && c.Target == r.sub)
}

// run plays the rest of the log, then lets the bots finish the game.
func (r *replay) run() error {
	for r.step() {
	}
	for r.s.Phase != sim.PhaseOver {
		if !r.fill() {
			return errors.New("no seat can move")
		}
	}
	return nil
}

// actSub lets the substituted seat move while it is owed one.
func (r *replay) actSub() {
	for range 4 {
		if r.sub == noSeat || !r.s.Pending(r.sub) || !r.move(r.sub) {
			return
		}
	}
}

// catchUp makes one move for the substitute if it owes one, else one for
// each seat the game waits for.
func (r *replay) catchUp() bool {
	if r.sub != noSeat && r.s.Pending(r.sub) {
		return r.move(r.sub)
	}
	return r.fill()
}

// fill moves every seat the game waits for; false when none could.
func (r *replay) fill() bool {
	moved := false
	for seat := sim.Executive; int(seat) <= r.s.Managers(); seat++ {
		if r.s.Pending(seat) && r.move(seat) {
			moved = true
		}
	}
	return moved
}

// move makes one seat's move: the substitute's policy, else its bot.
func (r *replay) move(seat sim.Seat) bool {
	if seat == r.sub {
		if c, ok := r.fromLog(); ok && r.s.Apply(c) == nil {
			return true
		}
		if r.decide != nil {
			if c, ok := r.decide(r.s, seat); ok && r.s.Apply(c) == nil {
				return true
			}
		}
	}
	if r.bots == nil {
		return false
	}
	c, ok := r.bots.Decide(r.s, seat)
	return ok && r.s.Apply(c) == nil
}

// fromLog takes the substitute's next logged command if it fits the phase:
// the identity counterfactual, and a seat's later moves in a what-if.
func (r *replay) fromLog() (sim.Command, bool) {
	if len(r.own) == 0 {
		return sim.Command{}, false
	}
	c := r.own[0]
	if phaseOf(c.Kind) != r.s.Phase {
		return sim.Command{}, false
	}
	r.own = r.own[1:]
	return c, true
}

// phaseOf is the phase a seat's command belongs to.
func phaseOf(k sim.CommandKind) sim.Phase {
	switch k {
	case sim.CmdVisit, sim.CmdMandate:
		return sim.PhaseMandate
	case sim.CmdRespond:
		return sim.PhaseResponse
	case sim.CmdRule:
		return sim.PhaseRuling
	case sim.CmdReady:
		return sim.PhaseReveal
	}
	return sim.PhaseOver
}

// ownMoves lists a seat's logged commands.
func ownMoves(log []sim.Command, seat sim.Seat) []sim.Command {
	var out []sim.Command
	for _, c := range log {
		if c.Seat == seat {
			out = append(out, c)
		}
	}
	return out
}

// judge is the judging executive GAME.md holds up: it consults the manager
// with the highest standing before every mandate, plays the card in hand
// with the largest saving that the consulted team's evidence does not flag,
// at every manager, and rules on what the case shows (sim.GradeCase):
// withdraw a strong push-back, amend a fair case, uphold a weak one.
func judge() func(s *sim.State, seat sim.Seat) (sim.Command, bool) {
	var v sim.View
	return func(s *sim.State, seat sim.Seat) (sim.Command, bool) {
		s.ViewInto(&v, sim.Executive)
		switch v.Phase {
		case sim.PhaseMandate:
			if v.Visit == 0 {
				best := &v.Managers[0]
				for i := range v.Managers {
					if v.Managers[i].Meters.Standing > best.Meters.Standing {
						best = &v.Managers[i]
					}
				}
				return sim.Command{Kind: sim.CmdVisit, Seat: sim.Executive, Target: best.Seat}, true
			}
			var flags []int
			if m := v.Manager(v.Visit); m != nil {
				flags = m.Evidence
			}
			pick, fallback := -1, -1
			for _, card := range v.Hand {
				warned := 0.0
				for _, e := range flags {
					warned += s.Scn.Evidence[e].Shift(card)
				}
				better := func(x int) bool { return x < 0 || s.Scn.Mandates[card].Saving() > s.Scn.Mandates[x].Saving() }
				if better(fallback) {
					fallback = card
				}
				if warned < 0.1 && better(pick) {
					pick = card
				}
			}
			if pick < 0 {
				pick = fallback
			}
			if pick < 0 {
				return sim.Command{}, false
			}
			m := &s.Scn.Mandates[pick]
			return sim.Command{Kind: sim.CmdMandate, Seat: sim.Executive, Card: m.ID, Framing: m.Framing}, true
		case sim.PhaseRuling:
			for i := range v.Managers {
				m := &v.Managers[i]
				if m.Response.Voiced() && m.Verdict == sim.VerdictPending {
					return sim.Command{Kind: sim.CmdRule, Seat: sim.Executive, Target: m.Seat, Verdict: JudgedVerdict(s.Scn, &v, m)}, true
				}
			}
		case sim.PhaseReveal:
			return sim.Command{Kind: sim.CmdReady, Seat: sim.Executive}, true
		}
		return sim.Command{}, false
	}
}

// JudgedVerdict is the ruling a case's quality calls for (sim.GradeCase):
// withdraw at 0.65 and up for a push-back, amend at 0.45 and up (0.25 for
// a negotiation, which asks for less), else uphold. The judging executive
// rules so, and the executive's section sets every ruling against it.
func JudgedVerdict(scn *sim.Scenario, v *sim.View, m *sim.ManagerView) sim.Verdict {
	card := v.Card
	if m.Response == sim.ResponseEscalate {
		card = m.Escalate
	}
	return verdictFor(sim.GradeCase(scn, card, m.Case, v.News).Quality, m.Response)
}

func verdictFor(q float64, r sim.ResponseKind) sim.Verdict {
	switch {
	case q >= 0.65 && r != sim.ResponseNegotiate:
		return sim.VerdictWithdraw
	case q >= 0.45 || (r == sim.ResponseNegotiate && q >= 0.25):
		return sim.VerdictAmend
	}
	return sim.VerdictUphold
}

// The styles a manager seat is replayed with, and the executive policy.
const (
	GoodStyle = "advocate"
	YesMan    = "yes-man"
	Judging   = "judging executive"
)

// Counterfactual replays the game with seat played by a bot style (a
// manager seat) or by the judging executive (seat 0, style ignored), and
// returns the state it ends in and how many logged commands it had to drop.
// The game itself is not changed.
func Counterfactual(g Game, seat sim.Seat, style string) (*sim.State, int, error) {
	scn, err := g.Scenario()
	if err != nil {
		return nil, 0, err
	}
	return counterfactual(scn, &g, seat, style)
}

func counterfactual(scn *sim.Scenario, g *Game, seat sim.Seat, style string) (*sim.State, int, error) {
	r, err := newReplay(scn, g, seat, style)
	if err != nil {
		return nil, 0, err
	}
	if seat == sim.Executive {
		r.decide = judge()
	}
	if err := r.run(); err != nil {
		return nil, r.dropped, err
	}
	return r.s, r.dropped, nil
}

// Identity replays the game with seat played from its own logged moves
// through the counterfactual machinery: it must end exactly where the game
// did (a test holds it to that).
func Identity(g Game, seat sim.Seat) (*sim.State, error) {
	scn, err := g.Scenario()
	if err != nil {
		return nil, err
	}
	r, err := newReplay(scn, &g, seat, "")
	if err != nil {
		return nil, err
	}
	r.own, r.ownRulings = ownMoves(g.Commands, seat), true
	if err := r.run(); err != nil {
		return nil, err
	}
	return r.s, nil
}
