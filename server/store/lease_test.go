package store

import (
	"errors"
	"testing"
	"time"

	"pushback/server/store/pgtest"
	"pushback/sim"
)

// nodes opens n cluster nodes on one new PostgreSQL database.
func nodes(t *testing.T, ttl time.Duration, names ...string) []*Store {
	t.Helper()
	url := pgtest.Database(t)
	var out []*Store
	for _, n := range names {
		s, err := OpenCluster(url, Node{Name: n, Addr: "http://" + n, TTL: ttl})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	return out
}

func newRoom(t *testing.T, s *Store, code string) {
	t.Helper()
	if err := s.Create(Room{Code: code, Facilitator: "f", Scenario: "x", Source: []byte("x"), Meta: []byte{}, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

func ready(seat int) sim.Command { return sim.Command{Kind: sim.CmdReady, Seat: sim.Seat(seat)} }

// Create takes the lease; another node's claim is refused while it is live,
// with the owner named; after Release it succeeds at once with a new epoch,
// and the former owner's appends fail with ErrLeaseLost. Renew keeps a
// lease, and reports one that another node claimed after it expired.
func TestClaimRenewRelease(t *testing.T) {
	ns := nodes(t, time.Minute, "a", "b")
	a, b := ns[0], ns[1]
	newRoom(t, a, "ROOMAA")
	l, err := a.Owner("ROOMAA")
	if err != nil || l.Node != "a" || l.Addr != "http://a" || l.Epoch != 1 {
		t.Fatalf("owner after create: %+v, %v", l, err)
	}
	// The lease's time is the database's: it runs out a lease length after
	// the database's now, whatever the nodes' clocks say.
	if l.Left <= 0 || l.Left > time.Minute {
		t.Fatalf("lease left %v, want within (0, 1m]", l.Left)
	}
	var he *HeldError
	if _, err := b.Claim("ROOMAA"); !errors.Is(err, ErrLeaseHeld) || !errors.As(err, &he) || he.Lease.Node != "a" {
		t.Fatalf("claim of a live lease: %v", err)
	}
	if _, err := b.Claim("NOROOM"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("claim of no room: %v", err)
	}
	if err := a.Append("ROOMAA", 1, ready(1), time.Now()); err != nil {
		t.Fatal(err)
	}
	if lost, err := a.Renew(); err != nil || len(lost) != 0 {
		t.Fatalf("renew: %v %v", lost, err)
	}
	if err := a.Release("ROOMAA"); err != nil {
		t.Fatal(err)
	}
	if err := a.Append("ROOMAA", 2, ready(2), time.Now()); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("append after release: %v, want ErrLeaseLost", err)
	}
	if e, err := b.Claim("ROOMAA"); err != nil || e != 2 {
		t.Fatalf("claim after release: %d, %v; want epoch 2", e, err)
	}
	if err := b.Append("ROOMAA", 2, ready(2), time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := b.Held(); len(got) != 1 || got[0] != "ROOMAA" {
		t.Fatalf("b holds %v", got)
	}

	// b stops renewing; once its lease expired a claims it, and b's renew
	// reports the room lost.
	newRoom(t, b, "ROOMBB")
	if _, err := b.cl.db.Exec(`UPDATE leases SET expires = ` + dbNow + ` - 1 WHERE node = 'b'`); err != nil {
		t.Fatal(err)
	}
	if orphans, err := a.Orphans(10); err != nil || len(orphans) != 2 {
		t.Fatalf("orphans %v, %v; want both of b's rooms", orphans, err)
	}
	if e, err := a.Claim("ROOMBB"); err != nil || e != 2 {
		t.Fatalf("claim after expiry: %d, %v", e, err)
	}
	lost, err := b.Renew()
	if err != nil || len(lost) != 1 || lost[0] != "ROOMBB" {
		t.Fatalf("renew after the claim: lost %v, %v; want [ROOMBB]", lost, err)
	}
	if l, _ := b.Owner("ROOMAA"); l.Node != "b" || l.Left <= 0 {
		t.Fatalf("renew did not extend b's other lease: %+v", l)
	}
	if err := b.Append("ROOMBB", 1, ready(1), time.Now()); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("append to a lost room: %v", err)
	}
}

// In one batch, an append under a stale epoch is refused with ErrLeaseLost
// and the fresh one beside it commits; the database's own trigger refuses
// a stale epoch that got past the writer.
func TestStaleEpochRefusedAlone(t *testing.T) {
	ns := nodes(t, time.Minute, "a", "b")
	a, b := ns[0], ns[1]
	newRoom(t, a, "STALEX")
	newRoom(t, a, "FRESHY")
	if _, err := a.cl.db.Exec(`UPDATE leases SET expires = 0 WHERE room = 'STALEX'`); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Claim("STALEX"); err != nil {
		t.Fatal(err)
	}
	batch := []appendReq{
		{code: "STALEX", seq: 1, cmd: []byte{0x80}, at: 1, epoch: 1},
		{code: "FRESHY", seq: 1, cmd: []byte{0x80}, at: 1, epoch: 1},
	}
	if err := a.commit(batch); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(a.answer(&batch[0], nil), ErrLeaseLost) || a.answer(&batch[1], nil) != nil {
		t.Fatalf("answers: lost %v, %v", batch[0].lost, batch[1].lost)
	}
	if _, ok := a.cl.epoch("STALEX"); ok {
		t.Fatal("the lost lease is still held")
	}
	var n int
	a.db.QueryRow(`SELECT count(*) FROM commands WHERE room = 'FRESHY'`).Scan(&n)
	if n != 1 {
		t.Fatalf("fresh append: %d rows", n)
	}
	a.db.QueryRow(`SELECT count(*) FROM commands WHERE room = 'STALEX'`).Scan(&n)
	if n != 0 {
		t.Fatalf("stale append: %d rows", n)
	}
	_, err := a.db.Exec(`INSERT INTO commands(room, seq, command, at, epoch) VALUES ('STALEX', 1, '\x80', 1, 1)`)
	if !postgresDialect.lost(err) {
		t.Fatalf("the trigger let a stale epoch in: %v", err)
	}
	if _, err := a.db.Exec(`INSERT INTO records(room, n, version, record, at, epoch) VALUES ('STALEX', 1, 0, '\x80', 1, 1)`); !postgresDialect.lost(err) {
		t.Fatalf("the trigger let a stale record in: %v", err)
	}
}

// A claim waits for a batch in flight on the room: the writer holds the
// lease row FOR SHARE until it commits, so what it commits was written
// under the epoch it checked, and the claim bumps the epoch only after.
func TestClaimWaitsForBatchInFlight(t *testing.T) {
	ns := nodes(t, time.Minute, "a", "b")
	a, b := ns[0], ns[1]
	newRoom(t, a, "WAITER")
	if _, err := a.cl.db.Exec(`UPDATE leases SET expires = 0 WHERE room = 'WAITER'`); err != nil {
		t.Fatal(err)
	}
	tx, err := a.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	batch := []appendReq{{code: "WAITER", seq: 1, cmd: []byte{0x80}, at: 1, epoch: 1}}
	if err := a.checkEpochs(t.Context(), tx, batch); err != nil || batch[0].lost {
		t.Fatal(err, batch[0].lost)
	}
	claimed := make(chan error, 1)
	go func() { _, err := b.Claim("WAITER"); claimed <- err }()
	// The claim is seen waiting on the lock before the batch commits.
	for {
		var waiting int
		if err := b.cl.db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO leases%'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-claimed:
			t.Fatalf("the claim did not wait for the batch: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if _, err := tx.Exec(`INSERT INTO commands(room, seq, command, at, epoch) VALUES ('WAITER', 1, '\x80', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-claimed; err != nil {
		t.Fatal(err)
	}
	if l, _ := b.Owner("WAITER"); l.Node != "b" || l.Epoch != 2 {
		t.Fatalf("owner after the claim: %+v", l)
	}
}

// A single server and cluster nodes never share a database.
func TestClusterAndSingleServerExclude(t *testing.T) {
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 300 * time.Millisecond
	url := pgtest.Database(t)
	n, err := OpenCluster(url, Node{Name: "a", Addr: "http://a", TTL: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	m, err := OpenCluster(url, Node{Name: "b", Addr: "http://b", TTL: time.Second})
	if err != nil {
		t.Fatalf("a second node: %v", err)
	}
	if s, err := OpenURL(url); !errors.Is(err, ErrLocked) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("a single server beside nodes: %v, want ErrLocked", err)
	}
	n.Close()
	m.Close()
	s, err := OpenURL(url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := OpenCluster(url, Node{Name: "a", Addr: "http://a", TTL: time.Second}); !errors.Is(err, ErrLocked) {
		if n != nil {
			n.Close()
		}
		t.Fatalf("a node beside a single server: %v, want ErrLocked", err)
	}
}
