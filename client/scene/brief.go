package scene

import (
	"fmt"
	"math"
	"strings"

	"pushback/client/model"
	"pushback/client/ui/layout"
	"pushback/server/protocol"
	"pushback/sim"
)

// briefingScene is the briefing opened again from the help button.
func briefingScene(c *ctx) {
	y := c.header()
	c.brief(c.margin(), y, c.w-2*c.margin(), sizeBody, "Back to the game")
}

// briefedLobby is the lobby until its briefing is read: where the player
// is, then the briefing, then who is at the table.
func briefedLobby(c *ctx) {
	m := c.m
	y := c.header()
	g := c.margin()
	p := c.panel("room", g, y, c.w-2*g, "")
	p.para(fmt.Sprintf("Room %s · you are %s · the game starts when the facilitator says so.", m.Room.Code, strings.ToLower(model.RoleName(m.Seat))), sizeBody, true, ColInk)
	y = c.end("room", y, p) + 14
	y = c.brief(g, y, c.w-2*g, sizeBody, "Got it") + 14
	s := c.panel("seats", g, y, c.w-2*g, "At the table")
	for _, si := range m.Room.Seats {
		c.seatLine(s, si, si.Seat == m.Seat)
	}
	s.space(6)
	if s.button("leave", "Leave", true) {
		c.do(model.Leave{})
	}
	c.end("seats", y, s)
}

// brief lays out the briefing at g, y in a column of width w, in text of
// size body (larger on the projector), with a button (and Enter, when
// nothing has the focus) that closes it: the introduction, then the meters
// beside the answers, the objectives under the shorter of the two. It
// returns the y below it.
func (c *ctx) brief(g, y, w, body float64, done string) float64 {
	m := c.m
	b := m.Briefing()
	small := math.Max(sizeSmall, body-3)
	head := body + 4
	p := c.panel("brief", g, y, w, "")
	p.label(map[bool]string{false: "Before month 1", true: "The briefing"}[m.Room.Started], small, true, ColMuted)
	p.para(b.Title, head+6, true, ColInk)
	p.para(b.Role, body, false, ColInk)
	p.para("The executive: "+b.Executive, head, true, ColInk)
	p.para(b.ExecAbout, body, false, ColInk)
	if c.in != nil && c.in.Enter && c.st.nav.ID == "" {
		c.do(model.CloseBriefing{})
	}
	if p.button("brief.ok", done, true) {
		c.do(model.CloseBriefing{})
	}
	y = c.end("brief", y, p) + 14
	// The meters and the answers side by side, or one under the other.
	lw, rx, rw := (w-14)/2, g+(w-14)/2+14, (w-14)/2
	if c.narrow || w < 600 {
		lw, rx, rw = w, g, w
	}
	mt := c.panel("brief.meters", g, y, lw, "The meters")
	c.terms(mt, b.Meters, body)
	lend := c.end("brief.meters", y, mt) + 14
	ry := y
	if rx == g {
		ry = lend
	}
	title := "Your answers"
	switch {
	case m.Seat == sim.Executive:
		title = "Your moves"
	case m.Seat < sim.Executive:
		title = "The moves"
	}
	an := c.panel("brief.answers", rx, ry, rw, title)
	c.terms(an, b.Answers, body)
	if b.Actions != "" {
		an.para(b.Actions, small, false, ColMuted)
	}
	an.para(b.Case, small, false, ColMuted)
	rend := c.end("brief.answers", ry, an) + 14
	if len(b.Goals) > 0 { // under the shorter column
		gx, gy, gw := g, lend, lw
		if rx == g || rend < lend {
			gx, gy, gw = rx, rend, rw
		}
		o := c.panel("brief.goals", gx, gy, gw, "What this scenario is about")
		for _, s := range b.Goals {
			o.para("• "+s, body, false, ColInk)
		}
		if gx == g {
			lend = c.end("brief.goals", gy, o) + 14
		} else {
			rend = c.end("brief.goals", gy, o) + 14
		}
	}
	y = math.Max(lend, rend) - 14
	return y
}

