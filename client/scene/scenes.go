package scene

import (
	"fmt"
	"math"
	"strings"
	"time"

	"pushback/client/model"
	"pushback/server/protocol"
	"pushback/sim"
)

// scenes maps each screen to the function that lays it out and draws it.
var scenes = [model.NumScreens]func(c *ctx){
	model.ScreenTitle:       title,
	model.ScreenLobby:       lobby,
	model.ScreenManager:     managerTurn,
	model.ScreenExecutive:   executiveTurn,
	model.ScreenReveal:      reveal,
	model.ScreenEnd:         gameEnd,
	model.ScreenFacilitator: console,
	model.ScreenProjector:   projector,
	model.ScreenDebrief:     debrief,
	model.ScreenBriefing:    briefingScene,
	model.ScreenHost:        hostScreen,
}

// margin is the space around the screen's content.
func (c *ctx) margin() float64 {
	if c.narrow {
		return 12
	}
	return 24
}

// cols splits the width into two columns, or one on a phone.
func (c *ctx) cols(frac float64) (lx, lw, rx, rw float64) {
	g := c.margin()
	if c.narrow {
		return g, c.w - 2*g, g, c.w - 2*g
	}
	lw = math.Floor((c.w - 3*g) * frac)
	return g, lw, 2*g + lw, c.w - 3*g - lw
}

// below is where the right column starts: beside the left one, or under it.
func (c *ctx) below(top, leftEnd float64) float64 {
	if c.narrow {
		return leftEnd + 12
	}
	return top
}

var phaseWords = map[sim.Phase]string{
	sim.PhaseMandate: "the executive decides", sim.PhaseResponse: "managers answer",
	sim.PhaseRuling: "the executive rules", sim.PhaseReveal: "reveal", sim.PhaseOver: "game over",
}

// header is the bar at the top: the room, the month, the phase, the clock
// and the link. It stays on top while the page scrolls under it (it is
// painted last, unscrolled). It returns the y below it and any banners.
func (c *ctx) header() float64 {
	m := c.m
	h := 52.0
	if c.narrow {
		h = 78
	}
	c.sticky = h
	status, clock := c.headerStatus()
	c.sem(node{role: roleHeading, level: 1, name: "Pushback: " + c.m.Screen().String()})
	if m.Room.Code != "" {
		c.say("Room " + m.Room.Code)
	}
	c.say(status)
	c.say(clock)
	c.say("Link: " + m.Conn.String())
	if c.drawing() {
		c.overlay = append(c.overlay, func() { c.paintHeader(h, status, clock) })
	}
	y := h + 12
	if m.Conn == model.ConnLost {
		msg := fmt.Sprintf("Connection lost. Reconnecting (attempt %d, next in %.0f s); your seat is kept for you.", m.Attempt, math.Ceil(m.RetryIn.Seconds()))
		y = c.banner(y, msg, ColVermil, "")
	}
	if m.Notice != "" {
		y = c.banner(y, m.Notice, ColOrange, "notice.ok")
	}
	return c.roomBanners(y)
}

// headerStatus is the month and phase, and the time left.
func (c *ctx) headerStatus() (status, clock string) {
	m := c.m
	if m.HasView && m.Room.Started {
		status = fmt.Sprintf("Month %d of %d · %s", m.View.Turn, m.View.Turns, phaseWords[m.View.Phase])
		if m.Room.Paused {
			status += " · paused"
		}
	}
	if left, ok := m.Remaining(); ok {
		clock = countdown(left) + " left"
	}
	return status, clock
}

// paintHeader draws the header bar at the top of the screen, whatever the scroll.
func (c *ctx) paintHeader(h float64, status, clock string) {
	m := c.m
	g := c.margin()
	scroll := c.p.scroll
	c.p.scroll = 0
	defer func() { c.p.scroll = scroll }()
	if clock != "" {
		if status != "" {
			status += " · "
		}
		status += clock
	}
	{
		c.p.fill(rect{0, 0, c.w, h}, ColInk)
		c.p.text("PUSHBACK", g, 14, sizeHead, true, ColYellow, alignLeft)
		x := g + measure("PUSHBACK", sizeHead, true) + 18
		if m.Room.Code != "" {
			c.p.text("Room "+m.Room.Code, x, 16, sizeBody, true, ColPanel, alignLeft)
		}
		link := "● " + m.Conn.String()
		if m.Conn != model.ConnOnline {
			link = "○ " + m.Conn.String()
		}
		c.p.text(link, c.w-g, 16, sizeBody, false, ColPanel, alignRight)
		if c.narrow { // beside the help button
			c.p.text(clipText(status, c.w-2*g-56, sizeBody, false), g, 46, sizeBody, false, ColPanel, alignLeft)
		} else {
			c.p.text(status, c.w/2+40, 16, sizeBody, false, ColPanel, alignCenter)
		}
	}
}

// banner is a full-width message with a marked edge; with id, an OK button.
func (c *ctx) banner(y float64, msg string, col colorT, id string) float64 {
	return c.bannerDo(y, msg, col, id, model.Dismiss{})
}

