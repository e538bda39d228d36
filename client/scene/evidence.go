package scene

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"pushback/client/model"
	"pushback/sim"
)

// chip is a choice as wide as the column whose words wrap: for evidence,
// costed alternatives and mandate cards, whose titles run longer than a
// phone's width. mark says its state without colour (■/□ for a toggle,
// ●/○ for one of several); sub is a second, smaller line. It reports
// whether it was activated this tick.
func (f *flow) chip(id, mark, title, sub string, on bool) bool {
	c := f.c
	tw := f.w - 28 - measure(mark+" ", sizeBody, true)
	tl := wrap(title, tw, sizeBody, on)
	var sl []string
	if sub != "" {
		sl = wrap(sub, tw, sizeSmall, false)
	}
	h := math.Max(ctlH, float64(len(tl))*lineHeight(sizeBody)+float64(len(sl))*lineHeight(sizeSmall)+16)
	r := f.take(h)
	hit := c.control(id, r)
	name := title
	if sub != "" {
		name += ", " + sub
	}
	c.sem(node{key: id, role: roleToggle, name: name, pressed: on})
	if c.drawing() {
		bg, border, bw := ColPanel, ColLine, 1.0
		if on {
			bg, border, bw = ColSelected, ColBlue, 2
		} else if c.st.nav.Hover == id {
			bg = ColGround
		}
		c.p.fill(r, bg)
		c.p.stroke(r, bw, border)
		x := r.x + 14
		y := r.y + 8
		if len(tl)+len(sl) == 1 {
			y = r.y + (r.h-lineHeight(sizeBody))/2 + 2
		}
		c.p.text(mark, x, y, sizeBody, true, ColInk, alignLeft)
		x += measure(mark+" ", sizeBody, true)
		for _, l := range tl {
			c.p.text(l, x, y, sizeBody, on, ColInk, alignLeft)
			y += lineHeight(sizeBody)
		}
		for _, l := range sl {
			c.p.text(l, x, y, sizeSmall, false, ColMuted, alignLeft)
			y += lineHeight(sizeSmall)
		}
		c.ring(id, r)
	}
	return hit
}

// marked draws a line of text after a mark (▲, ▼, ■ …) in a colour, the
// words wrapped beside the mark so the mark reads as a bullet.
func (f *flow) marked(mark, s string, size float64, bold bool, col color.Color) {
	mw := measure(mark+" ", size, true)
	lines := wrap(s, f.w-mw, size, bold)
	lh := lineHeight(size)
	r := f.take(lh * float64(len(lines)))
	if f.c.drawing() {
		f.c.p.text(mark, r.x, r.y, size, true, col, alignLeft)
		for i, l := range lines {
			f.c.p.text(l, r.x+mw, r.y+float64(i)*lh, size, bold, ColInk, alignLeft)
		}
	}
}

// bearing says how an evidence card bears on a card, for whom, with a mark
// that carries the direction without colour.
func bearing(b int, whose string) (mark, words string, col color.Color) {
	switch b {
	case 1:
		return "▲", "makes it worse for " + whose, ColVermil
	case -1:
		return "▼", "makes it sounder for " + whose, ColBlue
	}
	return "", "", nil
}

// evidencePanel lists a team's front-line evidence this month: title, what
// it means and the lever it supports; and, with a card, which way each one
// bears on it. It returns the y below the panel.
func (c *ctx) evidencePanel(id string, x, y, w float64, title string, held []int, card int, whose string) float64 {
	m := c.m
	p := c.panel(id, x, y, w, title)
	if len(held) == 0 {
		p.para("No front-line evidence this month.", sizeBody, false, ColMuted)
		return c.end(id, y, p)
	}
	for k, e := range held {
		ev := m.Evidence(e)
		if k > 0 {
			p.space(4)
		}
		p.para(ev.Title, sizeBody, true, ColInk)
		p.para(ev.Text, sizeSmall, false, ColInk)
		p.label(m.LeverName(ev.Lever)+" evidence", sizeSmall, false, ColMuted)
		if card >= 0 {
			t, _ := m.Card(card)
			if mark, words, col := bearing(ev.Bears(card), whose); mark != "" {
				p.marked(mark, "“"+t+"”: "+words, sizeSmall, true, col)
			}
		}
	}
	return c.end(id, y, p)
}

// monthEvidence is the manager's own evidence panel.
func (c *ctx) monthEvidence(x, y, w float64) float64 {
	m := c.m
	return c.evidencePanel("evidence", x, y, w, "Front-line evidence", m.Held(), m.View.Card, "your team")
}

// caseEvidence is the part of the business case that cites evidence: a
// toggle chip per card the team holds, pressed when cited.
func (c *ctx) caseEvidence(a *flow) {
	m := c.m
	card := m.CaseCard()
	a.label(fmt.Sprintf("Evidence you cite (up to %d)", sim.EvidenceHand), sizeSmall, true, ColMuted)
	held := m.Held()
	if len(held) == 0 {
		a.para("You hold no front-line evidence this month: the case rests on opinion.", sizeSmall, false, ColMuted)
	}
	for k, e := range held {
		ev := m.Evidence(e)
		mark, sub := "□", ""
		if m.Cited(ev.ID) {
			mark = "■"
		}
		if _, words, _ := bearing(ev.Bears(card), "your team"); words != "" {
			sub = map[int]string{1: "▲ ", -1: "▼ "}[ev.Bears(card)] + words
		} else if card >= 0 {
			sub = "does not bear on this mandate"
		}
		if a.chip(fmt.Sprintf("cite.%d", k), mark, ev.Title, sub, m.Cited(ev.ID)) {
			c.do(model.Cite{ID: ev.ID})
		}
	}
}

