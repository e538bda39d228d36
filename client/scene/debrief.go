package scene

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"pushback/client/model"
	"pushback/client/ui/layout"
	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/sim"
)

// The debrief screen tells a table's story up to a cursor month: a chart per
// meter with one line per manager, the month's news, mandate and decisions,
// what the executive saw against the truth, the key moments so far, the
// scores, and at the last month the questions for each learning objective.
// ← and → (or the buttons, or a tap on a chart) move the cursor.

// seriesStyle tells one manager's line apart without colour: a dash pattern
// and a marker shape as well as an Okabe–Ito colour, taken from
// report.Styles, the table the HTML report's charts draw from too.
type seriesStyle struct {
	col   colorT
	dash  []float64 // on, off, … in layout units; nil solid
	shape report.Marker
}

func styleOf(i int) seriesStyle {
	st := report.StyleOf(i)
	return seriesStyle{rgb(st.RGB()), st.Dash, st.Marker}
}

// ChartMeters are the four charts, in the order the report's tables use.
var ChartMeters = []sim.Meter{sim.MeterMorale, sim.MeterTrust, sim.MeterQuota, sim.MeterStanding}

// debrief draws the report; without one yet it says it is on its way.
func debrief(c *ctx) {
	m := c.m
	y := c.header()
	g := c.margin()
	r := m.Report
	if r == nil {
		p := c.panel("deb.wait", g, y, c.w-2*g, "Debrief")
		p.para("The debrief of this table is on its way from the server.", sizeBody, false, ColInk)
		if p.button("deb.back", "Back", true) {
			c.do(model.CloseDebrief{})
		}
		c.end("deb.wait", y, p)
		return
	}
	// ← and → move the cursor wherever the focus is: nothing else on this
	// screen uses them, and Tab still walks every control.
	if c.in != nil {
		if c.in.Left {
			c.do(model.StepDebrief{By: -1})
		}
		if c.in.Right {
			c.do(model.StepDebrief{By: 1})
		}
		c.in.Left, c.in.Right = false, false
	}
	n := m.Step
	y = c.debriefTop(g, y, r, n) + 14
	if r.Final { // reaction first, then the analysis
		y = c.takeawayPanel(g, y, c.w-2*g, r) + 14
	}

	lx, lw, rx, rw := c.cols(0.6)
	// The charts: two across in the left column on a wide screen.
	across := 2
	if c.narrow || lw < 560 {
		across = 1
	}
	cw := (lw - float64(across-1)*14) / float64(across)
	cy, rowEnd := y, y
	for i, k := range ChartMeters {
		if i > 0 && i%across == 0 {
			cy = rowEnd + 14
		}
		id := "deb.chart." + k.String()
		p := c.panel(id, lx+float64(i%across)*(cw+14), cy, cw, strings.ToUpper(k.String()[:1])+k.String()[1:])
		c.chart(p, id, r, k, n)
		rowEnd = math.Max(rowEnd, c.end(id, cy, p))
	}
	left := c.sawPanel(lx, rowEnd+14, lw, r, n)
	ry := c.below(y, left)
	ry = c.monthPanel(rx, ry, rw, r, n) + 14
	ry = c.momentsPanel(rx, ry, rw, r, n)
	y = math.Max(left, ry) + 14
	if c.narrow {
		y = ry + 14
	}
	y = c.scoresPanel(g, y, c.w-2*g, r, n) + 14
	if n == r.Played && r.Final {
		y = c.whatIfPanel(g, y, c.w-2*g, r) + 14
	}
	c.promptsPanel(g, y, c.w-2*g, r, n)
}