// bannerDo is a banner whose OK button (when id and ok are set) does ok.
func (c *ctx) bannerDo(y float64, msg string, col colorT, id string, ok model.Intent) float64 {
	g := c.margin()
	bw := 0.0
	if id != "" && ok != nil {
		bw = 70
	}
	lines := wrap(msg, c.w-2*g-40-bw, sizeBody, false)
	c.say(msg)
	h := math.Max(float64(len(lines))*lineHeight(sizeBody)+20, ctlH+12)
	r := rect{g, y, c.w - 2*g, h}
	if c.drawing() {
		c.p.fill(r, ColPanel)
		c.p.stroke(r, 2, col)
		c.p.fill(rect{r.x, r.y, 8, r.h}, col)
		for i, l := range lines {
			c.p.text(l, r.x+22, r.y+10+float64(i)*lineHeight(sizeBody), sizeBody, false, ColInk, alignLeft)
		}
	}
	if bw > 0 && c.button(rect{r.right() - bw - 6, r.y + 6, bw, ctlH}, id, "OK", true) {
		c.do(ok)
	}
	c.grow(r)
	return y + h + 12
}

// title: join by code and name, host a workshop, or play solo.
func title(c *ctx) {
	m := c.m
	y := c.header()
	lx, lw, rx, rw := c.cols(0.45)
	f := c.flow(lx, y+(map[bool]float64{true: 0, false: 40})[c.narrow], lw)
	big := 56.0
	if c.narrow {
		big = 40
	}
	f.label("Pushback", big, true, ColInk)
	f.space(big * 0.3)
	f.label("Managing up in a recession", sizeHead, true, ColMuted)
	f.para("A role-play for sales managers and their executives. The board is nervous and the mandates come fast. "+
		"Relay them, explain them, or push back with a business case, and watch what it does to your team's morale, "+
		"their trust in you, your quota and your standing.", sizeBody, false, ColInk)
	ry := c.below(y, f.y)
	if m.Replaced {
		// The seat moved to another tab or device: offer it back here, never
		// take it back without asking (the two would take turns forever).
		b := c.panel("back", rx, ry, rw, "Your seat is open elsewhere")
		b.para("Room "+m.Saved.Code+" is open in another tab or on another device. You can take the seat back here; the other one will let go of it.", sizeBody, false, ColInk)
		if b.button("takeback", "Take my seat back here", m.Conn == model.ConnOnline) {
			c.do(model.TakeBack{})
		}
		ry = c.end("back", ry, b) + 16
	}
	p := c.panel("join", rx, ry, rw, "Join a workshop")
	canJoin := !m.Busy && m.Conn == model.ConnOnline
	p.label("Room code", sizeSmall, true, ColMuted)
	t := m.Title // edited here, handed back at the end
	entered := p.textField("code", &t.Code, "e.g. KX7PQR", 1, 12)
	p.label("Your name", sizeSmall, true, ColMuted)
	if p.textField("name", &t.Name, "first name is enough", 1, protocol.MaxName) {
		entered = true
	}
	// Enter in the form joins once both are filled in; until then it moves
	// on to the next field, as it does in any text field.
	submit := entered && canJoin && strings.TrimSpace(t.Code) != "" && strings.TrimSpace(t.Name) != ""
	c.pass.Submit = c.pass.Submit || submit
	t.Projector = p.choices("as", []string{"as a player", "as the projector"}, b2i(t.Projector)) == 1
	if t != m.Title {
		c.do(model.EditTitle{Title: t})
	}
	if p.button("join", "Join", canJoin) || submit {
		c.do(model.Join{Code: t.Code, Name: t.Name, Projector: t.Projector})
	}
	ry = c.end("join", ry, p) + 14
	p = c.panel("host", rx, ry, rw, "Host a workshop")
	p.para("Choose the scenario (or bring your own file), the executive, the seats and the timing; then give the room its code.", sizeSmall, false, ColMuted)
	if p.button("host", "Host a workshop…", m.Conn == model.ConnOnline) {
		c.do(model.OpenHost{})
	}
	ry = c.end("host", ry, p) + 14
	p = c.panel("solo", rx, ry, rw, "Play solo")
	t.SoloExec = p.choices("solorole", []string{"as a sales manager", "as the executive"}, b2i(t.SoloExec)) == 1
	if t != m.Title {
		c.do(model.EditTitle{Title: t})
	}
	if p.button("solo", "Play solo", !m.Busy && m.Conn == model.ConnOnline) {
		c.do(model.Solo{Name: t.Name, Exec: t.SoloExec})
	}
	c.end("solo", ry, p)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// seatLine draws one seat of the lobby or console: role, name and state.
func (c *ctx) seatLine(f *flow, s protocol.SeatInfo, you bool) {
	r := f.take(30)
	name := s.Name
	if name == "" {
		name = "(open)"
	}
	if you {
		name = ownName(name)
	}
	c.say(model.RoleName(s.Seat) + ": " + name + ", " + seatWord(s))
	if !c.drawing() {
		return
	}
	c.p.text(model.RoleName(s.Seat), r.x, r.y+4, sizeBody, true, ColInk, alignLeft)
	c.p.text(clipText(name, r.w*0.45, sizeBody, false), r.x+r.w*0.32, r.y+4, sizeBody, false, ColInk, alignLeft)
	word, col := seatWord(s), ColMuted
	switch {
	case s.Bot:
	case s.Connected:
		word, col = "● "+word, ColGood
	case s.Human:
		word, col = "○ "+word, ColBad
	}
	c.badge(r.right()-measure(word, sizeSmall, true)-12, r.y+3, word, col)
}

// seatWord is a seat's state in one word.
func seatWord(s protocol.SeatInfo) string {
	switch {
	case s.Bot:
		return "bot"
	case s.Connected:
		return "here"
	case s.Human:
		return "away"
	}
	return "open"
}

// ownName marks the player's own name, unless it already says so (a solo
// player is called "You").
func ownName(name string) string {
	if strings.EqualFold(strings.TrimSpace(name), "you") {
		return "You"
	}
	return name + " (you)"
}

// lobby: the seats, roles and who is here, until the facilitator starts.
func lobby(c *ctx) {
	m := c.m
	if !m.Briefed() {
		briefedLobby(c)
		return
	}
	y := c.header()
	lx, lw, rx, rw := c.cols(0.45)
	p := c.panel("room", lx, y, lw, "")
	p.label("Room code", sizeBody, true, ColMuted)
	p.label(m.Room.Code, 64, true, ColInk)
	p.space(20)
	p.label(m.Info.Title, sizeHead, true, ColInk)
	p.para(m.Info.Summary, sizeBody, false, ColInk)
	p.para(fmt.Sprintf("You are %s. Waiting for the facilitator to start the game.", strings.ToLower(model.RoleName(m.Seat))), sizeBody, false, ColMuted)
	end := c.end("room", y, p)
	ry := c.below(y, end)
	s := c.panel("seats", rx, ry, rw, "At the table")
	for _, si := range m.Room.Seats {
		c.seatLine(s, si, si.Seat == m.Seat)
	}
	if len(m.Room.Seats) == 0 {
		s.para("The seats appear when the room's first view arrives.", sizeBody, false, ColMuted)
	}
	s.space(6)
	if s.button("leave", "Leave", true) {
		c.do(model.Leave{})
	}
	c.end("seats", ry, s)
}

// monthType is the type the month's cards are set in: a screen's, or the
// projector's, larger for the back of a room.
type monthType struct {
	label, title, body float64 // sizes
	newsGap, cardGap   float64 // space before each news card, before the mandate
}

var screenMonth = monthType{label: sizeSmall, title: sizeHead, body: sizeBody, cardGap: 4}

// news and the mandate: the cards of this month.
func (c *ctx) month(f *flow) { c.monthIn(f, screenMonth) }

func (c *ctx) monthIn(f *flow, ty monthType) {
	m := c.m
	for _, i := range m.View.News {
		t, txt := m.Event(i)
		f.space(ty.newsGap)
		f.label("Market news", ty.label, true, ColMuted)
		f.para(t, ty.title, true, ColInk)
		f.para(txt, ty.body, false, ColInk)
	}
	f.space(ty.cardGap)
	if m.View.Card < 0 {
		if m.View.Phase <= sim.PhaseMandate {
			f.para("The executive is deciding this month's mandate…", ty.body, false, ColMuted)
		} else {
			f.para("No mandate this month.", ty.body, false, ColMuted)
		}
		return
	}
	t, txt := m.Card(m.View.Card)
	to := "to every manager"
	if m.View.Target > 0 {
		to = "to " + m.SeatName(m.View.Target)
	}
	f.label("Mandate, "+to, ty.label, true, ColMuted)
	f.para(t, ty.title, true, ColInk)
	f.para(txt, ty.body, false, ColInk)
	if m.View.Framing != "" {
		f.para("“"+m.View.Framing+"”", ty.body, false, ColBlue)
	}
}

// gauges draws a seat's four meters.
func (c *ctx) gauges(f *flow, seat sim.Seat) {
	for k := sim.MeterMorale; k <= sim.MeterStanding; k++ {
		c.meter(f.take(50), c.m.Gauge(seat, k))
	}
}

var responseHelp = [sim.NumResponses]string{
	sim.ResponseRelay:     "Pass it on as it came: management says so.",
	sim.ResponseExplain:   "Pass it on, and explain the reasons behind it.",
	sim.ResponsePushBack:  "Argue against it, upward, with a business case.",
	sim.ResponseNegotiate: "Propose a compromise, with a business case.",
	sim.ResponseShield:    "Quietly keep it away from the team. Costly if found out.",
	sim.ResponseEscalate:  "Relay this one; object now to a mandate already in force.",
}

// managerTurn: the news, the mandate, the answer and the business case.
func managerTurn(c *ctx) {
	m := c.m
	y := c.header()
	lx, lw, rx, rw := c.cols(0.42)
	p := c.panel("month", lx, y, lw, "")
	c.month(p)
	end := c.end("month", y, p) + 14
	end = c.monthEvidence(lx, end, lw) + 14
	t := c.panel("team", lx, end, lw, "Your team")
	c.gauges(t, m.Seat)
	c.why(t, m.Seat)
	end = c.end("team", end, t)
	ry := c.below(y, end)
	a := c.panel("answer", rx, ry, rw, "Your answer")
	me := m.Me()
	switch {
	case me == nil:
		a.para("This seat has no team in the game.", sizeBody, false, ColMuted)
	case m.View.Phase == sim.PhaseMandate:
		a.para("Wait for the executive's mandate. Meanwhile, read the news and look at your team.", sizeBody, false, ColMuted)
	case m.View.Phase == sim.PhaseResponse:
		c.answerForm(a, me)
	default:
		a.para("Your answer is in: "+model.AnswerWords(me.Response, me.Action)+".", sizeBody, false, ColInk)
		a.para("The executive is ruling on the objections; the reveal follows.", sizeBody, false, ColMuted)
	}
	c.end("answer", ry, a)
}

// answerForm is the response, the business case and the team action.
func (c *ctx) answerForm(a *flow, me *sim.ManagerView) {
	m := c.m
	ans := m.Answer // edited here, handed back before the send button
	var kinds []sim.ResponseKind
	if m.Targeted() {
		kinds = append(kinds, sim.ResponseRelay, sim.ResponseExplain, sim.ResponsePushBack, sim.ResponseNegotiate, sim.ResponseShield)
	} else {
		kinds = append(kinds, sim.ResponseNone)
		a.para("This month's mandate is not addressed to your team.", sizeBody, false, ColMuted)
	}
	if len(me.InForce) > 0 {
		kinds = append(kinds, sim.ResponseEscalate)
	}
	if len(kinds) > 1 {
		labels := make([]string, len(kinds))
		sel := -1
		for i, k := range kinds {
			labels[i] = k.String()
			if k == sim.ResponseNone {
				labels[i] = "no objection"
			}
			if k == ans.Response {
				sel = i
			}
		}
		if n := a.choices("resp", labels, sel); n != sel && n >= 0 {
			ans.Response = kinds[n]
		}
		if ans.Response < sim.NumResponses {
			a.para(responseHelp[ans.Response], sizeSmall, false, ColMuted)
		}
	}
	if ans.Response == sim.ResponseEscalate {
		a.label("Object to which mandate in force?", sizeSmall, true, ColMuted)
		labels := make([]string, len(me.InForce))
		sel := -1
		for i, card := range me.InForce {
			labels[i], _ = m.Card(card)
			if card == ans.Escalate {
				sel = i
			}
		}
		if n := a.choices("esc", labels, sel); n != sel && n >= 0 {
			ans.Escalate = me.InForce[n]
		}
	}
	if ans.Response.Voiced() {
		a.space(4)
		a.label("Business case", sizeHead, true, ColInk)
		c.caseEvidence(a)
		levers := m.Levers()
		a.label("Data: what the numbers show", sizeSmall, true, ColMuted)
		if n := a.choices("data", levers, int(ans.Case.Data)-1); n != int(ans.Case.Data)-1 {
			ans.Case.Data = sim.Lever(n + 1)
		}
		a.label("Impact: what it would cost us", sizeSmall, true, ColMuted)
		if n := a.choices("impact", levers, int(ans.Case.Impact)-1); n != int(ans.Case.Impact)-1 {
			ans.Case.Impact = sim.Lever(n + 1)
		}
		c.caseAlternative(a)
		a.label("The ask", sizeSmall, true, ColMuted)
		if n := a.choices("ask", []string{"withdraw it", "amend it", "pilot it first"}, int(ans.Case.Ask)); n != int(ans.Case.Ask) {
			ans.Case.Ask = sim.Ask(n)
		}
		a.label("In your words (read out to the executive)", sizeSmall, true, ColMuted)
		a.textField("text", &ans.Case.Text, "optional", 3, sim.MaxText)
	}
	a.space(4)
	a.label("Team action this month", sizeHead, true, ColInk)
	acts := make([]string, sim.NumActions)
	for i := range acts {
		acts[i] = sim.TeamAction(i).String()
	}
	if n := a.choices("act", acts, int(ans.Action)); n != int(ans.Action) {
		ans.Action = sim.TeamAction(n)
	}
	if ans != m.Answer {
		c.do(model.EditDraft{Answer: ans})
	}
	a.space(6)
	label := "Send answer"
	if ans.Sent {
		label = "Change answer"
	}
	if a.button("send", label, !ans.Sent || ans.Dirty) {
		c.do(model.SendAnswer{})
	}
	switch {
	case ans.Sent && !ans.Dirty:
		a.para("Sent. You can change it until everyone has answered or the time runs out.", sizeSmall, false, ColGood)
	case ans.Sent:
		a.para("Changed since you sent it: send again to keep the change.", sizeSmall, false, ColBad)
	}
}

// executiveTurn: the dashboard, the hand, the framing, visits and rulings.
func executiveTurn(c *ctx) {
	m := c.m
	y := c.header()
	lx, lw, rx, rw := c.cols(0.45)
	d := c.panel("dash", lx, y, lw, "Company")
	for _, k := range []sim.Meter{sim.MeterRevenue, sim.MeterCost, sim.MeterPressure} {
		c.meter(d.take(50), m.Gauge(sim.Executive, k))
	}
	c.why(d, sim.Executive)
	end := c.end("dash", y, d) + 14
	t := c.panel("teams", lx, end, lw, "Your managers")
	t.para("Quota and standing are yours to see. Morale and trust reach you late: a pulse survey and resignations, unless you visit.", sizeSmall, false, ColMuted)
	for i := range m.View.Managers {
		mv := &m.View.Managers[i]
		t.label(m.SeatName(mv.Seat), sizeHead, true, ColInk)
		if c.narrow {
			c.meter(t.take(50), m.Gauge(mv.Seat, sim.MeterQuota))
			c.meter(t.take(50), m.Gauge(mv.Seat, sim.MeterStanding))
		} else { // side by side, so four teams fit a laptop's screen
			r := t.take(50)
			r.w = (r.w - 20) / 2
			c.meter(r, m.Gauge(mv.Seat, sim.MeterQuota))
			r.x += r.w + 20
			c.meter(r, m.Gauge(mv.Seat, sim.MeterStanding))
		}
		seen := fmt.Sprintf("Pulse survey %s · resignations %s", hid(mv.Pulse), hid(mv.Resignations))
		if mv.VisitTurn > 0 {
			seen += fmt.Sprintf(" · on your visit in month %d: morale %s, trust %s", mv.VisitTurn, hid(mv.Meters.Morale), hid(mv.Meters.Trust))
		}
		t.para(seen, sizeSmall, false, ColMuted)
	}
	end = c.end("teams", end, t)
	ry := c.below(y, end)
	switch m.View.Phase {
	case sim.PhaseMandate:
		ry = c.hand(rx, ry, rw)
	case sim.PhaseRuling:
		ry = c.rulings(rx, ry, rw)
	default:
		p := c.panel("wait", rx, ry, rw, "This month")
		c.month(p)
		p.space(6)
		for i := range m.View.Managers {
			mv := &m.View.Managers[i]
			state := "○ deciding"
			if mv.Answered {
				state = "● answered"
			}
			p.label(m.SeatName(mv.Seat)+": "+state, sizeBody, false, ColInk)
		}
		ry = c.end("wait", ry, p)
	}
}

func hid(v int) string {
	if v == sim.Hidden {
		return "unknown"
	}
	return fmt.Sprint(v)
}

// hand is the executive's choice of mandate, target, framing and visit.
func (c *ctx) hand(x, y, w float64) float64 {
	m := c.m
	p := c.panel("hand", x, y, w, "Your hand of mandates")
	for _, i := range m.View.News {
		t, _ := m.Event(i)
		p.para("News: "+t, sizeBody, true, ColMuted)
	}
	c.handCards(p)
	if m.Orders.Card >= 0 {
		_, txt := m.Card(m.Orders.Card)
		p.para(txt, sizeBody, false, ColInk)
	}
	p.label("Addressed to", sizeSmall, true, ColMuted)
	targets := []string{"every manager"}
	for i := range m.View.Managers {
		targets = append(targets, m.SeatName(m.View.Managers[i].Seat))
	}
	o := m.Orders // edited here, handed back
	if n := p.choices("target", targets, int(o.Target)); n >= 0 && n < len(targets) {
		o.Target = sim.Seat(n)
	}
	p.label("A line of framing (optional)", sizeSmall, true, ColMuted)
	p.textField("framing", &o.Framing, "why this, why now", 2, sim.MaxText)
	if o != m.Orders {
		c.do(model.EditOrders{Orders: o})
	}
	if p.button("play", "Play mandate", m.Orders.Card >= 0) {
		c.do(model.PlayMandate{})
	}
	y = c.end("hand", y, p) + 14
	v := c.panel("visit", x, y, w, "Front-line visit")
	if m.View.Visit != 0 {
		v.para("You visited "+m.SeatName(m.View.Visit)+"'s team this month.", sizeBody, false, ColInk)
		y = c.end("visit", y, v) + 14
		return c.visitEvidence(x, y, w)
	} else {
		v.para("Before you decide, spend time with one team to see their morale and trust as they are and the evidence they hold this month (it costs nothing, and makes a hidden shield more likely to surface).", sizeSmall, false, ColMuted)
		for i := range m.View.Managers {
			s := m.View.Managers[i].Seat
			if v.button(fmt.Sprintf("visit.%d", s), "Visit "+m.SeatName(s), true) {
				c.do(model.Visit{Target: s})
			}
		}
	}
	return c.end("visit", y, v)
}

// rulings shows each objection with its case and the three verdicts.
func (c *ctx) rulings(x, y, w float64) float64 {
	m := c.m
	for i := range m.View.Managers {
		mv := &m.View.Managers[i]
		if !mv.Response.Voiced() {
			continue
		}
		id := fmt.Sprintf("rule%d", mv.Seat)
		p := c.panel(id, x, y, w, m.SeatName(mv.Seat)+": "+mv.Response.String())
		card := m.View.Card
		if mv.Response == sim.ResponseEscalate {
			card = mv.Escalate
		}
		t, _ := m.Card(card)
		p.para("Against “"+t+"”", sizeBody, true, ColInk)
		k := mv.Case
		c.caseWords(p, card, k)
		p.para(fmt.Sprintf("Data: %s · Impact: %s · Ask: %s", k.Data, k.Impact, k.Ask), sizeBody, false, ColInk)
		if k.Text != "" {
			p.para("“"+k.Text+"”", sizeBody, false, ColBlue)
		}
		if mv.Verdict != sim.VerdictPending {
			p.para("Your ruling: "+mv.Verdict.String(), sizeBody, true, ColGood)
		} else {
			row := p.take(ctlH)
			bw := (row.w - 16) / 3
			for j, v := range []sim.Verdict{sim.VerdictUphold, sim.VerdictAmend, sim.VerdictWithdraw} {
				words := [...]string{"Uphold", "Amend", "Withdraw"}[j]
				if c.button(rect{row.x + float64(j)*(bw+8), row.y, bw, ctlH}, fmt.Sprintf("%s.%d", id, j), words, true) {
					c.do(model.Rule{Target: mv.Seat, Verdict: v})
				}
			}
		}
		y = c.end(id, y, p) + 14
	}
	return y
}

// reveal: the meters glide to their new values; every cause in words.
func reveal(c *ctx) {
	m := c.m
	y := c.header()
	lx, lw, rx, rw := c.cols(0.5)
	seat := m.Seat
	p := c.panel("mine", lx, y, lw, "What changed")
	if seat == sim.Executive {
		for _, k := range []sim.Meter{sim.MeterRevenue, sim.MeterCost, sim.MeterPressure} {
			c.meter(p.take(50), m.Gauge(sim.Executive, k))
		}
	} else {
		c.gauges(p, seat)
	}
	p.space(6)
	p.label("Why", sizeHead, true, ColInk)
	groups := []sim.Seat{seat, sim.Executive}
	if seat == sim.Executive {
		groups = groups[:1]
		for i := range m.View.Managers {
			groups = append(groups, m.View.Managers[i].Seat)
		}
	}
	shown := 0
	for gi, gs := range groups {
		causes := m.Causes(gs)
		if gi > 0 && gs == seat || len(causes) == 0 {
			continue
		}
		if seat == sim.Executive && gs != sim.Executive {
			p.label(m.SeatName(gs), sizeBody, true, ColMuted)
		}
		shown += len(causes)
		c.causes(p, causes)
	}
	if shown == 0 {
		p.para("Nothing you can see moved this month.", sizeBody, false, ColMuted)
	}
	end := c.end("mine", y, p)
	ry := c.below(y, end)
	ry = c.feedbackPanel(rx, ry, rw)
	o := c.panel("table", rx, ry, rw, "Around the table")
	if m.View.Card >= 0 {
		t, _ := m.Card(m.View.Card)
		o.para("Mandate: "+t, sizeBody, true, ColInk)
	}
	for i := range m.View.Managers {
		mv := &m.View.Managers[i]
		line := m.SeatName(mv.Seat) + ": "
		if mv.Revealed {
			line += mv.Response.String()
			if mv.Response.Voiced() {
				line += " → " + mv.Verdict.String()
			}
			if mv.Action != sim.ActionNone {
				line += "; " + mv.Action.String()
			}
		} else {
			line += "not shown"
		}
		o.para(line, sizeBody, false, ColInk)
		if mv.Seat != seat {
			c.meter(o.take(50), m.Gauge(mv.Seat, sim.MeterQuota))
		}
	}
	o.space(6)
	me := m.Me()
	ready := me != nil && me.Ready
	label := "On to the next month"
	if m.View.Turn >= m.View.Turns {
		label = "See the final scores"
	}
	if ready {
		label = "Waiting for the others…"
	}
	if seat >= sim.Executive && o.button("ready", label, !ready) {
		c.do(model.Ready{})
	}
	c.end("table", ry, o)
}

// why lists the causes of the changes the meters above show, on the
// screens before the reveal (the month's news moves meters before anyone
// decides), so that no ▲ or ▼ is left unexplained.
func (c *ctx) why(f *flow, seat sim.Seat) {
	cs := c.m.Causes(seat)
	ks := []sim.Meter{sim.MeterMorale, sim.MeterTrust, sim.MeterQuota, sim.MeterStanding}
	if seat == sim.Executive {
		ks = []sim.Meter{sim.MeterRevenue, sim.MeterCost, sim.MeterPressure}
	}
	var carried []string // changes shown that are last month's, explained on its reveal
	for _, k := range ks {
		g := c.m.Gauge(seat, k)
		explained := false
		for _, x := range cs {
			explained = explained || x.Meter == k
		}
		if g.Trend != 0 && !g.Hidden && !explained {
			carried = append(carried, g.Label+" "+model.Signed(g.Trend))
		}
	}
	if len(carried) > 0 {
		cs = append(cs, model.Cause{Seat: seat, Text: strings.Join(carried, ", ") + ": last month's changes, explained on its reveal"})
	}
	if len(cs) > 0 {
		f.space(4)
		f.label("Why they moved", sizeSmall, true, ColMuted)
		c.causes(f, cs)
	}
}

// causes lists changes with an arrow each, and the words.
func (c *ctx) causes(p *flow, causes []model.Cause) {
	for _, cs := range causes {
		r := p.take(0)
		dir := 1
		col := ColUp
		if cs.Amount < 0 {
			dir, col = -1, ColDown
		}
		lines := wrap(cs.Text, p.w-24, sizeBody, false)
		c.say(cs.Text)
		r.h = float64(len(lines)) * lineHeight(sizeBody)
		p.y += r.h
		c.grow(r)
		if c.drawing() {
			if cs.Amount != 0 {
				c.p.triangle(r.x, r.y+5, 12, dir, col)
			}
			for i, l := range lines {
				c.p.text(l, r.x+22, r.y+float64(i)*lineHeight(sizeBody), sizeBody, false, ColInk, alignLeft)
			}
		}
	}
}

// gameEnd: the scores, the paths, and the way to the debrief.
func gameEnd(c *ctx) {
	m := c.m
	y := c.header()
	lx, lw, rx, rw := c.cols(0.5)
	p := c.panel("scores", lx, y, lw, "Final scores")
	p.para("A balanced scorecard: the four meters, pulled toward the weakest. The path matters as much as the end.", sizeSmall, false, ColMuted)
	if sc := m.View.Scores; sc != nil {
		// One scale for every score: 0 to 100, or to 200 (with the line at
		// 100 named) when a score is past 100.
		top := 100
		for _, s := range append([]int{sc.Executive}, sc.Managers...) {
			if s > top {
				top = 200
			}
		}
		score := func(name string, s int) {
			c.meter(p.take(50), model.Gauge{Meter: sim.MeterQuota, Label: name, Value: float64(s), Target: s, Max: top})
		}
		for i, s := range sc.Managers {
			seat := sim.Seat(i + 1)
			name := m.SeatName(seat)
			if seat == m.Seat {
				name = ownName(name)
			}
			score(name, s)
		}
		// The executive by name: the persona's or the person's.
		name := "Executive"
		switch who := m.Briefing().Executive; {
		case m.Seat == sim.Executive:
			name = "You, the executive"
		case who != "" && !strings.HasPrefix(who, "A "):
			name = who + " (executive)"
		}
		score(name, sc.Executive)
	}
	end := c.end("scores", y, p)
	ry := c.below(y, end)
	q := c.panel("path", rx, ry, rw, "Your path")
	if m.Seat >= 1 {
		c.gauges(q, m.Seat)
	} else {
		for _, k := range []sim.Meter{sim.MeterRevenue, sim.MeterCost, sim.MeterPressure} {
			c.meter(q.take(50), m.Gauge(sim.Executive, k))
		}
	}
	q.space(6)
	if q.button("debrief", "Open the debrief", true) {
		c.do(model.OpenDebrief{})
	}
	if q.button("leave", "Leave the room", true) {
		c.do(model.Leave{})
	}
	c.end("path", ry, q)
}

// console: the facilitator's view of every table and the controls.
func console(c *ctx) {
	m := c.m
	y := c.consoleTop(c.header())
	g := c.margin()
	ctl := c.panel("controls", g, y, c.w-2*g, "Room "+m.Room.Code+" · "+m.Info.Title)
	row := ctl.controls()
	btn := func(id, label string, on bool, order model.Intent) { row.button(id, label, 32, on, order) }
	started, over := m.Room.Started, m.View.Phase == sim.PhaseOver && m.HasView
	btn("start", "Start", !started, model.Order{Kind: protocol.KindStart})
	if m.Room.Paused {
		btn("pause", "Continue", started && !over, model.Order{Kind: protocol.KindContinue})
	} else {
		btn("pause", "Pause", started && !over, model.Order{Kind: protocol.KindPause})
	}
	btn("skip", "Skip phase", started && !over, model.Order{Kind: protocol.KindSkip})
	btn("extend", "+1 minute", started && !over && m.TimedRoom(), model.Order{Kind: protocol.KindExtend, Seconds: 60})
	if m.Room.Locked {
		btn("lock", "Unlock room", true, model.Order{Kind: protocol.KindLock, On: false})
	} else {
		btn("lock", "Lock room", true, model.Order{Kind: protocol.KindLock, On: true})
	}
	btn("end", "End game…", started && !over, model.Confirm{Order: model.Order{Kind: protocol.KindEnd}})
	btn("tables", "All my tables", m.Saved.Facilitator != "", model.ListTables{})
	btn("newtable", "New table", m.Saved.Facilitator != "" && !m.Busy, model.NewTable{})
	if over {
		btn("debrief", "Debrief", true, model.OpenDebrief{})
	} else {
		btn("debrief", "Live debrief", started, model.OpenDebrief{})
	}
	if len(m.Info.Events) > 0 && started && !over {
		ctl.label("Inject market news", sizeSmall, true, ColMuted)
		labels := make([]string, len(m.Info.Events))
		for i, e := range m.Info.Events {
			labels[i] = e.Title
		}
		if n := ctl.choices("inject", labels, -1); n >= 0 {
			c.do(model.Confirm{Order: model.Order{Kind: protocol.KindInject, Event: m.Info.Events[n].ID}})
		}
	}
	c.turnedAway(ctl)
	y = c.end("controls", y, ctl) + 14
	if m.HasView {
		cm := c.panel("company", g, y, c.w-2*g, "")
		cw := (cm.w - 40) / 3
		if c.narrow {
			cw = cm.w
		}
		top := cm.y
		for i, k := range []sim.Meter{sim.MeterRevenue, sim.MeterCost, sim.MeterPressure} {
			r := rect{cm.x + float64(i)*(cw+20), top, cw, 50}
			if c.narrow {
				r = cm.take(50)
			}
			c.meter(r, m.Gauge(sim.Executive, k))
		}
		if !c.narrow {
			cm.take(50)
		}
		y = c.end("company", y, cm) + 14
	}
	// One card per manager seat; on a wide screen, as many across as fit.
	n := len(m.View.Managers)
	across := max(1, min(n, int((c.w-2*g+14)/300)))
	if c.narrow {
		across = 1
	}
	cw := (c.w - 2*g - float64(across-1)*14) / float64(across)
	rowY := y
	rowEnd := y
	for i := range m.View.Managers {
		mv := &m.View.Managers[i]
		if i > 0 && i%across == 0 {
			rowY = rowEnd + 14
		}
		id := fmt.Sprintf("seat%d", mv.Seat)
		p := c.panel(id, g+float64(i%across)*(cw+14), rowY, cw, m.SeatName(mv.Seat))
		state := "deciding"
		switch {
		case m.View.Phase == sim.PhaseMandate || m.View.Phase == sim.PhaseOver:
			state = ""
		case m.View.Phase == sim.PhaseRuling && mv.Response.Voiced():
			state = model.AnswerWords(mv.Response, mv.Action) + " → " + mv.Verdict.String()
		case m.View.Phase == sim.PhaseReveal && mv.Ready:
			state = "ready"
		case mv.Answered:
			state = "answered: " + model.AnswerWords(mv.Response, mv.Action)
		}
		for _, si := range m.Room.Seats {
			if si.Seat != mv.Seat {
				continue
			}
			switch {
			case si.Bot:
				state = "bot · " + state
			case si.Connected:
				state = "● here · " + state
			case si.Human:
				state = "○ away · " + state
			}
		}
		p.para(strings.TrimSuffix(state, " · "), sizeSmall, false, ColMuted)
		c.gauges(p, mv.Seat)
		for _, si := range m.Room.Seats {
			if si.Seat != mv.Seat {
				continue
			}
			label := "Hand to a bot"
			if si.Bot {
				label = "Give back to the person"
			}
			if si.Human && p.button(id+".bot", label, true) {
				c.do(model.Order{Kind: protocol.KindBot, Seat: mv.Seat, On: !si.Bot})
			}
		}
		rowEnd = math.Max(rowEnd, c.end(id, rowY, p))
	}
	y = c.consoleMore(rowEnd + 14)
	if len(m.Tables) > 0 {
		t := c.panel("tablelist", g, y, c.w-2*g, "All your tables")
		for _, tb := range m.Tables {
			state := fmt.Sprintf("month %d of %d, %s", tb.Turn, tb.Turns, tb.Phase)
			switch {
			case tb.Over:
				state = "over"
			case !tb.Started:
				state = "not started"
			}
			people := 0
			for _, s := range tb.Seats {
				if s.Connected {
					people++
				}
			}
			line := fmt.Sprintf("%s · %s · %s · %d connected", tb.Code, tb.Scenario, state, people)
			if tb.Code == m.Room.Code {
				t.label("● "+line+" (this table)", sizeBody, true, ColInk)
			} else if t.button("table."+tb.Code, line, true) {
				c.do(model.OpenTable{Code: tb.Code})
			}
		}
		c.end("tablelist", y, t)
	}
}

// countdown formats a remaining time.
func countdown(d time.Duration) string {
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}
