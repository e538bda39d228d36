package scene

import (
	"fmt"
	"strings"

	"pushback/client/model"
	"pushback/server/protocol"
)

// hostScreen: the host settings before a workshop room exists (issue 10):
// the scenario (shipped, or the trainer's own file, checked by the server
// with every problem at its line and column), the executive, the seats,
// the deadlines and the audience; a preview of the balance; Create.
func hostScreen(c *ctx) {
	m := c.m
	h := m.Host // edited here, handed back
	y := c.header()
	lx, lw, rx, rw := c.cols(0.5)
	online := m.Conn == model.ConnOnline
	filePicker() // the browser's <input type=file>, in the page before it is needed

	p := c.panel("scenario", lx, y, lw, "Scenario")
	if len(m.Scenarios) == 0 {
		p.para("Asking the server for its scenarios…", sizeBody, false, ColMuted)
	}
	labels := make([]string, 0, len(m.Scenarios)+1)
	sel := -1
	for i, s := range m.Scenarios {
		l := s.Title
		if s.Trainer {
			l += " (trainer's)"
		}
		labels = append(labels, l)
		if !h.UseOwn && (s.ID == h.Scenario || h.Scenario == "" && i == 0) {
			sel = i
		}
	}
	if h.Own != nil {
		labels = append(labels, "your file: "+h.Own.Info.Title)
		if h.UseOwn {
			sel = len(labels) - 1
		}
	}
	if n := p.choices("scn", labels, sel); n != sel && n >= 0 {
		h.UseOwn = n == len(m.Scenarios)
		if !h.UseOwn {
			h.Scenario = m.Scenarios[n].ID
		}
	}
	choice := m.HostChoice()
	if choice != nil {
		p.para(choice.Summary, sizeBody, false, ColInk)
		p.para(fmt.Sprintf("%d months.", choice.Turns), sizeSmall, false, ColMuted)
	}
	p.space(6)
	p.label("Your own scenario file (YAML, at most 64 KiB)", sizeSmall, true, ColMuted)
	if pickInBrowser {
		if p.button("upload", "Upload a scenario file…", online) {
			pickFile()
		}
	} else {
		p.label("Path of the file", sizeSmall, true, ColMuted)
		entered := p.textField("path", &h.Path, "e.g. workshops/retail.yaml", 1, 1024)
		if p.button("upload", "Check this file", online && h.Path != "") || entered && h.Path != "" {
			name, src, err := readScenario(h.Path)
			c.do(model.CheckFile{File: name, Source: src, Err: err})
		}
	}
	c.checkResult(p)
	end := c.end("scenario", y, p)
	if h.Balance != nil || h.Previewing {
		end = c.balance(lx, end+14, lw)
	}

	ry := c.below(y, end)
	t := c.panel("table", rx, ry, rw, "The table")
	t.label("Executive", sizeSmall, true, ColMuted)
	// A person, or one of the scenario's personas: each with its name and
	// its one-line summary.
	execs := []protocol.Card{{ID: "human", Title: "A person plays the executive", Text: "A participant takes the seat and plays the mandates and rulings."}}
	if choice != nil {
		execs = append(execs, choice.Personas...)
	}
	for i, pc := range execs {
		on := pc.ID == h.Executive || i == 1 && h.Executive == ""
		mark := "○"
		if on {
			mark = "●"
		}
		if t.chip(fmt.Sprintf("exec.%d", i), mark, pc.Title, pc.Text, on) && !on {
			h.Executive = pc.ID
		}
	}
	t.label("Manager seats", sizeSmall, true, ColMuted)
	seats := make([]string, model.MaxManagers)
	for i := range seats {
		seats[i] = fmt.Sprint(i + 1)
	}
	if n := t.choices("seats", seats, h.Managers-1); n+1 != h.Managers && n >= 0 {
		h.Managers = n + 1
	}
	t.label("Deadlines per phase", sizeSmall, true, ColMuted)
	dl := make([]string, len(model.Deadlines))
	for i, d := range model.Deadlines {
		dl[i] = d.Label
	}
	h.Deadline = max(0, t.choices("deadline", dl, h.Deadline))
	if d := model.Deadlines[h.Deadline].D; d != (protocol.Deadlines{}) {
		t.para(fmt.Sprintf("Mandate %s, answers %s, rulings %s, reveal %s; a phase ends when its time is up (+1 minute and Pause on the console).",
			mins(d.Mandate), mins(d.Response), mins(d.Ruling), mins(d.Reveal)), sizeSmall, false, ColMuted)
	}
	t.label("Past the seats", sizeSmall, true, ColMuted)
	h.Audience = t.choices("audience", []string{"refuse more people", "audience: they watch as observers"}, b2i(h.Audience)) == 1
	if h != m.Host {
		c.do(model.EditHost{Host: h})
	}
	t.space(6)
	if t.button("preview", "Preview balance", online && !h.Previewing && choice != nil) {
		c.do(model.Preview{})
	}
	if t.button("create", "Create the room", online && !m.Busy) {
		c.do(model.Host{})
	}
	if t.button("back", "Back", true) {
		c.do(model.CloseHost{})
	}
	c.end("table", ry, t)
}

