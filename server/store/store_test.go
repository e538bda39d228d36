package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"pushback/scenarios"
	"pushback/server/debrief"
	"pushback/server/store/pgtest"
	"pushback/sim"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// each runs a test against both backends: the embedded SQLite file and a
// throwaway PostgreSQL. open opens the same database each time it is
// called, so a test can close and reopen it.
func each(t *testing.T, test func(t *testing.T, open func() (*Store, error))) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		test(t, func() (*Store, error) { return Open(dir) })
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.Database(t)
		test(t, func() (*Store, error) { return OpenURL(url) })
	})
}

func config() sim.Config {
	return sim.Config{Persona: "", Managers: []sim.SeatConfig{
		{Name: "A", Style: "yes-man"}, {Name: "B", Style: "firebrand"}, {Name: "C", Style: "advocate"}}}
}

// A bot game logged command by command, the database closed and reopened:
// the log replays to exactly the state the game reached.
func TestLogSurvivesReopenAndReplays(t *testing.T) { each(t, testLogSurvivesReopenAndReplays) }

func testLogSurvivesReopenAndReplays(t *testing.T, open func() (*Store, error)) {
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
	s, err := open()
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

	s, err = open()
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
	g := debrief.Game{Parsed: scn2, Config: cfg, Seed: r.Seed}
	for _, e := range log {
		g.Commands = append(g.Commands, e.Command)
	}
	rp, err := debrief.Replay(g)
	if err != nil {
		t.Fatal(err)
	}
	again := rp.State
	if !reflect.DeepEqual(again.Scores, st.Scores) || !reflect.DeepEqual(again.History, st.History) || !reflect.DeepEqual(again.Deltas, st.Deltas) {
		t.Fatal("replayed game differs from the original")
	}
	for i, e := range log {
		if e.Seq != uint64(i+1) {
			t.Fatalf("log entry %d has sequence number %d", i, e.Seq)
		}
	}
	if _, err := s.Room("NOROOM"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Room of unknown code: %v", err)
	}
}

// Many rooms appending at once share commits; every append lands, in
// order, and a bad one (a repeated sequence number) fails alone.
func TestConcurrentAppendsGroupCommit(t *testing.T) { each(t, testConcurrentAppendsGroupCommit) }

