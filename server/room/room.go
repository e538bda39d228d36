package room

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vmihailenco/msgpack/v5"

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

// Room is one game table. Everything in it is touched only by its own
// goroutine (run), which takes work as closures from inbox.
type Room struct {
	hub  *Hub
	code string
	fac  string
	seed uint64
	scn  *sim.Scenario
	src  []byte
	info protocol.ScenarioInfo
	meta meta
	st   *sim.State
	bots *sim.Bots

	inbox   chan func()
	stop    chan struct{} // closed by Hub.Close
	stopped chan struct{} // closed when run returns

	conns  map[*client]struct{}
	nextID int
	since  uint64 // the version the current phase began at
	turn   int
	phase  sim.Phase
	timer  *time.Timer
	dl     time.Time // the running deadline, zero for none
	over   bool
	broken bool
	idle   bool           // unloaded (Hub.unload): the goroutine ends
	refs   int            // guarded by the hub's mu: holders about to hand it work (Hub.acquire)
	nrec   uint64         // records in the store: the next is nrec+1
	empty  time.Time      // since when nobody is connected, zero while someone is
	report []byte         // the final debrief message, once built (debrief.go)
	final  *report.Report // the final report itself, for the end-of-game answers (takeaway.go)

	turned  int               // joins refused for want of a seat, for the facilitator
	notices []protocol.Notice // the latest facilitator actions players are told of (notice.go)
}

// codeError is an error with its protocol code, for requests that fail
// before a room exists.
type codeError struct {
	code protocol.Code
	msg  string
}

func (e *codeError) Error() string { return e.msg }

var errCodeTaken = errors.New("room code taken")

// create builds a new room from a request, stores it and returns it, not yet
// running.
func create(h *Hub, code, fac string, req protocol.CreateRoom, scn *sim.Scenario, src []byte, now time.Time) (*Room, error) {
	bad := func(format string, a ...any) error {
		return &codeError{protocol.CodeBadCommand, fmt.Sprintf(format, a...)}
	}
	// The source is stored once, with the room (store.Room.Source), not
	// again in its meta.
	req.Scenario, req.Source = scn.ID, nil
	solo := req.Solo
	if solo != "" && solo != protocol.RoleExecutive && solo != protocol.RoleManager {
		return nil, bad("solo must be %q, %q or empty, not %q", protocol.RoleExecutive, protocol.RoleManager, solo)
	}
	if req.Managers == 0 {
		req.Managers = 3
		if solo == protocol.RoleManager {
			req.Managers = 4
		}
	}
	if req.Managers < 1 || req.Managers > sim.MaxManagers {
		return nil, bad("managers must be 1..%d, not %d", sim.MaxManagers, req.Managers)
	}
	for _, d := range []int{req.Deadlines.Mandate, req.Deadlines.Response, req.Deadlines.Ruling, req.Deadlines.Reveal} {
		if d < 0 || d > MaxDeadline {
			return nil, bad("deadlines must be 0..%d seconds", MaxDeadline)
		}
	}
	if solo != "" {
		n, err := checkName(req.Name, scn)
		if err != nil {
			return nil, err
		}
		req.Name = n
	}
	if len(req.Styles) > sim.MaxManagers {
		return nil, bad("more styles than seats")
	}
	if len(scn.Personas) == 0 {
		return nil, bad("scenario %s has no persona", scn.ID)
	}
	cfg := sim.Config{Persona: scn.Personas[0].ID}
	humanExec := req.Executive == "human" || solo == protocol.RoleExecutive
	if !humanExec && req.Executive != "" {
		if scn.Persona(req.Executive) == nil {
			return nil, &codeError{protocol.CodeBadCommand, fmt.Sprintf("no persona %q in %s", req.Executive, scn.ID)}
		}
		cfg.Persona = req.Executive
	}
	cfg.ExecutiveBot = !humanExec
	styles := DefaultStyles
	if solo == protocol.RoleManager {
		styles = soloStyles
	}
	styles = seatStyles(styles, req.Styles, req.Managers)
	seats := make([]seat, req.Managers+1)
	seats[0] = seat{Token: newToken(), BotOnly: !humanExec}
	for i := 1; i <= req.Managers; i++ {
		st := styles[i-1]
		botOnly := solo != "" && !(solo == protocol.RoleManager && i == 1)
		cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: fmt.Sprintf("Manager %d", i), Style: st, Bot: botOnly})
		seats[i] = seat{Token: newToken(), BotOnly: botOnly}
	}
	// The solo player's seat is theirs from the start, so that no bot moves
	// in it before they are attached.
	switch solo {
	case protocol.RoleExecutive:
		seats[0].Owned, seats[0].Name = true, strings.TrimSpace(req.Name)
	case protocol.RoleManager:
		seats[1].Owned, seats[1].Name = true, strings.TrimSpace(req.Name)
	}
	if req.Seed == 0 {
		req.Seed = randomSeed()
	}
	r := &Room{hub: h, code: code, fac: fac, seed: req.Seed, scn: scn, src: src,
		meta: meta{Create: req, Config: cfg, Seats: seats, Started: solo != ""}}
	if err := r.begin(nil); err != nil {
		if errors.Is(err, sim.ErrBadCommand) {
			return nil, bad("%v", err)
		}
		return nil, err
	}
	mb, err := msgpack.Marshal(&r.meta)
	if err != nil {
		return nil, err
	}
	if err := h.st.Create(store.Room{Code: code, Facilitator: fac, Scenario: req.Scenario, Source: src,
		Seed: r.seed, Meta: mb, Created: now}); err != nil {
		if h.inMemory(code) != nil || errors.Is(err, store.ErrCodeTaken) {
			return nil, errCodeTaken
		}
		return nil, err
	}
	return r, nil
}