// debriefTop: the title, where the game stands, the cursor and its controls.
func (c *ctx) debriefTop(g, y float64, r *report.Report, n int) float64 {
	m := c.m
	p := c.panel("deb.top", g, y, c.w-2*g, "Debrief · "+r.Title)
	state := "final"
	if !r.Final {
		state = fmt.Sprintf("live: %d of %d months played, scores provisional", r.Played, r.Turns)
	}
	p.para(fmt.Sprintf("Table %s · the executive: %s · %s", r.Table, r.Executive, state), sizeSmall, false, ColMuted)
	month := fmt.Sprintf("Month %d of %d", n, r.Played)
	if n == 0 {
		month = fmt.Sprintf("The start (0 of %d)", r.Played)
	}
	row := p.controls()
	btn := func(id, label string, on bool, in model.Intent) { row.button(id, label, 28, on, in) }
	btn("deb.prev", "← Earlier", n > 0, model.StepDebrief{By: -1})
	// The month, large, between the arrows.
	if at := row.place(measure(month, sizeHead, true) + 16); c.drawing() {
		c.p.text(month, at.x+8, at.y+(ctlH-lineHeight(sizeHead))/2+2, sizeHead, true, ColInk, alignLeft)
	}
	btn("deb.next", "Later →", n < r.Played, model.StepDebrief{By: 1})
	btn("deb.all", "Whole game", n < r.Played, model.ShowMonth{Month: r.Played})
	btn("deb.start", "From the start", n > 0, model.ShowMonth{Month: 0})
	back := "Back to the scores"
	switch m.Seat {
	case sim.Facilitator:
		back = "Back to the console"
	case sim.Public:
		back = "Back to the room"
	}
	if m.Seat == sim.Facilitator && !r.Final {
		btn("deb.refresh", "Refresh", true, model.OpenDebrief{})
	}
	btn("deb.back", back, true, model.CloseDebrief{})
	p.para("← → step through the months; tap a chart to jump to a month. A ringed marker is a month the manager objected (pushed back, negotiated or escalated).", sizeSmall, false, ColMuted)
	return c.end("deb.top", y, p)
}

