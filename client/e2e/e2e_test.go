//go:build e2e

// Package e2e drives the browser build of the client in headless Chromium
// against the real server binary: a person joins a room by its code with
// the keyboard, plays a month as a manager while bots hold the other seats,
// sees the meters change, and survives a server restart.
package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pushback/client/model"
	"pushback/scenarios"
	"pushback/server/protocol"
	"pushback/server/wsclient"
	"pushback/sim"
)

// root is the module's directory.
func root(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// webDir is the browser build: build/web from `make web`, else built now.
func webDir(t *testing.T, mod string) string {
	dir := filepath.Join(mod, "build", "web")
	if _, err := os.Stat(filepath.Join(dir, "pushback.wasm")); err == nil {
		return dir
	}
	dir = t.TempDir()
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "pushback.wasm"), "./client")
	cmd.Dir, cmd.Env = mod, append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wasm build: %v\n%s", err, out)
	}
	goroot, _ := exec.Command("go", "env", "GOROOT").Output()
	for src, dst := range map[string]string{
		filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
		filepath.Join(mod, "client", "web", "index.html"):                               "index.html",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, dst), b, 0o644)
	}
	return dir
}

// server is the real server binary as a child process.
type server struct {
	t    *testing.T
	bin  string
	args []string
	cmd  *exec.Cmd
	addr string
}

func (s *server) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, s.args...)
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get("http://" + s.addr + "/healthz"); err == nil {
			r.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatal("the server did not come up")
}

func (s *server) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
}

// facilitator is a protocol client (server/wsclient, the one every test
// and the load tool use), as a trainer's console would be.
type facilitator struct{ *wsclient.Client }

// until reads messages until one satisfies ok; an error fails the test.
func (f *facilitator) until(ok func(protocol.ServerMsg) bool) protocol.ServerMsg {
	f.T.Helper()
	return f.Until(func(m protocol.ServerMsg) bool {
		if m.Kind == protocol.KindError && m.Error != nil {
			f.T.Fatalf("facilitator got error %s: %s", m.Error.Code, m.Error.Message)
		}
		return ok(m)
	})
}

// cdp speaks Chrome's DevTools protocol over one WebSocket.
type cdp struct {
	t  *testing.T
	ws *websocket.Conn
	id int
}

func (c *cdp) call(method string, params any, result any) error {
	c.id++
	id := c.id
	b, _ := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		return err
	}
	for {
		_, msg, err := c.ws.Read(ctx)
		if err != nil {
			return err
		}
		var r struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if json.Unmarshal(msg, &r) != nil || r.ID != id {
			continue // an event
		}
		if r.Error != nil {
			return errors.New(r.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(r.Result, result)
		}
		return nil
	}
}

// eval runs JavaScript in the page and returns its string result.
func (c *cdp) eval(js string) string {
	c.t.Helper()
	var r struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
	}
	var err error
	for try := 0; try < 20; try++ {
		err = c.call("Runtime.evaluate", map[string]any{"expression": js, "returnByValue": true}, &r)
		// While a page loads or the service worker takes over, Chromium
		// briefly has no execution context: ask again, a bounded few times.
		if err == nil || !strings.Contains(err.Error(), "execution context") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		c.t.Fatalf("eval %s: %v", js, err)
	}
	s, _ := r.Result.Value.(string)
	return s
}

// state is the page's window.pushbackState(): the client's own type.
type state = model.Snapshot

func (c *cdp) state() state {
	var s state
	raw := c.eval(`typeof pushbackState === "function" ? pushbackState() : ""`)
	if raw != "" {
		json.Unmarshal([]byte(raw), &s)
	}
	return s
}

// wait polls the page's state until ok holds.
func (c *cdp) wait(what string, limit time.Duration, ok func(state) bool) state {
	c.t.Helper()
	end := time.Now().Add(limit)
	var s state
	for time.Now().Before(end) {
		s = c.state()
		if ok(s) {
			return s
		}
		time.Sleep(150 * time.Millisecond)
	}
	c.shot("failed")
	c.t.Fatalf("waiting for %s: last state %+v", what, s)
	return s
}

var keyCodes = map[string]int{"Tab": 9, "Enter": 13, "Backspace": 8, "ArrowRight": 39, "ArrowDown": 40}

