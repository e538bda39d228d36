package room

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/server/protocol/text"
	"pushback/server/store"
	"pushback/sim"
)

// DefaultStyles are the bot styles of manager seats when a room does not
// choose: the characters of GAME.md, cycled.
var DefaultStyles = []string{"yes-man", "firebrand", "diplomat", "advocate"}

// soloStyles give a solo manager (seat 1) the peers GAME.md names.
var soloStyles = []string{"advocate", "yes-man", "firebrand", "diplomat"}

// MaxDeadline bounds a phase deadline, in seconds.
const MaxDeadline = 24 * 3600

// seat is one playing place. Token is its secret; Owned means a person was
// given it; Hold means a bot plays it for its absent owner until they come
// back; BotOnly seats are never offered to people (a persona executive, the
// bot peers of a solo game).
type seat struct {
	Name    string  `msgpack:"name"`
	Token   string  `msgpack:"token"`
	Owned   bool    `msgpack:"owned"`
	Hold    bool    `msgpack:"hold"`
	BotOnly bool    `msgpack:"bot_only"`
	conn    *client // the person's connection now, nil if absent
}

// meta is a room's seats and flags: stored as created (store.Room.Meta),
// then changed only by records (records.go).
type meta struct {
	Create    protocol.CreateRoom `msgpack:"create"`
	Config    sim.Config          `msgpack:"config"`
	Seats     []seat              `msgpack:"seats"` // index = sim.Seat: 0 the executive
	Started   bool                `msgpack:"started"`
	Locked    bool                `msgpack:"locked"`
	Paused    bool                `msgpack:"paused"`
	Remaining int64               `msgpack:"remaining"` // ms of deadline left when paused
}

// table is one game table: its seats, the game (sim.State) and its bots,
// the phase clock and the connections seated at it. Its methods take the
// time of the step (now) and leave their effects for the actor: the frames
// to send and the connections to close in out (Room.flush hands them over
// in order), the deadline that the timer is armed from (Room.arm), and a
// vacated room to unload. The one thing it does at once is append to the
// room's log through deps (an interface; synchronous, because a refused
// append undoes the change before anyone hears of it); metrics and the
// hub's token index are behind deps too. Only its Room's goroutine touches
// it; a test drives it with a fake clock and no sockets (table_test.go).
type table struct {
	deps deps
	room *Room // its actor: a seated connection hands its messages there
	code string
	fac  string // the facilitator's token
	seed uint64
	scn  *sim.Scenario
	src  []byte
	info protocol.ScenarioInfo
	meta meta
	game *sim.State
	bots *sim.Bots

	conns    map[*client]struct{}
	nextID   int
	since    uint64 // the version the current phase began at
	turn     int
	phase    sim.Phase
	deadline time.Time // the running deadline, zero for none
	over     bool
	broken   bool
	stale    bool           // an append failed and the log could not be read back: reload before the next change (fresh)
	moved    string         // why the room left this node (its lease lost or handed over): the actor stops it
	vacated  bool           // a finished game's last connection left: the actor unloads the room
	nrec     uint64         // records in the store: the next is nrec+1
	empty    time.Time      // since when nobody is connected, zero while someone is
	report   []byte         // the final debrief message, once built (debrief.go)
	final    *report.Report // the final report itself, for the end-of-game answers (takeaway.go)

	turned  int               // joins refused for want of a seat, for the facilitator
	notices []protocol.Notice // the latest facilitator actions players are told of (notice.go)

	out []outFrame // what the step sends, in order: the actor hands it over (Room.flush)
}

// outFrame is a frame for a connection, or (hangUp) the end of the
// connection once what was queued before it is written.
type outFrame struct {
	c      *client
	b      []byte
	buf    *viewBuf // b's shared buffer, if it is a broadcast view
	hangUp bool
}

// send queues frame b for c, to go out after the step.
func (r *table) send(c *client, b []byte) { r.out = append(r.out, outFrame{c: c, b: b}) }

// sendView queues a broadcast view for c, taking a reference on its buffer
// for c's queue.
func (r *table) sendView(c *client, v *viewBuf) {
	v.refs.Add(1)
	r.out = append(r.out, outFrame{c: c, b: v.b, buf: v})
}

