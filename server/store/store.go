// Package store is the durable log of every room: what the room was created
// with, every command accepted in it, and every other change the room
// acknowledged (seats, holds, pause, lock, start: records), each in order.
// Since sim is
// deterministic, a room is its scenario, config and seed plus its command
// log; restart, replay and the debrief all come from here. It is an
// embedded SQLite database (modernc.org/sqlite, no cgo) in WAL mode with
// synchronous=FULL, and Append returns only once its command is committed,
// so a command the room has announced survives SIGKILL. Appends from many
// rooms arriving together share one transaction and one fsync (group
// commit): that, not SQLite, bounds how many commands a second the server
// takes.
//
// The same store runs on PostgreSQL (OpenURL; postgres.go, with the few
// differences in schema.go), and on PostgreSQL several servers can share
// it as the nodes of a cluster (OpenCluster; lease.go): each room is then
// held by one node with a lease, and the database refuses an append under
// a lease epoch that is no longer the room's.
package store

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vmihailenco/msgpack/v5"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"pushback/sim"
)

// File is the database's name inside the data directory.
const File = "pushback.db"

// ErrNotFound is returned for a room code the store does not hold.
var ErrNotFound = errors.New("no such room")

// ErrGone is returned for a room that the store held once and deleted when
// its retention ran out (Expire, Delete).
var ErrGone = errors.New("the room was deleted after its retention period")

// ErrLocked is returned by Open when another process holds the data
// directory.
var ErrLocked = errors.New("data directory locked")

// ErrDamaged is returned by Open when SQLite's quick_check finds the
// database damaged, or a test write fails: a server must not start and
// answer health checks on a database it cannot write.
var ErrDamaged = errors.New("database damaged or not writable")

// ErrCodeTaken is returned by Create for a room code the store holds
// already.
var ErrCodeTaken = errors.New("room code taken")

// Store is one open database. Its methods are safe for concurrent use. One
// connection (db) serialises every write, which SQLite does anyway; reads
// (reports, restores, table lists) go through a separate pool of read-only
// connections (rd), which WAL lets run beside the writer, so a report
// request never makes a room's append wait.
type Store struct {
	db      *sql.DB
	rd      *sql.DB
	d       *dialect
	path    string
	lock    io.Closer // SQLite: the data directory's flock; PostgreSQL: the connection holding the advisory lock
	appends chan appendReq
	cl      *cluster // nil unless OpenCluster: this node's leases (lease.go)
	leaseDB *sql.DB  // PostgreSQL: connections beside the writer's, for lease statements
	stop    sync.Once
	stopped chan struct{}
	stmts   [numStmts]*sql.Stmt // the writer's statements, prepared once (start)
	commits atomic.Int64        // the writer's batches committed so far
	linger  time.Duration       // maxLinger when the store was opened
	heavy   []lingerStep        // heavyLingers when the store was opened, highest rate first
}

// The writer's statements, by index into stmts and stmtText.
const (
	stmtHealth = iota
	stmtRecord
	stmtFinish
	stmtCommand
	numStmts
)

var stmtText = [numStmts]string{
	stmtHealth:  `INSERT INTO health(id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at`,
	stmtRecord:  `INSERT INTO records(room, n, version, record, at, epoch) VALUES (?,?,?,?,?,?)`,
	stmtFinish:  `UPDATE rooms SET finished = ? WHERE code = ?`,
	stmtCommand: `INSERT INTO commands(room, seq, command, at, epoch) VALUES (?,?,?,?,?)`,
}

// appendReq is one write waiting for the writer: a command (cmd set), a
// room's records (recs set, numbered from seq), its end (finish set) or a
// health probe (health). Every change a room acknowledges goes through
// here, so it is committed, with its fsync, before anyone hears of it.
type appendReq struct {
	code    string
	seq     int64
	cmd     []byte
	recs    [][]byte
	version int64
	finish  int64
	health  bool
	at      int64
	epoch   int64 // the room's lease epoch it is appended under; 0 outside a cluster
	lost    bool  // set by commit: the epoch is no longer the room's
	done    chan error
}

// maxBatch bounds how many appends share a transaction.
const maxBatch = 256