// restore rebuilds a stored room by replaying its log.
func restore(h *Hub, sr store.Room) (*Room, error) {
	r := &Room{hub: h, code: sr.Code, fac: sr.Facilitator, seed: sr.Seed, src: sr.Source}
	m, n, err := metaOf(h.st, sr)
	if err != nil {
		return nil, err
	}
	r.meta, r.nrec = m, n
	scn, err := parsed(sr.Scenario, sr.Source)
	if err != nil {
		return nil, fmt.Errorf("room %s scenario: %w", sr.Code, err)
	}
	r.scn = scn
	log, err := h.st.Log(sr.Code)
	if err != nil {
		return nil, err
	}
	if err := r.begin(log); err != nil {
		return nil, fmt.Errorf("room %s: %w", sr.Code, err)
	}
	if r.over && sr.Finished.IsZero() { // the end was not recorded before a crash or a failed write
		if err := h.st.Finish(sr.Code, time.Now()); err != nil {
			slog.Error("finish", "code", sr.Code, "err", err)
		}
	}
	return r, nil
}

// begin makes the state (replaying log) and the bots, and readies the actor.
func (r *Room) begin(log []store.Entry) error {
	st, err := store.Replay(r.scn, r.meta.Config, r.seed, log)
	if err != nil {
		return err
	}
	bots, err := sim.NewBots(st, r.seed^0x6a09e667f3bcc909^st.Version)
	if err != nil {
		return err
	}
	r.st, r.bots = st, bots
	r.info = protocol.Info(r.scn)
	if r.meta.Config.ExecutiveBot {
		r.info.Executive = r.meta.Config.Persona // who rules, for the feedback after a ruling
	}
	r.inbox = make(chan func(), 64)
	r.stop = make(chan struct{})
	r.stopped = make(chan struct{})
	r.conns = map[*client]struct{}{}
	r.turn, r.phase, r.since = st.Turn, st.Phase, st.Version
	r.over = st.Phase == sim.PhaseOver
	r.empty = time.Now()
	return nil
}

// unloadIfIdle frees the room if nobody has been in it for LobbyIdle and
// nothing can happen in it until someone comes: no deadline runs and no bot
// owes a move (settle has made them all). Its every change is in the store,
// so a join or resume brings it back as it was.
func (r *Room) unloadIfIdle(now time.Time) {
	if r.idle || len(r.conns) > 0 {
		return
	}
	if !r.over && (r.empty.IsZero() || now.Sub(r.empty) < r.hub.cfg.LobbyIdle || !r.dl.IsZero()) {
		return
	}
	if r.hub.unload(r) {
		r.idle = true
		slog.Info("idle room unloaded", "code", r.code, "started", r.meta.Started, "over", r.over)
	}
}

// do queues work for the room's goroutine. It blocks while the inbox is
// full, which slows that one sender, never the room.
func (r *Room) do(f func()) {
	select {
	case r.inbox <- f:
	case <-r.stopped:
	}
}

// call runs f on the room's goroutine and waits for it.
func (r *Room) call(f func()) {
	done := make(chan struct{})
	r.do(func() { f(); close(done) })
	select {
	case <-done:
	case <-r.stopped:
	}
}

// leave is the reader's last word: its connection is gone.
func (r *Room) leave(c *client) { r.call(func() { r.detach(c) }) }

// run is the room's goroutine.
func (r *Room) run() {
	r.timer = time.NewTimer(time.Hour)
	r.timer.Stop()
	defer func() {
		r.timer.Stop()
		for c := range r.conns {
			c.close()
		}
		close(r.stopped)
	}()
	// A restored room picks up where it was: bots owe moves, the phase gets
	// a fresh deadline.
	r.resetDeadline(time.Now())
	r.settle()
	for {
		select {
		case f := <-r.inbox:
			f()
			if r.idle {
				return
			}
		case <-r.timer.C:
			r.expire(time.Now())
		case <-r.stop:
			return
		}
	}
}

