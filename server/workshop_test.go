package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"pushback/scenarios"
	"pushback/server/debrief"
	"pushback/server/protocol"
	"pushback/server/room"
	"pushback/server/store"
	"pushback/server/wsclient"
	"pushback/sim"
)

// workshop is one table played by bots over real WebSockets against a
// server (or a cluster's load balancer) at url: a facilitator and four
// seats, a human executive and three managers. Its players come back with
// their tokens whenever the server closes their connections, and it keeps
// every command the server acknowledged, to be found in the log later.
type workshop struct {
	t          *testing.T
	url        string
	scn        *sim.Scenario
	code       string
	facTok     string
	fac        *wsclient.Client
	players    []*wsclient.Bot
	acked      uint64 // the last acknowledged version
	acks       []ack
	reconnects int
	retries    int           // resume attempts that failed before one succeeded
	closes     []int         // the close codes of the connections the server ended
	longest    time.Duration // the longest a seat took to come back
	refused    []string      // error answers to commands: code and message
}

type ack struct {
	cmd      sim.Command
	based, v uint64
}

func newWorkshop(t *testing.T, url string, seed uint64) *workshop {
	t.Helper()
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	w := &workshop{t: t, url: url, scn: scn}
	w.fac = wsclient.Dial(t, url)
	j := w.fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Executive: "human", Managers: 3, Seed: seed}}).Joined
	w.code, w.facTok = j.Code, j.Facilitator
	styles := []string{"advocate", "diplomat", "firebrand"}
	for i, role := range []string{protocol.RoleExecutive, protocol.RoleManager, protocol.RoleManager, protocol.RoleManager} {
		c := wsclient.Dial(t, url)
		jj := c.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: w.code, Name: "P" + string(rune('1'+i)), Role: role}).Joined
		p := &wsclient.Bot{Client: c, Seat: jj.Seat, Token: jj.Token, Rng: rand.New(rand.NewPCG(uint64(i), seed))}
		if i == 0 {
			p.Persona = &scn.Personas[0]
		} else {
			p.Style = scn.Style(styles[i-1])
		}
		w.players = append(w.players, p)
	}
	w.fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	for _, p := range w.players {
		p.WaitView(func(v *protocol.View) bool { return v.Room.Started })
	}
	return w
}

// resume connects to url and takes the seat of token in the workshop's
// room; an error if the server refuses or the connection fails.
func (w *workshop) resume(url, token string) (*wsclient.Client, error) {
	ctx, cancel := context.WithTimeout(context.Background(), wsclient.Wait)
	defer cancel()
	ws, err := wsclient.Hello(ctx, url)
	if err != nil {
		return nil, err
	}
	ans, err := wsclient.Request(ws, protocol.ClientMsg{Kind: protocol.KindResume, ID: 2, Token: token, Code: w.code}, nil)
	if err == nil && ans.Kind != protocol.KindJoined {
		err = errors.New("resume answered " + string(ans.Kind))
	}
	if err != nil {
		ws.Close()
		return nil, err
	}
	c := wsclient.Wrap(w.t, ws)
	c.NextID, c.Joined = 2, ans.Joined
	return c, nil
}

// reconnect brings p (or the facilitator, p nil) back to w.url, trying
// until it succeeds, for at most 30 s.
func (w *workshop) reconnect(p *wsclient.Bot) {
	w.t.Helper()
	token, old := w.facTok, w.fac
	if p != nil {
		token, old = p.Token, p.Client
	}
	w.closes = append(w.closes, old.CloseCode())
	start := time.Now()
	deadline := start.Add(30 * time.Second)
	for {
		c, err := w.resume(w.url, token)
		if err == nil {
			w.reconnects++
			w.longest = max(w.longest, time.Since(start))
			if p == nil {
				w.fac = c
			} else {
				p.Client = c
			}
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("seat could not resume for 30s: %v", err)
		}
		w.retries++
		w.t.Logf("resume failed, trying again: %v", err)
		time.Sleep(100 * time.Millisecond)
	}
}

// wait reads p's messages until its view satisfies ok; false if the
// connection closed first.
func wait(p *wsclient.Client, ok func(v *protocol.View) bool) bool {
	for p.View == nil || !ok(p.View) {
		if _, open := p.Next(); !open {
			return false
		}
	}
	return true
}

