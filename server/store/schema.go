package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is what differs between the two databases the store runs on:
// column types, placeholders and how a duplicate key is reported. The
// queries themselves are written once, in the SQL both accept, with `?`
// placeholders.
type dialect struct {
	name  string
	types *strings.Replacer // {blob}, {int}, {norowid} in the migrations
	// q turns a query written with ? (or ?N) placeholders into this
	// database's form.
	q     func(string) string
	taken func(error) bool // a unique or primary key was violated
	// lost: the database refused an append whose lease epoch is stale.
	lost func(error) bool
}

var sqliteDialect = &dialect{
	name:  "sqlite",
	types: strings.NewReplacer("{blob}", "BLOB", "{int}", "INTEGER", "{norowid}", "WITHOUT ROWID"),
	q:     func(s string) string { return s },
	taken: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE)
	},
	lost: func(error) bool { return false },
}

var pgQueries sync.Map // query with ? → query with $N

var postgresDialect = &dialect{
	name:  "postgres",
	types: strings.NewReplacer("{blob}", "BYTEA", "{int}", "BIGINT", "{norowid}", ""),
	q: func(s string) string {
		if r, ok := pgQueries.Load(s); ok {
			return r.(string)
		}
		r := dollars(s)
		pgQueries.Store(s, r)
		return r
	},
	taken: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505" // unique_violation
	},
	lost: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "PB001" // raised by pushback_epoch
	},
}

// dollars rewrites ? placeholders as $1, $2, … and ?N as $N. No query of
// the store has a ? inside a string literal.
func dollars(s string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '?' {
			b.WriteByte(s[i])
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > i+1 {
			b.WriteString("$" + s[i+1:j])
		} else {
			n++
			b.WriteString("$" + strconv.Itoa(n))
		}
		i = j - 1
	}
	return b.String()
}

// migrations are the schema, in order; a database records how many it has
// applied in schema_version, and Open applies the rest, each in its own
// transaction. Never edit one that has shipped: add another. The first
// ones use IF NOT EXISTS because databases made before schema_version
// existed already hold those tables.
var migrations = []string{
	// 1: rooms, their logs, tombstones of deleted rooms, the health probe.
	`CREATE TABLE IF NOT EXISTS rooms (
	code        TEXT PRIMARY KEY,
	facilitator TEXT NOT NULL,
	scenario    TEXT NOT NULL,
	source      {blob} NOT NULL,
	seed        {int} NOT NULL,
	meta        {blob} NOT NULL,
	created     {int} NOT NULL,
	finished    {int} NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS rooms_facilitator ON rooms(facilitator);
CREATE TABLE IF NOT EXISTS purged (
	code        TEXT PRIMARY KEY,
	facilitator TEXT NOT NULL,
	at          {int} NOT NULL
);
CREATE INDEX IF NOT EXISTS purged_facilitator ON purged(facilitator);
CREATE TABLE IF NOT EXISTS health (
	id {int} PRIMARY KEY,
	at {int} NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
	room    TEXT NOT NULL REFERENCES rooms(code),
	n       {int} NOT NULL,
	version {int} NOT NULL,
	record  {blob} NOT NULL,
	at      {int} NOT NULL,
	PRIMARY KEY (room, n)
) {norowid};
CREATE TABLE IF NOT EXISTS commands (
	room    TEXT NOT NULL REFERENCES rooms(code),
	seq     {int} NOT NULL,
	command {blob} NOT NULL,
	at      {int} NOT NULL,
	PRIMARY KEY (room, seq)
) {norowid}`,
	// 2: the end-of-game answers, one row per seat.
	`CREATE TABLE IF NOT EXISTS takeaways (
	room       TEXT NOT NULL REFERENCES rooms(code),
	seat       {int} NOT NULL,
	name       TEXT NOT NULL,
	word       TEXT NOT NULL,
	scale      {int} NOT NULL,
	commitment TEXT NOT NULL,
	at         {int} NOT NULL,
	PRIMARY KEY (room, seat)
) {norowid}`,
	// 3: room leases of a cluster (PostgreSQL; a SQLite store never fills
	// it): one owner node per room, its epoch and when its lease runs out
	// (ms, the database's clock). Every command and record carries the
	// epoch it was appended under (0: no cluster), and PostgreSQL refuses
	// one whose epoch is no longer the room's (SQLSTATE PB001): the
	// backstop behind the writer's own check (Store.commit).
	`CREATE TABLE leases (
	room    TEXT PRIMARY KEY REFERENCES rooms(code),
	node    TEXT NOT NULL,
	addr    TEXT NOT NULL,
	epoch   {int} NOT NULL,
	expires {int} NOT NULL
);
ALTER TABLE commands ADD COLUMN epoch {int} NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN epoch {int} NOT NULL DEFAULT 0;
{postgres}CREATE FUNCTION pushback_epoch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.epoch <> 0 THEN IF NEW.epoch IS DISTINCT FROM (SELECT epoch FROM leases WHERE room = NEW.room) THEN RAISE EXCEPTION 'room % moved: epoch % is stale', NEW.room, NEW.epoch USING ERRCODE = 'PB001'; END IF; END IF; RETURN NEW; END $$;
{postgres}CREATE TRIGGER commands_epoch BEFORE INSERT ON commands FOR EACH ROW EXECUTE FUNCTION pushback_epoch();
{postgres}CREATE TRIGGER records_epoch BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION pushback_epoch()`,
}

// SchemaVersion is the number of migrations this server knows.
var SchemaVersion = len(migrations)

// migrate brings db's schema up to SchemaVersion in one transaction, and
// refuses a database made by a newer server (it would misread what it does
// not know). lock, when set, runs first in that transaction: PostgreSQL
// nodes starting together take turns on an advisory lock.
func migrate(db *sql.DB, d *dialect, lock string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if lock != "" {
		if _, err := tx.Exec(lock); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_version (version ` + d.types.Replace("{int}") + ` NOT NULL)`); err != nil {
		return err
	}
	var have int
	err = tx.QueryRow(`SELECT version FROM schema_version`).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.Exec(`INSERT INTO schema_version(version) VALUES (0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if have > len(migrations) {
		return fmt.Errorf("the database has schema version %d, newer than this server's %d", have, len(migrations))
	}
	for v := have; v < len(migrations); v++ {
		for _, stmt := range strings.Split(d.types.Replace(migrations[v]), ";\n") {
			stmt, pg := strings.CutPrefix(stmt, "{postgres}")
			if pg && d.name != "postgres" {
				continue // PostgreSQL only (SQLite never runs a cluster)
			}
			if _, err := tx.Exec(stmt); err != nil {
				return fmt.Errorf("migration %d: %w", v+1, err)
			}
		}
	}
	if _, err := tx.Exec(d.q(`UPDATE schema_version SET version = ?`), len(migrations)); err != nil {
		return err
	}
	return tx.Commit()
}