// reply queues a message for c.
func (r *table) reply(c *client, m protocol.ServerMsg) {
	if b := frame(m); b != nil {
		r.send(c, b)
	}
}

// fail queues a typed error answering c's request re.
func (r *table) fail(c *client, re uint32, code protocol.Code, msg string) {
	r.deps.m.errors.WithLabelValues(string(code)).Inc()
	r.reply(c, errorMsg(re, code, msg))
}

// hangUp closes c after the frames queued for it before.
func (r *table) hangUp(c *client) { r.out = append(r.out, outFrame{c: c, hangUp: true}) }

// begin makes the state (replaying log) and the bots.
func (r *table) begin(log []store.Entry, now time.Time) error {
	game, err := r.replay(log)
	if err != nil {
		return err
	}
	bots, err := sim.NewBots(game, r.seed^0x6a09e667f3bcc909^game.Version)
	if err != nil {
		return err
	}
	r.game, r.bots = game, bots
	r.info = protocol.Info(r.scn)
	if r.meta.Config.ExecutiveBot {
		r.info.Executive = r.meta.Config.Persona // who rules, for the feedback after a ruling
	}
	r.conns = map[*client]struct{}{}
	r.turn, r.phase, r.since = game.Turn, game.Phase, game.Version
	r.over = game.Phase == sim.PhaseOver
	r.empty = now
	return nil
}

// botPlays reports whether a bot moves for seat now.
func (r *table) botPlays(s sim.Seat) bool {
	if !r.meta.Started || r.meta.Paused || r.over || r.broken {
		return false
	}
	seat := &r.meta.Seats[s]
	return seat.BotOnly || !seat.Owned || seat.Hold
}

// apply carries out one command: sim first (which refuses illegal ones
// without change), then the durable append, and only then may anyone hear
// of it. If the append fails the state is rebuilt from the log, so memory
// never runs ahead of disk.
func (r *table) apply(c sim.Command, now time.Time) error {
	if err := r.game.Apply(c); err != nil {
		return err
	}
	if err := r.deps.log.Append(r.code, r.game.Version, c, now); err != nil {
		if r.leaseLost(err) {
			return errMoved
		}
		slog.Error("append failed; rebuilding the room from its log", "code", r.code, "err", err)
		if lerr := r.reload(); lerr != nil {
			// The database cannot be read either: the room reloads before
			// its next change (fresh), and nobody hears of this one.
			slog.Error("room waits for its database", "code", r.code, "err", lerr)
			r.stale = true
		}
		return errUnavailable
	}
	r.deps.m.commands.Inc()
	if r.game.Turn != r.turn || r.game.Phase != r.phase {
		r.turn, r.phase, r.since = r.game.Turn, r.game.Phase, r.game.Version
		r.resetDeadline(now)
	}
	return nil
}

// errUnavailable answers a change the store could not take: nothing of it
// was acknowledged, and the same request may be sent again.
var errUnavailable = &codeError{protocol.CodeInternal, "the game's database cannot be reached; your move was not saved — try again in a moment"}

// errMoved answers a change refused because the room's lease is lost.
var errMoved = &codeError{protocol.CodeInternal, "this room moved to another server; reconnecting"}

// leaseLost reports whether err is the store's ErrLeaseLost, and if so
// stops the room: another node owns it now (moved; the actor closes every
// connection with 1012 and drops the room without touching the store).
func (r *table) leaseLost(err error) bool {
	if !errors.Is(err, store.ErrLeaseLost) {
		return false
	}
	if r.moved == "" {
		slog.Warn("room lease lost: the room moved to another node", "code", r.code)
		r.deps.m.leaseLost.Inc()
		r.moved = "this room moved to another server; reconnecting"
	}
	return true
}

