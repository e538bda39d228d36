package room

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"pushback/server/protocol"
	"pushback/sim"
)

// Admission is a connection's life in a room, step by step as in Nakama's
// match handler: joinAttempt (may it come in, and as what?), join (a seat,
// durably, or a watching place), resume (a token's holder comes back),
// detach (leave: the connection is gone, its seat stays reserved), depart
// (leave for another table: the seat is freed); then, for the room, idle
// (Room.unloadIfIdle) and end (table.end). admitCreator seats the creator.

// admitCreator gives the creating connection its place: the facilitator of
// a workshop room, or the human seat of a solo game.
func (r *table) admitCreator(c *client, re uint32, now time.Time) {
	var err error
	switch r.meta.Create.Solo {
	case "":
		r.attach(c, protocol.RoleFacilitator, sim.Facilitator, "")
	case protocol.RoleExecutive:
		err = r.take(c, 0, r.meta.Create.Name, protocol.RoleExecutive, r.meta.clone(), now)
	default:
		err = r.take(c, 1, r.meta.Create.Name, protocol.RoleManager, r.meta.clone(), now)
	}
	if err != nil {
		r.failWith(c, re, err)
		r.settle(now)
		return
	}
	r.joined(c, re, r.fac)
	r.settle(now)
}

// failWith answers a request with err's code.
func (r *table) failWith(c *client, re uint32, err error) {
	code, msg := codeOf(err)
	r.fail(c, re, code, msg)
}

// codeOf is the protocol code and message of an error.
func codeOf(err error) (protocol.Code, string) {
	var ce *codeError
	if errors.As(err, &ce) {
		return ce.code, ce.msg
	}
	return protocol.SimCode(err), err.Error()
}

// attach puts c in the room with a role.
func (r *table) attach(c *client, role string, s sim.Seat, name string) {
	r.nextID++
	c.id, c.role, c.seat, c.name = r.nextID, role, s, name
	r.conns[c] = struct{}{}
	c.room.Store(r.room)
	r.empty = time.Time{}
}

// take gives seat s to c's person with a fresh token, durably: prev is the
// meta before this change (and any the caller made with it), restored if
// the store refuses it.
func (r *table) take(c *client, s sim.Seat, name, role string, prev meta, now time.Time) error {
	seat := &r.meta.Seats[s]
	old := seat.conn
	seat.Name, seat.Owned, seat.Hold, seat.BotOnly, seat.conn = name, true, false, false, c
	seat.Token = newToken()
	if err := r.persist(prev, now); err != nil {
		return err
	}
	if old != nil && old != c {
		r.demote(old)
	}
	r.deps.hub.indexToken(seat.Token, r.code)
	r.attach(c, role, s, name)
	return nil
}

// free gives seat s back to the bots, with a fresh token that the caller
// indexes once the change is stored.
func (r *table) free(s sim.Seat) string {
	old := &r.meta.Seats[s]
	old.Owned, old.Hold, old.Name, old.conn = false, false, "", nil
	old.Token = newToken()
	return old.Token
}

// depart lets connection c leave for another of the facilitator's tables:
// the seat it held is freed for a bot.
func (r *table) depart(c *client, now time.Time) error {
	if c.seat >= 0 {
		prev := r.meta.clone()
		tok := r.free(c.seat)
		if err := r.persist(prev, now); err != nil {
			return err
		}
		r.deps.hub.indexToken(tok, r.code)
	}
	r.detach(c, now)
	r.settle(now)
	return nil
}

// demote turns a connection that lost its seat into an observer and tells it.
func (r *table) demote(c *client) {
	c.role, c.seat = protocol.RoleObserver, sim.Public
	r.joined(c, 0, "")
}

// detach takes c out of the room; its seat stays reserved for its token.
func (r *table) detach(c *client, now time.Time) {
	if _, ok := r.conns[c]; !ok {
		return
	}
	delete(r.conns, c)
	for i := range r.meta.Seats {
		if r.meta.Seats[i].conn == c {
			r.meta.Seats[i].conn = nil
		}
	}
	c.room.CompareAndSwap(r.room, nil)
	r.broadcast(now)
	if len(r.conns) == 0 {
		r.empty = now
	}
	if r.over && len(r.conns) == 0 {
		r.vacated = true // the actor frees it
	}
}

func (r *table) joined(c *client, re uint32, fac string) {
	j := &protocol.Joined{Code: r.code, Role: c.role, Seat: c.seat, Conn: c.id, Facilitator: fac, Scenario: r.info}
	if c.seat >= 0 {
		j.Token = r.meta.Seats[c.seat].Token
	}
	r.reply(c, protocol.ServerMsg{Kind: protocol.KindJoined, Re: re, Joined: j})
	if r.over {
		r.sendDebrief(c, 0)
	}
}

