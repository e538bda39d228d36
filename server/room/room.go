package room

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gorilla/websocket"
	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/sim"
)

// Room is the actor around one table: the goroutine (run) that alone
// touches the table, taking work as closures from its inbox; after each
// step it hands the table's outbox to the send queues (flush), arms the
// timer from the table's deadline (arm) and unloads a vacated room. It also
// keeps the hub's count of who is about to hand it work. The table's
// methods play the game; the Room only sequences them.
type Room struct {
	*table
	inbox   chan func()
	stop    chan struct{} // closed by Hub.Close
	stopped chan struct{} // closed when run returns
	timer   *time.Timer
	armed   time.Time // the deadline the timer is set for, zero for none
	idle    bool      // unloaded (Hub.unload): the goroutine ends
	refs    int       // guarded by the hub's mu: holders about to hand it work (Hub.acquire)
	batch   []queued  // flush's scratch: one connection's frames
	ready   []*client // flush's scratch: the connections to hand to the writers
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
		style := styles[i-1]
		botOnly := solo != "" && !(solo == protocol.RoleManager && i == 1)
		cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: fmt.Sprintf("Manager %d", i), Style: style, Bot: botOnly})
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
	t := &table{deps: h.deps, code: code, fac: fac, seed: req.Seed, scn: scn, src: src,
		meta: meta{Create: req, Config: cfg, Seats: seats, Started: solo != ""}}
	if err := t.begin(nil, now); err != nil {
		if errors.Is(err, sim.ErrBadCommand) {
			return nil, bad("%v", err)
		}
		return nil, err
	}
	mb, err := msgpack.Marshal(&t.meta)
	if err != nil {
		return nil, err
	}
	if err := h.store.Create(store.Room{Code: code, Facilitator: fac, Scenario: req.Scenario, Source: src,
		Seed: t.seed, Meta: mb, Created: now}); err != nil {
		if h.inMemory(code) != nil || errors.Is(err, store.ErrCodeTaken) {
			return nil, errCodeTaken
		}
		return nil, err
	}
	return newRoom(t), nil
}

// newRoom makes the actor around table t, not yet running (Hub.add runs it).
func newRoom(t *table) *Room {
	r := &Room{table: t, inbox: make(chan func(), 64), stop: make(chan struct{}), stopped: make(chan struct{})}
	t.room = r
	return r
}

// restore rebuilds a stored room by replaying its log.
func restore(h *Hub, sr store.Room) (*Room, error) {
	r := &table{deps: h.deps, code: sr.Code, fac: sr.Facilitator, seed: sr.Seed, src: sr.Source}
	m, n, err := metaOf(h.store, sr)
	if err != nil {
		return nil, err
	}
	r.meta, r.nrec = m, n
	scn, err := parsed(sr.Scenario, sr.Source)
	if err != nil {
		return nil, fmt.Errorf("room %s scenario: %w", sr.Code, err)
	}
	r.scn = scn
	log, err := h.store.Log(sr.Code)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if err := r.begin(log, now); err != nil {
		return nil, fmt.Errorf("room %s: %w", sr.Code, err)
	}
	if r.over && sr.Finished.IsZero() { // the end was not recorded before a crash or a failed write
		if err := h.store.Finish(sr.Code, now); err != nil {
			slog.Error("finish", "code", sr.Code, "err", err)
		}
	}
	return newRoom(r), nil
}

// unloadIfIdle frees the room if nobody has been in it for LobbyIdle and
// nothing can happen in it until someone comes: no deadline runs and no bot
// owes a move (settle has made them all). Its every change is in the store,
// so a join or resume brings it back as it was.
func (r *Room) unloadIfIdle(now time.Time) {
	if r.idle || len(r.conns) > 0 {
		return
	}
	if !r.over && (r.empty.IsZero() || now.Sub(r.empty) < r.deps.limits.LobbyIdle || !r.deadline.IsZero()) {
		return
	}
	if r.deps.hub.unload(r) {
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
	r.do(func() { f(); r.flush(); close(done) })
	select {
	case <-done:
	case <-r.stopped:
	}
}

// leave is the reader's last word: its connection is gone.
func (r *Room) leave(c *client) { r.call(func() { r.detach(c, time.Now()) }) }

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
	now := time.Now()
	r.resetDeadline(now)
	r.settle(now)
	r.flush()
	r.arm()
	for {
		select {
		case f := <-r.inbox:
			f()
			r.flush()
			r.arm()
			if r.moved != "" {
				r.leaveNode()
				return
			}
			if r.vacated {
				// Nobody is looking at a finished game: free it. Its log
				// stays in the store, and a resume brings it back
				// (Hub.lookup); if the hub refuses, the janitor tries again.
				r.vacated = false
				r.idle = r.deps.hub.unload(r)
			}
			if r.idle {
				return
			}
		case <-r.timer.C:
			r.armed = time.Time{} // spent
			now := time.Now()
			if r.stale && r.fresh(now) {
				r.settle(now) // the database answers again: the bots move on
			}
			r.expire(now)
			r.flush()
			r.arm()
			if r.moved != "" {
				r.leaveNode()
				return
			}
		case <-r.stop:
			return
		}
	}
}

// leaveNode stops a room that another node owns now (its lease was lost or
// handed over): every connection is closed with 1012 (service restart), so
// that clients reconnect, through any node, to the room's new owner; the
// hub forgets the room without touching the store again.
func (r *Room) leaveNode() {
	r.deps.hub.drop(r) // first: whoever reconnects must not find it here
	for c := range r.conns {
		c.closeWith(websocket.CloseServiceRestart, r.moved)
	}
	r.idle = true
	slog.Info("room left this node", "code", r.code, "why", r.moved)
}

// flush hands the step's frames to the connections' send queues, in order,
// and closes the connections the step hung up on; then the writers take
// them all with one wakeup.
func (r *Room) flush() {
	for i, f := range r.out {
		if f.c == nil {
			continue // handed over with an earlier frame of its connection
		}
		// The connection's frames of this step are queued together, so that
		// one write sends them (a command's view and its ok): up to its
		// hang-up, which ends it.
		b, hangUp := r.batch[:0], f.hangUp
		if !hangUp {
			b = append(b, queued{f.b, f.buf})
		}
		for j := i + 1; j < len(r.out) && !hangUp; j++ {
			if g := r.out[j]; g.c == f.c {
				if hangUp = g.hangUp; !hangUp {
					b = append(b, queued{g.b, g.buf})
				}
				r.out[j] = outFrame{}
			}
		}
		if f.c.push(b...) {
			r.ready = append(r.ready, f.c)
		}
		if hangUp {
			f.c.close()
		}
		clear(b)
		r.batch = b
		r.out[i] = outFrame{}
	}
	r.out = r.out[:0]
	if len(r.ready) > 0 {
		r.ready[0].w.schedule(r.ready...) // a hub's connections share its writers
		clear(r.ready)
		r.ready = r.ready[:0]
	}
}

// arm sets the timer to the table's deadline when that changed, or sooner
// while the room waits for its database (stale).
func (r *Room) arm() {
	at := r.deadline
	if r.stale && (at.IsZero() || time.Until(at) > time.Second) {
		at = time.Now().Add(time.Second) // memory may be ahead of the log: try the database again soon
	}
	if at.Equal(r.armed) {
		return
	}
	r.armed = at
	r.timer.Stop()
	if !at.IsZero() {
		r.timer.Reset(time.Until(at))
	}
}
