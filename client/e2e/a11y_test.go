//go:build e2e

package e2e

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"pushback/server/protocol"
	"pushback/sim"
)

// axNode is a node of Chromium's accessibility tree, as
// Accessibility.getFullAXTree returns it: what a screen reader gets.
type axNode struct {
	ID       string   `json:"nodeId"`
	Children []string `json:"childIds"`
	Ignored  bool     `json:"ignored"`
	Role     axValue  `json:"role"`
	Name     axValue  `json:"name"`
	Value    axValue  `json:"value"`
	Props    []struct {
		Name  string  `json:"name"`
		Value axValue `json:"value"`
	} `json:"properties"`
}

type axValue struct {
	Value any `json:"value"`
}

func (v axValue) String() string {
	switch x := v.Value.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v.Value)
	return string(b)
}

func (n axNode) prop(name string) string {
	for _, p := range n.Props {
		if p.Name == name {
			return p.Value.String()
		}
	}
	return ""
}

// words is a node's value text: aria-valuetext where the DevTools protocol
// reports it, else the text of its children (Chromium's getFullAXTree
// reports a meter's valuetext property empty; the text inside the mirrored
// meter says the same words).
func words(n axNode, all []axNode) string {
	if v := n.prop("valuetext"); v != "" {
		return v
	}
	byID := map[string]axNode{}
	for _, x := range all {
		byID[x.ID] = x
	}
	var out []string
	var walk func(ids []string)
	walk = func(ids []string) {
		for _, id := range ids {
			if c, ok := byID[id]; ok {
				if c.Role.String() == "StaticText" {
					out = append(out, c.Name.String())
				}
				walk(c.Children)
			}
		}
	}
	walk(n.Children)
	return strings.Join(out, " ")
}

// axTree reads the page's whole accessibility tree.
func (c *cdp) axTree() []axNode {
	c.t.Helper()
	if err := c.call("Accessibility.enable", map[string]any{}, nil); err != nil {
		c.t.Fatal(err)
	}
	var r struct {
		Nodes []axNode `json:"nodes"`
	}
	if err := c.call("Accessibility.getFullAXTree", map[string]any{}, &r); err != nil {
		c.t.Fatal(err)
	}
	var out []axNode
	for _, n := range r.Nodes {
		if !n.Ignored {
			out = append(out, n)
		}
	}
	return out
}

// axWait reads the tree until ok holds.
func (c *cdp) axWait(what string, ok func([]axNode) bool) []axNode {
	c.t.Helper()
	var ns []axNode
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if ns = c.axTree(); ok(ns) {
			return ns
		}
	}
	for _, n := range ns {
		c.t.Logf("%s %q %q %v", n.Role, n.Name, n.Value, n.Props)
	}
	c.t.Fatalf("the accessibility tree never showed %s", what)
	return nil
}

// mirrorDo runs JavaScript on the mirrored control with the given data-pb-id,
// as a screen reader's action would reach it.
// The mirror follows the screen a tick or two behind, so a control of a
// screen that has just appeared is waited for (at most 5 s).
func (c *cdp) mirrorDo(id, js string) {
	c.t.Helper()
	got := ""
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		got = c.eval(`(() => { const el = document.querySelector('#pb-screen [data-pb-id="` + id + `"]');
		if (!el) return "missing"; ` + js + `; return "ok"; })()`)
		if got == "ok" || time.Now().After(end) {
			break
		}
	}
	if got != "ok" {
		ids := c.eval(`Array.from(document.querySelectorAll('#pb-screen [data-pb-id]')).map(e => e.dataset.pbId).slice(0, 60).join(" ")`)
		c.shot("failed")
		c.t.Fatalf("mirrored control %q: %s (the mirror holds: %s)", id, got, ids)
	}
}

// byRole is the tree's nodes of a role ("meter", "button") by name.
func byRole(ns []axNode, role string) map[string]axNode {
	out := map[string]axNode{}
	for _, n := range ns {
		if n.Role.String() == role {
			out[n.Name.String()] = n
		}
	}
	return out
}

func meters(ns []axNode) map[string]axNode  { return byRole(ns, "meter") }
func buttons(ns []axNode) map[string]axNode { return byRole(ns, "button") }

func hasText(ns []axNode, s string) bool {
	for _, n := range ns {
		if strings.Contains(n.Name.String(), s) {
			return true
		}
	}
	return false
}

