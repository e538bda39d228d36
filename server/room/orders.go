package room

import (
	"fmt"
	"time"

	"pushback/server/protocol"
	"pushback/sim"
)

// A facilitator's order is one small method each, found by kind in orders;
// after any but kick the bots make the moves they owe and everyone gets the
// new view (settle).

// orders are the facilitator's orders by message kind.
var orders = map[string]func(r *table, c *client, m protocol.ClientMsg, now time.Time) error{
	protocol.KindStart:    (*table).orderStart,
	protocol.KindPause:    (*table).orderPause,
	protocol.KindContinue: (*table).orderContinue,
	protocol.KindExtend:   (*table).orderExtend,
	protocol.KindSkip:     (*table).orderSkip,
	protocol.KindInject:   (*table).orderInject,
	protocol.KindEnd:      (*table).orderEnd,
	protocol.KindKick:     (*table).orderKick,
	protocol.KindLock:     (*table).orderLock,
	protocol.KindBot:      (*table).orderBot,
	protocol.KindAssign:   (*table).orderAssign,
}

// order carries out a facilitator's order.
func (r *table) order(c *client, m protocol.ClientMsg, now time.Time) error {
	do, ok := orders[m.Kind]
	if !ok {
		return &codeError{protocol.CodeBadMessage, "unknown order " + m.Kind}
	}
	if err := do(r, c, m, now); err != nil {
		return err
	}
	if m.Kind != protocol.KindKick { // a kick has told everyone (detach)
		r.settle(now)
	}
	return nil
}

// seatArg is the seat an order names, checked.
func (r *table) seatArg(m protocol.ClientMsg) (sim.Seat, error) {
	if m.Seat == nil || *m.Seat < 0 || int(*m.Seat) >= len(r.meta.Seats) {
		return 0, &codeError{protocol.CodeBadMessage, fmt.Sprintf("%s needs a seat 0..%d", m.Kind, len(r.meta.Seats)-1)}
	}
	return *m.Seat, nil
}

// orderStart starts the game: bots move, deadlines run.
func (r *table) orderStart(c *client, m protocol.ClientMsg, now time.Time) error {
	if r.meta.Started {
		return &codeError{protocol.CodeWrongPhase, "the game has started already"}
	}
	prev := r.meta.clone()
	r.meta.Started = true
	if err := r.persist(prev, now); err != nil {
		return err
	}
	r.resetDeadline(now)
	return nil
}

// orderPause stops the clock and the bots, keeping what is left of the deadline.
func (r *table) orderPause(c *client, m protocol.ClientMsg, now time.Time) error {
	if r.over {
		return &codeError{protocol.CodeGameOver, "the game is over"}
	}
	if !r.meta.Paused {
		prev := r.meta.clone()
		r.meta.Paused = true
		if !r.deadline.IsZero() {
			r.meta.Remaining = max(r.deadline.Sub(now).Milliseconds(), 0)
		}
		if err := r.persist(prev, now); err != nil {
			return err
		}
		r.deadline = time.Time{}
		r.notify(protocol.NoticePaused, everyone, "The facilitator has paused the game.", now)
	}
	return nil
}

// orderContinue ends a pause; the kept deadline runs again.
func (r *table) orderContinue(c *client, m protocol.ClientMsg, now time.Time) error {
	if r.meta.Paused {
		prev := r.meta.clone()
		rem := r.meta.Remaining
		r.meta.Paused, r.meta.Remaining = false, 0
		if err := r.persist(prev, now); err != nil {
			return err
		}
		if rem > 0 {
			r.setDeadline(now.Add(time.Duration(rem) * time.Millisecond))
		}
		r.notify(protocol.NoticeContinued, everyone, "The game continues.", now)
	}
	return nil
}

// orderExtend gives the running (or paused) deadline more time.
func (r *table) orderExtend(c *client, m protocol.ClientMsg, now time.Time) error {
	if m.Seconds <= 0 || m.Seconds > MaxDeadline {
		return &codeError{protocol.CodeBadMessage, fmt.Sprintf("extend by 1..%d seconds", MaxDeadline)}
	}
	switch {
	case r.meta.Paused && r.meta.Remaining > 0:
		prev := r.meta.clone()
		r.meta.Remaining += int64(m.Seconds) * 1000
		if err := r.persist(prev, now); err != nil {
			return err
		}
	case !r.deadline.IsZero():
		r.setDeadline(r.deadline.Add(time.Duration(m.Seconds) * time.Second))
	default:
		return &codeError{protocol.CodeWrongPhase, "no deadline is running"}
	}
	r.notify(protocol.NoticeExtended, everyone, fmt.Sprintf("The facilitator gave this phase %s more.", seconds(m.Seconds)), now)
	return nil
}

