package model

import (
	"fmt"

	"pushback/sim"
)

// Snapshot is the model in a few plain fields, for tests that drive the
// browser build from outside (window.pushbackState()).
type Snapshot struct {
	Screen  string         `json:"screen"`
	Conn    string         `json:"conn"`
	Notice  string         `json:"notice"`
	Code    string         `json:"code"`
	Seat    int            `json:"seat"`
	Turn    int            `json:"turn"`
	Phase   string         `json:"phase"`
	Version uint64         `json:"version"`
	Focus   string         `json:"focus"`
	Sent    bool           `json:"sent"`
	Answer  string         `json:"answer"` // the manager's draft: response and team action
	Meters  map[string]int `json:"meters"` // own meters (company ones for the executive), targets
	Shown   map[string]int `json:"shown"`  // the same as drawn now, mid-animation
	Causes  []string       `json:"causes"`

	// The room as the facilitator left it: the briefing read here, the
	// pause, the notices shown as banners, and the projector's "3 of 5
	// answered".
	Briefed  bool     `json:"briefed"`
	Paused   bool     `json:"paused"`
	Banners  []string `json:"banners,omitempty"`
	Answered string   `json:"answered,omitempty"`

	// The business case: this month's mandate (ID), the evidence the team
	// holds (IDs, in the order of the cite.N chips), the draft's citations
	// and alternative, and after the reveal the ruling and its feedback.
	Card        string    `json:"card,omitempty"`
	Evidence    []string  `json:"evidence,omitempty"`
	Cited       [2]string `json:"cited"`
	Alternative string    `json:"alternative,omitempty"`
	Verdict     string    `json:"verdict,omitempty"`
	Feedback    []string  `json:"feedback,omitempty"`
}

// Snapshot is the model in a few plain fields, with the UI focus.
func (m *Model) Snapshot(focus string) *Snapshot {
	s := &Snapshot{Screen: m.Screen().String(), Conn: m.Conn.String(), Notice: m.Notice, Code: m.Room.Code,
		Seat: int(m.Seat), Turn: m.View.Turn, Phase: m.View.Phase.String(), Version: m.View.Version,
		Focus: focus, Sent: m.Answer.Sent, Answer: AnswerWords(m.Answer.Response, m.Answer.Action), Meters: map[string]int{}, Shown: map[string]int{}}
	s.Briefed, s.Paused, s.Answered = m.Briefed(), m.PauseText() != "", m.AnsweredWords()
	for _, n := range m.Banners() {
		s.Banners = append(s.Banners, n.Text)
	}
	seat, meters := m.Seat, []sim.Meter{sim.MeterMorale, sim.MeterTrust, sim.MeterQuota, sim.MeterStanding}
	if seat < 1 {
		seat, meters = sim.Executive, []sim.Meter{sim.MeterRevenue, sim.MeterCost, sim.MeterPressure}
	}
	if m.HasView {
		for _, k := range meters {
			g := m.Gauge(seat, k)
			if !g.Hidden {
				s.Meters[k.String()] = g.Target
				s.Shown[k.String()] = int(g.Value + 0.5)
			}
		}
		for _, c := range m.Causes(seat) {
			s.Causes = append(s.Causes, c.Text)
		}
		caseSnapshot(m, s)
	}
	return s
}

// caseSnapshot adds the business case and, after the reveal, the ruling.
func caseSnapshot(m *Model, s *Snapshot) {
	s.Card = m.CardID(m.View.Card)
	for _, e := range m.Held() {
		s.Evidence = append(s.Evidence, m.Evidence(e).ID)
	}
	s.Cited, s.Alternative = m.Answer.Case.Evidence, m.Answer.Case.Alternative
	if me := m.Me(); me != nil && me.Response.Voiced() && me.Verdict != sim.VerdictPending {
		s.Verdict = me.Verdict.String()
	}
	s.Feedback = m.Feedback(m.Me())
}

// AnswerWords says an answer in words: the response and the team action.
func AnswerWords(r sim.ResponseKind, act sim.TeamAction) string {
	s := r.String()
	if r == sim.ResponseNone {
		s = "no mandate to answer"
	}
	if act != sim.ActionNone {
		s += ", and " + act.String()
	}
	return s
}

// AnsweredWords is how many of the seats the phase waits on have acted:
// "3 of 5 answered", while the managers answer or read the reveal.
func (m *Model) AnsweredWords() string {
	verb := "answered"
	switch {
	case m.Room.Waiting == 0:
		return ""
	case m.View.Phase == sim.PhaseReveal:
		verb = "ready"
	case m.View.Phase != sim.PhaseResponse:
		return "" // the executive alone: the phase's name says it
	}
	return fmt.Sprintf("%d of %d %s", m.Room.Answered, m.Room.Waiting, verb)
}