// chart draws one meter for every manager over months 0..n of the report:
// axes labelled, a line per manager told apart by dash and marker, each
// objection ringed, the cursor month marked; a tap picks a month.
func (c *ctx) chart(p *flow, id string, r *report.Report, k sim.Meter, n int) {
	// Legend: one entry per manager, each with its line and marker.
	lx, ly := p.x, p.y
	lh := lineHeight(sizeSmall) + 4
	for i, mg := range r.Managers {
		w := 34 + measure(mg.Name, sizeSmall, false) + 14
		if lx > p.x && lx+w > p.x+p.w {
			lx, ly = p.x, ly+lh
		}
		if c.drawing() {
			st := styleOf(i)
			c.dashed([][2]float64{{lx, ly + 9}, {lx + 26, ly + 9}}, 2.5, st)
			c.marker(lx+13, ly+9, 4, st, false)
			c.p.text(mg.Name, lx+32, ly, sizeSmall, false, ColInk, alignLeft)
		}
		lx += w
	}
	ghosts := c.ghosts()
	for gi, b := range ghosts {
		name := b.Who + " in your seat"
		w := 34 + measure(name, sizeSmall, false) + 14
		if lx > p.x && lx+w > p.x+p.w {
			lx, ly = p.x, ly+lh
		}
		if c.drawing() {
			st := ghostStyles[gi%len(ghostStyles)]
			c.dashed([][2]float64{{lx, ly + 9}, {lx + 26, ly + 9}}, 1.5, st)
			c.p.text(name, lx+32, ly, sizeSmall, false, ColMuted, alignLeft)
		}
		lx += w
	}
	p.y = ly + lh + 4
	h := 170.0
	if c.narrow {
		h = 150
	}
	box := p.take(h + 40)
	plot := rect{box.x + 34, box.y + 6, box.w - 34 - 10, h}
	months := max(r.Played, 1)
	xAt := func(t int) float64 { return plot.x + plot.w*float64(t)/float64(months) }
	yAt := func(v int) float64 {
		return plot.bottom() - plot.h*math.Max(0, math.Min(float64(v), 100))/100
	}
	if c.control(id+".plot", plot) {
		// A tap picks the nearest month (Enter on the focused chart: the next one).
		if x, _, ok := c.pointer(); ok && c.in.Release {
			c.do(model.ShowMonth{Month: int(math.Round((x - plot.x) / plot.w * float64(months)))})
		} else {
			c.do(model.StepDebrief{By: 1})
		}
	}
	if !c.drawing() {
		return
	}
	pt := c.p
	// Grid, y labels, the cursor band.
	for _, v := range []int{0, 25, 50, 75, 100} {
		yy := yAt(v)
		col := ColTrack
		if v == 0 || v == 100 {
			col = ColLine
		}
		pt.line(plot.x, yy, plot.right(), yy, 1, col)
		if v%50 == 0 {
			pt.text(fmt.Sprint(v), plot.x-6, yy-lineHeight(sizeSmall)/2, sizeSmall, false, ColMuted, alignRight)
		}
	}
	if n > 0 && n < r.Played {
		pt.fill(rect{xAt(n), plot.y, plot.right() - xAt(n), plot.h}, ColGround) // the months not shown yet
	}
	pt.line(xAt(n), plot.y-2, xAt(n), plot.bottom()+2, 2, ColInk)
	// X axis: month numbers (every other one when crowded) and its title.
	every := 1
	if plot.w/float64(months) < 26 {
		every = 2
	}
	for t := 0; t <= r.Played; t += every {
		pt.text(fmt.Sprint(t), xAt(t), plot.bottom()+4, sizeSmall, t == n, ColMuted, alignCenter)
	}
	pt.text("month", plot.right(), plot.bottom()+4+lineHeight(sizeSmall), sizeSmall, false, ColMuted, alignRight)
	pt.text(k.String()+" 0–100", plot.x, plot.bottom()+4+lineHeight(sizeSmall), sizeSmall, false, ColMuted, alignLeft)
	// Ghost lines first, behind: the same seat played by the good style and
	// by the yes-man, up to the cursor.
	for gi, b := range ghosts {
		var pts [][2]float64
		for t := 0; t <= n && t < len(b.Meters); t++ {
			pts = append(pts, [2]float64{xAt(t), yAt(b.Meters[t].Get(k))})
		}
		c.dashed(pts, 1.5, ghostStyles[gi%len(ghostStyles)])
		for _, q := range pts {
			c.p.dot(q[0], q[1], 2.5, ghostStyles[gi%len(ghostStyles)].col)
		}
	}
	// Lines up to the cursor, then markers on top: an objection is ringed.
	for i, mg := range r.Managers {
		st := styleOf(i)
		var pts [][2]float64
		for t := 0; t <= n && t < len(mg.Meters); t++ {
			pts = append(pts, [2]float64{xAt(t), yAt(mg.Meters[t].Get(k))})
		}
		c.dashed(pts, 2.5, st)
	}
	for i, mg := range r.Managers {
		st := styleOf(i)
		for t := 0; t <= n && t < len(mg.Meters); t++ {
			v := mg.Meters[t].Get(k)
			voiced := t >= 1 && t-1 < len(mg.Decisions) && mg.Decisions[t-1].Voiced
			c.marker(xAt(t), yAt(v), 4.5, st, voiced)
			c.p.points = append(c.p.points, ChartPoint{Chart: k, Seat: mg.Seat, Month: t, Value: v,
				X: xAt(t) * c.scale, Y: (yAt(v) - pt.scroll) * c.scale, Plot: c.device(plot).box(), Col: st.col})
		}
	}
}

// ChartPoint is a data point as drawn, in device pixels, for the render test.
type ChartPoint struct {
	Chart       sim.Meter
	Seat, Month int
	Value       int
	X, Y        float64
	Plot        layout.Rect
	Col         color.RGBA
}

