package scene

import (
	"fmt"
	"strings"

	"pushback/client/model"
	"pushback/server/protocol"
	"pushback/sim"
)

// role is what a piece of the screen is to assistive technology.
type role uint8

const (
	roleText    role = iota // a line or paragraph
	roleHeading             // a panel's title or a section's
	roleButton              // an action
	roleToggle              // a chip: a button with a pressed state
	roleField               // an editable text
	roleMeter               // a value on a scale, with its cause
	roleLink                // an address to open (value) or, pressed, to download
)

var roleNames = [...]string{"text", "heading", "button", "toggle", "field", "meter", "link"}

func (r role) String() string { return roleNames[r] }

// node is one widget of the current screen as plain data: what the
// painter draws and what the browser's accessibility mirror exposes come
// from the same widget calls, so a new widget on any screen reaches a
// screen reader without code of its own. Nodes are recorded in the update
// pass, in reading order, and compared whole to tell whether the screen
// changed.
type node struct {
	key      string // the control's id, or a key made from the text
	role     role
	name     string // the label, or the text itself
	level    int    // heading level
	pressed  bool   // a toggle's state; a link's: download rather than open
	disabled bool
	value    string // a field's text, a link's address
	lines    int    // a field's height in lines
	now      int    // a meter's value (its target, not the animation)
	max      int
	valueTxt string // a meter's value in words, with its cause
}

// sem records a node of the screen (update pass only).
func (c *ctx) sem(n node) {
	if c.in == nil {
		return
	}
	if n.key == "" {
		base := n.role.String() + ":" + n.name
		if len(base) > 48 {
			base = base[:48]
		}
		if c.semKeys == nil {
			c.semKeys = map[string]int{}
		}
		c.semKeys[base]++
		n.key = fmt.Sprintf("%s#%d", base, c.semKeys[base])
	}
	c.nodes = append(c.nodes, n)
}

// say records plain text that a scene paints directly.
func (c *ctx) say(s string) {
	if s = strings.TrimSpace(s); s != "" {
		c.sem(node{role: roleText, name: s})
	}
}

// meterWords is a meter's value in words for a screen reader: the value,
// the change with its direction, the scale's mark, and why it moved.
func (c *ctx) meterWords(g model.Gauge) string {
	if g.Hidden {
		return "hidden from you"
	}
	s := fmt.Sprintf("%d%s", g.Target, g.Unit)
	switch {
	case g.Trend > 0:
		s += fmt.Sprintf(", up %d", g.Trend)
	case g.Trend < 0:
		s += fmt.Sprintf(", down %d", -g.Trend)
	}
	if g.Max > 100 {
		s += fmt.Sprintf(", on a scale to %d where 100 is %s", g.Max, markWord(g))
	}
	var why []string
	if c.m.HasView && g.Seat != 0 {
		for _, cs := range c.m.Causes(g.Seat) {
			if cs.Meter == g.Meter {
				why = append(why, cs.Text)
			}
		}
	}
	if len(why) > 0 {
		s += ". " + strings.Join(why, "; ")
	}
	return s
}

// markWord names the line at 100 on a scale that goes past it.
func markWord(g model.Gauge) string {
	switch {
	case g.Mark != "":
		return g.Mark
	case g.Meter == sim.MeterCost:
		return "budget"
	}
	return "plan"
}

// announcement is what the live region says when the screen's situation
// changes: whose turn it is, and at a reveal what moved and why.
func announcement(m *model.Model) string {
	var say []string
	if m.Notice != "" { // a server's error or refusal, in words, comes first
		say = append(say, m.Notice)
	}
	if t := m.PauseText(); t != "" { // then what the facilitator did
		say = append(say, t)
	}
	for _, n := range m.Banners() {
		if i := m.NewsOf(n); n.Kind == protocol.NoticeInjected && i >= 0 {
			t, txt := m.Event(i)
			say = append(say, "Market news, just in: "+t+". "+txt)
		} else {
			say = append(say, n.Text)
		}
	}
	if s := situation(m); s != "" {
		say = append(say, s)
	}
	return strings.Join(say, " ")
}

func situation(m *model.Model) string {
	if !m.Joined || !m.HasView || !m.Room.Started {
		return ""
	}
	v := &m.View
	month := fmt.Sprintf("Month %d of %d. ", v.Turn, v.Turns)
	switch m.Screen() {
	case model.ScreenManager:
		switch v.Phase {
		case sim.PhaseMandate:
			return month + "The executive is choosing this month's mandate."
		case sim.PhaseResponse:
			if me := m.Me(); me != nil && me.Answered {
				return month + "Your answer is in; the others are still answering."
			}
			t, _ := m.Card(v.Card)
			if v.Card < 0 {
				return month + "Your turn: choose this month's team action."
			}
			return month + "Your turn: answer the mandate " + t + "."
		default:
			return month + "The executive is ruling on the objections."
		}
	case model.ScreenExecutive:
		switch v.Phase {
		case sim.PhaseMandate:
			return month + "Your turn: play a mandate."
		case sim.PhaseRuling:
			return month + "Your turn: rule on the objections."
		}
		return month + "The managers are answering."
	case model.ScreenReveal:
		seat := m.Seat
		var parts []string
		for _, cs := range m.Causes(seat) {
			parts = append(parts, cs.Text)
		}
		if len(parts) == 0 {
			parts = append(parts, "nothing you can see moved")
		}
		return month + "Reveal: " + strings.Join(parts, "; ") + "."
	case model.ScreenEnd:
		return "The game is over: the final scores are in."
	}
	return ""
}
