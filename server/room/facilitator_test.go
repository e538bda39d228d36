package room

import (
	"slices"
	"testing"

	"pushback/server/protocol"
	"pushback/server/wsclient"
	"pushback/sim"
)

// Every facilitator order, over the wire, with its visible effect.
func TestFacilitatorOrders(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	fac := wsclient.Dial(t, s.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 2,
		Deadlines: protocol.Deadlines{Response: 600}}}).Joined
	code, tok := j.Code, j.Facilitator

	// A second table of the same trainer, and one of another.
	fac2 := wsclient.Dial(t, s.url)
	code2 := fac2.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Facilitator: tok}}).Joined.Code
	wsclient.Dial(t, s.url).Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}})
	wsclient.Dial(t, s.url).Fails(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Facilitator: "made-up"}}, protocol.CodeUnauthorized)

	a := wsclient.Dial(t, s.url)
	a.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "Ana", Role: protocol.RoleManager})
	o := wsclient.Dial(t, s.url)
	oj := o.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "Obi", Role: protocol.RoleObserver}).Joined
	if oj.Seat != sim.Public || oj.Token != "" {
		t.Fatalf("observer joined as %+v", oj)
	}
	v := fac.WaitView(func(v *protocol.View) bool { return len(v.Room.People) == 3 })
	if v.Room.Started || !v.Room.Seats[1].Human || v.Room.Seats[2].Human || !v.Room.Seats[0].Bot {
		t.Fatalf("lobby: %+v", v.Room)
	}

	ts := fac.Must(protocol.ClientMsg{Kind: protocol.KindTables, Token: tok}).Tables
	if len(ts) != 2 || ts[0].Code != code || ts[1].Code != code2 || ts[0].Phase != "mandate" || ts[0].Started || len(ts[0].Seats) != 3 || !ts[0].Seats[1].Connected {
		t.Fatalf("tables: %+v", ts)
	}

	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindStart}, protocol.CodeWrongPhase)
	// The persona executive played at once; manager 2 (a bot) answered.
	v = fac.WaitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseResponse })
	if !v.Game.Managers[1].Answered || v.Game.Managers[0].Answered || v.Room.Deadline == 0 {
		t.Fatalf("after start: %+v %+v", v.Game.Managers, v.Room)
	}

	// extend moves the deadline; pause keeps what is left; continue restores it.
	dl := v.Room.Deadline
	fac.Must(protocol.ClientMsg{Kind: protocol.KindExtend, Seconds: 60})
	if v = fac.View; v.Room.Deadline != dl+60_000 {
		t.Fatalf("extend: deadline %d, want %d", v.Room.Deadline, dl+60_000)
	}
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindExtend}, protocol.CodeBadMessage)
	fac.Must(protocol.ClientMsg{Kind: protocol.KindPause})
	if v = fac.View; !v.Room.Paused || v.Room.Deadline != 0 {
		t.Fatalf("pause: %+v", v.Room)
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindContinue})
	if v = fac.View; v.Room.Paused || v.Room.Deadline == 0 || v.Room.Deadline-v.Room.Now > 660_000 || v.Room.Deadline-v.Room.Now < 600_000 {
		t.Fatalf("continue: %+v", v.Room)
	}

	// inject: the event is news now.
	ev := scn.Events[len(scn.Events)-1]
	fac.Must(protocol.ClientMsg{Kind: protocol.KindInject, Event: ev.ID})
	if v = fac.View; v.Game.News[len(v.Game.News)-1] != len(scn.Events)-1 {
		t.Fatalf("inject: news %v", v.Game.News)
	}
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindInject, Event: "no-such-event"}, protocol.CodeUnknownCard)

	// assign: the observer takes seat 2 (a bot's until now) and its token.
	fac.Must(protocol.ClientMsg{Kind: protocol.KindAssign, Conn: oj.Conn, Seat: seatp(2)})
	for o.Joined.Seat != 2 {
		o.Next()
	}
	if o.Joined.Token == "" || o.Joined.Role != protocol.RoleManager {
		t.Fatalf("assigned: %+v", o.Joined)
	}
	v = fac.WaitView(func(v *protocol.View) bool { return v.Room.Seats[2].Human && v.Room.Seats[2].Name == "Obi" })

	// skip: Ana, silent, gets the default; the game moves on to the reveal.
	fac.Must(protocol.ClientMsg{Kind: protocol.KindSkip})
	v = fac.WaitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseReveal })
	if m := v.Game.Managers[0]; !m.Answered || (v.Game.Target == 0 || v.Game.Target == 1) && m.Response != sim.ResponseRelay {
		t.Fatalf("skip gave Ana %+v", m)
	}

	// bot: a bot plays Ana's seat at once (she is ready); Obi still owes.
	fac.Must(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(1), On: true})
	if v = fac.View; !v.Room.Seats[1].Bot || !v.Game.Managers[0].Ready || v.Game.Managers[1].Ready || v.Game.Phase != sim.PhaseReveal {
		t.Fatalf("bot on: %+v, managers %+v", v.Room.Seats, v.Game.Managers)
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(1), On: false})
	if v = fac.View; v.Room.Seats[1].Bot {
		t.Fatalf("bot off: %+v", v.Room.Seats[1])
	}
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(0), On: true}, protocol.CodeBadCommand)
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(9), On: true}, protocol.CodeBadMessage)

	// skip again: the next turn begins without Obi's ready.
	turn := v.Game.Turn
	fac.Must(protocol.ClientMsg{Kind: protocol.KindSkip})
	if v = fac.View; v.Game.Turn != turn+1 {
		t.Fatalf("skip: turn %d phase %s", v.Game.Turn, v.Game.Phase)
	}

	// kick: Ana is told and disconnected; her seat stays hers.
	var ana protocol.Person
	for _, p := range v.Room.People {
		if p.Name == "Ana" {
			ana = p
		}
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindKick, Conn: ana.Conn})
	a.WaitError(protocol.CodeUnauthorized)
	a.WaitClosed()
	v = fac.WaitView(func(v *protocol.View) bool { return !v.Room.Seats[1].Connected })
	if !v.Room.Seats[1].Human || slices.ContainsFunc(v.Room.People, func(p protocol.Person) bool { return p.Name == "Ana" }) {
		t.Fatalf("after kick: %+v", v.Room)
	}
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindKick, Conn: 999}, protocol.CodeBadMessage)

	// A second facilitator screen resumes with the token and table code.
	f2 := wsclient.Dial(t, s.url)
	if r := f2.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: tok, Code: code}).Joined; r.Role != protocol.RoleFacilitator || r.Code != code {
		t.Fatalf("facilitator resume: %+v", r)
	}
	// end: scored, over, listed as over.
	f2.Must(protocol.ClientMsg{Kind: protocol.KindEnd})
	v = fac.WaitView(func(v *protocol.View) bool { return v.Room.Over })
	if v.Game.Scores == nil || v.Game.Phase != sim.PhaseOver {
		t.Fatalf("end: %+v", v.Game)
	}
	ts = fac.Must(protocol.ClientMsg{Kind: protocol.KindTables, Token: tok}).Tables
	if !ts[0].Over || ts[0].Phase != "over" || ts[1].Over {
		t.Fatalf("tables after end: %+v", ts)
	}
	if got := s.hub.Rooms(); got != 2 {
		t.Fatalf("%d live rooms, want 2", got)
	}
}
