package room

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/debrief"
	"pushback/server/protocol"
	"pushback/server/wsclient"
	"pushback/sim"
)

// workshop is a room with a facilitator and four human players.
type workshop struct {
	fac     *wsclient.Client
	code    string
	facTok  string
	players []*wsclient.Bot
}

// newTable creates a workshop room with a human executive and three manager
// seats, seats four people through join, and starts the game.
func newTable(t *testing.T, s *server, scn *sim.Scenario, req protocol.CreateRoom) *workshop {
	t.Helper()
	fac := wsclient.Dial(t, s.url)
	req.Executive, req.Managers, req.Seed = "human", 3, 11
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &req}).Joined
	if j.Role != protocol.RoleFacilitator || len(j.Code) != CodeLen || len(j.Facilitator) < 22 {
		t.Fatalf("create answered %+v", j)
	}
	tb := &workshop{fac: fac, code: j.Code, facTok: j.Facilitator}
	styles := []string{"advocate", "firebrand", "yes-man"}
	for i, role := range []string{protocol.RoleExecutive, protocol.RoleManager, protocol.RoleManager, protocol.RoleManager} {
		c := wsclient.Dial(t, s.url)
		jj := c.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: "Player " + string(rune('A'+i)), Role: role}).Joined
		if jj.Seat != sim.Seat(i) || len(jj.Token) < 22 || jj.Facilitator != "" {
			t.Fatalf("join %d answered %+v", i, jj)
		}
		p := &wsclient.Bot{Client: c, Seat: jj.Seat, Rng: rand.New(rand.NewPCG(uint64(i), 3))}
		if i == 0 {
			p.Persona = &scn.Personas[0]
		} else {
			p.Style = scn.Style(styles[i-1])
		}
		tb.players = append(tb.players, p)
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	for _, p := range tb.players {
		p.WaitView(func(v *protocol.View) bool { return v.Room.Started })
	}
	return tb
}

// step lets every player that owes a decision make it, each on the view it
// has, then brings every client up to date. It reports whether anyone moved.
func (tb *workshop) step(t *testing.T, scn *sim.Scenario, visit func(p *wsclient.Bot) (sim.Command, bool)) bool {
	t.Helper()
	moved := false
	for _, p := range tb.players {
		if p.View.Room.Over {
			return false
		}
		cmd, ok := visit(p)
		if !ok {
			cmd, ok = p.Decide(scn)
		}
		if !ok {
			continue
		}
		p.Must(protocol.ClientMsg{Kind: protocol.KindCommand, Command: &cmd, Based: p.View.Game.Version})
		v := p.View.Game.Version
		for _, q := range tb.players {
			q.AtLeast(v)
		}
		tb.fac.AtLeast(v)
		moved = true
	}
	return moved
}

// A full game of the default scenario: an executive and three managers,
// each a WebSocket client deciding only from the views it receives, played
// to the final scores; the scores equal a replay of the stored log; and on
// the bytes each client received, nobody saw what their seat may not.
func TestFullGameOverTheWire(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	tb := newTable(t, s, scn, protocol.CreateRoom{})
	observer := wsclient.Dial(t, s.url)
	observer.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: tb.code, Role: protocol.RoleProjector})

	// The executive visits manager 1 in turn 2, so that the hidden-information
	// check also sees a visit.
	visit := func(p *wsclient.Bot) (sim.Command, bool) {
		g := &p.View.Game
		if p.Seat == sim.Executive && g.Phase == sim.PhaseMandate && g.Turn == 2 && g.Visit == 0 {
			return sim.Command{Kind: sim.CmdVisit, Seat: sim.Executive, Target: 1}, true
		}
		return sim.Command{}, false
	}
	for i := 0; !tb.players[0].View.Room.Over; i++ {
		if !tb.step(t, scn, visit) && !tb.players[0].View.Room.Over || i > 500 {
			t.Fatalf("game stuck at %+v", tb.players[0].View.Game)
		}
	}
	final := tb.fac.WaitView(func(v *protocol.View) bool { return v.Room.Over })
	if final.Game.Phase != sim.PhaseOver || final.Game.Scores == nil || len(final.Game.Scores.Managers) != 3 {
		t.Fatalf("final view %+v", final.Game)
	}
	for _, p := range tb.players {
		if v := p.WaitView(func(v *protocol.View) bool { return v.Room.Over }); !wsclient.SameEncoding(t, v.Game.Scores, final.Game.Scores) {
			t.Errorf("seat %d saw scores %v, facilitator %v", p.Seat, v.Game.Scores, final.Game.Scores)
		}
	}

	// The stored log replays to the very game the facilitator saw.
	sr, err := s.st.Room(tb.code)
	if err != nil || sr.Finished.IsZero() {
		t.Fatalf("stored room %+v, %v", sr, err)
	}
	var mt meta
	if err := msgpack.Unmarshal(sr.Meta, &mt); err != nil {
		t.Fatal(err)
	}
	log, err := s.st.Log(tb.code)
	if err != nil {
		t.Fatal(err)
	}
	g, err := logGame(tb.code, sr.Scenario, sr.Source, scn, sr.Seed, mt.Config, log)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := debrief.Replay(g)
	if err != nil {
		t.Fatal(err)
	}
	st := rp.State
	if !wsclient.SameEncoding(t, st.View(sim.Facilitator), final.Game) {
		t.Fatal("replay of the stored log differs from the game played")
	}

	checkHidden(t, sim.Facilitator, tb.fac.Frames())
	checkHidden(t, sim.Public, observer.Frames())
	for _, p := range tb.players {
		checkHidden(t, p.Seat, p.Frames())
	}
}