// botPlays reports whether a bot moves for seat now.
func (r *Room) botPlays(s sim.Seat) bool {
	if !r.meta.Started || r.meta.Paused || r.over || r.broken {
		return false
	}
	st := &r.meta.Seats[s]
	return st.BotOnly || !st.Owned || st.Hold
}

// apply carries out one command: sim first (which refuses illegal ones
// without change), then the durable append, and only then may anyone hear
// of it. If the append fails the state is rebuilt from the log, so memory
// never runs ahead of disk.
func (r *Room) apply(c sim.Command) error {
	if err := r.st.Apply(c); err != nil {
		return err
	}
	if err := r.hub.st.Append(r.code, r.st.Version, c, time.Now()); err != nil {
		slog.Error("append failed; rebuilding the room from its log", "code", r.code, "err", err)
		if lerr := r.reload(); lerr != nil {
			slog.Error("room broken", "code", r.code, "err", lerr)
			r.broken = true
		}
		return &codeError{protocol.CodeInternal, "the server could not store the command; try again"}
	}
	r.hub.m.commands.Inc()
	if r.st.Turn != r.turn || r.st.Phase != r.phase {
		r.turn, r.phase, r.since = r.st.Turn, r.st.Phase, r.st.Version
		r.resetDeadline(time.Now())
	}
	return nil
}

func (r *Room) reload() error {
	log, err := r.hub.st.Log(r.code)
	if err != nil {
		return err
	}
	st, err := store.Replay(r.scn, r.meta.Config, r.seed, log)
	if err != nil {
		return err
	}
	r.st = st
	return nil
}

// settle lets bots make every move they owe, notices the end of the game,
// and sends every connection its view.
func (r *Room) settle() {
	for moved := true; moved; {
		moved = false
		for s := sim.Executive; int(s) <= r.st.Managers(); s++ {
			if !r.botPlays(s) {
				continue
			}
			c, ok := r.bots.Decide(r.st, s)
			if !ok {
				continue
			}
			if err := r.apply(c); err != nil {
				slog.Error("bot move refused", "code", r.code, "seat", s, "cmd", c.Kind.String(), "err", err)
				continue
			}
			moved = true
		}
	}
	if r.st.Phase == sim.PhaseOver && !r.over {
		r.over = true
		r.dl = time.Time{}
		r.timer.Stop()
		if err := r.hub.st.Finish(r.code, time.Now()); err != nil {
			slog.Error("finish", "code", r.code, "err", err)
		}
		r.hub.finished()
		slog.Info("game over", "code", r.code, "scores", fmt.Sprint(r.st.Scores))
		defer r.debriefAll() // after the final views
	}
	r.broadcast()
}

// resetDeadline starts the current phase's deadline, if it has one.
func (r *Room) resetDeadline(now time.Time) {
	r.dl = time.Time{}
	r.timer.Stop()
	if !r.meta.Started || r.over || r.meta.Paused {
		return
	}
	if d := r.meta.Create.Deadlines.For(r.st.Phase); d > 0 {
		r.setDeadline(now.Add(time.Duration(d) * time.Second))
	}
}

func (r *Room) setDeadline(t time.Time) {
	r.dl = t
	r.timer.Reset(time.Until(t))
}

// expire handles a passed deadline: a bot takes every pending seat whose
// person is away (and keeps it until they return); seats whose person is
// here but silent get the documented default through sim's skip.
func (r *Room) expire(now time.Time) {
	if r.dl.IsZero() || now.Before(r.dl) || r.meta.Paused || r.over {
		return
	}
	r.dl = time.Time{}
	turn, phase := r.st.Turn, r.st.Phase
	var held []sim.Seat
	prev := r.meta.clone()
	for s := sim.Executive; int(s) <= r.st.Managers(); s++ {
		st := &r.meta.Seats[s]
		if r.st.Pending(s) && st.Owned && !st.BotOnly && st.conn == nil && !st.Hold {
			st.Hold = true
			held = append(held, s)
			slog.Info("deadline: a bot takes an absent seat", "code", r.code, "seat", s)
		}
	}
	// If storing fails the seats stay as they were, and skip gives the
	// defaults.
	if len(held) > 0 && r.persist(prev) == nil {
		for _, s := range held {
			r.notify(protocol.NoticeBot, s, "Time ran out while you were away: a bot played your seat. Your next decision takes it back.")
		}
	}
	r.settle()
	if r.st.Turn == turn && r.st.Phase == phase && !r.over && r.anyPending() {
		if err := r.apply(sim.Command{Kind: sim.CmdSkip, Seat: sim.Facilitator}); err != nil {
			slog.Error("deadline skip", "code", r.code, "err", err)
		}
		r.settle()
	}
}

