//go:build e2e

package e2e

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"pushback/server/protocol"
)

// join opens the page and joins the room by code and name, by keyboard.
func join(t *testing.T, addr, code, name string) *cdp {
	t.Helper()
	page := browser(t, "http://"+addr+"/")
	page.wait("the page to load and connect", 120*time.Second, func(s state) bool { return s.Screen == "title" && s.Conn == "online" })
	page.focusOn("code")
	page.typeText(strings.ToLower(code))
	page.focusOn("name")
	page.typeText(name)
	page.focusOn("join")
	page.key("Enter")
	page.wait("the lobby", 30*time.Second, func(s state) bool { return s.Screen == "lobby" && s.Seat >= 1 })
	return page
}

// The end of a game in two browsers: the trainer ends it, two players open
// the debrief, answer the reaction poll and type a commitment, by keyboard;
// the facilitator's report has both commitments and the poll.
func TestBrowserPollAndCommitments(t *testing.T) {
	_, addr, fac := stack(t)
	fac.Post(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 2, Seed: 7}})
	joined := fac.until(func(m protocol.ServerMsg) bool { return m.Kind == protocol.KindJoined }).Joined
	players := []struct {
		name, commitment string
		page             *cdp
	}{
		{name: "Ann", commitment: "bring renewal data to every objection"},
		{name: "Ben", commitment: "tell my team what I asked for"},
	}
	for i := range players {
		players[i].page = join(t, addr, joined.Code, players[i].name)
	}
	fac.Post(protocol.ClientMsg{Kind: protocol.KindStart})
	fac.Post(protocol.ClientMsg{Kind: protocol.KindEnd})
	for i, p := range players {
		page := p.page
		// Two pages in one browser: the one in front gets its frames at full
		// speed (a page behind is throttled to about one a second).
		if err := page.call("Page.bringToFront", map[string]any{}, nil); err != nil {
			t.Fatal(err)
		}
		page.wait("the game end", 30*time.Second, func(s state) bool { return s.Screen == "end" })
		page.focusOn("debrief")
		page.key("Enter")
		page.wait("the debrief", 30*time.Second, func(s state) bool { return s.Screen == "debrief" })
		// The reaction round through the accessibility mirror, as a screen
		// reader would answer it: tabbing through a whole debrief screen key
		// by key takes minutes on a busy machine.
		fill := func(id, text string) {
			page.mirrorDo(id, `el.focus(); el.value = `+strconv.Quote(text)+`; el.dispatchEvent(new Event("input", {bubbles: true}))`)
		}
		// The round opens once the final report (benchmarks, what-ifs) is in.
		for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
			if page.eval(`document.querySelector('#pb-screen [data-pb-id="deb.take.commit"]') ? "yes" : ""`) == "yes" {
				break
			}
		}
		page.mirrorDo("deb.take.scale."+[]string{"1", "3"}[i], "el.click()") // 2 and 4 of 5
		fill("deb.take.word", "squeezed")
		page.mirrorDo("deb.take.react", "el.click()")
		fill("deb.take.commit", p.commitment)
		page.wait("the commitment in the draft", 10*time.Second, func(s state) bool { return s.Focus == "deb.take.commit" })
		page.mirrorDo("deb.take.send", "el.click()")
		time.Sleep(500 * time.Millisecond) // a tick or two for the game to act on the click
		if s := page.state(); s.Notice != "" {
			t.Fatalf("%s: %q", p.name, s.Notice)
		}
		page.shot("takeaway-" + p.name)
	}
	// The facilitator's report, fetched as a trainer would.
	u := "http://" + addr + "/rooms/" + joined.Code + "/report.html?token=" + url.QueryEscape(joined.Facilitator)
	var page string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		r, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		page = string(b)
		if strings.Contains(page, players[0].commitment) && strings.Contains(page, players[1].commitment) {
			break
		}
	}
	for _, want := range []string{players[0].commitment, players[1].commitment, "2 answered the reaction poll", "squeezed ×2", "<td>Ann</td>", "<td>Ben</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the facilitator's report lacks %q", want)
		}
	}
}
