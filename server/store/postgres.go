package store

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// advisoryKey is the PostgreSQL advisory lock a server holds on its
// database while it runs (the flock of the SQLite directory), and that
// migrations take in turn.
const advisoryKey = 0x70757368 // "push"

// lockWait is how long OpenURL waits for the database's lock before it
// refuses with ErrLocked.
var lockWait = 10 * time.Second

// OpenURL opens the PostgreSQL database at a postgres:// URL: the same store
// as Open, with the same durability (an append returns once its
// transaction is committed, and PostgreSQL's commit is durable with its
// default synchronous_commit). The server creates and migrates the schema
// itself. Until rooms have owners with leases (a cluster), one server at a
// time uses a database: a second is refused with ErrLocked, as on a shared
// data directory (OpenCluster is the way to run several).
func OpenURL(dsn string) (*Store, error) { return openPostgres(dsn, false) }

// openPostgres opens the database holding its advisory lock exclusively (a
// single server) or shared (a cluster node).
func openPostgres(dsn string, shared bool) (*Store, error) {
	where := redact(dsn)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second // a database out of reach fails a request instead of holding it
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(1) // the writer, as with SQLite: group commit needs no more
	db.SetMaxIdleConns(1)
	// The readers cannot write, like SQLite's query_only connections.
	rcfg := cfg.Copy()
	rcfg.RuntimeParams["default_transaction_read_only"] = "on"
	rd := stdlib.OpenDB(*rcfg)
	rd.SetMaxOpenConns(readers)
	rd.SetMaxIdleConns(readers)
	// The lock lives on its own connection, held until Close; a cluster
	// node's lease statements use the pool's other connections.
	lockDB := stdlib.OpenDB(*cfg)
	lockDB.SetMaxOpenConns(3)
	fail := func(format string, a ...any) (*Store, error) {
		rd.Close()
		db.Close()
		lockDB.Close()
		return nil, fmt.Errorf(format, a...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := lockDB.Conn(ctx)
	if err != nil {
		return fail("store: connect to %s: %w", where, err)
	}
	// A server killed a moment ago still holds the lock until PostgreSQL
	// notices its connection is gone: a restart waits for that, a while.
	try, holder := `SELECT pg_try_advisory_lock($1)`, "another server"
	if shared {
		try, holder = `SELECT pg_try_advisory_lock_shared($1)`, "a single server (not a cluster node)"
	}
	for end := time.Now().Add(lockWait); ; {
		var got bool
		if err := conn.QueryRowContext(ctx, try, advisoryKey).Scan(&got); err != nil {
			conn.Close()
			return fail("store: %s: %w", where, err)
		}
		if got {
			break
		}
		if time.Now().After(end) {
			conn.Close()
			return fail("store: %s: %w (in use by %s)", where, ErrLocked, holder)
		}
		time.Sleep(100 * time.Millisecond)
	}
	s, err := start(db, rd, postgresDialect, where, closers{conn, lockDB}, fmt.Sprintf(`SELECT pg_advisory_xact_lock(%d)`, advisoryKey+1))
	if err != nil {
		return nil, err
	}
	s.leaseDB = lockDB
	return s, nil
}

type closers []interface{ Close() error }

func (c closers) Close() error {
	var first error
	for _, x := range c {
		if err := x.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// redact drops the password from a URL, for logs and errors.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}