func (r *Room) anyPending() bool {
	for s := sim.Executive; int(s) <= r.st.Managers(); s++ {
		if r.st.Pending(s) {
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

// admitCreator gives the creating connection its place: the facilitator of
// a workshop room, or the human seat of a solo game.
func (r *Room) admitCreator(c *client, re uint32) {
	var err error
	switch r.meta.Create.Solo {
	case "":
		r.attach(c, protocol.RoleFacilitator, sim.Facilitator, "")
	case protocol.RoleExecutive:
		err = r.take(c, 0, r.meta.Create.Name, protocol.RoleExecutive, r.meta.clone())
	default:
		err = r.take(c, 1, r.meta.Create.Name, protocol.RoleManager, r.meta.clone())
	}
	if err != nil {
		r.failWith(c, re, err)
		r.settle()
		return
	}
	r.joined(c, re, r.fac)
	r.settle()
}

// failWith answers a request with err's code.
func (r *Room) failWith(c *client, re uint32, err error) {
	var ce *codeError
	if errors.As(err, &ce) {
		c.fail(re, ce.code, ce.msg)
	} else {
		c.fail(re, protocol.SimCode(err), err.Error())
	}
}

// attach puts c in the room with a role.
func (r *Room) attach(c *client, role string, s sim.Seat, name string) {
	r.nextID++
	c.id, c.role, c.seat, c.name = r.nextID, role, s, name
	r.conns[c] = struct{}{}
	c.room.Store(r)
	r.empty = time.Time{}
}

// take gives seat s to c's person with a fresh token, durably: prev is the
// meta before this change (and any the caller made with it), restored if
// the store refuses it.
func (r *Room) take(c *client, s sim.Seat, name, role string, prev meta) error {
	st := &r.meta.Seats[s]
	old := st.conn
	st.Name, st.Owned, st.Hold, st.BotOnly, st.conn = name, true, false, false, c
	st.Token = newToken()
	if err := r.persist(prev); err != nil {
		return err
	}
	if old != nil && old != c {
		r.demote(old)
	}
	r.hub.indexToken(st.Token, r.code)
	r.attach(c, role, s, name)
	return nil
}

// free gives seat s back to the bots, with a fresh token that the caller
// indexes once the change is stored.
func (r *Room) free(s sim.Seat) string {
	old := &r.meta.Seats[s]
	old.Owned, old.Hold, old.Name, old.conn = false, false, "", nil
	old.Token = newToken()
	return old.Token
}

// depart lets connection c leave for another of the facilitator's tables:
// the seat it held is freed for a bot.
func (r *Room) depart(c *client) error {
	if c.seat >= 0 {
		prev := r.meta.clone()
		tok := r.free(c.seat)
		if err := r.persist(prev); err != nil {
			return err
		}
		r.hub.indexToken(tok, r.code)
	}
	r.detach(c)
	r.settle()
	return nil
}

// demote turns a connection that lost its seat into an observer and tells it.
func (r *Room) demote(c *client) {
	c.role, c.seat = protocol.RoleObserver, sim.Public
	r.joined(c, 0, "")
}

// detach takes c out of the room; its seat stays reserved for its token.
func (r *Room) detach(c *client) {
	if _, ok := r.conns[c]; !ok {
		return
	}
	delete(r.conns, c)
	for i := range r.meta.Seats {
		if r.meta.Seats[i].conn == c {
			r.meta.Seats[i].conn = nil
		}
	}
	c.room.CompareAndSwap(r, nil)
	r.broadcast()
	if len(r.conns) == 0 {
		r.empty = time.Now()
	}
	if r.over && len(r.conns) == 0 {
		// Nobody is looking at a finished game: free it. Its log stays in
		// the store, and a resume brings it back (Hub.lookup).
		r.idle = r.hub.unload(r) // else the janitor tries again
	}
}

func (r *Room) joined(c *client, re uint32, fac string) {
	j := &protocol.Joined{Code: r.code, Role: c.role, Seat: c.seat, Conn: c.id, Facilitator: fac, Scenario: r.info}
	if c.seat >= 0 {
		j.Token = r.meta.Seats[c.seat].Token
	}
	c.reply(protocol.ServerMsg{Kind: protocol.KindJoined, Re: re, Joined: j})
	if r.over {
		r.sendDebrief(c, 0)
	}
}

// join seats a newcomer by code and name. When no seat of the wanted role
// is free it answers nothing and returns false: the hub then tries the
// facilitator's other tables, then overflow. With spread (the newcomer
// asked for another table) it also returns false, silently, when this room
// is over, locked or full of connections.
func (r *Room) join(c *client, m protocol.ClientMsg, spread bool) bool {
	if spread && (r.over || r.meta.Locked || len(r.conns) >= r.hub.cfg.MaxConns) {
		return false
	}
	if r.over {
		// A finished game's debrief holds every case text: it goes to the
		// people who played it (they resume with their tokens) and to the
		// facilitator, not to whoever learns the code.
		c.fail(m.ID, protocol.CodeGameOver, "the game is over; players come back with their tokens, the facilitator has the report")
		return true
	}
	if r.meta.Locked {
		c.fail(m.ID, protocol.CodeRoomLocked, "the facilitator has locked this room")
		return true
	}
	if len(r.conns) >= r.hub.cfg.MaxConns {
		c.fail(m.ID, protocol.CodeRoomFull, fmt.Sprintf("the room has its maximum of %d connections", r.hub.cfg.MaxConns))
		return true
	}
	role := m.Role
	if role == "" {
		role = protocol.RolePlayer
	}
	name := strings.TrimSpace(m.Name)
	switch role {
	case protocol.RoleObserver, protocol.RoleProjector:
		if m.Name != "" {
			n, err := checkName(m.Name, r.scn)
			if err != nil {
				r.failWith(c, m.ID, err)
				return true
			}
			name = n
		}
		r.attach(c, role, sim.Public, name)
		r.joined(c, m.ID, "")
		r.broadcast()
		return true
	case protocol.RoleExecutive, protocol.RoleManager, protocol.RolePlayer:
	default:
		c.fail(m.ID, protocol.CodeBadMessage, fmt.Sprintf("role %q: join as %s, %s, %s, %s or %s", role,
			protocol.RolePlayer, protocol.RoleManager, protocol.RoleExecutive, protocol.RoleObserver, protocol.RoleProjector))
		return true
	}
	name, err := checkName(m.Name, r.scn)
	if err != nil {
		r.failWith(c, m.ID, err)
		return true
	}
	var order []sim.Seat
	for s := 1; s < len(r.meta.Seats); s++ {
		order = append(order, sim.Seat(s))
	}
	switch role {
	case protocol.RoleExecutive:
		order = []sim.Seat{sim.Executive}
	case protocol.RolePlayer:
		order = append(order, sim.Executive)
	}
	if m.Seat != nil {
		if !slices.Contains(order, *m.Seat) {
			c.fail(m.ID, protocol.CodeBadMessage, fmt.Sprintf("no seat %d for role %s", *m.Seat, role))
			return true
		}
		order = []sim.Seat{*m.Seat}
	}
	for _, s := range order {
		st := &r.meta.Seats[s]
		if st.Owned || st.BotOnly {
			continue
		}
		rl := protocol.RoleManager
		if s == sim.Executive {
			rl = protocol.RoleExecutive
		}
		if err := r.take(c, s, name, rl, r.meta.clone()); err != nil {
			r.failWith(c, m.ID, err)
			return true
		}
		r.joined(c, m.ID, "")
		r.settle()
		return true
	}
	return false
}

// overflow answers a join that found no free seat here nor at the
// facilitator's other tables: an observer in an audience room, else
// room_full, counted for the facilitator.
func (r *Room) overflow(c *client, m protocol.ClientMsg) {
	if r.meta.Create.Audience && !r.over && len(r.conns) < r.hub.cfg.MaxConns {
		name, _ := checkName(m.Name, r.scn) // checked by join already
		r.attach(c, protocol.RoleObserver, sim.Public, name)
		r.joined(c, m.ID, "")
		r.broadcast()
		return
	}
	r.turned++
	c.fail(m.ID, protocol.CodeRoomFull, "no free seat for that role; join as an observer or ask the facilitator")
	r.broadcast()
}

// resume brings a token's holder back: any new connection takes the seat
// (an older one still open is told so and closed), gets the full
// view at once, and takes the seat back from a bot.
func (r *Room) resume(c *client, m protocol.ClientMsg) {
	if m.Token == r.fac {
		if len(r.conns) >= r.hub.cfg.MaxConns {
			c.fail(m.ID, protocol.CodeRoomFull, "the room has its maximum of connections")
			return
		}
		r.attach(c, protocol.RoleFacilitator, sim.Facilitator, "")
		r.joined(c, m.ID, r.fac)
		r.broadcast()
		return
	}
	for i := range r.meta.Seats {
		st := &r.meta.Seats[i]
		if st.Token != m.Token || !st.Owned {
			continue
		}
		if old := st.conn; old != nil && old != c {
			// The token's holder came back on a new connection: the old
			// one is closed, never multiplied (a stolen or replayed token
			// must not fill the room with copies of a seat).
			old.fail(0, protocol.CodeReplaced, "this seat was resumed on another connection")
			r.detach(old)
			old.close()
		}
		st.conn = c
		role := protocol.RoleManager
		if i == 0 {
			role = protocol.RoleExecutive
		}
		r.attach(c, role, sim.Seat(i), st.Name)
		if st.Hold {
			prev := r.meta.clone()
			st.Hold = false
			r.persist(prev) // if it fails a bot keeps playing the seat
		}
		r.joined(c, m.ID, "")
		r.settle()
		return
	}
	r.hub.guessed(c)
	c.fail(m.ID, protocol.CodeUnauthorized, "that token holds no seat here any more")
}

// handle serves a connection's game command or facilitator order.
func (r *Room) handle(c *client, m protocol.ClientMsg, at time.Time) {
	if _, ok := r.conns[c]; !ok {
		c.fail(m.ID, protocol.CodeBadMessage, "join, create or resume a room first")
		return
	}
	if r.broken {
		c.fail(m.ID, protocol.CodeInternal, "this room's storage failed; the facilitator should start a new one")
		return
	}
	if m.Kind == protocol.KindDebrief && c.role == protocol.RoleFacilitator {
		r.sendDebrief(c, m.ID)
		return
	}
	var err error
	if m.Kind == protocol.KindReaction || m.Kind == protocol.KindCommitment {
		err = r.takeaway(c, m)
	} else if m.Kind == protocol.KindCommand {
		err = r.command(c, m)
	} else if c.role != protocol.RoleFacilitator {
		err = &codeError{protocol.CodeUnauthorized, m.Kind + " is a facilitator order"}
	} else {
		err = r.order(c, m)
	}
	if err != nil {
		r.failWith(c, m.ID, err)
		return
	}
	c.reply(protocol.ServerMsg{Kind: protocol.KindOK, Re: m.ID})
	r.hub.m.latency.Observe(time.Since(at).Seconds())
}

func (r *Room) command(c *client, m protocol.ClientMsg) error {
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
	case m.Based < r.since || m.Based > r.st.Version:
		return &codeError{protocol.CodeStaleVersion, fmt.Sprintf("decided on version %d; the phase began at version %d and the game is at %d", m.Based, r.since, r.st.Version)}
	}
	for _, t := range []string{cmd.Framing, cmd.Case.Text, cmd.Case.Alternative} {
		if err := text.Check(t, sim.MaxText, true); err != nil {
			return &codeError{protocol.CodeBadCommand, err.Error()}
		}
	}
	st := &r.meta.Seats[c.seat]
	if err := r.apply(*cmd); err != nil {
		return err
	}
	if st.Hold { // the person is back and plays again
		prev := r.meta.clone()
		st.Hold = false
		r.persist(prev) // if it fails a bot keeps playing the seat
	}
	r.settle()
	return nil
}

func (r *Room) order(c *client, m protocol.ClientMsg) error {
	now := time.Now()
	seatArg := func() (sim.Seat, error) {
		if m.Seat == nil || *m.Seat < 0 || int(*m.Seat) >= len(r.meta.Seats) {
			return 0, &codeError{protocol.CodeBadMessage, fmt.Sprintf("%s needs a seat 0..%d", m.Kind, len(r.meta.Seats)-1)}
		}
		return *m.Seat, nil
	}
	switch m.Kind {
	case protocol.KindStart:
		if r.meta.Started {
			return &codeError{protocol.CodeWrongPhase, "the game has started already"}
		}
		prev := r.meta.clone()
		r.meta.Started = true
		if err := r.persist(prev); err != nil {
			return err
		}
		r.resetDeadline(now)
	case protocol.KindPause:
		if r.over {
			return &codeError{protocol.CodeGameOver, "the game is over"}
		}
		if !r.meta.Paused {
			prev := r.meta.clone()
			r.meta.Paused = true
			if !r.dl.IsZero() {
				r.meta.Remaining = max(r.dl.Sub(now).Milliseconds(), 0)
			}
			if err := r.persist(prev); err != nil {
				return err
			}
			r.dl = time.Time{}
			r.timer.Stop()
			r.notify(protocol.NoticePaused, everyone, "The facilitator has paused the game.")
		}
	case protocol.KindContinue:
		if r.meta.Paused {
			prev := r.meta.clone()
			rem := r.meta.Remaining
			r.meta.Paused, r.meta.Remaining = false, 0
			if err := r.persist(prev); err != nil {
				return err
			}
			if rem > 0 {
				r.setDeadline(now.Add(time.Duration(rem) * time.Millisecond))
			}
			r.notify(protocol.NoticeContinued, everyone, "The game continues.")
		}
	case protocol.KindExtend:
		if m.Seconds <= 0 || m.Seconds > MaxDeadline {
			return &codeError{protocol.CodeBadMessage, fmt.Sprintf("extend by 1..%d seconds", MaxDeadline)}
		}
		switch {
		case r.meta.Paused && r.meta.Remaining > 0:
			prev := r.meta.clone()
			r.meta.Remaining += int64(m.Seconds) * 1000
			if err := r.persist(prev); err != nil {
				return err
			}
		case !r.dl.IsZero():
			r.setDeadline(r.dl.Add(time.Duration(m.Seconds) * time.Second))
		default:
			return &codeError{protocol.CodeWrongPhase, "no deadline is running"}
		}
		r.notify(protocol.NoticeExtended, everyone, fmt.Sprintf("The facilitator gave this phase %s more.", seconds(m.Seconds)))
	case protocol.KindSkip:
		if err := r.apply(sim.Command{Kind: sim.CmdSkip, Seat: sim.Facilitator}); err != nil {
			return err
		}
		// Skipping moves the game on: a pause ends with it, so that no
		// screen keeps a paused banner over a phase that has begun.
		if err := r.unpause(now); err != nil {
			return err
		}
		r.notify(protocol.NoticeSkipped, everyone, "The facilitator moved the game on; who had not answered got the default.")
	case protocol.KindInject:
		if err := r.apply(sim.Command{Kind: sim.CmdInject, Seat: sim.Facilitator, Event: m.Event}); err != nil {
			return err
		}
		for _, e := range r.scn.Events {
			if e.ID == m.Event {
				r.notify(protocol.NoticeInjected, everyone, e.Title)
			}
		}
	case protocol.KindEnd:
		if err := r.apply(sim.Command{Kind: sim.CmdEnd, Seat: sim.Facilitator}); err != nil {
			return err
		}
		if err := r.unpause(now); err != nil { // an ended game is not paused
			return err
		}
		r.notify(protocol.NoticeEnded, everyone, "The facilitator has ended the game; the debrief follows.")
	case protocol.KindKick:
		for k := range r.conns {
			if k.id == m.Conn {
				k.fail(0, protocol.CodeUnauthorized, "the facilitator closed this connection")
				r.detach(k)
				k.close()
				return nil
			}
		}
		return &codeError{protocol.CodeBadMessage, fmt.Sprintf("no connection %d", m.Conn)}
	case protocol.KindLock:
		prev := r.meta.clone()
		r.meta.Locked = m.On
		if err := r.persist(prev); err != nil {
			return err
		}
	case protocol.KindBot:
		s, err := seatArg()
		if err != nil {
			return err
		}
		st := &r.meta.Seats[s]
		if !st.Owned {
			return &codeError{protocol.CodeBadCommand, fmt.Sprintf("no person holds seat %d; a bot plays it already", s)}
		}
		prev := r.meta.clone()
		was := st.Hold
		st.Hold = m.On
		if err := r.persist(prev); err != nil {
			return err
		}
		switch {
		case m.On && !was:
			r.notify(protocol.NoticeBot, s, "The facilitator has handed your seat to a bot for now.")
		case !m.On && was:
			r.notify(protocol.NoticeReturned, s, "The facilitator has given your seat back to you.")
		}
	case protocol.KindAssign:
		s, err := seatArg()
		if err != nil {
			return err
		}
		var who *client
		for k := range r.conns {
			if k.id == m.Conn {
				who = k
			}
		}
		if who == nil {
			return &codeError{protocol.CodeBadMessage, fmt.Sprintf("no connection %d", m.Conn)}
		}
		prev := r.meta.clone()
		freed := ""
		if who.seat >= 0 && who.seat != s { // its old seat is free again
			freed = r.free(who.seat)
		}
		role := protocol.RoleManager
		if s == sim.Executive {
			role = protocol.RoleExecutive
		}
		name := who.name
		if name == "" {
			name = fmt.Sprintf("Player %d", who.id)
		}
		delete(r.conns, who) // take re-attaches it with a new number
		if err := r.take(who, s, name, role, prev); err != nil {
			r.conns[who] = struct{}{}
			return err
		}
		if freed != "" {
			r.hub.indexToken(freed, r.code)
		}
		r.joined(who, 0, "")
	default:
		return &codeError{protocol.CodeBadMessage, "unknown order " + m.Kind}
	}
	r.settle()
	return nil
}

// unpause ends a pause without restoring its deadline: the facilitator
// moved the game on (skip) or ended it, and the phase now running starts
// its own.
func (r *Room) unpause(now time.Time) error {
	if !r.meta.Paused {
		return nil
	}
	prev := r.meta.clone()
	r.meta.Paused, r.meta.Remaining = false, 0
	if err := r.persist(prev); err != nil {
		return err
	}
	r.resetDeadline(now)
	return nil
}

// roomInfo builds the room part of seat s's view.
func (r *Room) roomInfo(now time.Time, s sim.Seat) protocol.Room {
	ri := protocol.Room{Code: r.code, Scenario: r.scn.ID, Started: r.meta.Started, Paused: r.meta.Paused,
		Locked: r.meta.Locked, Over: r.over, Now: now.UnixMilli(), Since: r.since, Seats: r.seatInfo(),
		Audience: r.meta.Create.Audience, Deadlines: r.meta.Create.Deadlines, Notices: r.noticesFor(s)}
	ri.Answered, ri.Waiting = r.answered()
	if !r.dl.IsZero() {
		ri.Deadline = r.dl.UnixMilli()
	}
	if s == sim.Facilitator {
		ri.Turned = r.turned
		for c := range r.conns {
			ri.People = append(ri.People, protocol.Person{Conn: c.id, Name: c.name, Role: c.role, Seat: c.seat})
		}
		slices.SortFunc(ri.People, func(a, b protocol.Person) int { return a.Conn - b.Conn })
	}
	return ri
}

func (r *Room) seatInfo() []protocol.SeatInfo {
	out := make([]protocol.SeatInfo, len(r.meta.Seats))
	for i := range r.meta.Seats {
		st := &r.meta.Seats[i]
		s := sim.Seat(i)
		si := protocol.SeatInfo{Seat: s, Role: protocol.RoleManager, Name: st.Name, Human: st.Owned,
			Connected: st.conn != nil, Bot: st.BotOnly || !st.Owned || st.Hold, Pending: r.st.Pending(s)}
		if i == 0 {
			si.Role = protocol.RoleExecutive
		}
		if !st.Owned {
			si.Name = r.botName(s)
		}
		out[i] = si
	}
	return out
}

func (r *Room) botName(s sim.Seat) string {
	if s == sim.Executive {
		if p := r.scn.Persona(r.meta.Config.Persona); p != nil {
			return p.Name
		}
		return "Executive"
	}
	if st := r.scn.Style(r.meta.Config.Managers[s-1].Style); st != nil {
		return st.Name + " (bot)"
	}
	return fmt.Sprintf("Manager %d (bot)", s)
}

// broadcast sends every connection the view of its own seat, made by sim:
// each seat's bytes are built from that seat's View only.
func (r *Room) broadcast() {
	if len(r.conns) == 0 {
		return
	}
	now := time.Now()
	cache := map[sim.Seat][]byte{}
	for c := range r.conns {
		b, ok := cache[c.seat]
		if !ok {
			b = r.viewBytes(c.seat, now)
			cache[c.seat] = b
		}
		if b != nil {
			c.enqueue(b)
		}
	}
}

func (r *Room) viewBytes(s sim.Seat, now time.Time) []byte {
	// The pooled encoder carries a sim.View and texts reused from view to
	// view: they live only until the bytes are copied out below.
	e := viewEncoders.Get().(*viewEncoder)
	defer viewEncoders.Put(e)
	r.st.ViewInto(&e.game, s)
	v := &protocol.View{Game: e.game, Room: r.roomInfo(now, s)}
	e.texts = e.texts[:0]
	for _, d := range v.Game.Deltas {
		e.texts = append(e.texts, d.Text(r.scn))
	}
	v.Texts = e.texts
	e.buf.Reset()
	if err := e.enc.Encode(protocol.ServerMsg{Kind: protocol.KindView, View: v}); err != nil {
		slog.Error("encode view", "code", r.code, "seat", s, "err", err)
		return nil
	}
	// One exact-size copy per seat: the frame waits in send queues, and
	// msgpack.Marshal's growing buffer would keep up to twice its size.
	return bytes.Clone(e.buf.Bytes())
}

// viewEncoder is what building one view's bytes needs, reused from view to
// view and shared by rooms through viewEncoders: a msgpack encoder writing
// into a buffer, the seat's sim.View and the deltas' texts.
type viewEncoder struct {
	buf   bytes.Buffer
	enc   *msgpack.Encoder
	game  sim.View
	texts []string
}

var viewEncoders = sync.Pool{New: func() any {
	e := &viewEncoder{texts: []string{}}
	e.enc = msgpack.NewEncoder(&e.buf)
	return e
}}

// table is this room in a facilitator's list.
func (r *Room) table() protocol.Table {
	return protocol.Table{Code: r.code, Scenario: r.scn.ID, Turn: r.st.Turn, Turns: r.scn.Turns,
		Phase: r.st.Phase.String(), Started: r.meta.Started, Paused: r.meta.Paused, Over: r.over, Seats: r.seatInfo()}
}
