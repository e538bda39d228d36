package model

import (
	"errors"
	"fmt"

	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/sim"
)

// errBody is a message whose kind needs a body that did not come.
var errBody = errors.New("no body")

// validate checks what Handle relies on in a server message before any of
// it is applied, so that a hostile or broken frame is refused whole and
// changes nothing. Indexes into the scenario's words are not checked here:
// the readers (Card, Event, Evidence…) fall back to placeholders.
func validate(msg protocol.ServerMsg) error {
	switch msg.Kind {
	case protocol.KindJoined:
		if msg.Joined == nil {
			return errBody
		}
	case protocol.KindView:
		if msg.View == nil {
			return errBody
		}
		return validView(&msg.View.Game, msg.View.Texts)
	case protocol.KindError:
		if msg.Error == nil {
			return errBody
		}
	case protocol.KindDebrief:
		if msg.Debrief == nil {
			return errBody
		}
		return validReport(msg.Debrief)
	case protocol.KindChecked:
		if msg.Checked == nil {
			return errBody
		}
	}
	return nil
}

func validView(v *sim.View, texts []string) error {
	if v.Phase > sim.PhaseOver {
		return fmt.Errorf("phase %d", v.Phase)
	}
	if v.Turn < 0 || v.Turns < 0 || v.Card < -1 {
		return fmt.Errorf("turn %d of %d, card %d", v.Turn, v.Turns, v.Card)
	}
	if len(v.Managers) > sim.MaxManagers {
		return fmt.Errorf("%d managers", len(v.Managers))
	}
	seen := map[sim.Seat]bool{}
	for _, mv := range v.Managers {
		if mv.Seat < 1 || mv.Seat > sim.MaxManagers || seen[mv.Seat] {
			return fmt.Errorf("manager seat %d", mv.Seat)
		}
		seen[mv.Seat] = true
	}
	for _, d := range v.Deltas {
		if d.Meter >= sim.NumMeters {
			return fmt.Errorf("meter %d", d.Meter)
		}
	}
	if len(texts) > len(v.Deltas) {
		return fmt.Errorf("%d texts for %d changes", len(texts), len(v.Deltas))
	}
	return nil
}

func validReport(r *report.Report) error {
	if r.Played < 0 || r.Turns < 0 {
		return fmt.Errorf("%d of %d months", r.Played, r.Turns)
	}
	if len(r.Managers) > sim.MaxManagers {
		return fmt.Errorf("%d managers", len(r.Managers))
	}
	for i, mg := range r.Managers {
		if mg.Seat != i+1 {
			return fmt.Errorf("manager %d has seat %d", i+1, mg.Seat)
		}
	}
	return nil
}
