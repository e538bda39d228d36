package scene

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"unicode/utf8"

	"pushback/client/model"
)

// TextInput is a platform's own text entry: the browser's (client/ui), a
// hidden textarea that brings up a phone's keyboard. Without one a field
// takes the tick's typed characters.
type TextInput interface {
	Edit(id, s string, in *Input, x, y int) string // this tick's typing applied to s
	Blur()                                         // the focus left the field
}

// Typed applies the tick's characters and Backspace to s.
func Typed(s string, in *Input) string {
	if in == nil {
		return s
	}
	if in.Backspace && s != "" {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	for _, r := range in.Chars {
		if r >= ' ' && r != 0x7f {
			s += string(r)
		}
	}
	return s
}

// flow stacks boxes downward in a column.
type flow struct {
	c       *ctx
	x, y, w float64
	gap     float64
}

func (c *ctx) flow(x, y, w float64) *flow { return &flow{c: c, x: x, y: y, w: w, gap: 10} }

// take reserves the next h units of the column.
func (f *flow) take(h float64) rect {
	r := rect{f.x, f.y, f.w, h}
	f.y += h + f.gap
	f.c.grow(r)
	return r
}

func (f *flow) space(h float64) { f.y += h }

// label draws one line of text in the column.
func (f *flow) label(s string, size float64, bold bool, col color.Color) {
	r := f.take(lineHeight(size))
	f.c.label = s
	switch {
	case bold && size >= sizeTitle:
		f.c.sem(node{role: roleHeading, name: s, level: 1})
	case bold && size >= sizeHead:
		f.c.sem(node{role: roleHeading, name: s, level: 2})
	default:
		f.c.sem(node{role: roleText, name: s})
	}
	if f.c.drawing() {
		f.c.p.text(s, r.x, r.y, size, bold, col, alignLeft)
	}
}

// para draws wrapped text in the column.
func (f *flow) para(s string, size float64, bold bool, col color.Color) {
	if s == "" {
		return
	}
	lines := wrap(s, f.w, size, bold)
	lh := lineHeight(size)
	r := f.take(lh * float64(len(lines)))
	f.c.sem(node{role: roleText, name: s})
	if f.c.drawing() {
		for i, l := range lines {
			f.c.p.text(l, r.x, r.y+float64(i)*lh, size, bold, col, alignLeft)
		}
	}
}

// panel opens a white box with a title; its height is the one its content
// took in the last update, so the background can be painted before the
// content.
func (c *ctx) panel(id string, x, y, w float64, title string) *flow {
	h := c.st.panels[id]
	if h == 0 {
		h = 60
	}
	if c.drawing() {
		c.p.fill(rect{x, y, w, h}, ColPanel)
		c.p.stroke(rect{x, y, w, h}, 1, ColLine)
	}
	f := c.flow(x+14, y+12, w-28)
	if title != "" {
		f.label(title, sizeHead, true, ColInk)
	}
	return f
}

// end closes a panel opened at y and returns the y below it. The update
// pass keeps its height for panel; drawing only reads it.
func (c *ctx) end(id string, y float64, f *flow) float64 {
	h := f.y - f.gap + 14 - y
	if !c.drawing() {
		if c.st.panels == nil {
			c.st.panels = map[string]float64{}
		}
		c.st.panels[id] = h
	}
	c.grow(rect{0, y, 1, h})
	return y + h
}

const ctlH = 40 // height of buttons, chips and one-line fields: a fingertip

// button is a primary action.
func (c *ctx) button(r rect, id, label string, enabled bool) bool {
	hit := c.control(id, r) && enabled
	c.sem(node{key: id, role: roleButton, name: label, disabled: !enabled})
	if c.drawing() {
		bg, fg := ColBlue, color.Color(color.White)
		if !enabled {
			bg, fg = ColTrack, ColMuted
		} else if c.st.nav.Hover == id {
			bg = ColHover
		}
		c.p.fill(r, bg)
		c.p.text(label, r.cx(), r.y+(r.h-lineHeight(sizeBody))/2+2, sizeBody, true, fg, alignCenter)
		c.ring(id, r)
	}
	return hit
}

// controls lays controls left to right on rows of a column, taking a new
// row when the next one would overflow the current.
type controls struct {
	f   *flow
	row rect
	x   float64
}

// controls starts a row of controls in the column.
func (f *flow) controls() *controls {
	r := f.take(ctlH)
	return &controls{f: f, row: r, x: r.x}
}

// place reserves w units of the row, or of a new one, and returns them.
func (cs *controls) place(w float64) rect {
	if cs.x > cs.row.x && cs.x+w > cs.row.right() {
		cs.row = cs.f.take(ctlH)
		cs.x = cs.row.x
	}
	r := rect{cs.x, cs.row.y, w, ctlH}
	cs.x += w + 10
	return r
}

// button places a button as wide as its label plus pad; tapped, it does in.
func (cs *controls) button(id, label string, pad float64, on bool, in model.Intent) {
	c := cs.f.c
	if c.button(cs.place(measure(label, sizeBody, true)+pad), id, label, on) {
		c.do(in)
	}
}

// buttonIn places a button of its text's width at the left of the column.
func (f *flow) button(id, label string, enabled bool) bool {
	w := math.Max(measure(label, sizeBody, true)+40, 120)
	r := f.take(ctlH)
	r.w = math.Min(w, f.w)
	return f.c.button(r, id, label, enabled)
}

// link is an address to open in a new tab (or, with download, to save):
// underlined text in the canvas, a real anchor in the accessibility mirror
// (which then opens it itself).
func (f *flow) link(id, label, url string, download bool) {
	c := f.c
	r := f.take(lineHeight(sizeBody) + 8)
	r.w = math.Min(measure(label, sizeBody, true)+8, f.w)
	if c.control(id, r) && c.in.Activate != id {
		openURL(url, download)
	}
	c.sem(node{key: id, role: roleLink, name: label, value: url, pressed: download})
	if c.drawing() {
		col := ColBlue
		if c.st.nav.Hover == id {
			col = ColHover
		}
		c.p.text(label, r.x+4, r.y+4, sizeBody, true, col, alignLeft)
		c.p.line(r.x+4, r.bottom()-3, r.right()-4, r.bottom()-3, 1.5, col)
		c.ring(id, r)
	}
}

// ring draws the focus ring: thick and dark, so it reads without colour.
func (c *ctx) ring(id string, r rect) {
	if c.focused(id) {
		c.p.stroke(r.inset(-4), 3, ColFocus)
	}
}

// choices is a row of radio chips that wraps; it returns the selected index.
func (f *flow) choices(id string, labels []string, sel int) int {
	c := f.c
	x, y := f.x, f.y
	ids := make([]string, len(labels))
	for i, l := range labels {
		text := "○ " + l
		if i == sel {
			text = "● " + l
		}
		// Measured as if selected (bold), so that choosing a chip does
		// not make it grow and push its neighbours along.
		w := measure("● "+l, sizeBody, true) + 28
		if x > f.x && x+w > f.x+f.w {
			x, y = f.x, y+ctlH+8
		}
		r := rect{x, y, math.Min(w, f.w), ctlH}
		cid := fmt.Sprintf("%s.%d", id, i)
		ids[i] = cid
		if c.control(cid, r) {
			sel = i
		}
		if c.drawing() {
			bg, border, bw := ColPanel, ColLine, 1.0
			if i == sel {
				bg, border, bw = ColSelected, ColBlue, 2
			} else if c.st.nav.Hover == cid {
				bg = ColGround
			}
			c.p.fill(r, bg)
			c.p.stroke(r, bw, border)
			c.p.text(text, r.x+14, r.y+(r.h-lineHeight(sizeBody))/2+2, sizeBody, i == sel, ColInk, alignLeft)
			c.ring(cid, r)
		}
		x += r.w + 8
	}
	f.y = y + ctlH + f.gap
	c.grow(rect{f.x, y, 1, ctlH})
	for i, l := range labels {
		c.sem(node{key: ids[i], role: roleToggle, name: l, pressed: i == sel})
	}
	return sel
}

// maxFieldLines is how tall a box of lines grows to show all its text.
const maxFieldLines = 8

// textField is an editable line (or box of lines) bound to *s. A box of
// lines grows to show the whole text, up to maxFieldLines. It reports
// whether Enter was pressed in it this tick.
func (f *flow) textField(id string, s *string, placeholder string, lines int, max int) (entered bool) {
	c := f.c
	name := c.label
	if name == "" {
		name = placeholder
	}
	if c.in != nil && c.in.SetID == id && len(c.in.SetText) <= max {
		*s = c.in.SetText
	}
	h := float64(ctlH)
	if lines > 1 {
		lines = min(maxFieldLines, max0(len(wrap(*s, f.w-20, sizeBody, false))))
		lines = maxInt(lines, 2)
		h = float64(lines)*lineHeight(sizeBody) + 16
	}
	r := f.take(h)
	focused := c.field(id, r)
	c.sem(node{key: id, role: roleField, name: name, value: *s, lines: lines})
	if c.in != nil && focused && !c.st.mirrorHas { // typed in the canvas (the mirror's field types for itself)
		x, y := int(r.x*c.scale), int((r.bottom()-c.st.scroll)*c.scale)
		v := Typed(*s, c.in)
		if c.st.fields != nil {
			v = c.st.fields.Edit(id, *s, c.in, x, y)
		}
		if len(v) <= max {
			*s = v
		}
		entered = c.in.Enter
	}
	if !c.drawing() {
		return entered
	}
	border, bw := ColLine, 1.0
	if focused {
		border, bw = ColBlue, 2
	}
	c.p.fill(r, ColPanel)
	c.p.stroke(r, bw, border)
	inner := r.inset(10)
	show, col := *s, ColInk
	if show == "" && !focused {
		show, col = placeholder, ColMuted
	}
	var ls []string
	if lines > 1 {
		ls = wrap(show, inner.w, sizeBody, false)
		if len(ls) > lines {
			ls = ls[len(ls)-lines:]
		}
	} else {
		ls = []string{show}
		for len(ls[0]) > 0 && measure(ls[0], sizeBody, false) > inner.w-10 {
			_, n := utf8.DecodeRuneInString(ls[0])
			ls[0] = ls[0][n:]
		}
	}
	lh := lineHeight(sizeBody)
	y := r.y + (ctlH-lh)/2 + 2
	if lines > 1 {
		y = inner.y
	}
	for i, l := range ls {
		c.p.text(l, inner.x, y+float64(i)*lh, sizeBody, false, col, alignLeft)
	}
	if focused && c.st.blink%60 < 36 && col == ColInk || focused && *s == "" && c.st.blink%60 < 36 {
		last := ""
		if len(ls) > 0 && *s != "" {
			last = ls[len(ls)-1]
		}
		cx := inner.x + measure(last, sizeBody, false) + 1
		cy := y + float64(max0(len(ls)-1))*lh
		if *s == "" {
			cy = y
		}
		c.p.line(cx, cy, cx, cy+lh-4, 2, ColInk)
	}
	c.ring(id, r)
	return entered
}

func max0(n int) int { return max(n, 0) }

func maxInt(a, b int) int { return max(a, b) }

// meterBar is where a meter's bar sits inside the meter's box; the render
// test measures the fill inside it.
func meterBar(r rect) rect {
	return rect{r.x, r.y + 28, r.w - sparkWidth(r) - 12, 16}
}

// sparkWidth is the history line's width: narrow meters drop it so that
// the label, the change and the value keep their room.
func sparkWidth(r rect) float64 {
	switch {
	case r.w >= 400:
		return 84
	case r.w >= 300:
		return 56
	}
	return 0
}

// meter draws a gauge: label, value, the change with an arrow and a sign,
// the bar, and the history as a sparkline. Hidden values say so in words.
func (c *ctx) meter(r rect, g model.Gauge) {
	c.grow(r)
	c.sem(node{role: roleMeter, name: g.Label, now: g.Target, max: g.Max, valueTxt: c.meterWords(g)})
	if !c.drawing() {
		return
	}
	p := c.p
	col := MeterColour[int(g.Meter)%len(MeterColour)]
	p.text(g.Label, r.x, r.y, sizeBody, true, ColInk, alignLeft)
	bar := meterBar(r)
	p.fill(bar, ColTrack)
	if g.Hidden {
		p.text("hidden from you", bar.right(), r.y, sizeSmall, false, ColMuted, alignRight)
		for x := bar.x + 6; x < bar.right(); x += 12 {
			p.line(x, bar.bottom(), math.Min(x+8, bar.right()), bar.y, 1, ColLine)
		}
		return
	}
	v := math.Max(0, math.Min(g.Value, float64(g.Max)))
	c.p.spots = append(c.p.spots, Spot{Bar: c.device(bar).box(), Gauge: g})
	p.fill(rect{bar.x, bar.y, bar.w * v / float64(g.Max), bar.h}, col)
	if g.Max > 100 { // the plan or budget line at 100, named
		x := bar.x + bar.w*100/float64(g.Max)
		p.line(x, bar.y-3, x, bar.bottom()+3, 2, ColInk)
		p.text("100 = "+markWord(g), x, bar.bottom()+1, sizeSmall, false, ColMuted, alignCenter) // in the gap below the bar
	}
	val := fmt.Sprintf("%d%s", int(math.Round(g.Value)), g.Unit)
	vx := bar.right()
	p.text(val, vx, r.y-2, sizeHead, true, ColInk, alignRight)
	if g.Trend != 0 {
		tc, dir := ColUp, 1
		if g.Trend < 0 {
			tc, dir = ColDown, -1
		}
		lbl := model.Signed(g.Trend)
		tx := vx - measure(val, sizeHead, true) - 12
		p.text(lbl, tx, r.y+1, sizeBody, true, tc, alignRight)
		p.triangle(tx-measure(lbl, sizeBody, true)-16, r.y+6, 12, dir, tc)
	}
	if sw := sparkWidth(r); sw > 0 {
		c.spark(rect{r.right() - sw, r.y + 4, sw, 40}, g.History, g.Max, col)
	}
}

// device converts a rect to device pixels.
func (c *ctx) device(r rect) rect {
	return rect{r.x * c.scale, (r.y - c.p.scroll) * c.scale, r.w * c.scale, r.h * c.scale}
}

// spark draws a history as a small line; the last point is a dot.
func (c *ctx) spark(r rect, h []int, max int, col color.Color) {
	p := c.p
	p.line(r.x, r.bottom(), r.right(), r.bottom(), 1, ColLine)
	if len(h) == 0 {
		return
	}
	y := func(v int) float64 {
		return r.bottom() - r.h*math.Max(0, math.Min(float64(v), float64(max)))/float64(max)
	}
	if len(h) == 1 {
		p.dot(r.x, y(h[0]), 3, col)
		return
	}
	step := r.w / float64(len(h)-1)
	for i := 1; i < len(h); i++ {
		p.line(r.x+step*float64(i-1), y(h[i-1]), r.x+step*float64(i), y(h[i]), 2, col)
	}
	p.dot(r.right(), y(h[len(h)-1]), 3.5, col)
}

// badge is a small boxed word, for states like "bot" or "away".
func (c *ctx) badge(x, y float64, s string, col color.Color) float64 {
	w := measure(s, sizeSmall, true) + 12
	if c.drawing() {
		c.p.stroke(rect{x, y, w, 22}, 1.5, col)
		c.p.text(s, x+6, y+2, sizeSmall, true, col, alignLeft)
	}
	return w
}

// clipText shortens s with an ellipsis to fit w.
func clipText(s string, w, size float64, bold bool) string {
	if measure(s, size, bold) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 1 && measure(string(rs)+"…", size, bold) > w {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimSpace(string(rs)) + "…"
}
