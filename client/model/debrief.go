package model

import (
	"fmt"
	"strings"

	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/sim"
)

// The debrief screen draws the table's report (package report, the same
// data as the facilitator's HTML file) up to a cursor month, so that a
// trainer can tell the story turn by turn on the projector.

// StepDebrief moves the debrief's cursor by By months (negative: back).
type StepDebrief struct{ By int }

// ShowMonth puts the debrief's cursor on a month (a tap on a chart, or
// "the whole game" with the last month).
type ShowMonth struct{ Month int }

func (StepDebrief) intent() {}
func (ShowMonth) intent()   {}

// setReport takes a debrief from the server. A new report (another table,
// or the first) opens at its last month, the whole story; an update keeps
// the cursor where the trainer left it. The projector turns to the debrief
// by itself when the game ends: nobody clicks on a projector.
func (m *Model) setReport(r *report.Report) {
	if r == nil {
		return
	}
	fresh := m.Report == nil || m.Report.Table != r.Table || m.Step == m.Report.Played
	m.Report = r
	if fresh {
		m.Step = r.Played
	}
	m.Step = clampStep(m.Step, r)
	if m.Seat == sim.Public && r.Final {
		m.Debrief = true
	}
}

func clampStep(n int, r *report.Report) int {
	if r == nil {
		return 0
	}
	return max(0, min(n, r.Played))
}

// Months is how many months the debrief covers (its cursor runs 0..Months).
func (m *Model) Months() int {
	if m.Report == nil {
		return 0
	}
	return m.Report.Played
}

// The end of the game: before the analysis, each participant answers the
// reaction poll (a word, a 1–5 scale) and writes one commitment; the
// server keeps them with the room and sends the report again with them.

// React sends the reaction drafted in Take (a word and/or a scale).
type React struct{}

// Commit sends the commitment drafted in Take.
type Commit struct{}

func (React) intent()  {}
func (Commit) intent() {}

// Takeaway is a participant's end-of-game answers as they write them.
type Takeaway struct {
	Word       string
	Scale      int // 1..5, 0 none yet
	Commitment string
	Reacted    bool // sent; sending again replaces it
	Committed  bool
}

// CanTakeaway reports whether this connection answers the poll: a playing
// seat once the game is over.
func (m *Model) CanTakeaway() bool {
	return m.Report != nil && m.Report.Final && m.Seat >= 0
}

func (m *Model) takeaway(in Intent) []protocol.ClientMsg {
	if !m.CanTakeaway() {
		m.Notice = "The poll and the commitments open for the players when the game ends."
		return nil
	}
	t := &m.Take
	switch in.(type) {
	case React:
		word := clip(strings.TrimSpace(t.Word), protocol.MaxWord)
		if word == "" && t.Scale == 0 {
			m.Notice = "Pick a number from 1 to 5, or type one word, for how the game felt."
			return nil
		}
		t.Reacted, m.Notice = true, ""
		return m.msg(protocol.ClientMsg{Kind: protocol.KindReaction, Word: word, Scale: max(0, min(t.Scale, 5))})
	default:
		text := clip(strings.TrimSpace(t.Commitment), protocol.MaxCommitment)
		if text == "" {
			m.Notice = "Write one thing you will do next month."
			return nil
		}
		t.Committed, m.Notice = true, ""
		return m.msg(protocol.ClientMsg{Kind: protocol.KindCommitment, Text: text})
	}
}

// Mine is this connection's seat's manager in the report, nil for the
// executive and the watchers.
func (m *Model) Mine() *report.Manager {
	if m.Report == nil || m.Seat < 1 || int(m.Seat) > len(m.Report.Managers) {
		return nil
	}
	return &m.Report.Managers[m.Seat-1]
}

// PollLine sums up the reaction poll in one line for the projector:
// "6 answered · mean 3.2 of 5 · squeezed ×3, tense ×2".
func PollLine(p *report.Poll) string {
	if p == nil || p.Answers == 0 {
		return "Nobody has answered yet."
	}
	s := fmt.Sprintf("%d answered", p.Answers)
	if p.Mean > 0 {
		s += fmt.Sprintf(" · mean %.1f of 5", p.Mean)
	}
	var ws []string
	for i, w := range p.Words {
		if i == 8 {
			ws = append(ws, "…")
			break
		}
		if w.Count > 1 {
			ws = append(ws, fmt.Sprintf("%s ×%d", w.Word, w.Count))
		} else {
			ws = append(ws, w.Word)
		}
	}
	if len(ws) > 0 {
		s += " · " + strings.Join(ws, ", ")
	}
	return s
}