// TestScreenReaderPlaysAMonth does what a screen reader user would: joins
// through the accessibility mirror's fields and button, reads the manager's
// turn and the reveal in Chromium's accessibility tree (meters with values
// and causes, the answer choices as buttons with a pressed state), and
// presses "push back" and "Send answer" in the mirror; the trainer's
// connection sees the answer arrive.
func TestScreenReaderPlaysAMonth(t *testing.T) {
	_, fac, addr, code := startRoom(t)
	page := browser(t, "http://"+addr+"/")
	page.wait("the page to load and connect", 90*time.Second, func(s state) bool { return s.Screen == "title" && s.Conn == "online" })

	// The title screen is in the tree: its heading, fields and buttons.
	page.axWait("the join form", func(ns []axNode) bool {
		b := buttons(ns)
		_, join := b["Join"]
		return join && hasText(ns, "Room code")
	})
	setField := func(id, v string) {
		page.mirrorDo(id, `el.focus(); el.value = `+strconv.Quote(v)+`; el.dispatchEvent(new Event("input", {bubbles: true}))`)
	}
	setField("code", strings.ToLower(code))
	setField("name", "Sam")
	page.wait("the typed form", 10*time.Second, func(s state) bool { return s.Focus == "name" })
	page.mirrorDo("join", "el.click()")
	s := page.wait("the lobby", 20*time.Second, func(s state) bool { return s.Screen == "lobby" })
	seat := s.Seat

	fac.Post(protocol.ClientMsg{Kind: protocol.KindStart})
	page.wait("the mandate", 30*time.Second, func(s state) bool { return s.Screen == "manager" && s.Phase == "response" })

	// The manager's turn: four meters with values; the answer choices as
	// buttons with a pressed state; Send answer.
	var choices []string
	for _, k := range []sim.ResponseKind{sim.ResponseRelay, sim.ResponseExplain, sim.ResponsePushBack, sim.ResponseNegotiate, sim.ResponseShield} {
		choices = append(choices, k.String())
	}
	explain := sim.ResponseExplain.String()
	ns := page.axWait("the manager's turn", func(ns []axNode) bool {
		return len(meters(ns)) >= 4 && buttons(ns)["push back"].prop("pressed") != "" && buttons(ns)["Send answer"].Name.String() != ""
	})
	for _, name := range []string{"Morale", "Trust", "Quota", "Standing"} {
		m, ok := meters(ns)[name]
		if !ok || m.prop("valuemax") == "" || m.Value.String() == "" || !strings.Contains(words(m, ns), m.Value.String()) {
			t.Errorf("meter %s in the tree: %+v (%q)", name, m, words(m, ns))
		}
	}
	st := page.state()
	for _, c := range st.Causes { // the month's news, if it moved a meter, is explained on this screen
		if !hasText(ns, c) {
			t.Errorf("cause %q is not in the tree of the manager's turn", c)
		}
	}
	for _, name := range choices {
		b, ok := buttons(ns)[name]
		if !ok || (b.prop("pressed") != "true" && b.prop("pressed") != "false") {
			t.Errorf("answer choice %q: %+v", name, b)
		}
	}
	if p := buttons(ns)[explain].prop("pressed"); p != "true" {
		t.Errorf("the default answer, %s, is not pressed: %q", explain, p)
	}
	page.shot("a11y-manager")

	// Push back, through the mirror.
	page.mirrorDo("resp.2", "el.click()")
	page.wait("push back drafted", 10*time.Second, func(s state) bool { return strings.HasPrefix(s.Answer, "push back") && s.Focus == "resp.2" })
	ns = page.axWait("push back pressed", func(ns []axNode) bool {
		return buttons(ns)["push back"].prop("pressed") == "true" && buttons(ns)[explain].prop("pressed") == "false"
	})
	if !hasText(ns, "Business case") {
		t.Error("the business case's heading is not in the tree after push back")
	}
	page.mirrorDo("data.0", "el.click()")
	page.mirrorDo("impact.1", "el.click()")
	page.mirrorDo("send", "el.click()")
	page.wait("the answer sent", 10*time.Second, func(s state) bool { return s.Sent || s.Screen == "reveal" })

	// The server has it: the trainer's view shows the manager's push back.
	fac.until(func(m protocol.ServerMsg) bool {
		if m.Kind != protocol.KindView || m.View == nil {
			return false
		}
		for _, mv := range m.View.Game.Managers {
			if int(mv.Seat) == seat && mv.Answered && mv.Response == sim.ResponsePushBack {
				return true
			}
		}
		return false
	})

	// The reveal: meters with values, and every cause in words.
	s = page.wait("the reveal", 30*time.Second, func(s state) bool { return s.Screen == "reveal" && len(s.Causes) > 0 })
	ns = page.axWait("the reveal's meters and causes", func(ns []axNode) bool {
		return len(meters(ns)) >= 4 && hasText(ns, s.Causes[0])
	})
	found := 0
	for _, c := range s.Causes {
		if hasText(ns, c) {
			found++
		}
	}
	if found != len(s.Causes) {
		t.Errorf("%d of %d causes in the tree: %v", found, len(s.Causes), s.Causes)
	}
	why := 0
	for name, m := range meters(ns) {
		t.Logf("meter %s = %s (%s)", name, m.Value, words(m, ns))
		for _, c := range s.Causes {
			if strings.Contains(words(m, ns), c) {
				why++
			}
		}
	}
	if why == 0 {
		t.Error("no meter's value text gives its cause")
	}
	if !hasText(ns, "Reveal") {
		t.Error("the live region does not announce the reveal")
	}
	page.shot("a11y-reveal")
}
