package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// A cluster is several servers (nodes) on one PostgreSQL database. Each
// room has one owner node at a time, recorded in the leases table: the
// node's name and address, an epoch that every claim of the room bumps, and
// when the lease runs out, in milliseconds of the database's clock (never a
// node's, so nodes' clocks may differ). The owner renews its leases every
// third of their length (Renew); a node that stops renewing — dead, paused,
// cut off — loses its rooms to whichever node claims them after expiry
// (Claim). Every append carries the epoch under which its room is held, and
// the database refuses one whose epoch is no longer the room's: the writer
// locks the batch's lease rows FOR SHARE and checks them (so a claim waits
// for a batch in flight and a batch never commits under a lease that was
// just taken), and a trigger on commands and records is the backstop. Such
// an append fails alone with ErrLeaseLost; the rest of its batch commits.

// ErrLeaseLost is returned for an append to a room whose lease this node
// no longer holds: another node claimed it, or it was released.
var ErrLeaseLost = errors.New("the room's lease is lost: it moved to another node")

// ErrLeaseHeld is what a HeldError is: another node's lease on the room is
// live.
var ErrLeaseHeld = errors.New("the room's lease is held by another node")

// Lease is a room's owner as the database has it.
type Lease struct {
	Node  string
	Addr  string // where other nodes reach the owner (its -advertise URL)
	Epoch uint64
	Left  time.Duration // until it expires, by the database's clock; <= 0: expired
}

// HeldError is Claim's refusal: the owner whose lease is live.
type HeldError struct{ Lease Lease }

func (e *HeldError) Error() string {
	return fmt.Sprintf("the room's lease is held by node %s (%s) for %v more", e.Lease.Node, e.Lease.Addr, e.Lease.Left.Round(time.Millisecond))
}

func (e *HeldError) Unwrap() error { return ErrLeaseHeld }

// opWait bounds one transaction of the writer or one lease statement: a
// database that stopped answering fails the append after this long instead
// of holding the writer (and every room behind it) forever.
var opWait = 10 * time.Second

// opContext bounds a PostgreSQL statement or transaction by opWait. SQLite
// is a file on this machine's disk: its writes are not cut short.
func (s *Store) opContext() (context.Context, context.CancelFunc) {
	if s.d == sqliteDialect {
		return context.WithCancel(context.Background())
	}
	return context.WithTimeout(context.Background(), opWait)
}

// dbNow is the database's clock in ms since 1970.
const dbNow = `(extract(epoch from clock_timestamp()) * 1000)::bigint`

// Node is a cluster node's identity and lease length.
type Node struct {
	Name string        // unique among the nodes
	Addr string        // its advertised URL
	TTL  time.Duration // lease length
}

// cluster is a store's lease bookkeeping: the rooms this node holds and at
// which epoch.
type cluster struct {
	Node
	db      *sql.DB    // lease statements, beside the writer's connection
	claimMu sync.Mutex // one claim at a time, so two never bump each other's epoch
	mu      sync.Mutex
	held    map[string]uint64
}

func (c *cluster) epoch(code string) (uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.held[code]
	return e, ok
}

func (c *cluster) hold(code string, epoch uint64) {
	c.mu.Lock()
	c.held[code] = epoch
	c.mu.Unlock()
}

// drop forgets a lease if it is still held at epoch (0: any).
func (c *cluster) drop(code string, epoch int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.held[code]
	if ok && (epoch == 0 || e == uint64(epoch)) {
		delete(c.held, code)
		return true
	}
	return false
}

// OpenCluster opens the PostgreSQL database at dsn as one node of a
// cluster: like OpenURL, except that nodes share the database (they hold
// its advisory lock shared; a single server, which holds it exclusively, is
// refused while nodes run, and the other way round), and rooms are held with
// leases: Create takes the new room's lease, Claim an existing room's, and
// appends to a room this node does not hold fail with ErrLeaseLost.
func OpenCluster(dsn string, n Node) (*Store, error) {
	if n.Name == "" || n.Addr == "" || n.TTL <= 0 {
		return nil, errors.New("store: a cluster node needs a name, an address and a lease length")
	}
	s, err := openPostgres(dsn, true)
	if err != nil {
		return nil, err
	}
	s.cl = &cluster{Node: n, db: s.leaseDB, held: map[string]uint64{}}
	return s, nil
}

// Clustered reports whether the store is a cluster node's.
func (s *Store) Clustered() bool { return s.cl != nil }