// fresh makes sure the room's memory is its log before a change: after an
// append failed with the database out of reach, it reloads the game, the
// seats and the record count; false while the database still cannot be
// read.
func (r *table) fresh(now time.Time) bool {
	if !r.stale {
		return true
	}
	sr, err := r.deps.log.Room(r.code)
	if err != nil {
		return false
	}
	m, n, err := metaOf(r.deps.log, sr)
	if err != nil {
		return false
	}
	if err := r.reload(); err != nil {
		return false
	}
	for i := range m.Seats {
		m.Seats[i].conn = r.meta.Seats[i].conn
	}
	r.meta, r.nrec, r.stale = m, n, false
	if r.game.Turn != r.turn || r.game.Phase != r.phase {
		r.turn, r.phase, r.since = r.game.Turn, r.game.Phase, r.game.Version
		r.resetDeadline(now)
	}
	slog.Info("room reloaded from its log after a database outage", "code", r.code, "version", r.game.Version)
	return true
}

func (r *table) reload() error {
	log, err := r.deps.log.Log(r.code)
	if err != nil {
		return err
	}
	game, err := r.replay(log)
	if err != nil {
		return err
	}
	r.game = game
	return nil
}

// settle lets bots make every move they owe, notices the end of the game,
// and sends every connection its view.
func (r *table) settle(now time.Time) {
	for moved := true; moved; {
		moved = false
		for s := sim.Executive; int(s) <= r.game.Managers(); s++ {
			if r.stale || r.moved != "" {
				return // memory may be ahead of the log: nobody sees it
			}
			if !r.botPlays(s) {
				continue
			}
			c, ok := r.bots.Decide(r.game, s)
			if !ok {
				continue
			}
			if err := r.apply(c, now); err != nil {
				slog.Error("bot move refused", "code", r.code, "seat", s, "cmd", c.Kind.String(), "err", err)
				continue
			}
			moved = true
		}
	}
	ended := r.game.Phase == sim.PhaseOver && !r.over
	if ended {
		r.end(now)
	}
	r.broadcast(now)
	if ended {
		r.debriefAll() // after the final views
	}
}

// end is the last step of a room's life: the game is over. No deadline
// runs any more, the store and the hub are told; the debrief follows the
// final views (settle), and the room unloads when its last connection
// leaves (detach).
func (r *table) end(now time.Time) {
	r.over = true
	r.deadline = time.Time{}
	if err := r.deps.log.Finish(r.code, now); err != nil {
		slog.Error("finish", "code", r.code, "err", err)
	}
	r.deps.hub.finished()
	slog.Info("game over", "code", r.code, "scores", fmt.Sprint(r.game.Scores))
}

// resetDeadline starts the current phase's deadline, if it has one.
func (r *table) resetDeadline(now time.Time) {
	r.deadline = time.Time{}
	if !r.meta.Started || r.over || r.meta.Paused {
		return
	}
	if d := r.meta.Create.Deadlines.For(r.game.Phase); d > 0 {
		r.setDeadline(now.Add(time.Duration(d) * time.Second))
	}
}

func (r *table) setDeadline(t time.Time) {
	r.deadline = t
}

// expire handles a passed deadline: a bot takes every pending seat whose
// person is away (and keeps it until they return); seats whose person is
// here but silent get the documented default through sim's skip.
func (r *table) expire(now time.Time) {
	if r.deadline.IsZero() || now.Before(r.deadline) || r.meta.Paused || r.over {
		return
	}
	if !r.fresh(now) {
		r.deadline = now.Add(time.Second) // the database is out of reach: try again
		return
	}
	r.deadline = time.Time{}
	turn, phase := r.game.Turn, r.game.Phase
	var held []sim.Seat
	prev := r.meta.clone()
	for s := sim.Executive; int(s) <= r.game.Managers(); s++ {
		seat := &r.meta.Seats[s]
		if r.game.Pending(s) && seat.Owned && !seat.BotOnly && seat.conn == nil && !seat.Hold {
			seat.Hold = true
			held = append(held, s)
			slog.Info("deadline: a bot takes an absent seat", "code", r.code, "seat", s)
		}
	}
	// If storing fails the seats stay as they were, and skip gives the
	// defaults.
	if len(held) > 0 && r.persist(prev, now) == nil {
		for _, s := range held {
			r.notify(protocol.NoticeBot, s, "Time ran out while you were away: a bot played your seat. Your next decision takes it back.", now)
		}
	}
	r.settle(now)
	if r.game.Turn == turn && r.game.Phase == phase && !r.over && r.anyPending() {
		if err := r.apply(sim.Command{Kind: sim.CmdSkip, Seat: sim.Facilitator}, now); err != nil {
			slog.Error("deadline skip", "code", r.code, "err", err)
		}
		r.settle(now)
	}
}

