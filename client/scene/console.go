package scene

import (
	"fmt"
	"math"

	"pushback/client/model"
	"pushback/server/protocol"
)

// consoleTop is what the facilitator must see before the controls: the
// facilitator token once, after creating, and a risky order waiting for
// a yes (end the game, inject news, with the event's words).
func (c *ctx) consoleTop(y float64) float64 {
	m := c.m
	g := c.margin()
	if o := m.Confirm; o != nil {
		q, detail := m.OrderWords(*o)
		p := c.panel("confirm", g, y, c.w-2*g, q)
		if c.drawing() {
			c.p.fill(rect{g, y, 8, c.st.panels["confirm"]}, ColVermil)
		}
		p.para(detail, sizeBody, false, ColInk)
		yes := "Yes, end the game"
		if o.Kind == protocol.KindInject {
			yes = "Yes, inject it"
		}
		row := p.take(ctlH)
		w := measure(yes, sizeBody, true) + 32
		if c.button(rect{row.x, row.y, w, ctlH}, "confirm.yes", yes, m.Conn == model.ConnOnline) {
			c.do(model.Confirmed{Yes: true})
		}
		if c.button(rect{row.x + w + 12, row.y, 120, ctlH}, "confirm.no", "Cancel", true) {
			c.do(model.Confirmed{})
		}
		y = c.end("confirm", y, p) + 14
	}
	if m.ShowToken && m.Saved.Facilitator != "" {
		p := c.panel("token", g, y, c.w-2*g, "Your facilitator key")
		p.label(m.Saved.Facilitator, sizeHead, true, ColInk)
		p.para("Keep this to come back: with it you reopen your tables from any browser and open their reports. "+
			"It is shown only now (this browser also remembers it).", sizeBody, false, ColInk)
		if p.button("token.ok", "I have kept it", true) {
			c.do(model.KeptToken{})
		}
		y = c.end("token", y, p) + 14
	}
	return y
}

// turnedAway says how many people found no free seat.
func (c *ctx) turnedAway(f *flow) {
	switch n := c.m.Room.Turned; {
	case n == 1:
		f.para("1 person turned away — no free seat (New table, or audience mode, takes them in).", sizeBody, true, ColBad)
	case n > 1:
		f.para(fmt.Sprintf("%d people turned away — no free seat (New table, or audience mode, takes them in).", n), sizeBody, true, ColBad)
	}
}

// consoleMore is the console below the seats: who is connected (and a way
// to move each to another of the trainer's tables), and the reports.
func (c *ctx) consoleMore(y float64) float64 {
	m := c.m
	g := c.margin()
	if len(m.Room.People) > 0 {
		p := c.panel("people", g, y, c.w-2*g, "People in this room")
		var others []string // the trainer's other tables, to move people to
		for _, tb := range m.Tables {
			if tb.Code != m.Room.Code {
				others = append(others, tb.Code)
			}
		}
		for _, pe := range m.Room.People {
			if pe.Role == protocol.RoleFacilitator {
				continue
			}
			name := pe.Name
			if name == "" {
				name = "(no name)"
			}
			line := name + " · " + model.PersonWhere(pe)
			left := 0.42 // the buttons' column; on a phone, rows under the name
			if c.narrow {
				p.label(line, sizeBody, false, ColInk)
				left = 0
				if len(others) == 0 {
					continue
				}
			}
			r := p.take(ctlH)
			if !c.narrow {
				c.say(line)
				if c.drawing() {
					c.p.text(clipText(line, r.w*0.4, sizeBody, false), r.x, r.y+10, sizeBody, false, ColInk, alignLeft)
				}
			}
			x := r.x + r.w*left
			for _, code := range others {
				label := "Move to " + code
				w := measure(label, sizeBody, true) + 28
				if x+w > r.right() {
					r = p.take(ctlH)
					x = r.x + r.w*left
				}
				if c.button(rect{x, r.y, w, ctlH}, fmt.Sprintf("move.%d.%s", pe.Conn, code), label, true) {
					c.do(model.Order{Kind: protocol.KindAssign, Conn: pe.Conn, Code: code})
				}
				x += w + 8
			}
		}
		y = c.end("people", y, p) + 14
	}
	return c.reports(y)
}

// reports puts the table's reports in reach: the links (HTML, CSV, JSON,
// every table's combined report), a download, and a QR code with the
// address for the trainer's phone.
func (c *ctx) reports(y float64) float64 {
	m := c.m
	if m.Saved.Facilitator == "" || m.Room.Code == "" {
		return y
	}
	g := c.margin()
	p := c.panel("reports", g, y, c.w-2*g, "Reports")
	top := p.y
	w := p.w
	if !c.narrow {
		p.w = w - 240
	}
	p.para("The debrief of this table, live now and final once the game ends; the links carry your facilitator key.", sizeSmall, false, ColMuted)
	html := m.ReportURL(c.joinURL, "html")
	p.link("report.html", "Report (HTML)", html, false)
	p.link("report.csv", "Spreadsheet (CSV)", m.ReportURL(c.joinURL, "csv"), false)
	p.link("report.json", "Data (JSON)", m.ReportURL(c.joinURL, "json"), false)
	p.link("report.all", "All your tables in one report", m.ReportURL(c.joinURL, "all"), false)
	p.link("report.download", "Download the report", html, true)
	side := math.Min(200, w)
	var q rect
	if c.narrow {
		p.space(6)
		q = p.take(side)
	} else {
		q = rect{p.x + w - side, top, side, side}
	}
	q.w = side
	c.qr(q, html)
	c.say("QR code of the report's address, for your phone")
	if !c.narrow {
		p.y = math.Max(p.y, top+side+p.gap)
		p.w = w
	}
	p.para("On your phone: "+html, sizeSmall, false, ColMuted)
	return c.end("reports", y, p) + 14
}