// mins writes seconds as minutes.
func mins(s int) string {
	if s%60 == 0 {
		return fmt.Sprintf("%d min", s/60)
	}
	return fmt.Sprintf("%d s", s)
}

// checkResult shows the server's check of the trainer's file: every
// problem and hint with its line and column.
func (c *ctx) checkResult(p *flow) {
	ck := c.m.Host.Check
	if ck == nil {
		return
	}
	where := func(x protocol.Problem) string {
		if x.Line == 0 {
			return ck.File + ": " + x.Message
		}
		return fmt.Sprintf("%s line %d, column %d: %s", ck.File, x.Line, x.Column, x.Message)
	}
	if len(ck.Problems) > 0 {
		n := "1 problem"
		if len(ck.Problems) > 1 {
			n = fmt.Sprintf("%d problems", len(ck.Problems))
		}
		p.para(fmt.Sprintf("%s has %s; fix it and upload it again:", ck.File, n), sizeBody, true, ColBad)
		for _, x := range ck.Problems {
			p.para(where(x), sizeBody, false, ColBad)
		}
	} else if ck.Scenario != nil {
		p.para(ck.File+" is playable: “"+ck.Scenario.Title+"”, now the chosen scenario.", sizeBody, true, ColGood)
	}
	for _, x := range ck.Hints {
		p.para("Hint: "+where(x), sizeSmall, false, ColMuted)
	}
}

// balance is the preview: the simulate table of the chosen settings, one
// row per manager seat played by a bot style, and the executive's score.
func (c *ctx) balance(x, y, w float64) float64 {
	h := &c.m.Host
	p := c.panel("balance", x, y, w, "Balance preview")
	b := h.Balance
	if b == nil {
		p.para("Playing a few hundred bot games of this table on the server…", sizeBody, false, ColMuted)
		return c.end("balance", y, p)
	}
	persona := b.Persona // an ID; its name when the scenario lists it
	if ch := c.m.HostChoice(); ch != nil {
		for _, pc := range ch.Personas {
			if pc.ID == persona {
				persona = pc.Title
			}
		}
	}
	p.para(fmt.Sprintf("%d bot games against %s: means per manager seat (a bot's style in each).", b.Games, persona), sizeSmall, false, ColMuted)
	head := []string{"style", "quota", "morale", "trust", "standing", "score", "resigned", "objected", "won"}
	rows := [][]string{head}
	for _, r := range b.Rows {
		rows = append(rows, []string{r.Style, f0(r.Quota), f0(r.Morale), f0(r.Trust), f0(r.Standing), f0(r.Score),
			pct(r.Resigned), fmt.Sprintf("%.1f", r.Objections), pct(r.Won)})
	}
	// The first column takes what the numbers leave.
	num := (p.w - 80) / float64(len(head)-1)
	for i, row := range rows {
		words := make([]string, len(row))
		for j, cell := range row {
			words[j] = head[j] + " " + cell
		}
		if c.narrow { // no room for the columns: a line per seat
			if i > 0 {
				p.para(row[0]+": "+strings.Join(words[1:], ", "), sizeSmall, false, ColInk)
			}
			continue
		}
		r := p.take(lineHeight(sizeSmall))
		if i == 0 {
			c.say(strings.Join(row, ", "))
		} else {
			c.say(strings.Join(words, ", "))
		}
		if !c.drawing() {
			continue
		}
		for j, cell := range row {
			if j == 0 {
				c.p.text(clipText(cell, 78, sizeSmall, false), r.x, r.y, sizeSmall, false, ColInk, alignLeft)
				continue
			}
			col := ColInk
			if i == 0 {
				col = ColMuted
			}
			cx := r.x + 80 + float64(j)*num - 4
			c.p.text(clipText(cell, num-4, sizeSmall, false), cx, r.y, sizeSmall, false, col, alignRight)
		}
	}
	p.para("Resigned: the share of games the team's best people left; objected: objections a game; won: the share of them amended or withdrawn.", sizeSmall, false, ColMuted)
	p.para(fmt.Sprintf("The executive's mean score: %.0f.", b.Exec), sizeBody, true, ColInk)
	return c.end("balance", y, p)
}

func f0(v float64) string  { return fmt.Sprintf("%.0f", v) }
func pct(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }
