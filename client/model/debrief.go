package model

import (
	"pushback/server/debrief/report"
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