// maxLinger is how long a busy writer waits for more appends before it
// commits (Store.writer); a variable for tests.
var maxLinger = time.Millisecond

// Under heavy load — the log took at least a step's rate of appends a
// second over the last window of rateWindow — every batch lingers up to
// that step's hold, the highest step reached counting (Store.writer). A
// variable for tests.
var heavyLingers = []lingerStep{
	{rate: 1600, hold: 8 * time.Millisecond},
	{rate: 800, hold: 3 * time.Millisecond},
}

// lingerStep is a rate of appends a second and how long every batch
// lingers from that rate on.
type lingerStep struct {
	rate int
	hold time.Duration
}

// heavyHold is how long every batch lingers at perSecond appends a second:
// the hold of the highest step reached, 0 below them all.
func (s *Store) heavyHold(perSecond float64) time.Duration {
	for _, st := range s.heavy {
		if perSecond >= float64(st.rate) {
			return st.hold
		}
	}
	return 0
}

const rateWindow = 100 * time.Millisecond

// readers bounds the read-only connections.
const readers = 4

// Room is a room as it was created plus its bookkeeping. Meta belongs to the
// room package (seats, tokens, flags) and is the room as it was created:
// every later change of it is a Record in the room's log. Nothing here
// changes after creation except Finished.
type Room struct {
	Code        string
	Facilitator string // the facilitator token, to list a trainer's tables
	Scenario    string // the scenario's name or ID
	Source      []byte // the scenario file as it was when the room began
	Seed        uint64
	Meta        []byte
	Created     time.Time
	Finished    time.Time // zero while the game runs
}

// Record is one logged change of a room other than a command: a seat taken
// or freed, a hold, a pause, a lock, a start. Body belongs to the room
// package, like Meta; N numbers a room's records from 1, in order, and
// Version is the game's version when it happened, which places it among the
// commands.
type Record struct {
	N       uint64
	Version uint64
	Body    []byte
	At      time.Time
}

// Entry is one logged command with its sequence number (the sim.State
// version after it was applied) and the time it was accepted.
type Entry struct {
	Seq     uint64
	Command sim.Command
	At      time.Time
}

// Open opens or creates the database in dir, creating dir if needed. It
// takes an exclusive lock on the directory (ErrLocked if another server
// holds it), runs SQLite's quick_check and one test write (ErrDamaged if
// either fails), so that a server never starts on a database it cannot use.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	lock, err := lockDir(filepath.Join(dir, File+".lock"))
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, File)
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	rd, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		db.Close()
		lock.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	rd.SetMaxOpenConns(readers)
	rd.SetMaxIdleConns(readers)
	fail := func(format string, a ...any) (*Store, error) {
		rd.Close()
		db.Close()
		lock.Close()
		return nil, fmt.Errorf(format, a...)
	}
	var check string
	if err := db.QueryRow(`PRAGMA quick_check`).Scan(&check); err != nil {
		return fail("store: %s: quick_check: %v: %w", path, err, ErrDamaged)
	}
	if check != "ok" {
		return fail("store: %s: quick_check: %s: %w", path, check, ErrDamaged)
	}
	return start(db, rd, sqliteDialect, path, lock, "")
}

// start brings a just-opened database's schema up to date (migrateLock,
// when set, is taken first: see migrate), proves with one write through the
// writer's path that it can be written, and starts the writer. On failure it
// closes the connections and the lock it was given.
func start(db, rd *sql.DB, d *dialect, where string, lock io.Closer, migrateLock string) (*Store, error) {
	fail := func(what string, err error) (*Store, error) {
		rd.Close()
		db.Close()
		lock.Close()
		return nil, fmt.Errorf("store: %s: %s: %v: %w", where, what, err, ErrDamaged)
	}
	if err := migrate(db, d, migrateLock); err != nil {
		return fail("schema", err)
	}
	s := &Store{db: db, rd: rd, d: d, path: where, lock: lock, appends: make(chan appendReq, maxBatch), stopped: make(chan struct{}),
		linger: maxLinger, heavy: slices.Clone(heavyLingers)}
	for i, q := range stmtText {
		st, err := db.Prepare(d.q(q))
		if err != nil {
			return fail("prepare", err)
		}
		s.stmts[i] = st
	}
	if err := s.commit([]appendReq{{health: true, at: time.Now().UnixMilli()}}); err != nil {
		return fail("a test write failed", err)
	}
	go s.writer()
	return s, nil
}

// Close stops the writer and closes the database; appends after Close fail.
func (s *Store) Close() error {
	s.stop.Do(func() { close(s.stopped) })
	s.rd.Close()
	for _, st := range s.stmts {
		st.Close()
	}
	err := s.db.Close()
	s.lock.Close() // releases the directory's flock
	return err
}

// writer commits appends in batches: it takes whatever is waiting (at most
// maxBatch), writes it in one transaction, and answers each caller. A failed
// batch is retried one by one so that one bad append fails alone.
//
// When it is busy — more than one append came in while the last commit ran
// — it lingers for more before committing: s.linger (1 ms), ended early by a
// full batch. At the ceiling (≈ 2,400 commands a second) that shares each
// commit (BEGIN, COMMIT, the WAL's fsync) among ≈ 4 commands instead of ≈
// 1.5, for at most a millisecond more per command. A lone append, the rule
// while the server is quiet (at 350 commands a second two arrive within one
// commit about one time in fifty), is committed at once. Durability is the
// same: every append is answered only after the commit that holds it.
//
// Under heavy load every batch, a lone append's too, lingers: up to 3 ms
// from 800 appends a second over the last rateWindow, up to 8 ms from 1,600
// (heavyLingers). Near the ceiling that shares a commit among many commands
// (≈ 16 at 1,700 a second, ≈ 30 at 2,600, under half a core), and the
// commits' fsyncs, their transactions and the scheduler's hand-offs around
// each blocking fsync cost less: at ≈ 1,670 commands a second the server
// took 35 % of a core with 8 ms (and two other changes) instead of 42 %
// with 3 ms, for ≈ 4 ms more at the median where p99 is tens of
// milliseconds (server/PERFORMANCE.md, ninth and eleventh rounds). The
// 10,000-player target run logs ≈ 355 a second, in bursts: its 5 s
// intervals reach 680 a second, and 8 ms from 800 a second gave it a p99
// of 9.0 ms in one run (5.1 and 5.2 ms with the steps), hence the steps;
// lingering on every busy batch there doubled its p50 (0.9 → 2.0 ms), and
// a first threshold of 600 a second raised its p99 (5.2 → 7.7 ms).
func (s *Store) writer() {
	batch := make([]appendReq, 0, maxBatch)
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	var (
		since = time.Now()  // the window's start
		taken int           // appends taken in the window
		heavy time.Duration // how long every batch lingers: the last window's heavyHold
	)
	for {
		select {
		case <-s.stopped:
			return
		case r := <-s.appends:
			batch = append(batch[:0], r)
		}
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-s.appends:
				batch = append(batch, r)
			default:
				break more
			}
		}
		if now := time.Now(); now.Sub(since) >= rateWindow {
			heavy = s.heavyHold(float64(taken) / now.Sub(since).Seconds())
			since, taken = now, 0
		}
		hold := time.Duration(0)
		switch {
		case heavy > 0:
			hold = heavy
		case len(batch) > 1:
			hold = s.linger
		}
		if hold > 0 && len(batch) < maxBatch {
			linger.Reset(hold)
		wait:
			for len(batch) < maxBatch {
				select {
				case r := <-s.appends:
					batch = append(batch, r)
				case <-linger.C:
					break wait
				}
			}
			linger.Stop()
		}
		taken += len(batch)
		s.commits.Add(1)
		if err := s.commit(batch); err != nil {
			for i := range batch {
				err := s.commit(batch[i : i+1])
				batch[i].done <- s.answer(&batch[i], err)
			}
			continue
		}
		for i := range batch {
			batch[i].done <- s.answer(&batch[i], nil)
		}
	}
}