// dashed strokes a polyline with a style's dash pattern, the pattern
// running on across the corners.
func (c *ctx) dashed(pts [][2]float64, width float64, st seriesStyle) {
	if len(pts) < 2 {
		return
	}
	if st.dash == nil {
		for i := 1; i < len(pts); i++ {
			c.p.line(pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1], width, st.col)
		}
		return
	}
	k, left := 0, st.dash[0]
	for i := 1; i < len(pts); i++ {
		x0, y0, x1, y1 := pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1]
		seg := math.Hypot(x1-x0, y1-y0)
		for at := 0.0; at < seg; {
			step := math.Min(left, seg-at)
			if k%2 == 0 {
				a, b := at/seg, (at+step)/seg
				c.p.line(x0+(x1-x0)*a, y0+(y1-y0)*a, x0+(x1-x0)*b, y0+(y1-y0)*b, width, st.col)
			}
			at += step
			left -= step
			if left <= 1e-9 {
				k = (k + 1) % len(st.dash)
				left = st.dash[k]
			}
		}
	}
}

// marker draws a series' marker at (x, y); ringed marks an objection.
func (c *ctx) marker(x, y, r float64, st seriesStyle, ringed bool) {
	p := c.p
	if ringed {
		p.dot(x, y, r+4.5, ColInk)
		p.dot(x, y, r+2.5, ColPanel)
	}
	switch st.shape {
	case report.MarkSquare:
		p.box(rect{x - r, y - r, 2 * r, 2 * r}, st.col)
	case report.MarkBox:
		p.box(rect{x - r, y - r, 2 * r, 2 * r}, st.col)
		p.box(rect{x - r + 1.8, y - r + 1.8, 2*r - 3.6, 2*r - 3.6}, ColPanel)
		p.dot(x, y, 1.6, st.col)
	case report.MarkTriangle:
		p.triangle(x-r*1.2, y-r, r*2.4, 1, st.col)
	case report.MarkDown:
		p.triangle(x-r*1.2, y-r*0.9, r*2.4, -1, st.col)
	case report.MarkDiamond:
		p.box(rect{x - r*0.75, y - r*0.75, r * 1.5, r * 1.5}, st.col)
		p.line(x-r*1.2, y, x+r*1.2, y, r*0.9, st.col)
		p.line(x, y-r*1.2, x, y+r*1.2, r*0.9, st.col)
	case report.MarkCross:
		p.line(x-r, y-r, x+r, y+r, 2.5, st.col)
		p.line(x-r, y+r, x+r, y-r, 2.5, st.col)
		p.dot(x, y, 1.6, st.col)
	case report.MarkPlus:
		p.line(x-r*1.2, y, x+r*1.2, y, 2.8, st.col)
		p.line(x, y-r*1.2, x, y+r*1.2, 2.8, st.col)
	default:
		p.dot(x, y, r, st.col)
	}
}

// monthPanel: what happened in the cursor month.
func (c *ctx) monthPanel(x, y, w float64, r *report.Report, n int) float64 {
	title := fmt.Sprintf("Month %d", n)
	if n == 0 {
		title = "The start"
	}
	p := c.panel("deb.month", x, y, w, title)
	if n == 0 || n > len(r.Turn) {
		p.para("Every team at its starting meters. Step on to see each month's news, mandate and answers.", sizeBody, false, ColMuted)
		return c.end("deb.month", y, p)
	}
	t := r.Turn[n-1]
	if len(t.News) > 0 {
		p.para("News: "+strings.Join(t.News, "; "), sizeBody, false, ColInk)
	}
	if t.Mandate != "" {
		kind := "harmful"
		if t.Sound {
			kind = "sound"
		}
		p.para(fmt.Sprintf("Mandate: %s (%s; to %s)", t.Mandate, kind, t.Target), sizeBody, true, ColInk)
		if t.Framing != "" {
			p.para("“"+t.Framing+"”", sizeSmall, false, ColBlue)
		}
	} else {
		p.para("No mandate this month.", sizeBody, false, ColMuted)
	}
	for i, mg := range r.Managers {
		if n-1 >= len(mg.Decisions) {
			continue
		}
		d := mg.Decisions[n-1]
		st := styleOf(i)
		c.marked(p, mg.Name+": "+decisionWords(d), st, d.Voiced, true)
		if n < len(mg.Meters) {
			var net []string
			for _, k := range ChartMeters {
				if dv := mg.Meters[n].Get(k) - mg.Meters[n-1].Get(k); dv != 0 {
					net = append(net, k.String()+" "+model.Signed(dv))
				}
			}
			if len(net) == 0 {
				net = []string{"no meter moved"}
			}
			ch := p.take(0)
			ls := wrap(strings.Join(net, " · "), p.w-22, sizeSmall, false)
			ch.h = float64(len(ls)) * lineHeight(sizeSmall)
			p.y += ch.h + 4
			c.grow(ch)
			if c.drawing() {
				for j, l := range ls {
					c.p.text(l, ch.x+22, ch.y+float64(j)*lineHeight(sizeSmall), sizeSmall, false, ColMuted, alignLeft)
				}
			}
		}
	}
	if len(t.Changes) > 0 {
		p.para("Company: "+strings.Join(t.Changes, "; "), sizeSmall, false, ColMuted)
	}
	return c.end("deb.month", y, p)
}

