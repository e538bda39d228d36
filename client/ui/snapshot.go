package ui

import (
	"sync/atomic"

	"pushback/client/model"
	"pushback/sim"
)

var lastSnapshot atomic.Pointer[model.Snapshot]

// Snapshot returns the state as of the last update.
func (a *App) Snapshot() *model.Snapshot {
	if s := lastSnapshot.Load(); s != nil {
		return s
	}
	return &model.Snapshot{}
}

func (a *App) publish() {
	m := a.M
	s := &model.Snapshot{Screen: m.Screen().String(), Conn: m.Conn.String(), Notice: m.Notice, Code: m.Room.Code,
		Seat: int(m.Seat), Turn: m.View.Turn, Phase: m.View.Phase.String(), Version: m.View.Version,
		Focus: a.st.nav.ID, Sent: m.Answer.Sent, Answer: answerWords(m.Answer.Response, m.Answer.Action), Meters: map[string]int{}, Shown: map[string]int{}}
	s.Briefed, s.Paused, s.Answered = m.Briefed(), m.PauseText() != "", answeredWords(m)
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
	lastSnapshot.Store(s)
}

// caseSnapshot adds the business case and, after the reveal, the ruling.
func caseSnapshot(m *model.Model, s *model.Snapshot) {
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