// commit writes a batch in one transaction. In a cluster it first locks the
// lease rows of the batch's rooms (FOR SHARE, so that a claim waits for
// it) and leaves out every append whose epoch is no longer its room's,
// marking it lost: the rest of the batch commits.
func (s *Store) commit(batch []appendReq) error {
	ctx, cancel := s.opContext()
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := s.checkEpochs(ctx, tx, batch); err != nil {
		tx.Rollback()
		return err
	}
	var txStmts [numStmts]*sql.Stmt // the prepared statements, bound to tx as needed
	exec := func(k int, args ...any) (sql.Result, error) {
		if txStmts[k] == nil {
			txStmts[k] = tx.StmtContext(ctx, s.stmts[k])
		}
		return txStmts[k].ExecContext(ctx, args...)
	}
	for _, r := range batch {
		var res sql.Result
		var err error
		switch {
		case r.lost:
			continue
		case r.health:
			_, err = exec(stmtHealth, r.at)
		case r.recs != nil:
			for i, b := range r.recs {
				if _, err = exec(stmtRecord, r.code, r.seq+int64(i), r.version, b, r.at, r.epoch); err != nil {
					break
				}
			}
		case r.finish != 0:
			res, err = exec(stmtFinish, r.finish, r.code)
		default:
			_, err = exec(stmtCommand, r.code, r.seq, r.cmd, r.at, r.epoch)
		}
		if err == nil && res != nil {
			if n, _ := res.RowsAffected(); n != 1 {
				err = ErrNotFound
			}
		}
		if err != nil {
			tx.Rollback()
			if r.cmd == nil {
				return fmt.Errorf("store: room %s: %w", r.code, err)
			}
			return fmt.Errorf("store: room %s command %d: %w", r.code, r.seq, err)
		}
	}
	return tx.Commit()
}

// send hands one write to the writer and waits for its commit. In a
// cluster an append carries the epoch of this node's lease on the room, and
// a room whose lease this node does not hold is refused here at once.
func (s *Store) send(r appendReq) error {
	if s.cl != nil && !r.health {
		e, ok := s.cl.epoch(r.code)
		if !ok {
			return fmt.Errorf("store: %s: %w", r.what(), ErrLeaseLost)
		}
		r.epoch = int64(e)
	}
	r.done = make(chan error, 1)
	select {
	case s.appends <- r:
	case <-s.stopped:
		return fmt.Errorf("store: %s: the store is closed", r.what())
	}
	select {
	case err := <-r.done:
		return err
	case <-s.stopped:
		return fmt.Errorf("store: %s: the store closed before the commit", r.what())
	}
}

// what names the write for an error: made only when one is returned, not
// for every append.
func (r *appendReq) what() string {
	switch {
	case r.health:
		return "health check"
	case r.recs != nil:
		return fmt.Sprintf("room %s record %d", r.code, r.seq)
	case r.finish != 0:
		return "room " + r.code + " finish"
	}
	return fmt.Sprintf("room %s command %d", r.code, r.seq)
}

// Commits is how many transactions the writer has committed (or tried):
// with the count of appends, how well the group commit batches.
func (s *Store) Commits() int64 { return s.commits.Load() }

// Health writes a row through the same path as every command and answers
// whether it was committed: a health check that only reads would say ok on
// a read-only or full disk.
func (s *Store) Health() error {
	return s.send(appendReq{health: true, at: time.Now().UnixMilli()})
}

// Path is the database file, for logs.
func (s *Store) Path() string { return s.path }

// Create records a new room; its code must be new. In a cluster this node
// takes the room's lease (epoch 1) in the same transaction.
func (s *Store) Create(r Room) error {
	err := s.create(r)
	if err != nil && s.d.taken(err) {
		return fmt.Errorf("store: create room %s: %w", r.Code, ErrCodeTaken)
	}
	if err != nil {
		return fmt.Errorf("store: create room %s: %w", r.Code, err)
	}
	if s.cl != nil {
		s.cl.hold(r.Code, 1)
	}
	return nil
}

