package store

import (
	"fmt"
	"time"
)

// Takeaway is one participant's end-of-game answers, kept with the room
// like its commands: the reaction poll (a word, a 1–5 scale) and the
// commitment they take home. One row per seat; answering again replaces it.
type Takeaway struct {
	Seat       int
	Name       string
	Word       string
	Scale      int
	Commitment string
	At         time.Time
}

// SaveTakeaway stores a participant's answers durably (it returns once
// they are committed), replacing what that seat gave before.
func (s *Store) SaveTakeaway(code string, t Takeaway) error {
	_, err := s.db.Exec(s.d.q(`INSERT INTO takeaways(room, seat, name, word, scale, commitment, at) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(room, seat) DO UPDATE SET name = excluded.name, word = excluded.word, scale = excluded.scale,
		commitment = excluded.commitment, at = excluded.at`),
		code, t.Seat, t.Name, t.Word, t.Scale, t.Commitment, t.At.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: takeaway of %s seat %d: %w", code, t.Seat, err)
	}
	return nil
}

// Takeaways returns a room's end-of-game answers, by seat.
func (s *Store) Takeaways(code string) ([]Takeaway, error) {
	rows, err := s.rd.Query(s.d.q(`SELECT seat, name, word, scale, commitment, at FROM takeaways WHERE room = ? ORDER BY seat`), code)
	if err != nil {
		return nil, fmt.Errorf("store: takeaways of %s: %w", code, err)
	}
	defer rows.Close()
	var out []Takeaway
	for rows.Next() {
		var t Takeaway
		var at int64
		if err := rows.Scan(&t.Seat, &t.Name, &t.Word, &t.Scale, &t.Commitment, &at); err != nil {
			return nil, fmt.Errorf("store: takeaways of %s: %w", code, err)
		}
		t.At = time.UnixMilli(at)
		out = append(out, t)
	}
	return out, rows.Err()
}
