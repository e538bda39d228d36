//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"pushback/server/protocol"
)

// reload reloads the page, as a trainer does when the projector's laptop
// hiccups, and waits for the game to be online again.
func (c *cdp) reload(what string, ok func(state) bool) state {
	c.t.Helper()
	if err := c.call("Page.reload", map[string]any{"ignoreCache": false}, nil); err != nil {
		c.t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the old page's state must not answer for the new one
	return c.wait(what, 120*time.Second, func(s state) bool { return s.Conn == "online" && ok(s) })
}

// mirrorText is the accessibility mirror's words: the screen's and the
// live region's.
func (c *cdp) mirrorText(sel string) string {
	return c.eval(`(() => { const el = document.querySelector("` + sel + `"); return el ? el.textContent : ""; })()`)
}

// The room's big screen and a player in a real browser: the projector
// joins from the title screen, shows the briefing beside the code, and
// after a reload is the projector again; "Got it" is remembered across a
// reload; the player's lobby is the briefing until it is read. During play
// the projector counts the answers and shows the clock; a pause is one
// banner for everyone and goes on Continue; injected news reaches the
// player as news and is announced in the live region; ending the game
// tells the player so.
func TestProjectorAndBriefing(t *testing.T) {
	_, addr, fac := stack(t)
	fac.Post(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 2, Seed: 7,
		Deadlines: protocol.Deadlines{Response: 900, Reveal: 900}}})
	joined := fac.until(func(m protocol.ServerMsg) bool { return m.Kind == protocol.KindJoined }).Joined
	code := joined.Code

	// The projector joins by keyboard: the code, "as the projector", Join.
	proj := browser(t, "http://"+addr+"/")
	proj.wait("the page to load and connect", 120*time.Second, func(s state) bool { return s.Screen == "title" && s.Conn == "online" })
	proj.focusOn("code")
	proj.typeText(strings.ToLower(code))
	proj.focusOn("as.1")
	proj.key("Enter")
	proj.focusOn("join")
	proj.key("Enter")
	s := proj.wait("the projector", 30*time.Second, func(s state) bool { return s.Screen == "projector" && s.Code == code })
	if s.Briefed {
		t.Fatal("a new projector starts briefed")
	}
	proj.mirrorDo("brief.ok", "")
	if txt := proj.mirrorText("#pb-screen"); !strings.Contains(txt, "The meters") || !strings.Contains(txt, "Push back") {
		t.Fatalf("the projector's briefing is not in the mirror: %.300q", txt)
	}
	proj.shot("projector-briefing")
	s = proj.reload("the projector after a reload", func(s state) bool { return s.Screen == "projector" && s.Code == code })
	if s.Seat != -2 || s.Briefed {
		t.Fatalf("after the reload: %+v", s)
	}
	proj.mirrorDo("brief.ok", "el.click()") // "Got it", as a screen reader reaches it
	proj.wait("the briefing read", 10*time.Second, func(s state) bool { return s.Briefed })

	// A player: the lobby is the briefing until "Got it", remembered.
	ann := join(t, addr, code, "Ann")
	if s := ann.state(); s.Briefed {
		t.Fatal("a new player starts briefed")
	}
	ann.shot("briefing")
	ann.focusOn("brief.ok")
	ann.key("Enter")
	ann.wait("Ann's briefing read", 10*time.Second, func(s state) bool { return s.Briefed })
	if s := ann.reload("Ann back after a reload", func(s state) bool { return s.Screen == "lobby" }); !s.Briefed {
		t.Fatal("the briefing shows again after a reload")
	}

	// The game starts; the persona plays a mandate; the managers answer.
	fac.Post(protocol.ClientMsg{Kind: protocol.KindStart})
	s = proj.wait("the managers' turn on the projector", 60*time.Second, func(s state) bool { return s.Phase == "response" })
	if !strings.HasSuffix(s.Answered, "of 2 answered") {
		t.Errorf("the projector says %q, want \"n of 2 answered\"", s.Answered)
	}
	if txt := proj.mirrorText("#pb-screen"); !strings.Contains(txt, "left") || !strings.Contains(txt, "Mandate") {
		t.Errorf("the projector has no clock or mandate: %.400q", txt)
	}
	proj.shot("projector-play")
	s = proj.reload("the projector after a reload in play", func(s state) bool { return s.Screen == "projector" && s.Phase == "response" })
	if !s.Briefed || s.Code != code {
		t.Errorf("the projector after a reload in play: %+v", s)
	}

	// Pause: one banner for everyone, gone on Continue.
	fac.Post(protocol.ClientMsg{Kind: protocol.KindPause})
	for _, p := range []*cdp{ann, proj} {
		p.wait("the pause", 20*time.Second, func(s state) bool { return s.Paused })
		if txt := p.mirrorText("#pb-screen"); strings.Count(txt, "Paused:") != 1 {
			t.Errorf("the pause banner shows %d times: %.300q", strings.Count(txt, "Paused:"), txt)
		}
	}
	ann.shot("paused")
	fac.Post(protocol.ClientMsg{Kind: protocol.KindContinue})
	for _, p := range []*cdp{ann, proj} {
		s := p.wait("the game to continue", 20*time.Second, func(s state) bool { return !s.Paused })
		if s.Notice != "" || strings.Contains(p.mirrorText("#pb-screen"), "Paused:") {
			t.Errorf("after Continue: notice %q, screen %.200q", s.Notice, p.mirrorText("#pb-screen"))
		}
	}

	// Injected news reaches the player as news, in the live region too.
	scn := joined.Scenario
	ev := scn.Events[len(scn.Events)-1]
	fac.Post(protocol.ClientMsg{Kind: protocol.KindInject, Event: ev.ID})
	ann.wait("the injected news", 20*time.Second, func(s state) bool {
		for _, b := range s.Banners {
			if strings.Contains(b, ev.Title) {
				return true
			}
		}
		return false
	})
	if txt := ann.mirrorText("#pb-screen"); !strings.Contains(txt, "Market news, just in") || !strings.Contains(txt, ev.Text) {
		t.Errorf("the news card is not on the player's screen: %.400q", txt)
	}
	if live := ann.mirrorText("#pb-live"); !strings.Contains(live, "Market news, just in: "+ev.Title) {
		t.Errorf("the live region says %q", live)
	}
	ann.shot("injected")

	// The trainer ends the game: the player is told so.
	fac.Post(protocol.ClientMsg{Kind: protocol.KindEnd})
	ann.wait("the end, with the facilitator's word for it", 30*time.Second, func(s state) bool {
		return s.Screen == "end" && strings.Contains(strings.Join(s.Banners, " "), "ended the game")
	})
	ann.shot("ended")
}