// orderSkip moves the game on: who had not answered gets the default.
func (r *table) orderSkip(c *client, m protocol.ClientMsg, now time.Time) error {
	if err := r.apply(sim.Command{Kind: sim.CmdSkip, Seat: sim.Facilitator}, now); err != nil {
		return err
	}
	// Skipping moves the game on: a pause ends with it, so that no
	// screen keeps a paused banner over a phase that has begun.
	if err := r.unpause(now); err != nil {
		return err
	}
	r.notify(protocol.NoticeSkipped, everyone, "The facilitator moved the game on; who had not answered got the default.", now)
	return nil
}

// orderInject adds a market event from the scenario.
func (r *table) orderInject(c *client, m protocol.ClientMsg, now time.Time) error {
	if err := r.apply(sim.Command{Kind: sim.CmdInject, Seat: sim.Facilitator, Event: m.Event}, now); err != nil {
		return err
	}
	for _, e := range r.scn.Events {
		if e.ID == m.Event {
			r.notify(protocol.NoticeInjected, everyone, e.Title, now)
		}
	}
	return nil
}

// orderEnd ends the game; the debrief follows.
func (r *table) orderEnd(c *client, m protocol.ClientMsg, now time.Time) error {
	if err := r.apply(sim.Command{Kind: sim.CmdEnd, Seat: sim.Facilitator}, now); err != nil {
		return err
	}
	if err := r.unpause(now); err != nil { // an ended game is not paused
		return err
	}
	r.notify(protocol.NoticeEnded, everyone, "The facilitator has ended the game; the debrief follows.", now)
	return nil
}

// orderKick closes a connection.
func (r *table) orderKick(c *client, m protocol.ClientMsg, now time.Time) error {
	for k := range r.conns {
		if k.id == m.Conn {
			r.fail(k, 0, protocol.CodeUnauthorized, "the facilitator closed this connection")
			r.detach(k, now)
			r.hangUp(k)
			return nil
		}
	}
	return &codeError{protocol.CodeBadMessage, fmt.Sprintf("no connection %d", m.Conn)}
}

// orderLock refuses (On) or allows new joins.
func (r *table) orderLock(c *client, m protocol.ClientMsg, now time.Time) error {
	prev := r.meta.clone()
	r.meta.Locked = m.On
	return r.persist(prev, now)
}

// orderBot hands a person's seat to a bot (On) or gives it back.
func (r *table) orderBot(c *client, m protocol.ClientMsg, now time.Time) error {
	s, err := r.seatArg(m)
	if err != nil {
		return err
	}
	seat := &r.meta.Seats[s]
	if !seat.Owned {
		return &codeError{protocol.CodeBadCommand, fmt.Sprintf("no person holds seat %d; a bot plays it already", s)}
	}
	prev := r.meta.clone()
	was := seat.Hold
	seat.Hold = m.On
	if err := r.persist(prev, now); err != nil {
		return err
	}
	switch {
	case m.On && !was:
		r.notify(protocol.NoticeBot, s, "The facilitator has handed your seat to a bot for now.", now)
	case !m.On && was:
		r.notify(protocol.NoticeReturned, s, "The facilitator has given your seat back to you.", now)
	}
	return nil
}

// orderAssign gives connection m.Conn seat m.Seat at this table, freeing the seat it held.
func (r *table) orderAssign(c *client, m protocol.ClientMsg, now time.Time) error {
	s, err := r.seatArg(m)
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
	if err := r.take(who, s, name, role, prev, now); err != nil {
		r.conns[who] = struct{}{}
		return err
	}
	if freed != "" {
		r.deps.hub.indexToken(freed, r.code)
	}
	r.joined(who, 0, "")
	return nil
}

// unpause ends a pause without restoring its deadline: the facilitator
// moved the game on (skip) or ended it, and the phase now running starts
// its own.
func (r *table) unpause(now time.Time) error {
	if !r.meta.Paused {
		return nil
	}
	prev := r.meta.clone()
	r.meta.Paused, r.meta.Remaining = false, 0
	if err := r.persist(prev, now); err != nil {
		return err
	}
	r.resetDeadline(now)
	return nil
}
