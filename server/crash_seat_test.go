package main

import (
	"path/filepath"
	"syscall"
	"testing"

	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/server/store/pgtest"
	"pushback/server/wsclient"
	"pushback/sim"
)

// The real binary is killed with SIGKILL right after the facilitator's seat
// changes were acknowledged (a join, an assignment to another seat, a lock),
// before any next command: they are records in the log, and the restarted
// server has every seat as it was acknowledged, the moved player's new token
// included. On both stores, like TestCrashAndRestart.
func TestSeatChangeSurvivesCrash(t *testing.T) {
	bin := serverBin(t)
	t.Run("sqlite", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "data")
		seatChangeSurvivesCrash(t, bin, data, nil, func() (*store.Store, error) { return store.Open(data) })
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.Database(t)
		data := filepath.Join(t.TempDir(), "data")
		seatChangeSurvivesCrash(t, bin, data, []string{"-store", url}, func() (*store.Store, error) { return store.OpenURL(url) })
	})
}

func seatChangeSurvivesCrash(t *testing.T, bin, data string, extra []string, open func() (*store.Store, error)) {
	srv := startChild(t, bin, data, extra...)
	fac := wsclient.Dial(t, srv.url())
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 3, Seed: 7}}).Joined
	code, facTok := j.Code, j.Facilitator

	stays := wsclient.Dial(t, srv.url())
	js := stays.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "Stays", Role: protocol.RoleManager}).Joined
	mover := wsclient.Dial(t, srv.url())
	jm := mover.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "Mover", Role: protocol.RoleManager}).Joined
	if js.Seat != 1 || jm.Seat != 2 {
		t.Fatalf("joined seats %d and %d, want 1 and 2", js.Seat, jm.Seat)
	}
	to := sim.Seat(3)
	fac.Must(protocol.ClientMsg{Kind: protocol.KindAssign, Conn: jm.Conn, Seat: &to})
	// The moved connection is told its new seat and token.
	for mover.Joined.Seat != to {
		mover.Next()
	}
	moved := *mover.Joined
	fac.Must(protocol.ClientMsg{Kind: protocol.KindLock, On: true})

	// No next command: the server dies now.
	srv.cmd.Process.Signal(syscall.SIGKILL)
	if err := <-srv.exit; err == nil {
		t.Fatal("the server exited cleanly after SIGKILL")
	}

	// The changes are in the log, beside the (empty) command log.
	st, err := open()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.Records(code)
	if err != nil {
		t.Fatal(err)
	}
	log, err := st.Log(code)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// join, join, assign (the old seat freed and the new one taken), lock
	if len(recs) < 4 || len(log) != 0 {
		t.Fatalf("after the crash the log holds %d room records and %d commands, want at least 4 and 0", len(recs), len(log))
	}

	srv = startChild(t, bin, data, extra...)
	fac = wsclient.Dial(t, srv.url())
	fac.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: facTok, Code: code})
	ri := fac.WaitView(func(*protocol.View) bool { return true }).Room
	if !ri.Locked {
		t.Error("the lock was lost")
	}
	want := map[sim.Seat]string{1: "Stays", 2: "", 3: "Mover"}
	for s, name := range want {
		si := ri.Seats[s]
		if si.Human != (name != "") || (name != "" && si.Name != name) {
			t.Errorf("seat %d after the restart: %+v, want held by %q", s, si, name)
		}
	}
	// Both people come back with their tokens to the seats acknowledged.
	back := wsclient.Dial(t, srv.url())
	if r := back.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: moved.Token}).Joined; r.Seat != to {
		t.Fatalf("the moved player resumed at %+v", r)
	}
	stays = wsclient.Dial(t, srv.url())
	if r := stays.Must(protocol.ClientMsg{Kind: protocol.KindResume, Token: js.Token}).Joined; r.Seat != 1 {
		t.Fatalf("the other player resumed at %+v", r)
	}
	// The token of the seat the mover left holds nothing any more.
	old := wsclient.Dial(t, srv.url())
	if m := old.Req(protocol.ClientMsg{Kind: protocol.KindResume, Token: jm.Token}); m.Kind != protocol.KindError || m.Error.Code != protocol.CodeUnauthorized {
		t.Fatalf("the old seat's token answered %+v", m)
	}
}
