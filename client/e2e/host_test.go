//go:build e2e

package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"pushback/scenarios"
	"pushback/server/protocol"
	"pushback/server/wsclient"
	"pushback/sim"
)

// screenText is the accessibility mirror's words: what a screen reader has
// of the current screen.
func (c *cdp) screenText() string {
	return c.eval(`(document.getElementById("pb-screen") || {}).textContent || ""`)
}

// waitText waits until the mirror holds every one of words.
func (c *cdp) waitText(what string, limit time.Duration, words ...string) string {
	c.t.Helper()
	var s string
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(150 * time.Millisecond) {
		s = c.screenText()
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(s, w)
		}
		if ok {
			return s
		}
	}
	c.shot("failed")
	c.t.Fatalf("waiting for %s: the mirror says %q (state %+v)", what, s, c.state())
	return ""
}

// upload gives the page's file input (#pb-file) a file, as the browser's
// file chooser does, after pressing the mirrored upload button.
func (c *cdp) upload(path string) {
	c.t.Helper()
	c.mirrorDo("upload", "el.click()")
	var doc struct {
		Root struct {
			NodeID int `json:"nodeId"`
		} `json:"root"`
	}
	var q struct {
		NodeID int `json:"nodeId"`
	}
	if err := c.call("DOM.getDocument", map[string]any{}, &doc); err != nil {
		c.t.Fatal(err)
	}
	if err := c.call("DOM.querySelector", map[string]any{"nodeId": doc.Root.NodeID, "selector": "#pb-file"}, &q); err != nil || q.NodeID == 0 {
		c.t.Fatalf("no file input in the page: %v", err)
	}
	if err := c.call("DOM.setFileInputFiles", map[string]any{"nodeId": q.NodeID, "files": []string{path}}, nil); err != nil {
		c.t.Fatal(err)
	}
}

// dial joins a room over the protocol as a participant would from a
// phone, with a player's role: managers first, then the executive, then
// (audience mode) observers.
func dial(t *testing.T, addr, code, name string) (*facilitator, *protocol.Joined) {
	t.Helper()
	p := &facilitator{wsclient.Dial(t, "ws://"+addr+"/ws")}
	p.Post(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: name, Role: protocol.RolePlayer})
	return p, p.until(func(m protocol.ServerMsg) bool { return m.Kind == protocol.KindJoined }).Joined
}

// view waits for this participant's view in a phase.
func (f *facilitator) view(ph sim.Phase) sim.View {
	f.T.Helper()
	return f.until(func(m protocol.ServerMsg) bool {
		return m.Kind == protocol.KindView && m.View.Room.Started && m.View.Game.Phase == ph
	}).View.Game
}