func testConcurrentAppendsGroupCommit(t *testing.T, open func() (*Store, error)) {
	s, err := open()
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
func TestCreateTakenCodeIsTyped(t *testing.T) { each(t, testCreateTakenCodeIsTyped) }

func testCreateTakenCodeIsTyped(t *testing.T, open func() (*Store, error)) {
	s, err := open()
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
func TestReadsDoNotBlockAppends(t *testing.T) { each(t, testReadsDoNotBlockAppends) }

func testReadsDoNotBlockAppends(t *testing.T, open func() (*Store, error)) {
	s, err := open()
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
	rows, err := s.rd.Query(s.d.q(`SELECT seq FROM commands WHERE room = ?`), "ABCDEF")
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

// Retention: a finished game past its time and an idle lobby are listed,
// deleted with everything they hold (commands, records, takeaways) and
// leave a tombstone for their facilitator's links; a live room stays.
func TestRetentionDeletesWholeRooms(t *testing.T) { each(t, testRetentionDeletesWholeRooms) }

func testRetentionDeletesWholeRooms(t *testing.T, open func() (*Store, error)) {
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	old := time.UnixMilli(1_700_000_000_000)
	for _, c := range []string{"DONE01", "IDLE01", "LIVE01"} {
		if err := s.Create(Room{Code: c, Facilitator: "fac", Scenario: "x", Source: []byte("src"), Meta: []byte{1}, Created: old}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Append("DONE01", 1, sim.Command{Kind: sim.CmdReady}, old); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendRecords("DONE01", 1, 1, [][]byte{{7}}, old); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTakeaway("DONE01", Takeaway{Seat: 1, Name: "Ana", Word: "clear", Scale: 4, Commitment: "ask first", At: old}); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish("DONE01", old); err != nil {
		t.Fatal(err)
	}
	recent := old.Add(2 * time.Hour)
	if err := s.Append("LIVE01", 1, sim.Command{Kind: sim.CmdReady}, recent); err != nil {
		t.Fatal(err)
	}
	exp, err := s.Expired(old.Add(time.Hour), old.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range exp {
		codes = append(codes, r.Code)
		if len(r.Source) != 0 {
			t.Errorf("Expired carried %s's source", r.Code)
		}
	}
	if !reflect.DeepEqual(codes, []string{"DONE01", "IDLE01"}) {
		t.Fatalf("expired %v, want DONE01 and IDLE01", codes)
	}
	for _, c := range codes {
		if err := s.Delete(c, recent); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Room("DONE01"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted room still there: %v", err)
	}
	if tk, err := s.Takeaways("DONE01"); err != nil || len(tk) != 0 {
		t.Fatalf("takeaways of a deleted room: %v, %v", tk, err)
	}
	if gone, err := s.Gone("DONE01", "fac"); err != nil || !gone {
		t.Fatalf("Gone = %v, %v", gone, err)
	}
	if gone, _ := s.Gone("DONE01", "other"); gone {
		t.Fatal("a tombstone answered to another token")
	}
	if all, _ := s.All(); len(all) != 1 || all[0].Code != "LIVE01" {
		t.Fatalf("All after retention = %v", all)
	}
}

// One server per database: a second is refused while the first runs, and
// gets it once the first has closed.
func TestSecondServerRefused(t *testing.T) { each(t, testSecondServerRefused) }

func testSecondServerRefused(t *testing.T, open func() (*Store, error)) {
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 300 * time.Millisecond
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	if s2, err := open(); !errors.Is(err, ErrLocked) {
		if s2 != nil {
			s2.Close()
		}
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	s.Close()
	s2, err := open()
	if err != nil {
		t.Fatalf("open after the first closed: %v", err)
	}
	s2.Close()
}

// The schema is versioned: a new database gets every migration and
// records the version; one made by a newer server is refused rather than
// misread.
func TestSchemaVersioned(t *testing.T) { each(t, testSchemaVersioned) }

func testSchemaVersioned(t *testing.T, open func() (*Store, error)) {
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil || v != SchemaVersion {
		t.Fatalf("schema_version = %d, %v; want %d", v, err, SchemaVersion)
	}
	if _, err := s.db.Exec(s.d.q(`UPDATE schema_version SET version = ?`), SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := open(); !errors.Is(err, ErrDamaged) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("open of a newer schema: %v, want refusal", err)
	}
}

// A busy writer lingers for more: appends that came in while a commit ran
// are not committed at once but with those that follow them, up to a full
// batch; a lone append is committed at once. The linger is set to an hour
// here, so that only a full batch ends it: without the linger, what queued
// during the first commit would be a commit of its own, and with a linger
// for a lone append the last one would never return.
func TestBusyWriterLingers(t *testing.T) {
	defer func(d time.Duration) { maxLinger = d }(maxLinger)
	maxLinger = time.Hour
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	code := createRooms(t, s, maxBatch+1)
	errs := make(chan error, maxBatch+1)
	appendTo := func(i int, seq uint64) {
		go func() { errs <- s.Append(code(i), seq, sim.Command{Kind: sim.CmdReady, Seat: 1}, time.Now()) }()
	}
	held, err := s.db.Conn(context.Background()) // the writer's only connection: its next commit waits
	if err != nil {
		t.Fatal(err)
	}
	c0 := s.commits.Load()
	appendTo(0, 1)
	for s.commits.Load() == c0 { // the writer took it and waits for the connection
		time.Sleep(time.Millisecond)
	}
	const early = 10
	for i := 1; i <= early; i++ {
		appendTo(i, 1)
	}
	for len(s.appends) < early {
		time.Sleep(time.Millisecond)
	}
	held.Close()
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	for i := early + 1; i <= maxBatch; i++ {
		appendTo(i, 1)
	}
	for range maxBatch {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := s.commits.Load() - c0; n != 2 {
		t.Fatalf("%d commits for one append and then %d more, want 2: those queued during the first commit waited for the rest", n, maxBatch)
	}
	if err := s.Append(code(0), 2, sim.Command{Kind: sim.CmdReady, Seat: 1}, time.Now()); err != nil { // alone: at once
		t.Fatal(err)
	}
	for i := range maxBatch + 1 {
		want := 1
		if i == 0 {
			want = 2
		}
		if log, err := s.Log(code(i)); err != nil || len(log) != want {
			t.Fatalf("room %d: %d commands logged, %v", i, len(log), err)
		}
	}
}

// Under heavy load every batch lingers, a lone append's too. A step from
// rate 0 makes any window heavy, and its hold of an hour makes only a full
// batch end the linger: one append, then the rest of a batch, make one
// commit. (Below the rate a lone append commits at once:
// TestBusyWriterLingers.)
func TestHeavyLoadLingers(t *testing.T) {
	defer func(l []lingerStep) { heavyLingers = l }(heavyLingers)
	heavyLingers = []lingerStep{{rate: 0, hold: time.Hour}}
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	code := createRooms(t, s, maxBatch)
	time.Sleep(rateWindow) // the writer's first window ends: from now on it is heavy
	c0 := s.commits.Load()
	errs := make(chan error, maxBatch)
	appendTo := func(i int) {
		go func() { errs <- s.Append(code(i), 1, sim.Command{Kind: sim.CmdReady, Seat: 1}, time.Now()) }()
	}
	appendTo(0)
	for len(s.appends) > 0 { // the writer took it and lingers
		time.Sleep(time.Millisecond)
	}
	for i := 1; i < maxBatch; i++ {
		appendTo(i)
	}
	for range maxBatch {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := s.commits.Load() - c0; n != 1 {
		t.Fatalf("%d commits for a lone append and %d more under heavy load, want 1", n, maxBatch-1)
	}
}

// The highest step of heavyLingers reached counts; below them all no batch
// lingers for the rate.
func TestHeavyHoldSteps(t *testing.T) {
	s := &Store{heavy: heavyLingers}
	for _, c := range []struct {
		perSecond float64
		want      time.Duration
	}{{0, 0}, {355, 0}, {799.9, 0}, {800, 3 * time.Millisecond}, {1599, 3 * time.Millisecond},
		{1600, 8 * time.Millisecond}, {5000, 8 * time.Millisecond}} {
		if got := s.heavyHold(c.perSecond); got != c.want {
			t.Errorf("heavyHold(%v) = %v, want %v", c.perSecond, got, c.want)
		}
	}
}

// createRooms creates n rooms and returns the code of the i-th.
func createRooms(tb testing.TB, s *Store, n int) func(int) string {
	tb.Helper()
	code := func(i int) string { return fmt.Sprintf("R%05d", i) }
	for i := range n {
		if err := s.Create(Room{Code: code(i), Facilitator: "f", Scenario: "x", Source: []byte("x"), Meta: []byte{}, Created: time.Now()}); err != nil {
			tb.Fatal(err)
		}
	}
	return code
}
