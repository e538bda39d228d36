package model

import (
	"encoding/base64"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/sim"
)

// draft is an answer not yet sent, kept in Saved so that a reload (or a
// restart of the desktop client) does not lose what the manager was
// writing. It is keyed by room, seat and turn: it only comes back to the
// same answer it was written for. It is kept as base64 of msgpack, the
// wire's encoding (encoding/json would add 70 KB to the browser's download).
type draft struct {
	Room     string           `msgpack:"room"`
	Seat     sim.Seat         `msgpack:"seat"`
	Turn     int              `msgpack:"turn"`
	Response sim.ResponseKind `msgpack:"response"`
	Case     sim.Case         `msgpack:"case"`
	Action   sim.TeamAction   `msgpack:"action"`
	Escalate int              `msgpack:"escalate"`
}

func (d draft) encode() (string, error) {
	b, err := msgpack.Marshal(d)
	return base64.StdEncoding.EncodeToString(b), err
}

func decodeDraft(s string) (d draft, err error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		err = msgpack.Unmarshal(b, &d)
	}
	return d, err
}

// keepDraft records the answer as the unsent draft, or forgets the draft
// once nothing is left unsent.
func (m *Model) keepDraft() {
	a := &m.Answer
	if !a.Dirty {
		m.Saved.Draft = ""
		return
	}
	s, err := draft{Room: m.Room.Code, Seat: m.Seat, Turn: a.Turn, Response: a.Response,
		Case: a.Case, Action: a.Action, Escalate: a.Escalate}.encode()
	if err == nil {
		m.Saved.Draft = s
	}
}

// restoreDraft brings back the saved draft when this view is the answer it
// was written for and nothing has been edited here since. A draft for
// another room, seat or turn is dropped.
func (m *Model) restoreDraft() {
	if m.Saved.Draft == "" {
		return
	}
	d, err := decodeDraft(m.Saved.Draft)
	if err != nil || d.Room != m.Room.Code || d.Seat != m.Seat || d.Turn < m.View.Turn {
		m.Saved.Draft = ""
		return
	}
	me := m.Me()
	if d.Turn != m.View.Turn || m.View.Phase != sim.PhaseResponse || me == nil || m.Answer.Dirty {
		return
	}
	a := &m.Answer
	a.Response, a.Case, a.Action, a.Escalate = d.Response, d.Case, d.Action, d.Escalate
	a.Dirty = true // not sent yet (or changed since it was sent)
}
