package scene

import (
	"testing"

	"pushback/client/model"
	. "pushback/client/scene/scenetest"
	"pushback/client/session"
	"pushback/client/ui/layout"
	"pushback/server/protocol"
	"pushback/sim"
)

// driver feeds synthetic input to the screens, one tick per call.
type driver struct {
	t   *testing.T
	a   *UI
	rec *Recorder
}

func newDriver(t *testing.T, m *model.Model, sz Size) *driver {
	rec := &Recorder{}
	a := New(session.New(m, nil, nil, rec), nil)
	a.Geo = layout.Fit(sz.W, sz.H, 1)
	a.Step(&Input{})
	return &driver{t: t, a: a, rec: rec}
}

func (d *driver) tick(in Input) { d.a.Step(&in) }

func (d *driver) focus() string { return d.a.st.nav.ID }

// rectOf finds a control's box, in layout units, as last laid out.
func (d *driver) rectOf(id string) rect {
	var r rect
	found := false
	c := d.a.ctx(&Input{}, nil)
	scenes[d.a.M.Screen()](c)
	c.helpButton()
	for _, f := range c.pass.Order {
		if f.ID == id {
			r, found = unbox(f.R), true
		}
	}
	if !found {
		d.t.Fatalf("no control %q on screen %s", id, d.a.M.Screen())
	}
	return r
}

// tap presses and releases the pointer on a control, as a mouse or finger.
func (d *driver) tap(id string, touch bool) {
	r := d.rectOf(id)
	g := d.a.Geo
	x, y := r.cx()*g.Scale, (r.cy()-d.a.st.scroll)*g.Scale
	d.tick(Input{X: x, Y: y, Pointer: true, Press: true, Touch: touch})
	d.tick(Input{X: x, Y: y, Pointer: true, Release: true, Touch: touch})
}

func (d *driver) want(focus string) {
	d.t.Helper()
	if got := d.focus(); got != focus {
		d.t.Fatalf("focus on %q, want %q", got, focus)
	}
}

// TestKeyboardReachesEveryControl joins a room with the keyboard alone:
// Tab, Shift-Tab, arrows, typing, Backspace, Space and Enter.
func TestKeyboardReachesEveryControl(t *testing.T) {
	m := model.New(model.Saved{})
	m.Conn = model.ConnOnline
	d := newDriver(t, m, Laptop)
	d.tick(Input{Tab: true})
	d.want("code")
	d.tick(Input{Chars: []rune("kx7 pqr")})
	d.tick(Input{Tab: true})
	d.want("name")
	d.tick(Input{Chars: []rune("Anx")})
	d.tick(Input{Backspace: true})
	d.tick(Input{Chars: []rune("n")})
	d.tick(Input{Tab: true, Shift: true})
	d.want("code")
	d.tick(Input{Down: true})
	d.want("name")
	d.tick(Input{Tab: true})
	d.want("as.0")
	d.tick(Input{Right: true})
	d.want("as.1")
	d.tick(Input{Enter: true})
	if !m.Title.Projector {
		t.Fatal("Enter did not choose 'as the projector'")
	}
	d.tick(Input{Left: true})
	d.tick(Input{Space: true})
	if m.Title.Projector {
		t.Fatal("Space did not choose 'as a player'")
	}
	d.tick(Input{Tab: true})
	d.tick(Input{Tab: true})
	d.want("join")
	d.tick(Input{Enter: true})
	if len(d.rec.Msgs) != 1 {
		t.Fatalf("sent %+v", d.rec.Msgs)
	}
	got := d.rec.Msgs[0]
	if got.Kind != protocol.KindJoin || got.Code != "KX7PQR" || got.Name != "Ann" || got.Role != protocol.RolePlayer {
		t.Errorf("join message %+v", got)
	}
	// Every control on the title screen is reachable by Tab, in order, and
	// the order wraps around.
	var ids []string
	c := d.a.ctx(&Input{}, nil)
	scenes[model.ScreenTitle](c)
	for _, f := range c.pass.Order {
		ids = append(ids, f.ID)
	}
	for range ids {
		d.tick(Input{Tab: true})
	}
	d.want("join")
	for i := range ids {
		d.tick(Input{Tab: true})
		d.want(ids[(indexOf(ids, "join")+1+i)%len(ids)])
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// TestManagerAnswersByMouseAndKeys picks a response with the mouse, changes
// it with arrows and Enter, tabs down to Send (scrolling it into view) and
// sends; then changes the answer and sends again.
func TestManagerAnswersByMouseAndKeys(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	d := newDriver(t, m, Laptop)
	d.tap("resp.0", false)
	if m.Answer.Response != sim.ResponseRelay {
		t.Fatalf("click chose %s", m.Answer.Response)
	}
	d.want("resp.0")
	d.tick(Input{Right: true})
	d.tick(Input{Right: true})
	d.tick(Input{Enter: true})
	if m.Answer.Response != sim.ResponsePushBack {
		t.Fatalf("arrows and Enter chose %s", m.Answer.Response)
	}
	for i := 0; i < 60 && d.focus() != "send"; i++ {
		d.tick(Input{Tab: true})
	}
	d.want("send")
	r := d.rectOf("send")
	if st := d.a.st; r.y < st.scroll || r.bottom() > st.scroll+d.a.Geo.H {
		t.Errorf("Send at %.0f..%.0f is off screen (scroll %.0f, height %.0f)", r.y, r.bottom(), st.scroll, d.a.Geo.H)
	}
	d.tick(Input{Enter: true})
	if len(d.rec.Msgs) != 1 || d.rec.Msgs[0].Command == nil || d.rec.Msgs[0].Command.Response != sim.ResponsePushBack {
		t.Fatalf("sent %+v", d.rec.Msgs)
	}
	if !m.Answer.Sent || m.Answer.Dirty {
		t.Fatal("the answer is not marked sent")
	}
	d.tick(Input{Enter: true}) // nothing changed: Send is disabled
	if len(d.rec.Msgs) != 1 {
		t.Fatalf("an unchanged answer was sent again")
	}
	d.tap("act.1", false) // coach
	d.tap("send", false)
	if len(d.rec.Msgs) != 2 || d.rec.Msgs[1].Command.Action != sim.ActionCoach {
		t.Fatalf("changed answer not sent: %+v", d.rec.Msgs)
	}
}

// TestTouch taps a chip with a finger on a phone, and a drag scrolls
// without tapping.
func TestTouch(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	d := newDriver(t, m, Phone)
	if !d.a.Geo.Narrow {
		t.Fatal("a phone should get the one-column layout")
	}
	d.tap("resp.1", true)
	if m.Answer.Response != sim.ResponseExplain {
		t.Fatalf("tap chose %s", m.Answer.Response)
	}
	r := d.rectOf("resp.3")
	x, y := r.cx()*d.a.Geo.Scale, (r.cy()-d.a.st.scroll)*d.a.Geo.Scale
	d.tick(Input{X: x, Y: y, Pointer: true, Press: true, Touch: true})
	d.tick(Input{X: x, Y: y - 200, Pointer: true, Touch: true, Drag: -200})
	d.tick(Input{X: x, Y: y - 200, Pointer: true, Release: true, Touch: true})
	if m.Answer.Response != sim.ResponseExplain {
		t.Errorf("a drag tapped: %s", m.Answer.Response)
	}
	if d.a.st.scroll <= 0 {
		t.Errorf("a drag did not scroll (%v)", d.a.st.scroll)
	}
}