// current brings p up to the last acknowledged version, reconnecting it
// as often as the server closes its connection.
func (w *workshop) current(p *wsclient.Bot) {
	for !wait(p.Client, func(v *protocol.View) bool { return v.Game.Version >= w.acked }) {
		w.reconnect(p)
	}
}

// move has p make its move if it owes one: true if the server
// acknowledged it. A refused command is noted and tried again later; a
// closed connection is resumed.
func (w *workshop) move(p *wsclient.Bot) bool {
	w.t.Helper()
	cmd, ok := p.Decide(w.scn)
	if !ok {
		return false
	}
	based := p.View.Game.Version
	p.NextID++
	id := p.NextID
	b, err := protocol.Encode(protocol.ClientMsg{Kind: protocol.KindCommand, ID: id, Command: &cmd, Based: based})
	if err != nil {
		w.t.Fatal(err)
	}
	if err := p.WS.WriteMessage(websocket.BinaryMessage, b); err != nil {
		w.reconnect(p) // the server closed the connection meanwhile
		return false
	}
	for {
		m, open := p.Next()
		if !open {
			w.reconnect(p)
			return false
		}
		if m.Re != id || m.Kind == protocol.KindView {
			continue
		}
		if m.Kind == protocol.KindError {
			w.refused = append(w.refused, string(m.Error.Code)+": "+m.Error.Message)
			time.Sleep(100 * time.Millisecond)
			return false
		}
		w.acked = p.View.Game.Version
		w.acks = append(w.acks, ack{cmd, based, w.acked})
		return true
	}
}

// play makes moves until stop says so.
func (w *workshop) play(stop func(v *protocol.View) bool) {
	w.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if time.Now().After(deadline) {
			w.t.Fatalf("game stuck at %+v; refused: %v", w.players[0].View.Game, w.refused)
		}
		for _, p := range w.players {
			w.current(p)
			if stop(p.View) {
				return
			}
			w.move(p)
		}
	}
}

// midGame plays to turn 4 with the first manager's answer in: the point at
// which the fault tests strike.
func midGame(v *protocol.View) bool {
	return v.Game.Turn >= 4 && v.Game.Phase == sim.PhaseResponse && v.Game.Managers[0].Answered
}

func over(v *protocol.View) bool { return v.Room.Over }

// inflight has a manager who still owes an answer send it without waiting
// for the reply; it returns that manager.
func (w *workshop) inflight() *wsclient.Bot {
	w.t.Helper()
	for _, p := range w.players[1:] {
		if p.View.Room.Seats[p.Seat].Pending {
			cmd, _ := p.Decide(w.scn)
			p.Post(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
			return p
		}
	}
	w.t.Fatal("no manager owes an answer")
	return nil
}

// finish plays the game to its end and returns the facilitator's final view.
func (w *workshop) finish() sim.View {
	w.t.Helper()
	w.play(over)
	for !wait(w.fac, over) {
		w.reconnect(nil)
	}
	if w.fac.View.Game.Scores == nil {
		w.t.Fatal("no scores")
	}
	return w.fac.View.Game
}

// verify reads the room's log from st: every acknowledged command is in it,
// after the version it was decided on and no later than the version that
// acknowledged it, and a replay of the log ends in final.
func (w *workshop) verify(st *store.Store, final sim.View) {
	w.t.Helper()
	log, err := st.Log(w.code)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, a := range w.acks {
		found := false
		for _, e := range log {
			if e.Seq > a.based && e.Seq <= a.v && wsclient.SameEncoding(w.t, e.Command, a.cmd) {
				found = true
			}
		}
		if !found {
			w.t.Errorf("acknowledged %s of seat %d (versions %d..%d) is not in the log", a.cmd.Kind, a.cmd.Seat, a.based, a.v)
		}
	}
	hub, err := room.New(room.Config{Store: st})
	if err != nil {
		w.t.Fatal(err)
	}
	defer hub.Close()
	g, err := hub.Game(w.code, w.facTok)
	if err != nil {
		w.t.Fatal(err)
	}
	g.People = nil // the config as played, seats named as the room names them
	replayed, err := debrief.Replay(g)
	if err != nil {
		w.t.Fatal(err)
	}
	if !wsclient.SameEncoding(w.t, replayed.State.View(sim.Facilitator), final) {
		w.t.Fatal("the final state differs from a replay of the stored commands")
	}
	w.t.Logf("%d acknowledged commands found in the log of %d; %d reconnects; refused: %v", len(w.acks), len(log), w.reconnects, w.refused)
}