// joinAttempt is admission's first step: may c come in by code, and as
// what? It answers a refusal itself (ok false, answered true). With spread
// (the newcomer asked for another table) a room that is over, locked or
// full of connections refuses silently (both false): the hub tries the
// next table.
func (r *table) joinAttempt(c *client, m protocol.ClientMsg, spread bool) (role, name string, ok, answered bool) {
	if spread && (r.over || r.meta.Locked || len(r.conns) >= r.deps.limits.MaxConns) {
		return "", "", false, false
	}
	refuse := func(code protocol.Code, msg string) (string, string, bool, bool) {
		r.fail(c, m.ID, code, msg)
		return "", "", false, true
	}
	switch {
	case r.over:
		// A finished game's debrief holds every case text: it goes to the
		// people who played it (they resume with their tokens) and to the
		// facilitator, not to whoever learns the code.
		return refuse(protocol.CodeGameOver, "the game is over; players come back with their tokens, the facilitator has the report")
	case r.meta.Locked:
		return refuse(protocol.CodeRoomLocked, "the facilitator has locked this room")
	case len(r.conns) >= r.deps.limits.MaxConns:
		return refuse(protocol.CodeRoomFull, fmt.Sprintf("the room has its maximum of %d connections", r.deps.limits.MaxConns))
	}
	role = m.Role
	if role == "" {
		role = protocol.RolePlayer
	}
	switch role {
	case protocol.RoleObserver, protocol.RoleProjector:
		if m.Name == "" {
			return role, "", true, false // watchers need no name
		}
	case protocol.RoleExecutive, protocol.RoleManager, protocol.RolePlayer:
	default:
		return refuse(protocol.CodeBadMessage, fmt.Sprintf("role %q: join as %s, %s, %s, %s or %s", role,
			protocol.RolePlayer, protocol.RoleManager, protocol.RoleExecutive, protocol.RoleObserver, protocol.RoleProjector))
	}
	name, err := checkName(m.Name, r.scn)
	if err != nil {
		r.failWith(c, m.ID, err)
		return "", "", false, true
	}
	return role, name, true, false
}

// join seats a newcomer by code and name, once joinAttempt lets them in: a
// watcher gets a place at once; a player the first free seat of the role,
// durably (take). When no such seat is free it answers nothing and returns
// false: the hub then tries the facilitator's other tables, then overflow.
// With spread it also returns false, silently, when joinAttempt does.
func (r *table) join(c *client, m protocol.ClientMsg, spread bool, now time.Time) bool {
	if !r.fresh(now) {
		r.failWith(c, m.ID, errUnavailable)
		return true
	}
	role, name, ok, answered := r.joinAttempt(c, m, spread)
	if !ok {
		return answered
	}
	if role == protocol.RoleObserver || role == protocol.RoleProjector {
		r.attach(c, role, sim.Public, name)
		r.joined(c, m.ID, "")
		r.broadcast(now)
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
			r.fail(c, m.ID, protocol.CodeBadMessage, fmt.Sprintf("no seat %d for role %s", *m.Seat, role))
			return true
		}
		order = []sim.Seat{*m.Seat}
	}
	for _, s := range order {
		seat := &r.meta.Seats[s]
		if seat.Owned || seat.BotOnly {
			continue
		}
		rl := protocol.RoleManager
		if s == sim.Executive {
			rl = protocol.RoleExecutive
		}
		if err := r.take(c, s, name, rl, r.meta.clone(), now); err != nil {
			r.failWith(c, m.ID, err)
			return true
		}
		r.joined(c, m.ID, "")
		r.settle(now)
		return true
	}
	return false
}

// overflow answers a join that found no free seat here nor at the
// facilitator's other tables: an observer in an audience room, else
// room_full, counted for the facilitator.
func (r *table) overflow(c *client, m protocol.ClientMsg, now time.Time) {
	if r.meta.Create.Audience && !r.over && len(r.conns) < r.deps.limits.MaxConns {
		name, _ := checkName(m.Name, r.scn) // checked by join already
		r.attach(c, protocol.RoleObserver, sim.Public, name)
		r.joined(c, m.ID, "")
		r.broadcast(now)
		return
	}
	r.turned++
	r.fail(c, m.ID, protocol.CodeRoomFull, "no free seat for that role; join as an observer or ask the facilitator")
	r.broadcast(now)
}

// resume brings a token's holder back: any new connection takes the seat
// (an older one still open is told so and closed), gets the full
// view at once, and takes the seat back from a bot.
func (r *table) resume(c *client, m protocol.ClientMsg, now time.Time) {
	if !r.fresh(now) {
		r.failWith(c, m.ID, errUnavailable)
		return
	}
	if m.Token == r.fac {
		if len(r.conns) >= r.deps.limits.MaxConns {
			r.fail(c, m.ID, protocol.CodeRoomFull, "the room has its maximum of connections")
			return
		}
		r.attach(c, protocol.RoleFacilitator, sim.Facilitator, "")
		r.joined(c, m.ID, r.fac)
		r.broadcast(now)
		return
	}
	for i := range r.meta.Seats {
		seat := &r.meta.Seats[i]
		if seat.Token != m.Token || !seat.Owned {
			continue
		}
		if old := seat.conn; old != nil && old != c && c.asked.Before(old.asked) {
			// A resume that waited (a forward held back until a dead
			// owner's lease ran out) arrives after the same player came
			// back another way: the newer ask keeps the seat.
			r.fail(c, m.ID, protocol.CodeReplaced, "this seat was taken back on a newer connection")
			r.hangUp(c)
			return
		}
		if old := seat.conn; old != nil && old != c {
			// The token's holder came back on a new connection: the old
			// one is closed, never multiplied (a stolen or replayed token
			// must not fill the room with copies of a seat).
			r.fail(old, 0, protocol.CodeReplaced, "this seat was resumed on another connection")
			r.detach(old, now)
			r.hangUp(old)
		}
		seat.conn = c
		role := protocol.RoleManager
		if i == 0 {
			role = protocol.RoleExecutive
		}
		r.attach(c, role, sim.Seat(i), seat.Name)
		if seat.Hold {
			prev := r.meta.clone()
			seat.Hold = false
			r.persist(prev, now) // if it fails a bot keeps playing the seat
		}
		r.joined(c, m.ID, "")
		r.settle(now)
		return
	}
	r.deps.hub.guessed(c)
	r.fail(c, m.ID, protocol.CodeUnauthorized, "that token holds no seat here any more")
}