// key presses a named key (Tab, Enter, …) the way a keyboard would.
func (c *cdp) key(name string) {
	c.t.Helper()
	p := map[string]any{"key": name, "code": name, "windowsVirtualKeyCode": keyCodes[name]}
	for _, typ := range []string{"rawKeyDown", "keyUp"} {
		p["type"] = typ
		if err := c.call("Input.dispatchKeyEvent", p, nil); err != nil {
			c.t.Fatal(err)
		}
		// Hold and release for a few frames each: the game reads keys once
		// per tick, as a person's keystroke would last.
		time.Sleep(60 * time.Millisecond)
	}
}

// typeText types characters one key at a time.
func (c *cdp) typeText(s string) {
	c.t.Helper()
	for _, r := range s {
		ch := string(r)
		code := "Key" + strings.ToUpper(ch)
		if r >= '0' && r <= '9' {
			code = "Digit" + ch
		}
		for _, typ := range []string{"keyDown", "keyUp"} {
			p := map[string]any{"type": typ, "key": ch, "code": code}
			if typ == "keyDown" {
				p["text"] = ch
			}
			if err := c.call("Input.dispatchKeyEvent", p, nil); err != nil {
				c.t.Fatal(err)
			}
			time.Sleep(40 * time.Millisecond)
		}
	}
}

// focusOn presses Tab until the control id has the focus.
func (c *cdp) focusOn(id string) {
	c.t.Helper()
	for i := 0; i < 80; i++ {
		if c.state().Focus == id {
			return
		}
		c.key("Tab")
	}
	c.shot("failed")
	c.t.Fatalf("Tab never reached %q", id)
}

// shot saves a screenshot of the page into build/screenshots.
func (c *cdp) shot(name string) string {
	var r struct {
		Data string `json:"data"`
	}
	if err := c.call("Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		c.t.Logf("screenshot: %v", err)
		return ""
	}
	b, _ := base64.StdEncoding.DecodeString(r.Data)
	dir := filepath.Join(root(c.t), "build", "screenshots")
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, "e2e-"+name+".png")
	os.WriteFile(path, b, 0o644)
	return path
}

// browser starts headless Chromium on url and connects to its page.
func browser(t *testing.T, url string) *cdp {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is missing: run bash .ci/deps.sh (make test does)")
	}
	// Not t.TempDir: Chromium's helper processes may still be writing the
	// profile for a moment after the browser is killed, and TempDir's
	// cleanup fails the test on that.
	profile, err := os.MkdirTemp("", "pushback-e2e-profile-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--enable-unsafe-swiftshader", "--remote-allow-origins=*",
		"--user-data-dir="+profile, "--remote-debugging-port=0", "--window-size=1280,720", url)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers die with it
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	var port string
	for i := 0; i < 200 && port == ""; i++ {
		if b, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort")); err == nil {
			port = strings.SplitN(string(b), "\n", 2)[0]
		}
		time.Sleep(50 * time.Millisecond)
	}
	if port == "" {
		t.Fatal("chromium did not open its DevTools port")
	}
	var pages []struct {
		Type string `json:"type"`
		URL  string `json:"url"`
		WS   string `json:"webSocketDebuggerUrl"`
	}
	for i := 0; i < 100; i++ {
		if r, err := http.Get("http://127.0.0.1:" + port + "/json"); err == nil {
			json.NewDecoder(r.Body).Decode(&pages)
			r.Body.Close()
		}
		for _, p := range pages {
			if p.Type == "page" && strings.HasPrefix(p.URL, "http") {
				ws, _, err := websocket.Dial(context.Background(), p.WS, nil)
				if err != nil {
					t.Fatal(err)
				}
				ws.SetReadLimit(64 << 20)
				t.Cleanup(func() { ws.CloseNow() })
				return &cdp{t: t, ws: ws}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no page target in chromium")
	return nil
}

// stack builds the server and the browser client, starts the server on a
// free loopback port with fresh data, and connects a trainer's console.
// The server is killed when the test ends.
func stack(t *testing.T) (*server, string, *facilitator) {
	mod := root(t)
	web := webDir(t, mod)
	bin := filepath.Join(t.TempDir(), "pushback-server")
	build := exec.Command("go", "build", "-o", bin, "./server")
	build.Dir = mod
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("server build: %v\n%s", err, out)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	srv := &server{t: t, bin: bin, addr: addr, args: []string{"serve", "-addr", addr, "-data", t.TempDir(), "-web", web, "-log", "warn"}}
	srv.start()
	t.Cleanup(func() { srv.kill() })
	fac := &facilitator{wsclient.Dial(t, "ws://"+addr+"/ws")}
	return srv, addr, fac
}

// startRoom is stack with a room: the trainer creates one with a scripted
// executive and three managers over the protocol.
func startRoom(t *testing.T) (srv *server, fac *facilitator, addr, code string) {
	srv, addr, fac = stack(t)
	// Seed 89 deals this seat, in month 2, two pieces of evidence against the
	// persona's card (see TestBrowserPlaysAMonth's last step).
	fac.Post(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 3, Seed: 89}})
	joined := fac.until(func(m protocol.ServerMsg) bool { return m.Kind == protocol.KindJoined }).Joined
	t.Logf("room %s", joined.Code)
	return srv, fac, addr, joined.Code
}

