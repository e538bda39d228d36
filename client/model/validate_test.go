package model

import (
	"reflect"
	"strings"
	"testing"

	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/sim"
)

// A hostile or broken server message is refused whole: Handle returns
// nothing, the notice says so, and nothing else of the model changes (no
// panic, no half-applied view).
func TestHostileMessagesAreRefused(t *testing.T) {
	s := game(t)
	hostile := map[string]func(*protocol.ServerMsg){
		"phase past over":  func(m *protocol.ServerMsg) { m.View.Game.Phase = sim.PhaseOver + 3 },
		"negative turn":    func(m *protocol.ServerMsg) { m.View.Game.Turn = -2 },
		"card below none":  func(m *protocol.ServerMsg) { m.View.Game.Card = -7 },
		"seat zero":        func(m *protocol.ServerMsg) { m.View.Game.Managers[0].Seat = 0 },
		"seat twice":       func(m *protocol.ServerMsg) { m.View.Game.Managers[1].Seat = m.View.Game.Managers[0].Seat },
		"seat past table":  func(m *protocol.ServerMsg) { m.View.Game.Managers[0].Seat = sim.MaxManagers + 1 },
		"too many":         func(m *protocol.ServerMsg) { m.View.Game.Managers = make([]sim.ManagerView, sim.MaxManagers+1) },
		"unknown meter":    func(m *protocol.ServerMsg) { m.View.Game.Deltas = []sim.Delta{{Seat: 1, Meter: sim.NumMeters}} },
		"texts past turns": func(m *protocol.ServerMsg) { m.View.Texts = make([]string, len(m.View.Game.Deltas)+1) },
		"view no body":     func(m *protocol.ServerMsg) { m.View = nil },
		"joined no body":   func(m *protocol.ServerMsg) { m.Kind = protocol.KindJoined; m.View = nil },
		"error no body":    func(m *protocol.ServerMsg) { m.Kind = protocol.KindError; m.View = nil },
		"checked no body":  func(m *protocol.ServerMsg) { m.Kind = protocol.KindChecked; m.View = nil },
		"debrief no body":  func(m *protocol.ServerMsg) { m.Kind = protocol.KindDebrief; m.View = nil },
		"debrief months": func(m *protocol.ServerMsg) {
			m.Kind, m.View, m.Debrief = protocol.KindDebrief, nil, &report.Report{Played: -1}
		},
		"debrief seats": func(m *protocol.ServerMsg) {
			m.Kind, m.View, m.Debrief = protocol.KindDebrief, nil, &report.Report{Managers: []report.Manager{{Seat: 3}}}
		},
	}
	for name, spoil := range hostile {
		t.Run(name, func(t *testing.T) {
			m := New(Saved{})
			m.Handle(joinedMsg(s, 1, "t"))
			m.Handle(viewMsg(s, 1, true, 0))
			before := *m
			msg := viewMsg(s, 1, true, 0)
			msg.View.Game.Turn++ // a new turn: would reset the drafts if applied
			spoil(&msg)
			if out := m.Handle(msg); out != nil {
				t.Errorf("replies %v", out)
			}
			if !strings.Contains(m.Notice, "could not use") {
				t.Errorf("notice %q", m.Notice)
			}
			after := *m
			after.Notice = before.Notice
			if !reflect.DeepEqual(before, after) {
				t.Error("the model changed")
			}
		})
	}
	// The same view unspoiled is taken.
	m := New(Saved{})
	m.Handle(joinedMsg(s, 1, "t"))
	if m.Handle(viewMsg(s, 1, true, 0)); m.Notice != "" || !m.HasView {
		t.Fatalf("a real view was refused: %q", m.Notice)
	}
}
