package store

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"pushback/scenarios"
	"pushback/sim"
)

func config() sim.Config {
	return sim.Config{Persona: "", Managers: []sim.SeatConfig{
		{Name: "A", Style: "yes-man"}, {Name: "B", Style: "firebrand"}, {Name: "C", Style: "advocate"}}}
}

// A bot game logged command by command, the database closed and reopened:
// the log replays to exactly the state the game reached.
func TestLogSurvivesReopenAndReplays(t *testing.T) {
	dir := t.TempDir()
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := scenarios.Source(scenarios.Default)
	cfg := config()
	cfg.Persona = scn.Personas[0].ID
	st, err := sim.New(scn, cfg, 42)
	if err != nil {
		t.Fatal(err)
	}
	bots, err := sim.NewBots(st, 7)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1_700_000_000_000)
	if err := s.Create(Room{Code: "KXP4RT", Facilitator: "tok", Scenario: scenarios.Default, Source: src, Seed: 42, Meta: []byte{0x80}, Created: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(Room{Code: "KXP4RT", Facilitator: "x", Source: src, Meta: []byte{0x80}, Created: now}); err == nil {
		t.Fatal("a second room with the same code was accepted")
	}
	for st.Phase != sim.PhaseOver {
		moved := false
		for seat := sim.Executive; int(seat) <= st.Managers(); seat++ {
			c, ok := bots.Decide(st, seat)
			if !ok {
				continue
			}
			if err := st.Apply(c); err != nil {
				t.Fatal(err)
			}
			if err := s.Append("KXP4RT", st.Version, c, now); err != nil {
				t.Fatal(err)
			}
			moved = true
		}
		if !moved {
			t.Fatal("stuck")
		}
	}
	if err := s.Append("KXP4RT", st.Version, sim.Command{Kind: sim.CmdEnd, Seat: sim.Facilitator}, now); err == nil {
		t.Fatal("a repeated sequence number was accepted")
	}
	if err := s.Append("NOROOM", 1, sim.Command{}, now); err == nil {
		t.Fatal("a command for an unknown room was accepted")
	}
	un, err := s.Unfinished()
	if err != nil || len(un) != 1 || un[0].Code != "KXP4RT" {
		t.Fatalf("Unfinished = %v, %v", un, err)
	}
	if err := s.Finish("KXP4RT", now); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish("NOROOM", now); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Finish of an unknown room: %v", err)
	}
	// Records: numbered from 1, in order; a number used twice and an
	// unknown room are refused.
	if err := s.AppendRecords("KXP4RT", 1, 3, [][]byte{{1}, {2}}, now); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendRecords("KXP4RT", 2, 4, [][]byte{{9}}, now); err == nil {
		t.Fatal("a repeated record number was accepted")
	}
	if err := s.AppendRecords("NOROOM", 1, 0, [][]byte{{1}}, now); err == nil {
		t.Fatal("a record for an unknown room was accepted")
	}
	if recs, err := s.Records("KXP4RT"); err != nil || len(recs) != 2 || recs[1].N != 2 || recs[1].Body[0] != 2 || recs[0].Version != 3 {
		t.Fatalf("Records = %+v, %v", recs, err)
	}
	s.Close()

	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if un, _ := s.Unfinished(); len(un) != 0 {
		t.Fatalf("finished room still listed as unfinished: %v", un)
	}
	r, err := s.Room("KXP4RT")
	if err != nil || r.Seed != 42 || string(r.Source) != string(src) || r.Finished.IsZero() || !r.Created.Equal(now) {
		t.Fatalf("Room = %+v, %v", r, err)
	}
	if rs, _ := s.ByFacilitator("tok"); len(rs) != 1 {
		t.Fatalf("ByFacilitator = %v", rs)
	}
	log, err := s.Log("KXP4RT")
	if err != nil {
		t.Fatal(err)
	}
	if uint64(len(log)) != st.Version {
		t.Fatalf("log has %d commands, game applied %d", len(log), st.Version)
	}
	scn2, err := scenarios.Parse("stored", r.Source)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Replay(scn2, cfg, r.Seed, log)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Scores, st.Scores) || !reflect.DeepEqual(again.History, st.History) || !reflect.DeepEqual(again.Deltas, st.Deltas) {
		t.Fatal("replayed game differs from the original")
	}
	// A gap in the log is refused by Replay.
	if _, err := Replay(scn2, cfg, r.Seed, append(log[:3:3], log[4:]...)); err == nil {
		t.Fatal("Replay accepted a log with a gap")
	}
	if _, err := s.Room("NOROOM"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Room of unknown code: %v", err)
	}
}