func (s *Store) create(r Room) error {
	ctx, cancel := s.opContext()
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO rooms(code, facilitator, scenario, source, seed, meta, created) VALUES (?,?,?,?,?,?,?)`),
		r.Code, r.Facilitator, r.Scenario, r.Source, int64(r.Seed), r.Meta, r.Created.UnixMilli()); err != nil {
		return err
	}
	if s.cl != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO leases(room, node, addr, epoch, expires) VALUES ($1, $2, $3, 1, `+dbNow+` + $4)`,
			r.Code, s.cl.Name, s.cl.Addr, s.cl.TTL.Milliseconds()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// AppendRecords logs a room's changes other than commands durably, numbered
// first, first+1, …, through the same group commit as Append: when it
// returns nil they are on disk, and only then may the room acknowledge
// them. A number used already is refused.
func (s *Store) AppendRecords(code string, first, version uint64, bodies [][]byte, at time.Time) error {
	return s.send(appendReq{code: code, seq: int64(first), version: int64(version), recs: bodies, at: at.UnixMilli()})
}

// Records returns a room's records in order.
func (s *Store) Records(code string) ([]Record, error) {
	rows, err := s.rd.Query(s.d.q(`SELECT n, version, record, at FROM records WHERE room = ? ORDER BY n`), code)
	if err != nil {
		return nil, fmt.Errorf("store: records of %s: %w", code, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var n, v, at int64
		var b []byte
		if err := rows.Scan(&n, &v, &b, &at); err != nil {
			return nil, fmt.Errorf("store: records of %s: %w", code, err)
		}
		if want := int64(len(out) + 1); n != want {
			return nil, fmt.Errorf("store: records of %s: record %d where %d belongs", code, n, want)
		}
		out = append(out, Record{N: uint64(n), Version: uint64(v), Body: b, At: time.UnixMilli(at)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: records of %s: %w", code, err)
	}
	return out, nil
}

// Finish marks a room's game as over: it is no longer rebuilt on start but
// kept for the debrief.
func (s *Store) Finish(code string, at time.Time) error {
	return s.send(appendReq{code: code, finish: at.UnixMilli()})
}

// Append logs one accepted command durably: when it returns nil the command
// is committed to disk, and only then may anyone be told of it. seq must be
// the state's version after the command: a repeat is refused here, a gap by
// Replay.
func (s *Store) Append(code string, seq uint64, c sim.Command, at time.Time) error {
	b, err := msgpack.Marshal(&c)
	if err != nil {
		return fmt.Errorf("store: room %s command %d: %w", code, seq, err)
	}
	return s.send(appendReq{code: code, seq: int64(seq), cmd: b, at: at.UnixMilli()})
}

// Room returns one room.
func (s *Store) Room(code string) (Room, error) {
	rows, err := s.rd.Query(s.d.q(`SELECT code, facilitator, scenario, source, seed, meta, created, finished FROM rooms WHERE code = ?`), code)
	if err != nil {
		return Room{}, fmt.Errorf("store: room %s: %w", code, err)
	}
	rs, err := scanRooms(rows)
	if err != nil {
		return Room{}, err
	}
	if len(rs) == 0 {
		return Room{}, fmt.Errorf("store: room %s: %w", code, ErrNotFound)
	}
	return rs[0], nil
}

// Gone reports whether code was a room of facilitator token that retention
// deleted: reports answer 410 for those, and the same 401 as for an unknown
// code to anyone else.
func (s *Store) Gone(code, token string) (bool, error) {
	var n int
	err := s.rd.QueryRow(s.d.q(`SELECT count(*) FROM purged WHERE code = ? AND facilitator = ?`), code, token).Scan(&n)
	return n > 0, err
}

// GoneFacilitator reports whether token had rooms that retention deleted.
func (s *Store) GoneFacilitator(token string) (bool, error) {
	var n int
	err := s.rd.QueryRow(s.d.q(`SELECT count(*) FROM purged WHERE facilitator = ?`), token).Scan(&n)
	return n > 0, err
}

// All returns every room without its scenario source, oldest first: the hub
// indexes their tokens on start so that seat and facilitator tokens of
// finished or idle rooms keep working after a restart.
func (s *Store) All() ([]Room, error) {
	rows, err := s.rd.Query(s.d.q(`SELECT code, facilitator, scenario, substr(source, 1, 0), seed, meta, created, finished FROM rooms ORDER BY created, code`))
	if err != nil {
		return nil, fmt.Errorf("store: rooms: %w", err)
	}
	return scanRooms(rows)
}

// Expired returns the rooms retention should delete: games finished before
// finished, and unfinished rooms with no change (creation, record or
// command) since idle. Source is left out.
func (s *Store) Expired(finished, idle time.Time) ([]Room, error) {
	rows, err := s.rd.Query(s.d.q(`SELECT code, facilitator, scenario, substr(source, 1, 0), seed, meta, created, finished FROM rooms r
		WHERE (finished != 0 AND finished < ?1)
		   OR (finished = 0 AND created < ?2
		       AND NOT EXISTS (SELECT 1 FROM commands c WHERE c.room = r.code AND c.at >= ?2)
		       AND NOT EXISTS (SELECT 1 FROM records e WHERE e.room = r.code AND e.at >= ?2))
		ORDER BY created, code`), finished.UnixMilli(), idle.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: expired rooms: %w", err)
	}
	return scanRooms(rows)
}

// Delete removes a room and its log, leaving a tombstone so that its
// facilitator's report links answer "gone" rather than "unauthorized".
func (s *Store) Delete(code string, at time.Time) error {
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", code, err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(s.d.q(`INSERT INTO purged(code, facilitator, at) SELECT code, facilitator, ? FROM rooms WHERE code = ? ON CONFLICT(code) DO UPDATE SET facilitator = excluded.facilitator, at = excluded.at`), at.UnixMilli(), code); err != nil {
		return fmt.Errorf("store: delete %s: %w", code, err)
	}
	for _, q := range []string{`DELETE FROM leases WHERE room = ?`, `DELETE FROM commands WHERE room = ?`, `DELETE FROM records WHERE room = ?`,
		`DELETE FROM takeaways WHERE room = ?`, `DELETE FROM rooms WHERE code = ?`} {
		if _, err := tx.Exec(s.d.q(q), code); err != nil {
			return fmt.Errorf("store: delete %s: %w", code, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: delete %s: %w", code, err)
	}
	return nil
}

// Unfinished returns every room whose game has not ended, oldest first: the
// rooms to rebuild on start.
func (s *Store) Unfinished() ([]Room, error) {
	rows, err := s.rd.Query(s.d.q(`SELECT code, facilitator, scenario, source, seed, meta, created, finished FROM rooms WHERE finished = 0 ORDER BY created, code`))
	if err != nil {
		return nil, fmt.Errorf("store: rooms: %w", err)
	}
	return scanRooms(rows)
}

// ByFacilitator returns every room of one facilitator token, finished ones
// included, oldest first.
func (s *Store) ByFacilitator(token string) ([]Room, error) {
	rows, err := s.rd.Query(s.d.q(`SELECT code, facilitator, scenario, source, seed, meta, created, finished FROM rooms WHERE facilitator = ? ORDER BY created, code`), token)
	if err != nil {
		return nil, fmt.Errorf("store: rooms: %w", err)
	}
	return scanRooms(rows)
}

func scanRooms(rows *sql.Rows) ([]Room, error) {
	defer rows.Close()
	var out []Room
	for rows.Next() {
		var r Room
		var seed, created, finished int64
		if err := rows.Scan(&r.Code, &r.Facilitator, &r.Scenario, &r.Source, &seed, &r.Meta, &created, &finished); err != nil {
			return nil, fmt.Errorf("store: read room: %w", err)
		}
		r.Seed = uint64(seed)
		r.Created = time.UnixMilli(created)
		if finished != 0 {
			r.Finished = time.UnixMilli(finished)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read rooms: %w", err)
	}
	return out, nil
}

// Log returns a room's commands in order.
func (s *Store) Log(code string) ([]Entry, error) {
	rows, err := s.rd.Query(s.d.q(`SELECT seq, command, at FROM commands WHERE room = ? ORDER BY seq`), code)
	if err != nil {
		return nil, fmt.Errorf("store: log of %s: %w", code, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var seq, at int64
		var b []byte
		if err := rows.Scan(&seq, &b, &at); err != nil {
			return nil, fmt.Errorf("store: log of %s: %w", code, err)
		}
		e := Entry{Seq: uint64(seq), At: time.UnixMilli(at)}
		if err := msgpack.Unmarshal(b, &e.Command); err != nil {
			return nil, fmt.Errorf("store: log of %s, command %d: %w", code, seq, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: log of %s: %w", code, err)
	}
	return out, nil
}
