package room

import (
	"crypto/subtle"
	"errors"
	"fmt"

	"pushback/server/debrief"
	"pushback/server/store"
	"pushback/sim"
)

// ErrUnauthorized is returned for a wrong facilitator token.
var ErrUnauthorized = errors.New("unauthorized")

// Game returns a table's whole record for the debrief, read from the store:
// a command is appended before anyone hears of it, so the log is always a
// prefix of the game and a report of it is the live state. The token must be
// the table's facilitator token; the same error answers a wrong token and an
// unknown code, so codes cannot be probed through reports.
func (h *Hub) Game(code, token string) (debrief.Game, error) {
	sr, err := h.store.Room(normCode(code))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			if gone, _ := h.store.Gone(normCode(code), token); gone && token != "" {
				return debrief.Game{}, store.ErrGone
			}
			return debrief.Game{}, ErrUnauthorized
		}
		return debrief.Game{}, err
	}
	if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(sr.Facilitator)) != 1 {
		return debrief.Game{}, ErrUnauthorized
	}
	return h.game(sr)
}

// Games returns every table of a facilitator token, oldest first.
func (h *Hub) Games(token string) ([]debrief.Game, error) {
	if token == "" {
		return nil, ErrUnauthorized
	}
	rs, err := h.store.ByFacilitator(token)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		if gone, _ := h.store.GoneFacilitator(token); gone {
			return nil, store.ErrGone
		}
		return nil, ErrUnauthorized
	}
	out := make([]debrief.Game, 0, len(rs))
	for _, sr := range rs {
		g, err := h.game(sr)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func (h *Hub) game(sr store.Room) (debrief.Game, error) {
	m, _, err := metaOf(h.store, sr)
	if err != nil {
		return debrief.Game{}, err
	}
	return reportGame(h.store, sr.Code, sr.Scenario, sr.Source, nil, sr.Seed, &m)
}

// reportGame is a room's record as the debrief replays it: its log from
// the store (a command is appended before anyone hears of it, so the store
// holds the game as the room knows it), its takeaways, and the seats named
// by the people who hold them (the meta with its seat records applied).
// scn is the parsed scenario when the caller holds it, else nil.
func reportGame(stored roomLog, code, scenario string, src []byte, scn *sim.Scenario, seed uint64, m *meta) (debrief.Game, error) {
	log, err := stored.Log(code)
	if err != nil {
		return debrief.Game{}, err
	}
	g, err := logGame(code, scenario, src, scn, seed, m.Config, log)
	if err != nil {
		return debrief.Game{}, err
	}
	g.People = make([]string, len(m.Seats))
	for i, s := range m.Seats {
		if s.Owned {
			g.People[i] = s.Name
		}
	}
	g.Takeaways, err = takeaways(stored, code)
	return g, err
}

// logGame turns a room's stored log into the game debrief.Replay runs, for
// the room's restore and for its reports alike. The log must number its
// commands 1, 2, … without a gap: a missing command is an error naming it,
// never skipped silently.
func logGame(code, scenario string, src []byte, scn *sim.Scenario, seed uint64, cfg sim.Config, log []store.Entry) (debrief.Game, error) {
	g := debrief.Game{Table: code, ScenarioName: scenario, ScenarioSource: src, Parsed: scn, Config: cfg, Seed: seed,
		Commands: make([]sim.Command, 0, len(log))}
	for i, e := range log {
		if e.Seq != uint64(i+1) {
			return debrief.Game{}, fmt.Errorf("room %s: the log has command %d where %d belongs", code, e.Seq, i+1)
		}
		g.Commands = append(g.Commands, e.Command)
	}
	return g, nil
}

// replay rebuilds the room's game from its stored log.
func (r *table) replay(log []store.Entry) (*sim.State, error) {
	g, err := logGame(r.code, r.scn.ID, r.src, r.scn, r.seed, r.meta.Config, log)
	if err != nil {
		return nil, err
	}
	rp, err := debrief.Replay(g)
	if err != nil {
		return nil, err
	}
	return rp.State, nil
}