// caseAlternative is the costed alternative of a business case: none, or
// one of the card's, each with the share of the saving it keeps.
func (c *ctx) caseAlternative(a *flow) {
	m := c.m
	ans := m.Answer
	a.label("Alternative you offer", sizeSmall, true, ColMuted)
	mark := func(on bool) string { return map[bool]string{true: "●", false: "○"}[on] }
	if a.chip("alt.0", mark(ans.Case.Alternative == ""), "No alternative", "", ans.Case.Alternative == "") {
		c.do(model.Offer{})
	}
	for k, alt := range m.Alternatives(m.CaseCard()) {
		on := ans.Case.Alternative == alt.ID
		if a.chip(fmt.Sprintf("alt.%d", k+1), mark(on), alt.Title, model.Keeps(alt), on) {
			c.do(model.Offer{ID: alt.ID})
		}
	}
}

// caseWords is a case as the executive reads it: the evidence cited and
// the alternative offered, by title.
func (c *ctx) caseWords(p *flow, card int, k sim.Case) {
	m := c.m
	var cited []string
	for _, id := range k.Evidence {
		if id != "" {
			cited = append(cited, "“"+m.EvidenceTitle(id)+"”")
		}
	}
	if len(cited) > 0 {
		p.para("Evidence: "+strings.Join(cited, "; "), sizeBody, false, ColInk)
	} else {
		p.para("Evidence: none cited", sizeBody, false, ColMuted)
	}
	if k.Alternative != "" {
		line := "Alternative: " + m.AlternativeTitle(card, k.Alternative)
		if a := m.Mandate(card).Alternative(k.Alternative); a != nil {
			line += " (" + model.Keeps(*a) + ")"
		}
		p.para(line, sizeBody, false, ColInk)
	} else {
		p.para("Alternative: none offered", sizeBody, false, ColMuted)
	}
}

// feedbackPanel tells a manager after the reveal how the executive ruled on
// their objection and why, part by part. It returns y unchanged when there
// is nothing to tell.
func (c *ctx) feedbackPanel(x, y, w float64) float64 {
	m := c.m
	me := m.Me()
	fb := m.Feedback(me)
	if len(fb) == 0 {
		return y
	}
	card := m.View.Card
	if me.Response == sim.ResponseEscalate {
		card = me.Escalate
	}
	t, _ := m.Card(card)
	p := c.panel("feedback", x, y, w, "How your case was heard")
	p.para(fmt.Sprintf("You %s “%s”: %s.", verbWords[me.Response], t, me.Verdict), sizeBody, true, ColInk)
	for _, s := range fb {
		mark, col := "●", ColGreen
		switch {
		case strings.HasPrefix(s, "Missing"):
			mark, col = "○", ColVermil
		case strings.HasPrefix(s, "Partly"):
			mark, col = "●", ColOrange
		case !strings.HasPrefix(s, "Landed"):
			mark, col = "►", ColBlue
		}
		p.marked(mark, s, sizeBody, false, col)
	}
	return c.end("feedback", y, p) + 14
}

var verbWords = map[sim.ResponseKind]string{
	sim.ResponsePushBack: "pushed back on", sim.ResponseNegotiate: "negotiated on", sim.ResponseEscalate: "escalated",
}

// handCards is the executive's hand: a chip per card with what it saves
// (the executive's card never shows its human cost).
func (c *ctx) handCards(p *flow) {
	m := c.m
	for k, i := range m.View.Hand {
		t, _ := m.Card(i)
		sub := "saves no cost points"
		if n := m.Mandate(i).Saving; n > 0 {
			sub = fmt.Sprintf("saves %d cost points", n)
		}
		on := i == m.Orders.Card
		if p.chip(fmt.Sprintf("card.%d", k), map[bool]string{true: "●", false: "○"}[on], t, sub, on) {
			o := m.Orders
			o.Card = i
			c.do(model.EditOrders{Orders: o})
		}
	}
}

// visitEvidence shows the executive the visited team's front-line evidence
// and which way it bears on each card in hand.
func (c *ctx) visitEvidence(x, y, w float64) float64 {
	m := c.m
	mv := m.Manager(m.View.Visit)
	if mv == nil {
		return y
	}
	id := "visitev"
	p := c.panel(id, x, y, w, "What "+m.SeatName(mv.Seat)+"'s front line told you")
	if len(mv.Evidence) == 0 {
		p.para("Nothing new from this team this month.", sizeBody, false, ColMuted)
	}
	for k, e := range mv.Evidence {
		ev := m.Evidence(e)
		if k > 0 {
			p.space(4)
		}
		p.para(ev.Title, sizeBody, true, ColInk)
		p.para(ev.Text, sizeSmall, false, ColInk)
		for _, card := range m.View.Hand {
			t, _ := m.Card(card)
			if mark, words, col := bearing(ev.Bears(card), "this team"); mark != "" {
				p.marked(mark, "“"+t+"”: "+words, sizeSmall, true, col)
			}
		}
	}
	return c.end(id, y, p)
}
