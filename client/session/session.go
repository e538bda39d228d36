// Package session is the client's controller: it owns the model, the link
// to the server and the saved state, and runs the loop between them. Each
// tick the game loop asks it to Step (the link's events go to the model,
// the clocks advance) and hands it the tick's intents (Do); the session
// sends what the model answers, redials when the model asks for another
// connection and saves what must survive a restart. It draws nothing and
// imports no graphics, so it runs and tests headless.
package session

import (
	"log"
	"sync/atomic"
	"time"

	"pushback/client/conn"
	"pushback/client/model"
	"pushback/server/protocol"
)

// Sender is where messages go: the link, or a test's list.
type Sender interface {
	SendMsg(protocol.ClientMsg) bool
}

// Session is one client's controller. Only the game loop calls it.
type Session struct {
	M *model.Model

	link    *conn.Client
	store   *conn.Store
	send    Sender
	saved   model.Saved // as last written to store
	pending *model.Join // asked for before the link was up
	last    atomic.Pointer[model.Snapshot]
}

// New makes a session around a model. link and store may be nil (tests);
// send receives the messages, and is link when nil.
func New(m *model.Model, link *conn.Client, store *conn.Store, send Sender) *Session {
	s := &Session{M: m, link: link, store: store, send: send, saved: m.Saved}
	if s.send == nil && link != nil {
		s.send = link
	}
	return s
}

// JoinWhenUp keeps a join asked for before the game ran (the browser page's
// form) until the link is up; it is sent once, unless a seat came back.
func (s *Session) JoinWhenUp(j model.Join) { s.pending = &j }

// Step hands every waiting link event to the model, without blocking, and
// advances the model's clocks to now.
func (s *Session) Step(now time.Time) {
	if s.link != nil {
	drain:
		for {
			select {
			case e := <-s.link.Events():
				switch e.Kind {
				case conn.Up:
					s.sendAll(s.M.Connected())
				case conn.Down:
					s.M.Disconnected(e.Attempt, e.RetryIn)
					log.Printf("link down: attempt %d, retry in %v: %v", e.Attempt, e.RetryIn, e.Err)
				case conn.Frame:
					s.sendAll(s.M.Receive(e.Frame))
				}
			default:
				break drain
			}
		}
	}
	if s.pending != nil && s.M.Conn == model.ConnOnline && !s.M.Busy && !s.M.Joined {
		s.Do(*s.pending)
		s.pending = nil
	}
	s.M.Tick(now)
	s.persist()
}

// Do carries out intents: the model changes, its messages go out, a
// requested new connection is dialled and the saved state is kept.
func (s *Session) Do(intents ...model.Intent) {
	for _, in := range intents {
		s.sendAll(s.M.Do(in))
	}
	if s.M.Redial && s.link != nil { // another table: on a connection of its own
		s.M.Redial = false
		s.link.Redial()
	}
	s.persist()
}

// Publish keeps a snapshot of the model (and the UI's focus) as the tick
// left it, for Snapshot.
func (s *Session) Publish(focus string) { s.last.Store(s.M.Snapshot(focus)) }

// Snapshot is the model as last published, safe to call from any
// goroutine (the browser's window.pushbackState for end-to-end tests).
func (s *Session) Snapshot() *model.Snapshot {
	if p := s.last.Load(); p != nil {
		return p
	}
	return &model.Snapshot{}
}

func (s *Session) sendAll(msgs []protocol.ClientMsg) {
	for _, msg := range msgs {
		if s.send == nil || !s.send.SendMsg(msg) {
			s.M.NotSent()
		}
	}
}

func (s *Session) persist() {
	if s.store == nil || s.M.Saved == s.saved {
		return
	}
	s.saved = s.M.Saved
	if err := s.store.Save(s.saved); err != nil {
		log.Printf("saving the resume token: %v", err)
	}
}
