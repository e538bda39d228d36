package model

import (
	"encoding/json"

	"pushback/sim"
)

// draft is an answer not yet sent, kept in Saved so that a reload (or a
// restart of the desktop client) does not lose what the manager was
// writing. It is keyed by room, seat and turn: it only comes back to the
// same answer it was written for.
type draft struct {
	Room     string           `json:"room"`
	Seat     sim.Seat         `json:"seat"`
	Turn     int              `json:"turn"`
	Response sim.ResponseKind `json:"response"`
	Case     sim.Case         `json:"case"`
	Action   sim.TeamAction   `json:"action"`
	Escalate int              `json:"escalate"`
}

// keepDraft records the answer as the unsent draft, or forgets the draft
// once nothing is left unsent.
func (m *Model) keepDraft() {
	a := &m.Answer
	if !a.Dirty {
		m.Saved.Draft = ""
		return
	}
	b, err := json.Marshal(draft{Room: m.Room.Code, Seat: m.Seat, Turn: a.Turn, Response: a.Response,
		Case: a.Case, Action: a.Action, Escalate: a.Escalate})
	if err == nil {
		m.Saved.Draft = string(b)
	}
}

// restoreDraft brings back the saved draft when this view is the answer it
// was written for and nothing has been edited here since. A draft for
// another room, seat or turn is dropped.
func (m *Model) restoreDraft() {
	if m.Saved.Draft == "" {
		return
	}
	var d draft
	if json.Unmarshal([]byte(m.Saved.Draft), &d) != nil || d.Room != m.Room.Code || d.Seat != m.Seat || d.Turn < m.View.Turn {
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
