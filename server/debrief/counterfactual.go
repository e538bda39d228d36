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

// judge is the judging executive GAME.md holds up (sim.ConsultTarget,
// sim.JudgingCard, sim.JudgedVerdict), playing the executive's seat.
func judge() func(s *sim.State, seat sim.Seat) (sim.Command, bool) {
	var v sim.View
	return func(s *sim.State, seat sim.Seat) (sim.Command, bool) {
		s.ViewInto(&v, sim.Executive)
		switch v.Phase {
		case sim.PhaseMandate:
			if v.Visit == 0 {
				return sim.Command{Kind: sim.CmdVisit, Seat: sim.Executive, Target: sim.ConsultTarget(&v)}, true
			}
			pick := sim.JudgingCard(s.Scn, &v)
			if pick < 0 {
				return sim.Command{}, false
			}
			m := &s.Scn.Mandates[pick]
			return sim.Command{Kind: sim.CmdMandate, Seat: sim.Executive, Card: m.ID, Framing: m.Framing}, true
		case sim.PhaseRuling:
			for i := range v.Managers {
				m := &v.Managers[i]
				if m.Response.Voiced() && m.Verdict == sim.VerdictPending {
					return sim.Command{Kind: sim.CmdRule, Seat: sim.Executive, Target: m.Seat, Verdict: sim.JudgedVerdict(s.Scn, &v, m)}, true
				}
			}
		case sim.PhaseReveal:
			return sim.Command{Kind: sim.CmdReady, Seat: sim.Executive}, true
		}
		return sim.Command{}, false
	}
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
