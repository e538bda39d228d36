package scene

import (
	"fmt"
	"strings"
	"testing"

	"pushback/client/model"
	. "pushback/client/scene/scenetest"
	"pushback/server/protocol"
	"pushback/sim"
)

// The lobby is the briefing until it is read: Enter with nothing focused,
// or "Got it", closes it; the help button in the header (last in the Tab
// order, and reachable scrolled down) opens it again, and "Back to the
// game" closes it.
func TestBriefingKeys(t *testing.T) {
	tb := NewTable(t)
	m := tb.Model(1, false, 0)
	d := newDriver(t, m, Laptop)
	if !strings.Contains(strings.Join(texts(d.a.st.nodes), "\n"), "The meters") {
		t.Fatal("the lobby does not brief")
	}
	d.rectOf("brief.ok")
	d.tick(Input{Enter: true})
	if !m.Briefed() {
		t.Fatal("Enter did not close the briefing")
	}
	d.rectOf("leave") // the lobby as it was
	// The help button: the last stop of Tab, and a tap on it scrolled down.
	var order []string
	for i := 0; i < 20 && (len(order) == 0 || order[len(order)-1] != "help"); i++ {
		d.tick(Input{Tab: true})
		order = append(order, d.focus())
	}
	if len(order) < 2 || order[len(order)-1] != "help" || order[len(order)-2] != "leave" {
		t.Errorf("Tab walks %v; the help button should come last", order)
	}
	d.tick(Input{Escape: true})
	d.a.st.scroll = 200
	d.tap("help", false)
	if m.Screen() != model.ScreenBriefing {
		t.Fatalf("the help button opened %s", m.Screen())
	}
	d.tap("brief.ok", false)
	if m.Screen() != model.ScreenLobby || !m.Briefed() {
		t.Fatalf("back from the briefing: %s", m.Screen())
	}
}

// A notice's OK hides it; the pause banner has no OK: it goes when the game
// continues. The live region says both.
func TestNoticeBanners(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	m.Room.Paused = true
	at := T0.UnixMilli() - 1000
	m.Room.Notices = []protocol.Notice{{At: at, Kind: protocol.NoticeBot, Seat: 1, Text: "The facilitator has handed your seat to a bot for now."}}
	d := newDriver(t, m, Laptop)
	d.tick(Input{})
	words := strings.Join(texts(d.a.st.nodes), "\n")
	if strings.Count(words, "Paused:") != 1 || !strings.Contains(words, "handed your seat to a bot") {
		t.Fatalf("the banners: %q", words)
	}
	if say := announcement(m); !strings.Contains(say, "Paused:") || !strings.Contains(say, "handed your seat") {
		t.Errorf("the live region says %q", say)
	}
	d.tap(fmt.Sprintf("notice.%d", at), false)
	if len(m.Banners()) != 0 || m.Saved.Seen != at {
		t.Errorf("OK left %+v", m.Banners())
	}
	m.Room.Paused = false
	d.tick(Input{})
	if strings.Contains(strings.Join(texts(d.a.st.nodes), "\n"), "Paused:") {
		t.Error("the pause banner stays after Continue")
	}
}
