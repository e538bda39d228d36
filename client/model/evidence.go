package model

import (
	"fmt"
	"math"

	"pushback/server/protocol"
	"pushback/sim"
)

// Cite toggles one of the manager's evidence cards (by ID) in the drafted
// business case: cited if it was not, dropped if it was. A case cites at
// most sim.EvidenceHand cards, and only ones the manager holds this month.
type Cite struct{ ID string }

// Offer puts one of the mandate's costed alternatives (by ID) in the
// drafted case, or none with "". Only the card's own alternatives earn
// anything, and the server refuses any other.
type Offer struct{ ID string }

func (Cite) intent()  {}
func (Offer) intent() {}

// Evidence is an evidence card's words, with a placeholder when the
// scenario is unknown so that nothing on screen is blank.
func (m *Model) Evidence(i int) protocol.EvidenceCard {
	if i >= 0 && i < len(m.Info.Evidence) {
		return m.Info.Evidence[i]
	}
	return protocol.EvidenceCard{Card: protocol.Card{Title: fmt.Sprintf("Evidence #%d", i+1)}}
}

// EvidenceIndex finds an evidence card by ID, or -1.
func (m *Model) EvidenceIndex(id string) int {
	for i := range m.Info.Evidence {
		if id != "" && m.Info.Evidence[i].ID == id {
			return i
		}
	}
	return -1
}

// EvidenceTitle is the title of the evidence card with this ID, or the ID
// itself when the scenario does not know it.
func (m *Model) EvidenceTitle(id string) string {
	if i := m.EvidenceIndex(id); i >= 0 {
		return m.Info.Evidence[i].Title
	}
	return id
}

// Held is this month's evidence of our own team (indexes), empty for
// seats without one.
func (m *Model) Held() []int {
	if me := m.Me(); me != nil {
		return me.Evidence
	}
	return nil
}

// holds reports whether our team holds the evidence card with this ID.
func (m *Model) holds(id string) bool {
	for _, e := range m.Held() {
		if m.Evidence(e).ID == id && id != "" {
			return true
		}
	}
	return false
}

// Cited reports whether the draft cites the evidence card with this ID.
func (m *Model) Cited(id string) bool {
	for _, c := range m.Answer.Case.Evidence {
		if c != "" && c == id {
			return true
		}
	}
	return false
}

// CaseCard is the mandate the drafted case argues against: the card in
// force being escalated, else this month's; -1 none.
func (m *Model) CaseCard() int {
	if m.Answer.Response == sim.ResponseEscalate {
		return m.Answer.Escalate
	}
	return m.View.Card
}

// Mandate is a mandate card as the scenario describes it, or a placeholder.
func (m *Model) Mandate(i int) protocol.MandateCard {
	if i >= 0 && i < len(m.Info.Mandates) {
		return m.Info.Mandates[i]
	}
	t, _ := m.Card(i)
	return protocol.MandateCard{Card: protocol.Card{Title: t}}
}

// Alternatives are the costed options a case may offer against a card.
func (m *Model) Alternatives(card int) []protocol.Alternative {
	return m.Mandate(card).Alternatives
}

// AlternativeTitle is the words of a card's alternative, or the ID.
func (m *Model) AlternativeTitle(card int, id string) string {
	mc := m.Mandate(card)
	if a := mc.Alternative(id); a != nil {
		return a.Title
	}
	return id
}

// Keeps says how much of a card's saving an alternative keeps, in words.
func Keeps(a protocol.Alternative) string {
	return fmt.Sprintf("keeps %d%% of the saving", int(math.Round(a.Keep*100)))
}

// Valued is the lever the executive values most: the persona's, or
// LeverNone when a person rules (nobody can say).
func (m *Model) Valued() sim.Lever {
	if m.Info.Executive == "" {
		return sim.LeverNone
	}
	for _, p := range m.Info.Personas {
		if p.ID == m.Info.Executive {
			return p.Valued
		}
	}
	return sim.LeverNone
}

// Feedback is what a manager is told after the ruling on an objection,
// sentence by sentence: which parts of the case landed, which were
// missing, and what the executive values. Empty before the reveal and for
// answers that were not objections.
func (m *Model) Feedback(mv *sim.ManagerView) []string {
	if mv == nil || !mv.Revealed || !mv.Response.Voiced() || m.View.Phase < sim.PhaseReveal {
		return nil
	}
	g := mv.Grade
	cited := ""
	if g.Cited >= 0 {
		cited = m.Evidence(g.Cited).Title
	}
	return g.Feedback(cited, m.Valued())
}

// cite toggles a citation in the draft; it refuses, in Notice, evidence the
// team does not hold and a third citation.
func (m *Model) cite(id string) {
	if !m.holds(id) {
		m.Notice = "You can cite only the evidence your team holds this month."
		return
	}
	k := &m.Answer.Case
	if m.Cited(id) {
		m.EditAnswer(func(a *Answer) {
			out := [sim.EvidenceHand]string{}
			n := 0
			for _, c := range a.Case.Evidence {
				if c != "" && c != id {
					out[n] = c
					n++
				}
			}
			a.Case.Evidence = out
		})
		return
	}
	for i, c := range k.Evidence {
		if c == "" {
			m.EditAnswer(func(a *Answer) { a.Case.Evidence[i] = id })
			m.Notice = ""
			return
		}
	}
	m.Notice = fmt.Sprintf("A case cites at most %d pieces of evidence: press a cited one to drop it first.", sim.EvidenceHand)
}

// offer sets the draft's alternative; it refuses one that is not the
// card's.
func (m *Model) offer(id string) {
	if mc := m.Mandate(m.CaseCard()); id != "" && mc.Alternative(id) == nil {
		m.Notice = "Choose one of the alternatives costed for this mandate."
		return
	}
	m.EditAnswer(func(a *Answer) { a.Case.Alternative = id })
}

// checkCase keeps in a case only what the server accepts: evidence held
// this month and an alternative of the card argued against. Anything else
// cannot be on screen either (the chips show only those), so it is dropped
// rather than refused.
func (m *Model) checkCase(k *sim.Case, card int) {
	var out [sim.EvidenceHand]string
	n := 0
	for _, id := range k.Evidence {
		if m.holds(id) && (n == 0 || out[0] != id) {
			out[n] = id
			n++
		}
	}
	k.Evidence = out
	if mc := m.Mandate(card); k.Alternative != "" && mc.Alternative(k.Alternative) == nil {
		k.Alternative = ""
	}
}