// marked writes a wrapped line of small text after a series' marker, so
// that it reads as that manager's without a colour key.
func (c *ctx) marked(p *flow, s string, st seriesStyle, ringed, bold bool) {
	row := p.take(0)
	lines := wrap(s, p.w-22, sizeSmall, bold)
	lh := lineHeight(sizeSmall)
	row.h = float64(len(lines)) * lh
	p.y += row.h + 2
	c.grow(row)
	if c.drawing() {
		c.marker(row.x+7, row.y+lh/2, 4, st, ringed)
		for j, l := range lines {
			c.p.text(l, row.x+22, row.y+float64(j)*lh, sizeSmall, bold, ColInk, alignLeft)
		}
	}
}

func abs(n int) int { return max(n, -n) }

// decisionWords says what a manager did in a month, in one line.
func decisionWords(d report.Decision) string {
	s := d.Response
	if d.Escalated != "" {
		s += " against " + d.Escalated
	}
	if d.Case != nil {
		s += fmt.Sprintf(" (case %d/100)", int(math.Round(d.Case.Quality*100)))
	}
	if d.Verdict != "" {
		s += " → " + d.Verdict
	}
	if d.Discovered {
		s += ", shield found out"
	}
	if d.Action != "" && d.Action != "none" {
		s += "; " + d.Action
	}
	return s
}

// sawPanel: what the executive saw (the pulse survey, visits) against the
// truth, at the cursor month.
func (c *ctx) sawPanel(x, y, w float64, r *report.Report, n int) float64 {
	p := c.panel("deb.saw", x, y, w, "What the executive saw")
	p.para(fmt.Sprintf("Month %d: the pulse survey of morale against the true morale and trust.", n), sizeSmall, false, ColMuted)
	for i, mg := range r.Managers {
		if n >= len(mg.Meters) || n >= len(mg.Pulse) {
			continue
		}
		tm := mg.Meters[n]
		gap := mg.Pulse[n] - tm.Morale
		off := "spot on"
		if gap != 0 {
			off = fmt.Sprintf("off by %d", abs(gap))
		}
		c.marked(p, fmt.Sprintf("%s: the survey said %d; true morale %d (%s), trust %d", mg.Name, mg.Pulse[n], tm.Morale, off, tm.Trust), styleOf(i), false, false)
	}
	seen := 0
	for _, v := range r.Visits {
		if v.Turn > n {
			continue
		}
		seen++
		who := fmt.Sprintf("seat %d", v.Seat)
		if v.Seat >= 1 && v.Seat <= len(r.Managers) {
			who = r.Managers[v.Seat-1].Name
		}
		p.para(fmt.Sprintf("Month %d: a front-line visit to %s saw the truth: morale %d, trust %d.", v.Turn, who, v.Morale, v.Trust), sizeSmall, false, ColInk)
	}
	if seen == 0 {
		p.para("No front-line visit so far: the executive saw only the survey.", sizeSmall, false, ColMuted)
	}
	return c.end("deb.saw", y, p)
}