// Many rooms appending at once share commits; every append lands, in
// order, and a bad one (a repeated sequence number) fails alone.
func TestConcurrentAppendsGroupCommit(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const rooms, per = 20, 30
	errs := make(chan error, rooms)
	for r := range rooms {
		code := string(rune('A'+r)) + "ROOM"
		if err := s.Create(Room{Code: code, Facilitator: "f", Scenario: "x", Source: []byte("x"), Meta: []byte{}, Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
		go func() {
			for i := range per {
				if err := s.Append(code, uint64(i+1), sim.Command{Kind: sim.CmdReady, Seat: sim.Seat(1 + i%3)}, time.Now()); err != nil {
					errs <- err
					return
				}
				if i == per/2 { // a repeat of the seq just written must fail, and fail alone
					if err := s.Append(code, uint64(i+1), sim.Command{Kind: sim.CmdReady}, time.Now()); err == nil {
						errs <- errors.New("a repeated sequence number was accepted")
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range rooms {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for r := range rooms {
		log, err := s.Log(string(rune('A'+r)) + "ROOM")
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != per {
			t.Fatalf("room %d: %d commands logged, want %d", r, len(log), per)
		}
		for i, e := range log {
			if e.Seq != uint64(i+1) || e.Command.Seat != sim.Seat(1+i%3) {
				t.Fatalf("room %d entry %d: %+v", r, i, e)
			}
		}
	}
}

// A code the store holds already is refused with a typed error, which the
// hub turns into a new code; nobody matches on SQLite's words.
func TestCreateTakenCodeIsTyped(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := Room{Code: "ABCDEF", Facilitator: "f", Scenario: "x", Source: []byte("s"), Meta: []byte{}, Created: time.Now()}
	if err := s.Create(r); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(r); !errors.Is(err, ErrCodeTaken) {
		t.Fatalf("second create of one code: %v, want ErrCodeTaken", err)
	}
	r.Code = "GHIJKL"
	if err := s.Create(r); err != nil {
		t.Fatalf("another code after a taken one: %v", err)
	}
}

// A read in progress (a report being streamed, a restore) holds one of the
// read connections; the writer has its own, so appends and records still
// commit. With one connection for both, this append waited for the read to
// finish — here, forever. The read connections cannot write.
func TestReadsDoNotBlockAppends(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Create(Room{Code: "ABCDEF", Facilitator: "f", Scenario: "x", Source: []byte("s"), Meta: []byte{}, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for i := uint64(1); i <= 3; i++ {
		if err := s.Append("ABCDEF", i, sim.Command{Kind: sim.CmdReady}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.rd.Query(`SELECT seq FROM commands WHERE room = ?`, "ABCDEF")
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() { // the read is now open, mid-result
		t.Fatal("no rows")
	}
	done := make(chan error, 2)
	go func() { done <- s.Append("ABCDEF", 4, sim.Command{Kind: sim.CmdReady}, time.Now()) }()
	go func() {
		done <- s.AppendRecords("ABCDEF", 1, 4, [][]byte{{1}}, time.Now())
	}()
	for range 2 {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("an append waited on an open read")
		}
	}
	rows.Close()
	log, err := s.Log("ABCDEF")
	if err != nil || len(log) != 4 {
		t.Fatalf("log after the appends: %d entries, %v", len(log), err)
	}
	if _, err := s.rd.Exec(`DELETE FROM commands`); err == nil {
		t.Fatal("a read connection could write")
	}
}
