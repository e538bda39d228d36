package model

import (
	"errors"
	"strings"
	"testing"

	"pushback/server/protocol"
	"pushback/sim"
)

// Edits come as intents, and the model keeps what a screen may not change.
func TestEditsAreIntents(t *testing.T) {
	s := game(t)
	m := New(Saved{})
	m.Handle(joinedMsg(s, 1, "t"))
	m.Handle(viewMsg(s, 1, true, 0))
	m.Answer.Case.Evidence[0], m.Answer.Sent = "kept", true

	a := m.Answer
	a.Response, a.Case.Text, a.Sent, a.Turn = sim.ResponsePushBack, strings.Repeat("x", sim.MaxText+50), false, 99
	a.Case.Evidence[0] = "forged"
	m.Do(EditDraft{Answer: a})
	got := m.Answer
	if got.Response != sim.ResponsePushBack || len(got.Case.Text) != sim.MaxText || !got.Dirty {
		t.Errorf("draft %+v: want push back, clipped words, dirty", got)
	}
	if !got.Sent || got.Turn != m.View.Turn || got.Case.Evidence[0] != "kept" {
		t.Errorf("draft %+v: sent, turn and evidence are the model's", got)
	}

	o := m.Orders
	o.Card, o.Target, o.Turn = 2, 1, 42
	m.Do(EditOrders{Orders: o})
	if m.Orders.Card != 2 || m.Orders.Target != 1 || m.Orders.Turn == 42 {
		t.Errorf("orders %+v", m.Orders)
	}

	m.Do(EditTitle{Title: TitleForm{Code: "ab", Name: "Ann", Projector: true}})
	if m.Title != (TitleForm{Code: "ab", Name: "Ann", Projector: true}) {
		t.Errorf("title %+v", m.Title)
	}

	m.Do(EditTakeaway{Take: Takeaway{Word: "tense", Scale: 9, Reacted: true}})
	if m.Take.Word != "tense" || m.Take.Scale != 5 || m.Take.Reacted {
		t.Errorf("takeaway %+v", m.Take)
	}

	m.Host.Balance, m.Host.Executive, m.Host.Managers = &protocol.Balance{}, "ceo", 3
	h := m.Host
	h.Deadline, h.Audience = 2, true
	m.Do(EditHost{Host: h})
	if m.Host.Balance == nil || m.Host.Deadline != 2 || !m.Host.Audience {
		t.Errorf("deadline and audience drop the preview: %+v", m.Host)
	}
	h = m.Host
	h.Scenario, h.Managers, h.Deadline = "other", 99, -4
	m.Do(EditHost{Host: h})
	if m.Host.Balance != nil || m.Host.Executive != "" || m.Host.Managers != MaxManagers || m.Host.Deadline != 0 {
		t.Errorf("another scenario: %+v", m.Host)
	}

	if out := m.Do(CheckFile{File: "x.yaml", Err: errors.New("no such file")}); out != nil || !strings.Contains(m.Notice, "no such file") {
		t.Errorf("unreadable file: %v, notice %q", out, m.Notice)
	}
}

// An order asked for after the game ended waits for nobody.
func TestConfirmDroppedAtGameEnd(t *testing.T) {
	s := game(t)
	m := New(Saved{})
	m.Handle(joinedMsg(s, sim.Facilitator, ""))
	m.Handle(viewMsg(s, sim.Facilitator, true, 0))
	m.Do(Confirm{Order: Order{Kind: protocol.KindEnd}})
	if m.Confirm == nil {
		t.Fatal("no confirmation mid-game")
	}
	over := viewMsg(s, sim.Facilitator, true, 0)
	over.View.Game.Phase, over.View.Game.Version = sim.PhaseOver, over.View.Game.Version+1
	m.Handle(over)
	if m.Confirm != nil {
		t.Error("the confirmation outlived the game")
	}
	if m.Do(Confirm{Order: Order{Kind: protocol.KindEnd}}); m.Confirm != nil {
		t.Error("a confirmation after the game")
	}
}
