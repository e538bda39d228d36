package model

import (
	"testing"

	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/sim"
)

// fixedReport is a small finished table: two managers over three months.
func fixedReport(table string, played int, final bool) *report.Report {
	r := &report.Report{Table: table, Title: "A Mild Slowdown", Turns: 3, Played: played, Final: final}
	for i, name := range []string{"Ann", "Bo"} {
		mg := report.Manager{Seat: i + 1, Name: name}
		for k := 0; k <= played; k++ {
			mg.Meters = append(mg.Meters, sim.Meters{Morale: 60 - 5*k, Trust: 60 + 3*k*(1-2*i), Quota: 90, Standing: 50})
		}
		r.Managers = append(r.Managers, mg)
	}
	return r
}

// A debrief message gives the debrief screen: players open it from the end
// screen, the projector turns to it by itself at the end, the facilitator
// asks for it (and so asks the server for the live report). The cursor opens
// on the whole story and stepping clamps at both ends.
func TestDebriefScreen(t *testing.T) {
	s := game(t)
	bots(t, s, -3)
	if s.Phase != sim.PhaseOver {
		t.Fatalf("game not over: %s", s.Phase)
	}
	debriefMsg := func(r *report.Report) []byte {
		return frame(t, protocol.ServerMsg{Kind: protocol.KindDebrief, Debrief: r})
	}
	for _, tc := range []struct {
		name   string
		seat   sim.Seat
		before Screen // after the final view and the report, before any click
	}{
		{"manager", 1, ScreenEnd},
		{"executive", sim.Executive, ScreenEnd},
		{"projector", sim.Public, ScreenDebrief},
		{"facilitator", sim.Facilitator, ScreenFacilitator},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(Saved{})
			m.Handle(joinedMsg(s, tc.seat, "tok"))
			m.Receive(frame(t, viewMsg(s, tc.seat, true, 0)))
			m.Receive(debriefMsg(fixedReport("ABCDEF", 3, true)))
			if m.Notice != "" {
				t.Fatalf("notice: %s", m.Notice)
			}
			if m.Report == nil || m.Report.Played != 3 || m.Step != 3 || m.Months() != 3 {
				t.Fatalf("report %+v, step %d", m.Report, m.Step)
			}
			if got := m.Screen(); got != tc.before {
				t.Fatalf("screen %s, want %s", got, tc.before)
			}
			out := m.Do(OpenDebrief{})
			if got := m.Screen(); got != ScreenDebrief {
				t.Fatalf("after OpenDebrief: screen %s", got)
			}
			wantAsk := tc.seat == sim.Facilitator
			if asked := len(out) == 1 && out[0].Kind == protocol.KindDebrief; asked != wantAsk {
				t.Fatalf("OpenDebrief sent %+v; want a debrief request: %v", out, wantAsk)
			}
			for _, st := range []struct {
				in   Intent
				want int
			}{
				{StepDebrief{By: 1}, 3}, // clamps at the end
				{StepDebrief{By: -1}, 2},
				{StepDebrief{By: -5}, 0}, // and at the start
				{StepDebrief{By: -1}, 0},
				{StepDebrief{By: 1}, 1},
				{ShowMonth{Month: 9}, 3},
				{ShowMonth{Month: -2}, 0},
				{ShowMonth{Month: 2}, 2},
			} {
				if out := m.Do(st.in); out != nil {
					t.Fatalf("%T sent %+v", st.in, out)
				}
				if m.Step != st.want {
					t.Fatalf("after %+v the cursor is at %d, want %d", st.in, m.Step, st.want)
				}
			}
			// The same table's report again keeps the cursor; a report that
			// has fewer months pulls it back inside.
			m.Receive(debriefMsg(fixedReport("ABCDEF", 3, true)))
			if m.Step != 2 {
				t.Fatalf("an update moved the cursor to %d", m.Step)
			}
			m.Receive(debriefMsg(fixedReport("ABCDEF", 1, false)))
			if m.Step != 1 {
				t.Fatalf("a shorter report leaves the cursor at %d", m.Step)
			}
			m.Do(CloseDebrief{})
			if got := m.Screen(); got == ScreenDebrief {
				t.Fatal("CloseDebrief left the debrief up")
			}
			// Another room forgets the report.
			j := joinedMsg(s, tc.seat, "tok")
			j.Joined.Code = "ZZZZZZ"
			m.Handle(j)
			if m.Report != nil || m.Step != 0 {
				t.Fatal("a new room kept the old report")
			}
		})
	}
	// A debrief without its body is ignored with a notice, never a crash.
	m := New(Saved{})
	m.Handle(joinedMsg(s, 1, "tok"))
	m.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindDebrief}))
	if m.Report != nil || m.Notice == "" {
		t.Fatalf("an empty debrief: report %v, notice %q", m.Report, m.Notice)
	}
}

// A live report (the facilitator's, mid-game) opens on its last month, and
// a later one follows the story while the cursor was at the end.
func TestDebriefLiveFollows(t *testing.T) {
	s := game(t)
	m := New(Saved{})
	m.Handle(joinedMsg(s, sim.Facilitator, ""))
	m.Do(OpenDebrief{})
	m.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindDebrief, Debrief: fixedReport("ABCDEF", 1, false)}))
	if m.Screen() != ScreenDebrief || m.Step != 1 {
		t.Fatalf("screen %s, step %d", m.Screen(), m.Step)
	}
	m.Receive(frame(t, protocol.ServerMsg{Kind: protocol.KindDebrief, Debrief: fixedReport("ABCDEF", 2, false)}))
	if m.Step != 2 {
		t.Fatalf("at the end, a later report should follow: step %d", m.Step)
	}
}

// At the end a player answers the poll and writes a commitment: each is
// sent as its own message (again to change it), refused with a notice
// while empty, before the end or from a watcher; the projector's line sums
// the poll up.
func TestTakeaways(t *testing.T) {
	m := New(Saved{})
	m.Seat = 2
	if msgs := m.Do(React{}); msgs != nil || m.Notice == "" {
		t.Fatalf("before the end: %v, notice %q", msgs, m.Notice)
	}
	m.Report = fixedReport("T", 3, true)
	if msgs := m.Do(React{}); msgs != nil || m.Notice == "" {
		t.Fatalf("an empty reaction: %v", msgs)
	}
	m.Take.Scale, m.Take.Word = 4, "  squeezed "
	msgs := m.Do(React{})
	if len(msgs) != 1 || msgs[0].Kind != protocol.KindReaction || msgs[0].Scale != 4 || msgs[0].Word != "squeezed" || !m.Take.Reacted {
		t.Fatalf("reaction: %+v", msgs)
	}
	if msgs := m.Do(Commit{}); msgs != nil || m.Notice == "" {
		t.Fatalf("an empty commitment: %v", msgs)
	}
	m.Take.Commitment = "Next month I will bring renewal data."
	msgs = m.Do(Commit{})
	if len(msgs) != 1 || msgs[0].Kind != protocol.KindCommitment || msgs[0].Text != m.Take.Commitment || !m.Take.Committed || msgs[0].ID == 0 {
		t.Fatalf("commitment: %+v", msgs)
	}
	if m.Mine() == nil || m.Mine().Name != "Bo" {
		t.Errorf("Mine: %+v", m.Mine())
	}
	m.Seat = sim.Public
	if msgs := m.Do(Commit{}); msgs != nil {
		t.Errorf("the projector sent a commitment")
	}
	p := &report.Poll{Answers: 3, Mean: 3.5, Words: []report.WordCount{{Word: "squeezed", Count: 2}, {Word: "tense", Count: 1}}}
	if got, want := PollLine(p), "3 answered · mean 3.5 of 5 · squeezed ×2, tense"; got != want {
		t.Errorf("PollLine %q, want %q", got, want)
	}
	if PollLine(nil) != "Nobody has answered yet." {
		t.Errorf("PollLine(nil) %q", PollLine(nil))
	}
}