func TestBrowserPlaysAMonth(t *testing.T) {
	// The trainer creates a room with a scripted executive and three managers.
	srv, fac, addr, code := startRoom(t)

	// A participant opens the page and joins by code with the keyboard alone.
	page := browser(t, "http://"+addr+"/")
	start := time.Now()
	page.wait("the page to load and connect", 90*time.Second, func(s state) bool { return s.Screen == "title" && s.Conn == "online" })
	t.Logf("page loaded and online in %v", time.Since(start).Round(time.Millisecond))
	page.call("Input.dispatchMouseEvent", map[string]any{"type": "mousePressed", "x": 20, "y": 700, "button": "left", "clickCount": 1}, nil)
	page.call("Input.dispatchMouseEvent", map[string]any{"type": "mouseReleased", "x": 20, "y": 700, "button": "left", "clickCount": 1}, nil)
	page.focusOn("code")
	page.typeText(strings.ToLower(code))
	page.focusOn("name")
	page.typeText("Ann")
	page.focusOn("join")
	page.key("Enter")
	s := page.wait("the lobby", 20*time.Second, func(s state) bool { return s.Screen == "lobby" })
	if s.Code != code || s.Seat < 1 {
		t.Fatalf("joined %+v", s)
	}
	page.shot("lobby")
	seat := s.Seat

	// The trainer starts; bots take the other seats; the executive's persona plays a mandate.
	fac.Post(protocol.ClientMsg{Kind: protocol.KindStart})
	s = page.wait("the mandate", 30*time.Second, func(s state) bool { return s.Screen == "manager" && s.Phase == "response" })
	before := s.Meters
	page.shot("manager")

	// Push back with a business case, by keyboard: the chips, the case, Send.
	page.focusOn("resp.2")
	page.key("Enter")
	page.focusOn("data.0")
	page.key("Enter")
	page.focusOn("impact.1")
	page.key("Enter")
	page.focusOn("act.3")
	page.key("Enter")
	if s := page.state(); s.Answer != "push back, and candid meeting" {
		t.Fatalf("the keyboard drafted %q", s.Answer)
	}
	page.focusOn("send")
	page.key("Enter")
	s = page.wait("the reveal", 30*time.Second, func(s state) bool { return s.Screen == "reveal" })
	s = page.wait("the meters to settle", 10*time.Second, func(s state) bool {
		for k, v := range s.Meters {
			if s.Shown[k] != v {
				return false
			}
		}
		return true
	})
	moved := 0
	for k, v := range s.Meters {
		if before[k] != v {
			moved++
		}
	}
	t.Logf("before %v after %v", before, s.Meters)
	if moved == 0 || len(s.Causes) == 0 {
		t.Fatalf("the meters did not change: before %v after %v causes %v", before, s.Meters, s.Causes)
	}
	pushed := false
	for _, c := range s.Causes {
		if strings.Contains(c, "pushed back") {
			pushed = true
		}
	}
	if !pushed {
		t.Errorf("no cause mentions the pushback: %v", s.Causes)
	}
	t.Logf("reveal: %s", page.shot("reveal"))

	// The server dies and comes back on the same data: the page reconnects by
	// itself and resumes the same seat with its stored token.
	srv.kill()
	page.wait("the drop to show", 20*time.Second, func(s state) bool { return s.Conn == "connection lost" })
	page.shot("dropped")
	srv.start()
	back := page.wait("the resume", 40*time.Second, func(s state) bool { return s.Conn == "online" && s.Screen == "reveal" })
	if back.Seat != seat || back.Code != code || back.Turn != s.Turn {
		t.Fatalf("after the restart %+v, want seat %d room %s turn %d", back, seat, code, s.Turn)
	}
	page.key("Tab") // the Ready button is the last control on the reveal
	page.focusOn("ready")
	page.key("Enter")
	page.wait("the next month", 30*time.Second, func(s state) bool { return s.Turn == back.Turn+1 && s.Screen == "manager" })

	evidenceBackedPushback(t, page, back.Turn+1)
}

