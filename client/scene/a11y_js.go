//go:build js

package scene

import (
	"slices"
	"strconv"
	"sync"
	"syscall/js"
)

// wheelPixels: the browser reports the wheel in CSS pixels already.
const wheelPixels = true

// mirror keeps a visually hidden DOM copy of the screen's widgets, as
// Flutter's web engine does with its semantics tree: headings, text,
// buttons and chips with their pressed state, fields, meters with their
// values and causes, and a live region. It is built from the nodes the
// scene recorded and touched only where they changed. What a screen
// reader does in it (a click, a focus, typing) is queued and taken by the
// next tick, so no JavaScript callback ever waits on the game.
type mirror struct {
	root, list, live js.Value
	els              map[string]js.Value
	prev             []node
	said             string
	focus            string
	ticks            int
	named            bool // the canvas has its accessible name

	mu     sync.Mutex
	events []mirrorEvent
}

type mirrorEvent struct{ kind, id, text string }

const hideCSS = "position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;"

func (mr *mirror) init() bool {
	if mr.els != nil {
		return true
	}
	doc := js.Global().Get("document")
	if !doc.Truthy() || !doc.Get("body").Truthy() {
		return false
	}
	mr.els = map[string]js.Value{}
	mr.root = doc.Call("createElement", "div")
	mr.root.Set("id", "pb-a11y")
	mr.root.Call("setAttribute", "style", hideCSS)
	mr.live = doc.Call("createElement", "div")
	mr.live.Set("id", "pb-live")
	mr.live.Call("setAttribute", "aria-live", "polite")
	mr.live.Call("setAttribute", "role", "status")
	mr.list = doc.Call("createElement", "div")
	mr.list.Set("id", "pb-screen")
	mr.root.Call("appendChild", mr.live)
	mr.root.Call("appendChild", mr.list)
	doc.Get("body").Call("appendChild", mr.root)
	queue := func(kind string) js.Func {
		return js.FuncOf(func(this js.Value, args []js.Value) any {
			t := args[0].Get("target")
			id := t.Call("getAttribute", "data-pb-id")
			if id.Type() != js.TypeString {
				return nil
			}
			ev := mirrorEvent{kind: kind, id: id.String()}
			if kind == "input" {
				ev.text = t.Get("value").String()
			}
			mr.mu.Lock()
			mr.events = append(mr.events, ev)
			mr.mu.Unlock()
			return nil
		})
	}
	mr.list.Call("addEventListener", "click", queue("click"))
	mr.list.Call("addEventListener", "focusin", queue("focus"))
	mr.list.Call("addEventListener", "input", queue("input"))
	return true
}

// textScale is the browser's root font size over the usual 16 px: what
// a reader who set a larger font wants everything scaled by.
func textScale() float64 {
	doc := js.Global().Get("document")
	if !doc.Truthy() || !doc.Get("documentElement").Truthy() {
		return 1
	}
	fs := js.Global().Call("getComputedStyle", doc.Get("documentElement")).Get("fontSize").String()
	px, err := strconv.ParseFloat(trimPx(fs), 64)
	if err != nil || px <= 0 {
		return 1
	}
	return px / 16
}

func trimPx(s string) string {
	if len(s) > 2 && s[len(s)-2:] == "px" {
		return s[:len(s)-2]
	}
	return s
}

// pull hands the queued screen-reader actions to this tick's input, and
// reads the font size now and then (it changes rarely; reading it is cheap
// but not free).
func (mr *mirror) pull(in *Input, text float64) float64 {
	if mr.ticks%30 == 0 {
		text = textScale()
	}
	mr.ticks++
	mr.mu.Lock()
	evs := mr.events
	mr.events = nil
	mr.mu.Unlock()
	for i, ev := range evs {
		switch ev.kind {
		case "click":
			in.Activate, in.FocusTo = ev.id, ev.id
		case "focus":
			if ev.id != mr.focus {
				in.FocusTo = ev.id
			}
		case "input":
			in.SetID, in.SetText, in.FocusTo = ev.id, ev.text, ev.id
		}
		if in.Activate != "" || in.SetID != "" {
			// One action a tick; the rest wait for the next.
			mr.mu.Lock()
			mr.events = append(evs[i+1:len(evs):len(evs)], mr.events...)
			mr.mu.Unlock()
			break
		}
	}
	return text
}

