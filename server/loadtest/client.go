package loadtest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"pushback/server/protocol"
	"pushback/server/wsclient"
	"pushback/sim"
)

// player is one bot client: a real WebSocket, a seat, and the record of
// every command the server acknowledged. Its reader goroutine handles
// frames; a decision is sent after the think time from a timer, so a
// thinking player costs no goroutine.
type player struct {
	g    *game
	name string

	mu        sync.Mutex
	rng       *rand.Rand
	seat      sim.Seat
	token     string
	ws        *websocket.Conn
	gen       int    // connection number, to drop stale timers
	last      uint64 // version of the latest view on this connection
	view      *protocol.View
	started   bool     // baseline: the room has begun
	inflight  *sentCmd // the command awaiting its answer
	scheduled bool     // a decision timer runs
	blocked   uint64   // after an error, wait for a newer view than this
	over      bool     // the game ended for this seat
	nextID    uint32
	acked     []ackedCmd
	sentPhase uint64 // baseline: the last phase this seat answered in (+1)
	sends     int
	dropAt    int  // drop the connection at this send (0 never)
	dropIdle  bool // drop before sending rather than after
	dropping  bool // the disconnect in progress is ours
}

type sentCmd struct {
	id    uint32
	cmd   sim.Command
	based uint64
	at    time.Time
}

// ackedCmd is one command the server answered ok: its position must be in
// the room's durable log afterwards.
type ackedCmd struct {
	cmd      sim.Command
	based, v uint64
}

// connect dials and takes the seat: join the first time, resume after.
func (p *player) connect(ctx context.Context) (*websocket.Conn, error) {
	g := p.g
	if g.run.cfg.Baseline {
		u, _ := url.Parse(g.run.cfg.URL)
		q := url.Values{"room": {g.code}, "n": {strconv.Itoa(g.run.cfg.Players)}, "size": {strconv.Itoa(g.run.cfg.ViewBytes)}}
		u.RawQuery = q.Encode()
		ws, _, err := wsclient.Dialer.DialContext(ctx, u.String(), nil)
		if err != nil {
			return nil, err
		}
		p.attach(ws)
		return ws, nil
	}
	ws, err := wsclient.Hello(ctx, g.run.cfg.URL)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	m := protocol.ClientMsg{Kind: protocol.KindJoin, ID: 2, Code: g.code, Name: p.name, Role: protocol.RolePlayer}
	if p.token != "" {
		m = protocol.ClientMsg{Kind: protocol.KindResume, ID: 2, Code: g.code, Token: p.token}
	}
	p.mu.Unlock()
	ans, err := wsclient.Request(ws, m, g.run.countError)
	if err != nil {
		ws.Close()
		return nil, err
	}
	if ans.Kind != protocol.KindJoined || ans.Joined.Seat < 0 {
		ws.Close()
		return nil, fmt.Errorf("%s answered %s", m.Kind, ans.Kind)
	}
	p.mu.Lock()
	p.seat, p.token = ans.Joined.Seat, ans.Joined.Token
	p.mu.Unlock()
	p.attach(ws)
	return ws, nil
}

func (p *player) attach(ws *websocket.Conn) {
	p.mu.Lock()
	p.ws = ws
	p.gen++
	p.last, p.view, p.started, p.inflight, p.scheduled, p.blocked, p.dropping = 0, nil, false, nil, false, 0, false
	seat := p.seat
	p.mu.Unlock()
	p.g.track.present(int(seat))
}

// countError counts an error answer by its code.
func (r *run) countError(code protocol.Code) { r.st.errorf(string(code)) }

// play runs the player until its game ends or ctx is done, coming back with
// its token after every lost connection.
func (p *player) play(ctx context.Context, ws *websocket.Conn) {
	r := p.g.run
	backoff := 50 * time.Millisecond
	var lost time.Time
	for {
		if ws != nil {
			stop := context.AfterFunc(ctx, func() { ws.Close() })
			err := p.read(ws)
			stop()
			ws.Close()
			p.mu.Lock()
			over, ours, seat := p.over, p.dropping, p.seat
			p.mu.Unlock()
			if over || ctx.Err() != nil {
				return
			}
			p.g.track.absent(int(seat))
			lost = time.Now()
			// A close with 1012 (service restart) is a cluster node
			// handing its rooms over or losing one: a reconnect, not an
			// error.
			if !ours && !r.faults() && !websocket.IsCloseError(err, websocket.CloseServiceRestart) {
				r.st.errorf("disconnect")
			}
			r.st.reconnects.Add(1)
			if ours {
				backoff = 0
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff + time.Duration(rand.IntN(300))*time.Millisecond):
		}
		var err error
		ws, err = p.connect(ctx)
		if err != nil {
			var ec wsclient.ErrCode
			if errors.As(err, &ec) && !r.faults() {
				return // counted; a refused seat will not come back
			}
			backoff = min(max(backoff*2, 100*time.Millisecond), time.Second)
			continue
		}
		backoff = 50 * time.Millisecond
		r.back(lost)
	}
}

// read handles frames until the connection fails or the game ends.
func (p *player) read(ws *websocket.Conn) error {
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			return err
		}
		at := time.Now()
		if p.g.run.cfg.Baseline {
			p.baseFrame(b, at)
		} else {
			p.frame(b, at)
		}
		p.mu.Lock()
		over := p.over && p.inflight == nil // the last command's answer follows the last view
		p.mu.Unlock()
		if over {
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			return nil
		}
	}
}