// TestBrowserHostsAWorkshop is the trainer's day of issue 10 in headless
// Chromium, through the accessibility mirror: host from the title screen;
// upload a trainer's scenario file with an error (its line:column message
// appears) and then a valid one (it becomes the chosen scenario); a human
// executive, 6 manager seats, deadlines, audience mode; preview the
// balance; create. Six managers, the executive and two observers join over
// the protocol (the two past the seats watch as observers); the console
// starts, a month is played, it pauses and continues, ends after its
// confirmation, and the report opened from the console's link names every
// person; New table gives a second code under the same key, and an
// observer of the first table is moved to it from the console.
func TestBrowserHostsAWorkshop(t *testing.T) {
	start := time.Now()
	step := func(what string) { t.Logf("%5.1f s: %s", time.Since(start).Seconds(), what) }
	_, addr, _ := stack(t)
	page := browser(t, "http://"+addr+"/")
	page.wait("the page to load and connect", 120*time.Second, func(s state) bool { return s.Screen == "title" && s.Conn == "online" })
	step("the page is up")
	page.mirrorDo("host", "el.click()")
	page.wait("the host settings", 10*time.Second, func(s state) bool { return s.Screen == "host" })
	page.waitText("the server's scenarios", 10*time.Second, "A Mild Slowdown")

	// The trainer's file: the default scenario under another id and title;
	// first with the months misspelt.
	src, err := scenarios.Source(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(strings.Replace(string(src), "id: mild-slowdown", "id: e2e-workshop", 1),
		"title: A Mild Slowdown", "title: The Browser Workshop", 1)
	bad := strings.Replace(good, "\nturns: 8\n", "\nturns: eight\n", 1)
	line := strings.Count(bad[:strings.Index(bad, "turns: eight")], "\n") + 1
	dir := t.TempDir()
	for name, body := range map[string]string{"broken.yaml": bad, "workshop.yaml": good} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page.upload(filepath.Join(dir, "broken.yaml"))
	txt := page.waitText("the file's problem with its line and column", 20*time.Second, "broken.yaml line "+strconv.Itoa(line)+", column ")
	t.Logf("the check says: %s", txt[strings.Index(txt, "broken.yaml has"):][:200])
	page.shot("host-problem")
	step("the broken file's problem is on screen")
	page.upload(filepath.Join(dir, "workshop.yaml"))
	page.waitText("the valid file chosen", 20*time.Second, "workshop.yaml is playable", "your file: The Browser Workshop")

	// A person plays the executive; 6 manager seats; deadlines; audience.
	for _, id := range []string{"exec.0", "seats.5", "deadline.4", "audience.1"} {
		page.mirrorDo(id, "el.click()")
	}
	page.wait("the settings", 5*time.Second, func(s state) bool { return s.Focus == "audience.1" })
	page.mirrorDo("preview", "el.click()")
	page.waitText("the balance table", 30*time.Second, "bot games against", "The executive's mean score")
	page.shot("host-balance")
	step("the balance is on screen")
	page.mirrorDo("create", "el.click()")
	fs := page.wait("the console", 20*time.Second, func(s state) bool { return s.Screen == "facilitator" && s.Code != "" })
	code := fs.Code
	page.waitText("the facilitator key shown once", 10*time.Second, "Your facilitator key", "Keep this to come back")
	page.mirrorDo("token.ok", "el.click()")

	// Seven people take the seats; two more watch.
	names := []string{"Ann", "Ben", "Cat", "Dev", "Eli", "Fay", "Eve", "Gus", "Hal"}
	var exec, gus *facilitator
	var gusConn int
	var info protocol.ScenarioInfo
	managers := map[string]*facilitator{}
	var managerSeats []sim.Seat
	for i, name := range names {
		p, j := dial(t, addr, code, name)
		switch {
		case i < 6:
			if j.Role != protocol.RoleManager {
				t.Fatalf("%s joined as %s", name, j.Role)
			}
			managers[name] = p
			managerSeats = append(managerSeats, j.Seat)
		case i == 6:
			if j.Seat != sim.Executive {
				t.Fatalf("%s joined as %s seat %d, want the executive", name, j.Role, j.Seat)
			}
			exec, info = p, j.Scenario
		default:
			if j.Role != protocol.RoleObserver {
				t.Fatalf("%s past the seats joined as %s, want an observer", name, j.Role)
			}
			if name == "Gus" {
				gus, gusConn = p, j.Conn
			}
		}
	}
	if info.ID != "e2e-workshop" {
		t.Fatalf("the room plays %q, want the uploaded file", info.ID)
	}
	page.waitText("everyone on the console", 10*time.Second, "Eve · Executive", "Fay · Manager", "Hal · observer")
	page.shot("host-console-lobby")
	step("nine people joined")

	// A month: the executive's mandate to everyone, each manager relays it,
	// everyone reads the reveal.
	page.mirrorDo("start", "el.click()")
	v := exec.view(sim.PhaseMandate)
	exec.Post(protocol.ClientMsg{Kind: protocol.KindCommand, Based: v.Version, Command: &sim.Command{
		Kind: sim.CmdMandate, Seat: sim.Executive, Card: info.Mandates[v.Hand[0]].ID}})
	for i, name := range names[:6] {
		p := managers[name]
		v := p.view(sim.PhaseResponse)
		p.Post(protocol.ClientMsg{Kind: protocol.KindCommand, Based: v.Version, Command: &sim.Command{
			Kind: sim.CmdRespond, Seat: managerSeats[i], Response: sim.ResponseRelay}})
	}
	page.wait("the reveal on the console", 20*time.Second, func(s state) bool { return s.Phase == "reveal" })
	for i, name := range names[:7] {
		p, seat := exec, sim.Executive
		if i < 6 {
			p, seat = managers[name], managerSeats[i]
		}
		v := p.view(sim.PhaseReveal)
		p.Post(protocol.ClientMsg{Kind: protocol.KindCommand, Based: v.Version, Command: &sim.Command{Kind: sim.CmdReady, Seat: seat}})
	}
	page.wait("month 2", 20*time.Second, func(s state) bool { return s.Turn == 2 })
	step("a month played")

	// Pause and continue; End game asks first, then ends.
	page.mirrorDo("pause", "el.click()")
	page.waitText("the paused console", 10*time.Second, "Continue")
	step("paused")
	page.shot("host-console-paused")
	page.mirrorDo("pause", "el.click()")
	page.waitText("play again", 10*time.Second, "Pause")
	step("continued")
	page.mirrorDo("end", "el.click()")
	page.waitText("the confirmation", 10*time.Second, "End the game now?", "Yes, end the game")
	page.shot("host-console-confirm")
	step("the confirmation")
	if s := page.state(); s.Phase == "over" {
		t.Fatal("End game ended the game before the confirmation")
	}
	page.mirrorDo("confirm.yes", "el.click()")
	page.wait("the game over", 20*time.Second, func(s state) bool { return s.Phase == "over" })
	step("paused, continued, ended after the confirmation")

	// The report, from the console's link: a real anchor that opens a tab.
	href := page.eval(`document.querySelector('#pb-screen [data-pb-id="report.html"]').href`)
	if !strings.Contains(href, "/rooms/"+code+"/report.html?token=") {
		t.Fatalf("the report link is %q", href)
	}
	// A person's click: Runtime.evaluate with a user gesture, else the
	// popup blocker keeps the tab from opening.
	if err := page.call("Runtime.evaluate", map[string]any{"userGesture": true,
		"expression": `document.querySelector('#pb-screen [data-pb-id="report.html"]').click()`}, nil); err != nil {
		t.Fatal(err)
	}
	var targets struct {
		Infos []struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		} `json:"targetInfos"`
	}
	reportTabs := func(want int) {
		t.Helper()
		n := 0
		for end := time.Now().Add(10 * time.Second); n < want && time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			if err := page.call("Target.getTargets", map[string]any{}, &targets); err != nil {
				t.Fatal(err)
			}
			n = 0
			for _, ti := range targets.Infos {
				if ti.Type == "page" && strings.Contains(ti.URL, "/rooms/"+code+"/report.html") {
					n++
				}
			}
		}
		if n < want {
			b, _ := json.Marshal(targets)
			t.Fatalf("the report link opened %d tabs, want %d: %s", n, want, b)
		}
	}
	reportTabs(1)
	// The same link in the canvas, by keyboard: Tab to it, Enter; the game
	// opens the tab (window.open) itself.
	if err := page.call("Page.bringToFront", map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
	page.eval(`document.querySelector("canvas").focus(), ""`) // out of the mirror, whose anchor would open it by itself
	page.focusOn("report.html")
	if el := page.eval(`document.activeElement.tagName`); el != "CANVAS" {
		t.Fatalf("the keys go to a %s, not the game's canvas", el)
	}
	page.key("Enter")
	reportTabs(2)
	r, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("the report answers %s", r.Status)
	}
	for _, name := range names[:7] {
		if !strings.Contains(string(body), name) {
			t.Errorf("the report does not name %s", name)
		}
	}
	// What the trainer's tab shows: the report's header, for client/README.md.
	rep := browser(t, href)
	for end := time.Now().Add(10 * time.Second); rep.eval(`document.readyState`) != "complete" && time.Now().Before(end); {
		time.Sleep(100 * time.Millisecond)
	}
	rep.shot("report-header")

	step("the report opened and read")
	// New table: the same settings under the same key, a new code; both
	// tables are listed on the console. (The console's tab comes to the
	// front again: a tab behind gets no animation frames.)
	if err := page.call("Page.bringToFront", map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
	page.mirrorDo("newtable", "el.click()")
	step("new table pressed")
	ns := page.wait("the new table", 20*time.Second, func(s state) bool { return s.Screen == "facilitator" && s.Code != code && s.Code != "" })
	page.waitText("both tables listed", 10*time.Second, code, ns.Code+" · The Browser Workshop")
	page.shot("host-new-table")
	step("a new table")

	// Back to the first table (from the list), and Gus, who watched it,
	// moved to the new one from the console.
	page.mirrorDo("table."+code, "el.click()")
	page.wait("the first table again", 20*time.Second, func(s state) bool { return s.Code == code })
	page.mirrorDo("move."+strconv.Itoa(gusConn)+"."+ns.Code, "el.click()")
	moved := gus.until(func(m protocol.ServerMsg) bool { return m.Kind == protocol.KindJoined }).Joined
	if moved.Code != ns.Code {
		t.Fatalf("Gus was moved to %q, want %q", moved.Code, ns.Code)
	}
	step("a person moved to the new table")
}