// terms lists "term — what it means", the term in bold on its own line.
func (c *ctx) terms(f *flow, ls []model.Line, body float64) {
	for _, l := range ls {
		f.label(capital(l.Term), body, true, ColInk)
		f.y -= f.gap - 2
		f.para(l.Text, math.Max(sizeSmall, body-2), false, ColInk)
	}
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// roomBanners are the paused state and the facilitator's notices, under
// the header of every screen: a banner each, injected news as a news card.
func (c *ctx) roomBanners(y float64) float64 {
	m := c.m
	if t := m.PauseText(); t != "" {
		y = c.bannerDo(y, t, ColBlue, "", nil)
	}
	for _, n := range m.Banners() {
		id := fmt.Sprintf("notice.%d", n.At)
		if i := m.NewsOf(n); n.Kind == protocol.NoticeInjected && i >= 0 {
			y = c.newsCard(y, i, id, model.DismissNotice{At: n.At})
			continue
		}
		var ok model.Intent = model.DismissNotice{At: n.At}
		if m.Seat == sim.Public {
			ok = nil // nobody clicks on a projector: its notices pass by themselves
		}
		y = c.bannerDo(y, n.Text, ColOrange, id, ok)
	}
	return y
}

// newsCard is injected market news, shown as the month's news is.
func (c *ctx) newsCard(y float64, i int, id string, ok model.Intent) float64 {
	g := c.margin()
	t, txt := c.m.Event(i)
	p := c.panel(id+".card", g, y, c.w-2*g, "")
	p.label("Market news, just in", sizeSmall, true, ColMuted)
	p.para(t, sizeHead, true, ColInk)
	p.para(txt, sizeBody, false, ColInk)
	if c.drawing() {
		c.p.fill(rect{g, y, 8, c.st.panels[id+".card"]}, ColOrange)
	}
	if c.m.Seat != sim.Public && p.button(id, "OK", true) {
		c.do(ok)
	}
	return c.end(id+".card", y, p) + 12
}

// helpButton is the "?" in the header that opens the briefing again. It
// is drawn over the header and registered after the screen's own controls,
// so Tab reaches it last.
func (c *ctx) helpButton() {
	m := c.m
	if !m.Joined || m.Screen() == model.ScreenBriefing || !m.Briefed() && !m.Room.Started && m.Seat != sim.Facilitator {
		return // the briefing is on screen already
	}
	const id = "help"
	label := "? Briefing"
	if c.narrow {
		label = "?"
	}
	w := measure(label, sizeBody, true) + 24
	link := measure("○ connection lost", sizeBody, false)
	r := rect{c.w - c.margin() - link - 16 - w, 8, w, 36}
	if c.narrow {
		r.y = 40
		r.x = c.w - c.margin() - w
	}
	c.pass.Order = append(c.pass.Order, layout.Control{ID: id, R: rect{r.x, r.y + c.st.scroll, r.w, r.h}.box(), Fixed: true})
	c.sem(node{key: id, role: roleButton, name: "Briefing: the roles, the meters and the answers"})
	hit := false
	if in := c.in; in != nil {
		x, y := in.X/c.scale, in.Y/c.scale
		over := in.Pointer && r.has(x, y)
		if over {
			c.st.nav.Hover = id
			if in.Press {
				c.pass.DownAt = id
			}
		}
		switch {
		case in.Activate == id:
			hit = true
		case in.Release && over && c.st.nav.Pressed == id:
			hit, c.st.nav.ID, c.st.nav.KeyFocused = true, id, false
		case c.st.nav.ID == id && (in.Enter || in.Space):
			hit = true
		}
	}
	if hit {
		c.do(model.ShowBriefing{})
	}
	if c.drawing() {
		scroll := c.p.scroll
		c.p.scroll = 0
		bg := ColPanel
		if c.st.nav.Hover == id {
			bg = ColSelected
		}
		c.p.fill(r, bg)
		c.p.text(label, r.cx(), r.y+(r.h-lineHeight(sizeBody))/2+2, sizeBody, true, ColInk, alignCenter)
		if c.focused(id) {
			c.p.stroke(r.inset(-3), 3, ColYellow)
		}
		c.p.scroll = scroll
	}
}