// checkEpochs marks the appends of batch whose room's lease epoch is no
// longer theirs, holding the batch's lease rows FOR SHARE until the
// transaction ends.
func (s *Store) checkEpochs(ctx context.Context, tx *sql.Tx, batch []appendReq) error {
	if s.cl == nil {
		return nil
	}
	var codes []string
	for i := range batch {
		batch[i].lost = false
		if batch[i].epoch != 0 {
			codes = append(codes, batch[i].code)
		}
	}
	if len(codes) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT room, epoch FROM leases WHERE room = ANY($1) FOR SHARE`, codes)
	if err != nil {
		return err
	}
	defer rows.Close()
	now := map[string]int64{}
	for rows.Next() {
		var code string
		var e int64
		if err := rows.Scan(&code, &e); err != nil {
			return err
		}
		now[code] = e
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range batch {
		if r := &batch[i]; r.epoch != 0 && now[r.code] != r.epoch {
			r.lost = true
		}
	}
	return nil
}

// answer is what the caller of an append hears once its batch (or it
// alone) was tried: err, or ErrLeaseLost when its epoch was refused, in
// which case this node forgets the lease.
func (s *Store) answer(r *appendReq, err error) error {
	if !r.lost && (err == nil || !s.d.lost(err)) {
		return err
	}
	s.cl.drop(r.code, r.epoch)
	return fmt.Errorf("store: room %s: %w", r.code, ErrLeaseLost)
}

// Claim takes the lease of room code for this node and returns its epoch:
// when the room has no lease, its lease expired or was released, or it is
// this node's already (then the epoch is unchanged). Otherwise every claim
// bumps the epoch, which makes every append of the former owner fail. A
// live lease of another node is a *HeldError (errors.Is ErrLeaseHeld); an
// unknown room ErrNotFound. A claim waits for a batch of appends in flight
// on the room (its lease row is locked FOR SHARE until that commits).
func (s *Store) Claim(code string) (uint64, error) {
	if s.cl == nil {
		return 0, errors.New("store: Claim outside a cluster")
	}
	s.cl.claimMu.Lock()
	defer s.cl.claimMu.Unlock()
	if e, ok := s.cl.epoch(code); ok {
		return e, nil
	}
	ctx, cancel := s.opContext()
	defer cancel()
	for range 3 { // a lease may expire between the refused claim and the look at its owner
		var e int64
		err := s.cl.db.QueryRowContext(ctx, `INSERT INTO leases(room, node, addr, epoch, expires) VALUES ($1, $2, $3, 1, `+dbNow+` + $4)
			ON CONFLICT (room) DO UPDATE SET node = excluded.node, addr = excluded.addr, epoch = leases.epoch + 1, expires = excluded.expires
			WHERE leases.node = excluded.node OR leases.expires <= `+dbNow+`
			RETURNING epoch`, code, s.cl.Name, s.cl.Addr, s.cl.TTL.Milliseconds()).Scan(&e)
		var pe *pgconn.PgError
		switch {
		case err == nil:
			s.cl.hold(code, uint64(e))
			return uint64(e), nil
		case errors.As(err, &pe) && pe.Code == "23503": // foreign_key_violation: no such room
			return 0, fmt.Errorf("store: claim %s: %w", code, ErrNotFound)
		case !errors.Is(err, sql.ErrNoRows):
			return 0, fmt.Errorf("store: claim %s: %w", code, err)
		}
		l, err := s.Owner(code)
		if err != nil {
			return 0, err
		}
		if l.Left > 0 && l.Node != s.cl.Name {
			return 0, fmt.Errorf("store: claim %s: %w", code, &HeldError{l})
		}
	}
	return 0, fmt.Errorf("store: claim %s: the lease keeps changing hands", code)
}

// Owner is room code's lease as the database has it; ErrNotFound if the
// room has none.
func (s *Store) Owner(code string) (Lease, error) {
	if s.cl == nil {
		return Lease{}, errors.New("store: Owner outside a cluster")
	}
	ctx, cancel := s.opContext()
	defer cancel()
	var l Lease
	var e, left int64
	err := s.cl.db.QueryRowContext(ctx, `SELECT node, addr, epoch, expires - `+dbNow+` FROM leases WHERE room = $1`, code).Scan(&l.Node, &l.Addr, &e, &left)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("store: lease of %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("store: lease of %s: %w", code, err)
	}
	l.Epoch, l.Left = uint64(e), time.Duration(left)*time.Millisecond
	return l, nil
}

// Held lists the rooms whose leases this node holds.
func (s *Store) Held() []string {
	if s.cl == nil {
		return nil
	}
	s.cl.mu.Lock()
	defer s.cl.mu.Unlock()
	out := make([]string, 0, len(s.cl.held))
	for c := range s.cl.held {
		out = append(out, c)
	}
	return out
}

// Renew extends every lease this node holds, at the epoch it holds it, by
// the lease length, in one statement, and returns the rooms it turned out
// to hold no more (claimed by another node after expiry), which it
// forgets. An error (the database cannot be reached) renews nothing.
func (s *Store) Renew() (lost []string, err error) {
	if s.cl == nil {
		return nil, nil
	}
	s.cl.mu.Lock()
	codes := make([]string, 0, len(s.cl.held))
	epochs := make([]int64, 0, len(s.cl.held))
	for c, e := range s.cl.held {
		codes, epochs = append(codes, c), append(epochs, int64(e))
	}
	s.cl.mu.Unlock()
	ctx, cancel := s.opContext()
	defer cancel()
	rows, err := s.cl.db.QueryContext(ctx, `UPDATE leases l SET expires = `+dbNow+` + $2
		FROM unnest($3::text[], $4::bigint[]) AS h(room, epoch)
		WHERE l.room = h.room AND l.epoch = h.epoch AND l.node = $1
		RETURNING l.room`, s.cl.Name, s.cl.TTL.Milliseconds(), codes, epochs)
	if err != nil {
		return nil, fmt.Errorf("store: renew leases: %w", err)
	}
	defer rows.Close()
	kept := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("store: renew leases: %w", err)
		}
		kept[c] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: renew leases: %w", err)
	}
	for i, c := range codes {
		if !kept[c] && s.cl.drop(c, epochs[i]) {
			lost = append(lost, c)
		}
	}
	return lost, nil
}

// Release gives up this node's lease on room code at once (drain, unload):
// appends to it fail from now on, and another node claims it without
// waiting for it to expire.
func (s *Store) Release(code string) error {
	if s.cl == nil {
		return nil
	}
	e, ok := s.cl.epoch(code)
	if !ok || !s.cl.drop(code, int64(e)) {
		return nil
	}
	ctx, cancel := s.opContext()
	defer cancel()
	_, err := s.cl.db.ExecContext(ctx, `UPDATE leases SET node = '', expires = 0 WHERE room = $1 AND node = $2 AND epoch = $3`, code, s.cl.Name, int64(e))
	if err != nil {
		return fmt.Errorf("store: release %s: %w", code, err)
	}
	return nil
}

// Orphans lists up to n unfinished rooms whose owner stopped renewing
// (expired, not released), longest expired first: rooms a node should claim
// so that their bots and deadlines go on before anyone reconnects.
func (s *Store) Orphans(n int) ([]string, error) {
	if s.cl == nil {
		return nil, nil
	}
	return s.codes(`SELECT l.room FROM leases l JOIN rooms r ON r.code = l.room
		WHERE r.finished = 0 AND l.node <> '' AND l.expires <= `+dbNow+` ORDER BY l.expires LIMIT $1`, n)
}

// Siblings lists the other unfinished rooms of room code's facilitator
// that no node holds (no lease, an expired or a released one): a claim
// takes them along, so that a trainer's tables stay on one node.
func (s *Store) Siblings(code string) ([]string, error) {
	if s.cl == nil {
		return nil, nil
	}
	return s.codes(`SELECT r.code FROM rooms r LEFT JOIN leases l ON l.room = r.code
		WHERE r.facilitator = (SELECT facilitator FROM rooms WHERE code = $1) AND r.code <> $1 AND r.finished = 0
		  AND (l.room IS NULL OR l.expires <= `+dbNow+`) ORDER BY r.created, r.code`, code)
}

func (s *Store) codes(q string, arg any) ([]string, error) {
	ctx, cancel := s.opContext()
	defer cancel()
	rows, err := s.cl.db.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, fmt.Errorf("store: leases: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("store: leases: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Self is this node (zero outside a cluster).
func (s *Store) Self() Node {
	if s.cl == nil {
		return Node{}
	}
	return s.cl.Node
}

// Holds reports whether this node holds room code's lease, and at which
// epoch.
func (s *Store) Holds(code string) (uint64, bool) {
	if s.cl == nil {
		return 0, false
	}
	return s.cl.epoch(code)
}

// Epochs is the lease epoch of each of codes now (0 for a room without a
// lease): a node relaying connections to a room's owner closes them when
// the epoch changed, since the owner then lost the room.
func (s *Store) Epochs(codes []string) (map[string]uint64, error) {
	ctx, cancel := s.opContext()
	defer cancel()
	rows, err := s.cl.db.QueryContext(ctx, `SELECT room, epoch FROM leases WHERE room = ANY($1)`, codes)
	if err != nil {
		return nil, fmt.Errorf("store: leases: %w", err)
	}
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var c string
		var e int64
		if err := rows.Scan(&c, &e); err != nil {
			return nil, fmt.Errorf("store: leases: %w", err)
		}
		out[c] = uint64(e)
	}
	return out, rows.Err()
}