// checkHidden decodes every frame a client received and asserts the seat's
// view rules. Each frame must re-encode to its exact bytes, so that nothing
// the struct does not know about could hide in it.
func checkHidden(t *testing.T, seat sim.Seat, frames [][]byte) {
	t.Helper()
	const H = sim.Hidden
	var sawOwn, sawReveal, sawVisit bool
	views := 0
	for i, b := range frames {
		m, err := protocol.DecodeServer(b)
		if err != nil {
			t.Fatalf("seat %d frame %d: %v", seat, i, err)
		}
		again, _ := protocol.Encode(m)
		if !bytes.Equal(again, b) {
			t.Fatalf("seat %d frame %d carries fields the protocol does not define", seat, i)
		}
		if m.View == nil {
			continue
		}
		views++
		g := &m.View.Game
		if g.Seat != seat {
			t.Fatalf("seat %d received the view of seat %d", seat, g.Seat)
		}
		if m.View.Room.People != nil && seat != sim.Facilitator {
			t.Fatalf("seat %d received the facilitator's list of connections", seat)
		}
		if len(m.View.Texts) != len(g.Deltas) {
			t.Fatalf("seat %d: %d texts for %d deltas", seat, len(m.View.Texts), len(g.Deltas))
		}
		for _, d := range g.Deltas {
			switch {
			case seat == sim.Facilitator || d.Seat == seat:
			case d.Seat == sim.Executive:
				if d.Meter != sim.MeterRevenue {
					t.Fatalf("seat %d received a company delta %v", seat, d)
				}
			case d.Meter == sim.MeterQuota:
			case seat == sim.Executive && d.Meter == sim.MeterStanding:
			default:
				t.Fatalf("seat %d received another seat's delta %+v", seat, d)
			}
		}
		if seat != sim.Executive && seat != sim.Facilitator && (g.Company.Cost != H || g.Company.Pressure != H) {
			t.Fatalf("seat %d received the company's cost or pressure", seat)
		}
		for _, mv := range g.Managers {
			switch {
			case seat == sim.Facilitator:
				if mv.Meters.Morale == H || mv.Meters.Trust == H {
					t.Fatal("the facilitator's view hides meters")
				}
			case mv.Seat == seat:
				sawOwn = sawOwn || mv.Meters.Morale != H && mv.Meters.Trust != H && mv.Meters.Standing != H
			case seat == sim.Executive:
				if mv.VisitTurn == 0 && (mv.Meters.Morale != H || mv.Meters.Trust != H) {
					t.Fatalf("the executive received seat %d's true morale or trust without a visit", mv.Seat)
				}
				if mv.VisitTurn > 0 {
					sawVisit = true
					if mv.VisitTurn > g.Turn {
						t.Fatalf("visit in the future")
					}
				}
				for _, h := range mv.History {
					if h.Morale != H || h.Trust != H {
						t.Fatalf("the executive received seat %d's morale or trust history", mv.Seat)
					}
				}
				if g.Phase < sim.PhaseRuling && (mv.Revealed || mv.Response != sim.ResponseNone) {
					t.Fatalf("the executive received seat %d's response before the ruling", mv.Seat)
				}
			default: // a manager or the public looking at another manager
				if mv.Meters.Morale != H || mv.Meters.Trust != H || mv.Meters.Standing != H || mv.Pulse != H || mv.Resignations != H {
					t.Fatalf("seat %d received seat %d's hidden meters %+v", seat, mv.Seat, mv.Meters)
				}
				for _, h := range mv.History {
					if h.Morale != H || h.Trust != H || h.Standing != H {
						t.Fatalf("seat %d received seat %d's meter history", seat, mv.Seat)
					}
				}
				if len(mv.InForce) != 0 {
					t.Fatalf("seat %d received seat %d's mandates in force", seat, mv.Seat)
				}
				if g.Phase < sim.PhaseReveal {
					if mv.Revealed || mv.Response != sim.ResponseNone || mv.Case != (sim.Case{}) || mv.Action != sim.ActionNone {
						t.Fatalf("seat %d received seat %d's pending response in %s", seat, mv.Seat, g.Phase)
					}
				} else if mv.Revealed {
					sawReveal = true
				}
			}
		}
	}
	if views == 0 {
		t.Fatalf("seat %d received no view", seat)
	}
	// The checks above must have had something to look at.
	if seat >= 1 && (!sawOwn || !sawReveal) {
		t.Fatalf("seat %d: own meters seen %v, a reveal seen %v", seat, sawOwn, sawReveal)
	}
	if seat == sim.Executive && !sawVisit {
		t.Fatal("the executive's visit never showed")
	}
}