// momentsPanel: the largest swings up to the cursor, each with its causes.
func (c *ctx) momentsPanel(x, y, w float64, r *report.Report, n int) float64 {
	p := c.panel("deb.moments", x, y, w, "Key moments")
	shown := 0
	for _, mo := range r.Moments {
		if mo.Turn > n {
			continue
		}
		shown++
		head := fmt.Sprintf("Month %d · %s · %s %s", mo.Turn, mo.Who, mo.Meter, model.Signed(mo.Change))
		p.para(head, sizeBody, true, ColInk)
		causes := mo.Causes
		if len(causes) > 2 {
			causes = append(causes[:2:2], fmt.Sprintf("and %d more", len(mo.Causes)-2))
		}
		p.para(strings.Join(causes, "; "), sizeSmall, false, ColMuted)
	}
	if shown == 0 {
		p.para("None yet: the largest swings appear as the months go by.", sizeSmall, false, ColMuted)
	}
	return c.end("deb.moments", y, p)
}

// scoresPanel: the balanced scorecard at the cursor month.
func (c *ctx) scoresPanel(x, y, w float64, r *report.Report, n int) float64 {
	title := "Scores"
	if n < r.Played || !r.Final {
		title = fmt.Sprintf("Scores at month %d (provisional)", n)
	}
	p := c.panel("deb.scores", x, y, w, title)
	across := 2
	if c.narrow {
		across = 1
	}
	mw := (p.w - float64(across-1)*20) / float64(across)
	var row rect
	for i, mg := range r.Managers {
		if n >= len(mg.Score) {
			continue
		}
		if i%across == 0 {
			row = p.take(50)
		}
		s := mg.Score[n]
		if n == r.Played && i < len(r.Scores.Managers) {
			s = r.Scores.Managers[i]
		}
		label := mg.Name
		if len(mg.Benchmarks) == 2 && n == r.Played {
			b := mg.Benchmarks
			label = fmt.Sprintf("%s — you %d / %s %d / %s %d", mg.Name, s, b[0].Who, b[0].Final, b[1].Who, b[1].Final)
		}
		c.meter(rect{row.x + float64(i%across)*(mw+20), row.y, mw, 50}, model.Gauge{Meter: sim.MeterQuota, Label: label,
			Value: float64(s), Target: s, Max: 100, History: mg.Score[:n+1]})
	}
	if r.Scores.Executive != nil && n == r.Played {
		e := *r.Scores.Executive
		row = p.take(50)
		label := r.Executive
		if label != "Executive" {
			label += " (executive)"
		}
		if x := r.Exec; x != nil && x.Judging != nil {
			label += fmt.Sprintf(" — you %d / judging executive %d", e, x.Judging.Total)
		}
		c.meter(rect{row.x, row.y, mw, 50}, model.Gauge{Meter: sim.MeterRevenue, Label: label, Value: float64(e), Target: e, Max: 200})
	}
	return c.end("deb.scores", y, p)
}

// promptsPanel: the questions per learning objective, once the story is
// told to its end.
func (c *ctx) promptsPanel(x, y, w float64, r *report.Report, n int) float64 {
	p := c.panel("deb.prompts", x, y, w, "To discuss")
	if n < r.Played {
		p.para("The questions for each learning objective come at the last month (Whole game).", sizeBody, false, ColMuted)
		return c.end("deb.prompts", y, p)
	}
	for _, pr := range r.Prompts {
		head := pr.Text
		if head == "" {
			head = pr.Objective
		}
		p.para(head, sizeHead, true, ColInk)
		for _, it := range pr.Items {
			if it.Manager != "" {
				p.label(it.Manager, sizeBody, true, ColMuted)
			}
			p.para("What happened: "+it.WhatHappened, sizeBody, false, ColInk)
			p.para("So what: "+it.SoWhat, sizeBody, false, ColInk)
			p.para("Now what: "+it.NowWhat, sizeBody, false, ColBlue)
		}
		p.space(6)
	}
	if len(r.Prompts) == 0 {
		p.para("This scenario has no debrief questions.", sizeBody, false, ColMuted)
	}
	return c.end("deb.prompts", y, p)
}