func (r *table) anyPending() bool {
	for s := sim.Executive; int(s) <= r.game.Managers(); s++ {
		if r.game.Pending(s) {
			return true
		}
	}
	return false
}

// clone copies the meta deep enough to undo a change to it.
func (m meta) clone() meta {
	m.Seats = slices.Clone(m.Seats)
	return m
}

// checkName applies the text policy to a display name; the scenario's
// persona names are reserved (a bot executive shows its persona's name).
func checkName(name string, scn *sim.Scenario) (string, error) {
	var reserved []string
	for _, p := range scn.Personas {
		reserved = append(reserved, p.Name)
	}
	n, err := text.Name(name, protocol.MaxName, reserved...)
	if err != nil {
		return "", &codeError{protocol.CodeBadMessage, fmt.Sprintf("a name is 1..%d bytes of visible, printable text that is no bot's: %v", protocol.MaxName, err)}
	}
	return n, nil
}

// handle serves a connection's game command or facilitator order; true
// when it answered ok.
func (r *table) handle(c *client, m protocol.ClientMsg, now time.Time) bool {
	if _, ok := r.conns[c]; !ok {
		r.fail(c, m.ID, protocol.CodeBadMessage, "join, create or resume a room first")
		return false
	}
	if r.broken {
		r.fail(c, m.ID, protocol.CodeInternal, "this room's storage failed; the facilitator should start a new one")
		return false
	}
	if !r.fresh(now) {
		r.failWith(c, m.ID, errUnavailable)
		return false
	}
	if m.Kind == protocol.KindDebrief && c.role == protocol.RoleFacilitator {
		r.sendDebrief(c, m.ID)
		return false
	}
	var err error
	if m.Kind == protocol.KindReaction || m.Kind == protocol.KindCommitment {
		err = r.takeaway(c, m, now)
	} else if m.Kind == protocol.KindCommand {
		err = r.command(c, m, now)
	} else if c.role != protocol.RoleFacilitator {
		err = &codeError{protocol.CodeUnauthorized, m.Kind + " is a facilitator order"}
	} else {
		err = r.order(c, m, now)
	}
	if err != nil {
		r.failWith(c, m.ID, err)
		return false
	}
	r.reply(c, protocol.ServerMsg{Kind: protocol.KindOK, Re: m.ID})
	return true
}

func (r *table) command(c *client, m protocol.ClientMsg, now time.Time) error {
	cmd := m.Command
	switch {
	case cmd == nil:
		return &codeError{protocol.CodeBadMessage, "command needs its command field"}
	case c.seat < 0 || r.meta.Seats[c.seat].conn != c:
		return &codeError{protocol.CodeNotYourSeat, "this connection holds no playing seat"}
	case cmd.Seat != c.seat:
		return &codeError{protocol.CodeNotYourSeat, fmt.Sprintf("you hold seat %d, not %d", c.seat, cmd.Seat)}
	case r.over:
		return &codeError{protocol.CodeGameOver, "the game is over"}
	case !r.meta.Started:
		return &codeError{protocol.CodeNotStarted, "the facilitator has not started the game"}
	case r.meta.Paused:
		return &codeError{protocol.CodePaused, "the facilitator has paused the game"}
	case m.Based < r.since || m.Based > r.game.Version:
		return &codeError{protocol.CodeStaleVersion, fmt.Sprintf("decided on version %d; the phase began at version %d and the game is at %d", m.Based, r.since, r.game.Version)}
	}
	for _, t := range []string{cmd.Framing, cmd.Case.Text, cmd.Case.Alternative} {
		if err := text.Check(t, sim.MaxText, true); err != nil {
			return &codeError{protocol.CodeBadCommand, err.Error()}
		}
	}
	seat := &r.meta.Seats[c.seat]
	if err := r.apply(*cmd, now); err != nil {
		return err
	}
	if seat.Hold { // the person is back and plays again
		prev := r.meta.clone()
		seat.Hold = false
		r.persist(prev, now) // if it fails a bot keeps playing the seat
	}
	r.settle(now)
	return nil
}
