package scene

import (
	"fmt"
	"math"
	"strings"

	"pushback/sim"
)

// The projector is the room's big screen, read from the back of the room
// at 1280×720 and 1920×1080: before the game where to join (the code large
// and a QR code) beside the briefing; during it the month, how many have
// answered, the clock, the news and the mandate, and at the reveal what
// each manager decided and why the meters moved, with the join panel
// shrunk to a corner.

// Sizes of the projector's text: larger than a laptop's.
const (
	projBig   = 44.0 // the month, the count, the clock
	projTitle = 30.0 // the news' and the mandate's titles
	projBody  = 21.0 // their text, the decisions
)

// projector lays out the projector's screen.
func projector(c *ctx) {
	m := c.m
	y := c.header()
	if !m.HasView || !m.Room.Started {
		projectorLobby(c, y)
		return
	}
	g := c.margin()
	cw := 300.0
	if c.narrow {
		cw = c.w - 2*g
	}
	jx := c.w - g - cw
	j := c.panel("join", jx, y, cw, "")
	j.label("Join at", sizeSmall, true, ColMuted)
	j.para(c.joinURL, sizeSmall, true, ColInk)
	j.label(m.Room.Code, 40, true, ColInk)
	q := j.take(120)
	q.w = 120
	c.qr(q, c.joinURL+"?room="+m.Room.Code)
	jend := c.end("join", y, j) + 14
	mx, mw, my := g, c.w-3*g-cw, y
	if c.narrow {
		mw, my = cw, jend
	}
	p := c.panel("now", mx, my, mw, "")
	p.label(fmt.Sprintf("Month %d of %d · %s", m.View.Turn, m.View.Turns, phaseWords[m.View.Phase]), projTitle, true, ColInk)
	if s := m.AnsweredWords(); s != "" {
		p.label(s, projBig, true, ColInk)
	}
	if left, ok := m.Remaining(); ok {
		p.label(countdown(left)+" left", projBig, true, ColBlue)
	}
	if m.View.Phase == sim.PhaseReveal || m.View.Phase == sim.PhaseOver {
		c.projectorReveal(p)
	} else {
		c.projectorMonth(p)
	}
	end := c.end("now", my, p)
	ry := jend
	if c.narrow {
		ry = end + 14
	}
	s := c.panel("public", jx, ry, cw, "The meters")
	c.meter(s.take(50), m.Gauge(sim.Executive, sim.MeterRevenue))
	for i := range m.View.Managers {
		mv := &m.View.Managers[i]
		g := m.Gauge(mv.Seat, sim.MeterQuota)
		g.Label = m.SeatName(mv.Seat) + " · quota"
		c.meter(s.take(50), g)
	}
	c.end("public", ry, s)
}

// projectorMonth is the month's news and mandate, large.
func (c *ctx) projectorMonth(p *flow) {
	c.monthIn(p, monthType{label: sizeBody, title: projTitle, body: projBody, newsGap: 6, cardGap: 6})
}

// projectorReveal is what each manager decided in public, and every
// cause the room may see of the meters' moves: side by side when the
// panel is wide, so that a projector shows it all without scrolling.
func (c *ctx) projectorReveal(p *flow) {
	m := c.m
	p.space(6)
	why := p
	if p.w >= 700 {
		half := (p.w - 24) / 2
		why = c.flow(p.x+half+24, p.y, half)
		p.w = half
		defer func() { p.y = math.Max(p.y, why.y) }()
	}
	if m.View.Card >= 0 {
		t, _ := m.Card(m.View.Card)
		p.para("Mandate: "+t, projBody, true, ColInk)
	}
	p.label("Around the table", sizeBody, true, ColMuted)
	for i := range m.View.Managers {
		mv := &m.View.Managers[i]
		line := m.SeatName(mv.Seat) + ": "
		if mv.Revealed {
			line += mv.Response.String()
			if mv.Response == sim.ResponseNone {
				line += "no mandate to answer"
			}
			if mv.Response.Voiced() {
				line += " → " + mv.Verdict.String()
			}
			if mv.Action != sim.ActionNone {
				line += "; " + mv.Action.String()
			}
		} else {
			line += "not shown"
		}
		p.para(line, projBody, false, ColInk)
	}
	seats := []sim.Seat{sim.Executive}
	for i := range m.View.Managers {
		seats = append(seats, m.View.Managers[i].Seat)
	}
	header := false
	for _, s := range seats {
		cs := m.Causes(s)
		if len(cs) == 0 {
			continue
		}
		if !header {
			if why == p {
				why.space(6)
			}
			why.label("Why the meters moved", sizeBody, true, ColMuted)
			header = true
		}
		who := "The company"
		if s != sim.Executive {
			who = m.SeatName(s)
		}
		why.label(who, sizeBody, true, ColInk)
		c.causes(why, cs)
	}
}

// projectorLobby is the projector before the game: where to join, large,
// beside the briefing until it is read, then who has joined.
func projectorLobby(c *ctx, y float64) {
	m := c.m
	frac := 0.42
	if !m.Briefed() {
		frac = 0.3
	}
	lx, lw, rx, rw := c.cols(frac)
	p := c.panel("join", lx, y, lw, "")
	p.label("Join at", sizeHead, false, ColMuted)
	p.para(c.joinURL, sizeHead, true, ColInk)
	p.label("with the code", sizeHead, false, ColMuted)
	p.label(m.Room.Code, math.Min(96, lw/5), true, ColInk)
	side := math.Min(p.w, 300)
	q := p.take(side)
	q.w = side
	c.qr(q, c.joinURL+"?room="+m.Room.Code)
	if !m.Briefed() { // who has joined, under the code while the briefing is up
		var here []string
		for _, si := range m.Room.Seats {
			if si.Human && si.Connected && si.Name != "" {
				here = append(here, si.Name)
			}
		}
		if len(here) > 0 {
			p.para("Here: "+strings.Join(here, ", "), sizeHead, false, ColInk)
		}
	}
	end := c.end("join", y, p)
	ry := c.below(y, end)
	if !m.Briefed() {
		c.brief(rx, ry, rw, sizeHead, "Got it")
		return
	}
	s := c.panel("public", rx, ry, rw, "")
	s.label("Waiting to start", sizeTitle, true, ColInk)
	for _, si := range m.Room.Seats {
		if si.Human && si.Connected {
			s.label("● "+si.Name, sizeHead, false, ColInk)
		}
	}
	c.end("public", ry, s)
}