// ghostStyles draw the benchmarks: thin, muted and dotted or dashed, so
// they read as "what else could have been", not as another manager.
var ghostStyles = []seriesStyle{
	{ColMuted, []float64{2, 3}, report.MarkCircle}, // the good style
	{ColMuted, []float64{9, 4}, report.MarkSquare}, // the yes-man
}

// ghosts are the benchmarks drawn behind a manager's own lines: on a
// manager's screen, their seat played by the good style and by a yes-man.
func (c *ctx) ghosts() []report.Benchmark {
	if me := c.m.Mine(); me != nil {
		return me.Benchmarks
	}
	return nil
}

// takeawayPanel opens the debrief with the reaction round: a player answers
// how the game felt (1–5 and/or one word) and writes one commitment; the
// projector and the facilitator see the poll's summary as it comes in.
func (c *ctx) takeawayPanel(x, y, w float64, r *report.Report) float64 {
	m := c.m
	p := c.panel("deb.take", x, y, w, "Before the analysis: how did it feel?")
	p.para(model.PollLine(r.Poll), sizeHead, false, ColInk)
	if !m.CanTakeaway() {
		n := 0
		for _, t := range r.Takeaways {
			if t.Commitment != "" {
				n++
			}
		}
		written := fmt.Sprintf("%d commitments written.", n)
		if n == 1 {
			written = "1 commitment written."
		}
		p.para(written+" Each player answers on their own screen; the facilitator's report and the take-home sheets carry every commitment.", sizeSmall, false, ColMuted)
		return c.end("deb.take", y, p)
	}
	t := m.Take // edited here, handed back before each button
	edited := func() {
		if t != m.Take {
			c.do(model.EditTakeaway{Take: t})
		}
	}
	p.para("How did it feel to be squeezed from both sides? 1 = crushed, 5 = in control.", sizeBody, false, ColInk)
	sel := p.choices("deb.take.scale", []string{"1", "2", "3", "4", "5"}, t.Scale-1)
	t.Scale = sel + 1
	p.textField("deb.take.word", &t.Word, "…or in one word", 1, protocol.MaxWord)
	edited()
	label := "Send my reaction"
	if t.Reacted {
		label = "Change my reaction"
	}
	if p.button("deb.take.react", label, t.Scale > 0 || t.Word != "") {
		c.do(model.React{})
	}
	p.para("Your commitment: next month I will …", sizeBody, true, ColInk)
	p.textField("deb.take.commit", &t.Commitment, "one thing you will do differently", 3, protocol.MaxCommitment)
	edited()
	label = "Save my commitment"
	if t.Committed {
		label = "Update my commitment"
	}
	if p.button("deb.take.send", label, t.Commitment != "") {
		c.do(model.Commit{})
	}
	if t.Committed {
		p.para("Saved: it is on your take-home sheet and in the trainer's report.", sizeSmall, false, ColMuted)
	}
	return c.end("deb.take", y, p)
}

// whatIfPanel shows the what-ifs: a manager's own, or every manager's to the
// facilitator and the projector.
func (c *ctx) whatIfPanel(x, y, w float64, r *report.Report) float64 {
	p := c.panel("deb.whatif", x, y, w, "What if? The key moments replayed")
	shown := 0
	for i, mg := range r.Managers {
		if me := c.m.Mine(); me != nil && me.Seat != mg.Seat {
			continue
		}
		for _, wi := range mg.WhatIfs {
			c.marked(p, mg.Name+": "+wi.Text, styleOf(i), false, false)
			shown++
		}
	}
	if shown == 0 {
		p.para("No key moment to replay.", sizeSmall, false, ColMuted)
	}
	return c.end("deb.whatif", y, p)
}