// push updates the DOM to the screen's nodes: only when they changed, and
// then only the elements that did.
func (mr *mirror) push(u *UI) {
	if !mr.init() {
		return
	}
	if !mr.named {
		// The canvas says what it is and where its words are.
		if cv := js.Global().Get("document").Call("querySelector", "canvas"); cv.Truthy() {
			cv.Call("setAttribute", "aria-label", "Pushback, drawn; the same screen follows as headings, text and controls")
			mr.named = true
		}
	}
	if say := announcement(u.M); say != mr.said {
		mr.said = say
		mr.live.Set("textContent", say)
	}
	nodes := u.st.nodes
	if !slices.Equal(nodes, mr.prev) {
		mr.update(nodes)
		mr.prev = append(mr.prev[:0], nodes...)
	}
	if f := u.st.nav.ID; f != mr.focus {
		mr.focus = f
		el, ok := mr.els[f]
		active := js.Global().Get("document").Get("activeElement")
		if ok && active.Truthy() && mr.list.Call("contains", active).Bool() && !active.Equal(el) {
			el.Call("focus", map[string]any{"preventScroll": true})
		}
	}
}

// update makes the list's children the nodes, in order: new ones created,
// changed ones rewritten, gone ones removed.
func (mr *mirror) update(nodes []node) {
	old := map[string]node{}
	for _, n := range mr.prev {
		old[n.key] = n
	}
	keep := map[string]bool{}
	children := mr.list.Get("children")
	for i, n := range nodes {
		keep[n.key] = true
		el, ok := mr.els[n.key]
		if o, had := old[n.key]; !ok || !had || o.role != n.role {
			if ok {
				el.Call("remove")
			}
			el = mr.create(n)
			mr.els[n.key] = el
		} else if o != n {
			mr.write(el, n, o)
		}
		if at := children.Index(i); !at.Equal(el) {
			if at.Truthy() {
				mr.list.Call("insertBefore", el, at)
			} else {
				mr.list.Call("appendChild", el)
			}
		}
	}
	for k, el := range mr.els {
		if !keep[k] {
			el.Call("remove")
			delete(mr.els, k)
		}
	}
}

var headingTags = [...]string{"h1", "h1", "h2", "h3"}

func (mr *mirror) create(n node) js.Value {
	doc := js.Global().Get("document")
	tag := "p"
	switch n.role {
	case roleHeading:
		tag = headingTags[min(n.level, 3)]
	case roleButton, roleToggle:
		tag = "button"
	case roleField:
		tag = "input"
		if n.lines > 1 {
			tag = "textarea"
		}
	case roleMeter:
		tag = "div"
	case roleLink:
		tag = "a"
	}
	el := doc.Call("createElement", tag)
	switch n.role {
	case roleButton, roleToggle, roleField, roleLink:
		el.Call("setAttribute", "data-pb-id", n.key)
		el.Set("id", "pb-"+n.key)
	case roleMeter:
		el.Call("setAttribute", "role", "meter")
		el.Call("setAttribute", "aria-valuemin", "0")
	}
	if n.role == roleButton || n.role == roleToggle {
		el.Set("type", "button")
	}
	mr.write(el, n, node{role: n.role, name: "\x00", valueTxt: "\x00", value: "\x00", now: -1})
	return el
}

// write sets what differs between n and what el showed (o).
func (mr *mirror) write(el js.Value, n, o node) {
	switch n.role {
	case roleText, roleHeading, roleButton, roleToggle:
		if n.name != o.name {
			el.Set("textContent", n.name)
		}
	case roleLink: // a real anchor: it opens (or downloads) by itself
		if n.name != o.name {
			el.Set("textContent", n.name)
		}
		if n.value != o.value {
			el.Set("href", n.value)
			el.Set("target", "_blank")
			el.Set("rel", "noopener")
			if n.pressed {
				el.Call("setAttribute", "download", "")
			}
		}
	case roleField:
		if n.name != o.name {
			el.Call("setAttribute", "aria-label", n.name)
		}
		if n.value != o.value && el.Get("value").String() != n.value {
			el.Set("value", n.value)
		}
	case roleMeter:
		if n.name != o.name {
			el.Call("setAttribute", "aria-label", n.name)
			el.Set("textContent", n.name+": "+n.valueTxt)
		}
		if n.now != o.now || n.max != o.max || n.valueTxt != o.valueTxt {
			el.Call("setAttribute", "aria-valuenow", strconv.Itoa(n.now))
			el.Call("setAttribute", "aria-valuemax", strconv.Itoa(n.max))
			el.Call("setAttribute", "aria-valuetext", n.valueTxt)
			el.Set("textContent", n.name+": "+n.valueTxt)
		}
	}
	if n.role == roleToggle && (n.pressed != o.pressed || o.name == "\x00") {
		el.Call("setAttribute", "aria-pressed", strconv.FormatBool(n.pressed))
	}
	if (n.role == roleButton || n.role == roleToggle) && (n.disabled != o.disabled || o.name == "\x00") {
		// aria-disabled rather than disabled: the control stays focusable
		// and is announced as unavailable.
		el.Call("setAttribute", "aria-disabled", strconv.FormatBool(n.disabled))
	}
}