// evidenceBackedPushback plays month turn as a careful manager would: it
// reads the front-line evidence the seat holds, cites what bears on the
// persona's mandate, frames the case, offers the card's first costed
// alternative with the ask that fits, tells the team, and checks that the
// objection wins and that the ruling's feedback reaches the page.
func evidenceBackedPushback(t *testing.T, page *cdp, turn int) {
	start := time.Now()
	defer func() { t.Logf("the evidence-backed month took %v", time.Since(start).Round(time.Millisecond)) }()
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	s := page.wait("the mandate of month 2", 30*time.Second, func(s state) bool {
		return s.Turn == turn && s.Screen == "manager" && s.Phase == "response" && s.Card != ""
	})
	card := -1
	for i := range scn.Mandates {
		if scn.Mandates[i].ID == s.Card {
			card = i
		}
	}
	k, chips := bestCase(scn, card, s.Evidence)
	if len(chips) == 0 {
		page.shot("failed")
		t.Fatalf("month %d: the seat holds %v, none of it against %s; the seed no longer deals the case this test plays", turn, s.Evidence, s.Card)
	}
	t.Logf("month %d: against %s, citing %v, %s, %s", turn, s.Card, k.Evidence, k.Alternative, k.Ask)
	page.focusOn("resp.2")
	page.key("Enter")
	for _, c := range chips {
		page.focusOn(fmt.Sprintf("cite.%d", c))
		page.key("Enter")
	}
	page.focusOn(fmt.Sprintf("data.%d", k.Data-1))
	page.key("Enter")
	page.focusOn(fmt.Sprintf("impact.%d", k.Impact-1))
	page.key("Enter")
	page.focusOn("alt.1")
	page.key("Enter")
	page.focusOn(fmt.Sprintf("ask.%d", k.Ask))
	page.key("Enter")
	page.focusOn("act.3")
	page.key("Enter")
	if s := page.state(); s.Cited != k.Evidence || s.Alternative != k.Alternative || s.Answer != "push back, and candid meeting" {
		page.shot("failed")
		t.Fatalf("the keyboard drafted %q citing %q offering %q; want %q %q", s.Answer, s.Cited, s.Alternative, k.Evidence, k.Alternative)
	}
	page.shot("case")
	page.focusOn("send")
	page.key("Enter")
	s = page.wait("the ruling on the case", 30*time.Second, func(s state) bool {
		return s.Turn == turn && s.Screen == "reveal" && s.Verdict != ""
	})
	page.shot("feedback")
	if s.Verdict != "amended" && s.Verdict != "withdrawn" {
		t.Errorf("an evidence-backed case was %s", s.Verdict)
	}
	words := strings.Join(s.Feedback, " ")
	if !strings.Contains(words, "Landed: your evidence") || !strings.Contains(words, "costed alternative") ||
		!strings.Contains(words, "arguments about "+scn.Personas[0].Valued().String()) {
		t.Errorf("the feedback does not say what landed and what the persona values: %q", s.Feedback)
	}
	t.Logf("ruling: %s; feedback: %q", s.Verdict, s.Feedback)
}

// bestCase is the case a careful manager builds from the evidence held
// (IDs, in the order of the page's cite chips): every card that makes the
// mandate worse for the team, the mandate's first costed alternative, and
// the levers and ask that GradeCase grades best. chips are the indexes of
// the cite chips to press.
func bestCase(scn *sim.Scenario, card int, held []string) (k sim.Case, chips []int) {
	for i, id := range held {
		if e := scn.EvidenceIndex(id); e >= 0 && scn.Evidence[e].Shift(card) > 0 && len(chips) < sim.EvidenceHand {
			k.Evidence[len(chips)] = id
			chips = append(chips, i)
		}
	}
	if alts := scn.Mandates[card].Alternatives; len(alts) > 0 {
		k.Alternative = alts[0].ID
	}
	best := -1.0
	for d := sim.Lever(1); d < sim.NumLevers; d++ {
		for i := sim.Lever(1); i < sim.NumLevers; i++ {
			for a := sim.Ask(0); a < sim.NumAsks; a++ {
				try := k
				try.Data, try.Impact, try.Ask = d, i, a
				if g := sim.GradeCase(scn, card, try, nil); g.Quality > best+1e-9 {
					best, k = g.Quality, try
				}
			}
		}
	}
	return k, chips
}
