package model

import "pushback/sim"

// Edits are intents too: a scene works on a copy of a form or draft and
// hands back what changed; only the model writes its own fields, and it
// keeps what the screen may not change (a draft's turn, whether it was
// sent, the cited evidence and the alternative, which Cite and Offer own).

// EditTitle is the title form as typed and chosen.
type EditTitle struct{ Title TitleForm }

// EditOrders is the executive's mandate draft: card, target and framing.
type EditOrders struct{ Orders Orders }

// EditDraft is the manager's answer draft: response, mandate to escalate,
// the business case's data, impact, ask and words, and the team action.
// An edited answer is not sent yet.
type EditDraft struct{ Answer Answer }

// EditTakeaway is the end-of-game answers as written: word, scale,
// commitment.
type EditTakeaway struct{ Take Takeaway }

// EditHost is the host settings as chosen: scenario, executive, seats,
// deadlines, audience and the desktop's file path. Another scenario or
// executive, or another number of seats, drops the balance preview.
type EditHost struct{ Host HostForm }

func (EditTitle) intent()    {}
func (EditOrders) intent()   {}
func (EditDraft) intent()    {}
func (EditTakeaway) intent() {}
func (EditHost) intent()     {}

func (m *Model) edit(in Intent) {
	switch in := in.(type) {
	case EditTitle:
		m.Title = in.Title
	case EditOrders:
		o := &m.Orders
		o.Card, o.Target, o.Framing = in.Orders.Card, in.Orders.Target, clip(in.Orders.Framing, sim.MaxText)
	case EditDraft:
		n := in.Answer
		a := m.Answer
		if n.Response == a.Response && n.Escalate == a.Escalate && n.Action == a.Action &&
			n.Case.Data == a.Case.Data && n.Case.Impact == a.Case.Impact && n.Case.Ask == a.Case.Ask && n.Case.Text == a.Case.Text {
			return
		}
		m.EditAnswer(func(a *Answer) {
			a.Response, a.Escalate, a.Action = n.Response, n.Escalate, n.Action
			a.Case.Data, a.Case.Impact, a.Case.Ask, a.Case.Text = n.Case.Data, n.Case.Impact, n.Case.Ask, clip(n.Case.Text, sim.MaxText)
		})
	case EditTakeaway:
		t := &m.Take
		t.Word, t.Scale, t.Commitment = in.Take.Word, max(0, min(in.Take.Scale, 5)), in.Take.Commitment
	case EditHost:
		n, h := in.Host, &m.Host
		if n.UseOwn && h.Own == nil {
			n.UseOwn = false
		}
		if n.Scenario != h.Scenario || n.UseOwn != h.UseOwn {
			h.Balance = nil
			if n.Executive != "human" {
				n.Executive = ""
			}
		}
		if n.Executive != h.Executive || n.Managers != h.Managers {
			h.Balance = nil
		}
		h.Scenario, h.UseOwn, h.Executive, h.Path, h.Audience = n.Scenario, n.UseOwn, n.Executive, n.Path, n.Audience
		h.Managers = min(max(n.Managers, 1), MaxManagers)
		h.Deadline = min(max(n.Deadline, 0), len(Deadlines)-1)
	}
}
