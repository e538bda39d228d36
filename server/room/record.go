package room

import (
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/debrief"
	"pushback/server/store"
)

// ErrUnauthorized is returned for a wrong facilitator token.
var ErrUnauthorized = errors.New("unauthorized")

// Game returns a table's whole record for the debrief, read from the store:
// a command is appended before anyone hears of it, so the log is always a
// prefix of the game and a report of it is the live state. The token must be
// the table's facilitator token; the same error answers a wrong token and an
// unknown code, so codes cannot be probed through reports.
func (h *Hub) Game(code, token string) (debrief.Game, error) {
	sr, err := h.st.Room(normCode(code))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			if gone, _ := h.st.Gone(normCode(code), token); gone && token != "" {
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
	rs, err := h.st.ByFacilitator(token)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		if gone, _ := h.st.GoneFacilitator(token); gone {
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
	var m meta
	if err := msgpack.Unmarshal(sr.Meta, &m); err != nil {
		return debrief.Game{}, fmt.Errorf("room %s meta: %w", sr.Code, err)
	}
	log, err := h.st.Log(sr.Code)
	if err != nil {
		return debrief.Game{}, err
	}
	g := debrief.Game{Table: sr.Code, ScenarioName: sr.Scenario, ScenarioSource: sr.Source, Config: m.Config, Seed: sr.Seed}
	for _, e := range log {
		g.Commands = append(g.Commands, e.Command)
	}
	g.Takeaways, err = takeaways(h.st, sr.Code)
	return g, err
}