func (p *player) frame(b []byte, at time.Time) {
	r := p.g.run
	m, err := protocol.DecodeServer(b)
	if err != nil {
		r.st.errorf("undecodable")
		return
	}
	switch m.Kind {
	case protocol.KindView:
		if m.View == nil {
			r.st.errorf("empty_view")
			return
		}
		v := m.View.Game.Version
		r.st.views.Add(1)
		r.st.viewBytes.Add(int64(len(b)))
		p.mu.Lock()
		seat := p.seat
		p.view, p.last = m.View, v
		if m.View.Room.Over || m.View.Game.Phase == sim.PhaseOver {
			p.over = true
		}
		p.mu.Unlock()
		p.g.track.arrive(int(seat), v, at)
		p.mu.Lock()
		p.maybeDecide()
		p.mu.Unlock()
	case protocol.KindOK:
		p.answered(m.Re, "")
	case protocol.KindError:
		r.st.errorf(string(m.Error.Code))
		p.answered(m.Re, m.Error.Code)
	case protocol.KindJoined:
		if m.Joined != nil && m.Joined.Seat < 0 { // demoted: someone took the seat
			r.st.errorf("demoted")
		}
	}
}

// answered settles the command in flight with an ok (code "") or an error.
func (p *player) answered(re uint32, code protocol.Code) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.inflight
	if c == nil || c.id != re {
		return
	}
	p.inflight = nil
	if code != "" {
		p.blocked = p.last
	} else {
		p.acked = append(p.acked, ackedCmd{cmd: c.cmd, based: c.based, v: p.last})
		p.g.run.st.acked.Add(1)
		p.g.run.st.kinds[min(int(c.cmd.Kind), len(p.g.run.st.kinds)-1)].Add(1)
		p.g.track.acked(c.at, p.last)
	}
	p.maybeDecide()
}

func (p *player) baseFrame(b []byte, at time.Time) {
	r := p.g.run
	if len(b) < 9 {
		r.st.errorf("undecodable")
		return
	}
	v := binary.BigEndian.Uint64(b)
	switch b[8] {
	case baseView:
		r.st.views.Add(1)
		r.st.viewBytes.Add(int64(len(b)))
		p.mu.Lock()
		seat := p.seat
		p.last, p.started = v, true
		if v >= r.sched.total() {
			p.over = true
		}
		p.mu.Unlock()
		p.g.track.arrive(int(seat), v, at)
		p.mu.Lock()
		p.maybeDecide()
		p.mu.Unlock()
	case baseAck:
		p.mu.Lock()
		if p.inflight != nil {
			p.inflight.id = 0
		}
		p.mu.Unlock()
		p.answered(0, "")
	}
}

// owes reports whether the seat has a decision to make now.
func (p *player) owes() bool {
	if p.over || p.inflight != nil || p.ws == nil {
		return false
	}
	if p.g.run.cfg.Baseline {
		if !p.started {
			return false
		}
		phase, owes, serial := p.g.run.sched.at(p.last, int(p.seat))
		return owes && (serial || p.sentPhase != phase+1)
	}
	return !(p.last == p.blocked && p.blocked != 0) && wsclient.Owes(p.view, p.seat)
}

// maybeDecide starts the think timer if the seat owes a decision. p.mu held.
func (p *player) maybeDecide() {
	if p.scheduled || !p.owes() {
		return
	}
	p.scheduled = true
	gen := p.gen
	if d := p.g.run.cfg.think(p.rng); d > 0 {
		time.AfterFunc(d, func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.send(gen)
		})
		return
	}
	p.send(gen)
}

// send decides from the latest view and writes the command. p.mu held.
func (p *player) send(gen int) {
	p.scheduled = false
	if gen != p.gen || !p.owes() {
		return
	}
	r := p.g.run
	p.sends++
	if p.dropAt == p.sends && p.dropIdle {
		p.drop()
		return
	}
	var b []byte
	c := sentCmd{based: p.last, at: time.Now()}
	if r.cfg.Baseline {
		phase, _, _ := r.sched.at(p.last, int(p.seat))
		p.sentPhase = phase + 1
		b = baseFrame(p.last, 'c', r.cfg.CommandBytes)
		c.cmd = sim.Command{Kind: sim.CmdReady, Seat: p.seat}
	} else {
		g := p.view.Game
		style := p.g.styles[max(int(p.seat)-1, 0)%len(p.g.styles)]
		c.cmd = wsclient.Move(p.seat, r.scn, &g, style, p.g.persona, p.rng)
		p.nextID++
		c.id = p.nextID + 100
		var err error
		b, err = protocol.Encode(protocol.ClientMsg{Kind: protocol.KindCommand, ID: c.id, Command: &c.cmd, Based: c.based})
		if err != nil {
			r.st.errorf("encode")
			return
		}
	}
	p.inflight = &c
	r.st.sent.Add(1)
	r.st.cmdBytes.Add(int64(len(b)))
	p.ws.SetWriteDeadline(time.Now().Add(wsclient.Wait))
	if err := p.ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
		return // the reader sees the broken connection and comes back
	}
	if p.dropAt == p.sends {
		p.drop() // the command is in flight: its answer is lost with the connection
	}
}

// drop cuts the TCP connection without a close frame, as a dying phone or a
// laptop lid does. p.mu held.
func (p *player) drop() {
	p.dropping = true
	p.g.run.st.drops.Add(1)
	p.ws.NetConn().Close()
}
