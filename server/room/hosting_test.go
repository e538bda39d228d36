package room

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pushback/scenarios"
	"pushback/server/debrief"
	"pushback/server/protocol"
	"pushback/server/wsclient"
	"pushback/sim"
)

// trainerFile is a trainer's own scenario: the shipped tutorial under
// another id and title.
func trainerFile(t testing.TB, id string) []byte {
	t.Helper()
	src, err := scenarios.Source("tutorial")
	if err != nil {
		t.Fatal(err)
	}
	src = bytes.Replace(src, []byte("id: tutorial"), []byte("id: "+id), 1)
	return bytes.Replace(src, []byte(`title: "Tutorial: Your First Five Months"`), []byte(`title: "Our Own Workshop"`), 1)
}

// brokenFile has "turns: many" where a number belongs; line is that line.
func brokenFile(t testing.TB) (src []byte, line int) {
	src = trainerFile(t, "broken-one")
	i := bytes.Index(src, []byte("\nturns: 5"))
	if i < 0 {
		t.Fatal("the tutorial has no turns line")
	}
	return bytes.Replace(src, []byte("\nturns: 5"), []byte("\nturns: many"), 1), bytes.Count(src[:i+1], []byte("\n")) + 1
}

// The hosting kinds over the wire: the scenario list with a trainer's
// directory (a valid file offered, a broken, an oversized and a clashing
// one skipped), check with problems at line:column, preview's balance
// table, and create from an upload and from a trainer's file by name.
func TestHostingKinds(t *testing.T) {
	dir := t.TempDir()
	broken, line := brokenFile(t)
	files := map[string][]byte{
		"ours.yaml":    trainerFile(t, "our-workshop"),
		"broken.yaml":  broken,
		"huge.yaml":    append(trainerFile(t, "huge-one"), bytes.Repeat([]byte("# padding\n"), protocol.MaxScenario/10)...),
		"clash.yaml":   trainerFile(t, "tutorial"),
		"not-yaml.txt": []byte("ignored"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := startServer(t, Config{Scenarios: dir})
	c := wsclient.Dial(t, s.url)

	list := c.Must(protocol.ClientMsg{Kind: protocol.KindScenarios}).Scenarios
	var ids []string
	for _, sc := range list {
		ids = append(ids, fmt.Sprint(sc.ID, "/", sc.Trainer))
	}
	if len(list) != len(scenarios.Names())+1 || list[len(list)-1].ID != "our-workshop" || !list[len(list)-1].Trainer ||
		list[0].ID != scenarios.Default || list[0].Trainer || len(list[0].Personas) == 0 || list[0].Personas[0].Title == "" || len(list[0].Styles) == 0 {
		t.Fatalf("scenarios: %v", ids)
	}

	// check: the broken file's problem at its line and column; a valid
	// file describes its scenario.
	ck := c.Must(protocol.ClientMsg{Kind: protocol.KindCheck, Source: broken, File: "mine.yaml"}).Checked
	if ck.File != "mine.yaml" || len(ck.Problems) == 0 || ck.Problems[0].Line != line || ck.Problems[0].Column < 1 || ck.Scenario != nil {
		t.Fatalf("check broken: %+v (want line %d)", ck, line)
	}
	if ck = c.Must(protocol.ClientMsg{Kind: protocol.KindCheck, Source: broken, File: "../x/\u202eevil.yaml"}).Checked; ck.File != "scenario.yaml" {
		t.Fatalf("a hostile file name came back as %q", ck.File)
	}
	ck = c.Must(protocol.ClientMsg{Kind: protocol.KindCheck, Source: trainerFile(t, "fresh"), File: "fresh.yaml"}).Checked
	if len(ck.Problems) != 0 || ck.Scenario == nil || ck.Scenario.ID != "fresh" || ck.Scenario.Title != "Our Own Workshop" || !ck.Scenario.Trainer {
		t.Fatalf("check valid: %+v", ck)
	}

	// Limits: a source over MaxScenario, and any other kind over MaxMessage,
	// are refused with bad_message; the connection lives on.
	big := bytes.Repeat([]byte("#"), protocol.MaxScenario+1)
	r := c.Req(protocol.ClientMsg{Kind: protocol.KindCheck, Source: big})
	if r.Kind != protocol.KindError || r.Error.Code != protocol.CodeBadMessage || !strings.Contains(r.Error.Message, "64 KiB") {
		t.Fatalf("oversize source: %+v %v", r, r.Error)
	}
	r = c.Req(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Source: big}})
	if r.Kind != protocol.KindError || r.Error.Code != protocol.CodeBadMessage {
		t.Fatalf("oversize create source: %+v", r)
	}
	r = c.Req(protocol.ClientMsg{Kind: protocol.KindTables, Token: strings.Repeat("x", protocol.MaxMessage)})
	if r.Kind != protocol.KindError || r.Error.Code != protocol.CodeBadMessage || !strings.Contains(r.Error.Message, "exceeds") {
		t.Fatalf("oversize tables frame: %+v %v", r, r.Error)
	}
	c.Must(protocol.ClientMsg{Kind: protocol.KindScenarios})

	// preview: one row per manager seat, PreviewGames games, the persona.
	bal := c.Must(protocol.ClientMsg{Kind: protocol.KindPreview, Create: &protocol.CreateRoom{Source: trainerFile(t, "fresh"),
		Managers: 5, Styles: []string{"advocate"}}}).Balance
	if bal.Scenario != "fresh" || bal.Games != PreviewGames || len(bal.Rows) != 5 || bal.Rows[0].Style != "advocate" ||
		bal.Rows[1].Style != DefaultStyles[1] || bal.Persona == "" || bal.Rows[0].Trust <= 0 || bal.Rows[0].Resigned < 0 || bal.Rows[0].Resigned > 1 {
		t.Fatalf("preview: %+v", bal)
	}
	c.Fails(protocol.ClientMsg{Kind: protocol.KindPreview, Create: &protocol.CreateRoom{Executive: "nobody"}}, protocol.CodeBadCommand)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindPreview, Create: &protocol.CreateRoom{Source: broken}}, protocol.CodeBadMessage)

	// create: a broken upload names its first problem at line:column.
	r = wsclient.Dial(t, s.url).Req(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Source: broken, File: "mine.yaml"}})
	if r.Kind != protocol.KindError || r.Error.Code != protocol.CodeBadMessage || !strings.Contains(r.Error.Message, fmt.Sprintf("mine.yaml:%d:", line)) {
		t.Fatalf("create broken: %+v %v", r, r.Error)
	}
	// A valid upload plays, and the trainer's file by name.
	j := wsclient.Dial(t, s.url).Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Source: trainerFile(t, "fresh"), File: "fresh.yaml", Managers: 6}}).Joined
	if j.Scenario.ID != "fresh" || j.Scenario.Title != "Our Own Workshop" {
		t.Fatalf("create upload: %+v", j.Scenario)
	}
	sr, err := s.st.Room(j.Code)
	if err != nil || sr.Scenario != "fresh" || !bytes.Equal(sr.Source, trainerFile(t, "fresh")) {
		t.Fatalf("stored: %v %q", err, sr.Scenario)
	}
	j = wsclient.Dial(t, s.url).Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Scenario: "our-workshop"}}).Joined
	if j.Scenario.ID != "our-workshop" {
		t.Fatalf("create by name: %+v", j.Scenario)
	}
	wsclient.Dial(t, s.url).Fails(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Scenario: "huge-one"}}, protocol.CodeBadCommand)
}

// Previews are bounded: one at a time per address (a second waits for
// none and is refused), and the global slots are shared.
func TestPreviewIsBounded(t *testing.T) {
	s := startServer(t, Config{Previews: 1})
	a, b := wsclient.Dial(t, s.url), wsclient.Dial(t, s.url)
	// Hold the only global slot, as a long preview elsewhere would.
	s.hub.previewSlots <- struct{}{}
	a.Send(protocol.ClientMsg{Kind: protocol.KindPreview, ID: 7, Create: &protocol.CreateRoom{}})
	// a's preview waits for the slot and holds its address's turn: b, from
	// the same address, is refused at once.
	for {
		s.hub.mu.Lock()
		busy := len(s.hub.previews) > 0
		s.hub.mu.Unlock()
		if busy {
			break
		}
	}
	b.Fails(protocol.ClientMsg{Kind: protocol.KindPreview, Create: &protocol.CreateRoom{}}, protocol.CodeRateLimited)
	// No slot frees within the wait: a is refused too.
	if r := a.Answer(7); r.Kind != protocol.KindError || r.Error.Code != protocol.CodeRateLimited {
		t.Fatalf("preview without a slot: %+v", r)
	}
	<-s.hub.previewSlots
	if bal := b.Must(protocol.ClientMsg{Kind: protocol.KindPreview, Create: &protocol.CreateRoom{}}).Balance; bal.Games != PreviewGames || len(bal.Rows) != 3 {
		t.Fatalf("preview: %+v", bal)
	}
}

// A full table spreads joiners to the facilitator's other tables with a
// free seat (not locked ones), then seats them as audience where the room
// has one, else refuses them and counts them for the facilitator. assign
// with a code moves a connection to another of the facilitator's tables.
func TestSpreadAudienceAndMove(t *testing.T) {
	s := startServer(t, Config{})
	fac := wsclient.Dial(t, s.url)
	ja := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 1}}).Joined
	tok := ja.Facilitator
	facB := wsclient.Dial(t, s.url)
	codeB := facB.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 1, Facilitator: tok}}).Joined.Code
	facC := wsclient.Dial(t, s.url)
	codeC := facC.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 2, Facilitator: tok}}).Joined.Code
	facC.Must(protocol.ClientMsg{Kind: protocol.KindLock, On: true})
	other := wsclient.Dial(t, s.url) // another trainer's table, with free seats
	other.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 4}})

	join := func(name, code string) protocol.ServerMsg {
		return wsclient.Dial(t, s.url).Req(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: name, Role: protocol.RoleManager})
	}
	anaC := wsclient.Dial(t, s.url)
	if j := anaC.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: ja.Code, Name: "Ana", Role: protocol.RoleManager}).Joined; j.Code != ja.Code || j.Seat != 1 {
		t.Fatalf("Ana: %+v", j)
	}
	if j := join("Ben", ja.Code).Joined; j == nil || j.Code != codeB || j.Seat != 1 || j.Token == "" {
		t.Fatalf("Ben was not spread to table B: %+v", j)
	}
	// A and B are full and C is locked: Cy is refused, and counted.
	if r := join("Cy", ja.Code); r.Kind != protocol.KindError || r.Error.Code != protocol.CodeRoomFull {
		t.Fatalf("Cy: %+v", r)
	}
	if v := fac.WaitView(func(v *protocol.View) bool { return v.Room.Turned == 1 }); v.Room.Audience {
		t.Fatalf("audience on a room created without it: %+v", v.Room)
	}
	obs := wsclient.Dial(t, s.url)
	obs.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: ja.Code, Role: protocol.RoleObserver})
	if v := obs.WaitView(func(v *protocol.View) bool { return true }); v.Room.Turned != 0 {
		t.Fatalf("an observer sees turned %d", v.Room.Turned)
	}

	// An audience room seats the overflow as observers.
	facD := wsclient.Dial(t, s.url)
	codeD := facD.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 1, Facilitator: tok, Audience: true}}).Joined.Code
	if j := join("Dee", codeD).Joined; j == nil || j.Code != codeD || j.Seat != 1 {
		t.Fatalf("Dee: %+v", j)
	}
	if j := join("Eve", codeD).Joined; j == nil || j.Code != codeD || j.Role != protocol.RoleObserver || j.Token != "" {
		t.Fatalf("Eve was not seated as audience: %+v", j)
	}
	if v := facD.WaitView(func(v *protocol.View) bool { return len(v.Room.People) == 3 }); !v.Room.Audience || v.Room.Turned != 0 {
		t.Fatalf("audience room: %+v", v.Room)
	}

	// assign with a code: Ana moves from A to C once C is unlocked.
	v := fac.WaitView(func(v *protocol.View) bool { return len(v.Room.People) >= 2 })
	var ana int
	for _, p := range v.Room.People {
		if p.Name == "Ana" {
			ana = p.Conn
		}
	}
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindAssign, Conn: ana, Code: "ZZZZZZ"}, protocol.CodeBadMessage)
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindAssign, Conn: 999, Code: codeC}, protocol.CodeBadMessage)
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindAssign, Conn: ana, Code: codeC}, protocol.CodeRoomLocked)
	if !fac.View.Room.Seats[1].Human {
		t.Fatal("a refused move took Ana's seat")
	}
	facC.Must(protocol.ClientMsg{Kind: protocol.KindLock, On: false})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindAssign, Conn: ana, Code: codeC})
	for anaC.Joined.Code != codeC {
		anaC.Next()
	}
	if anaC.Joined.Seat != 1 || anaC.Joined.Role != protocol.RoleManager || anaC.Joined.Token == "" {
		t.Fatalf("Ana moved as %+v", anaC.Joined)
	}
	vc := facC.WaitView(func(v *protocol.View) bool { return v.Room.Seats[1].Human })
	if vc.Room.Seats[1].Name != "Ana" {
		t.Fatalf("table C after the move: %+v", vc.Room.Seats)
	}
	va := fac.WaitView(func(v *protocol.View) bool { return !v.Room.Seats[1].Human })
	if !va.Room.Seats[1].Bot {
		t.Fatalf("table A after the move: %+v", va.Room.Seats)
	}
	// A player cannot move people.
	pl := wsclient.Dial(t, s.url)
	pl.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: ja.Code, Name: "Fay", Role: protocol.RoleManager})
	pl.Fails(protocol.ClientMsg{Kind: protocol.KindAssign, Conn: 1, Code: codeB}, protocol.CodeUnauthorized)
}

// Notices reach the right seats: pause, continue, inject (the event's
// title), extend and skip to everyone; a bot handover and return only to
// that seat (and the facilitator). Skip lifts a pause. answered/waiting
// count the phase's seats.
func TestNotices(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	fac := wsclient.Dial(t, s.url)
	code := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 3,
		Deadlines: protocol.Deadlines{Response: 600}}}).Joined.Code
	ana, ben := wsclient.Dial(t, s.url), wsclient.Dial(t, s.url)
	ana.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "Ana", Role: protocol.RoleManager})
	ben.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "Ben", Role: protocol.RoleManager})
	proj := wsclient.Dial(t, s.url)
	proj.Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Role: protocol.RoleProjector})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	v := proj.WaitView(func(v *protocol.View) bool { return v.Game.Phase == sim.PhaseResponse })
	// The persona decided; the bot in seat 3 answered; Ana and Ben owe.
	if v.Room.Waiting != 3 || v.Room.Answered != 1 || v.Room.Deadlines.Response != 600 {
		t.Fatalf("answered %d of %d, deadlines %+v", v.Room.Answered, v.Room.Waiting, v.Room.Deadlines)
	}

	last := func(c *wsclient.Client, kind string) protocol.Notice {
		t.Helper()
		v := c.WaitView(func(v *protocol.View) bool {
			n := v.Room.Notices
			return len(n) > 0 && n[len(n)-1].Kind == kind
		})
		return v.Room.Notices[len(v.Room.Notices)-1]
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindPause})
	for _, c := range []*wsclient.Client{ana, ben, proj, fac} {
		if n := last(c, protocol.NoticePaused); !n.Everyone || n.Text == "" || !c.View.Room.Paused {
			t.Fatalf("pause notice %+v", n)
		}
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindExtend, Seconds: 60})
	last(ana, protocol.NoticeExtended)
	fac.Must(protocol.ClientMsg{Kind: protocol.KindContinue})
	if n := last(ben, protocol.NoticeContinued); ben.View.Room.Paused || n.Text == "" {
		t.Fatalf("continue: paused %v, %+v", ben.View.Room.Paused, n)
	}
	ev := scn.Events[len(scn.Events)-1]
	fac.Must(protocol.ClientMsg{Kind: protocol.KindInject, Event: ev.ID})
	if n := last(proj, protocol.NoticeInjected); n.Text != ev.Title {
		t.Fatalf("inject notice %+v, want %q", n, ev.Title)
	}

	// Ana's seat to a bot: Ana is told, Ben and the projector are not.
	fac.Must(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(1), On: true})
	if n := last(ana, protocol.NoticeBot); n.Everyone || n.Seat != 1 {
		t.Fatalf("bot notice %+v", n)
	}
	last(fac, protocol.NoticeBot)
	fac.Must(protocol.ClientMsg{Kind: protocol.KindBot, Seat: seatp(1), On: false})
	last(ana, protocol.NoticeReturned)
	for _, c := range []*wsclient.Client{ben, proj} {
		c.AtLeast(fac.View.Game.Version)
		for _, n := range c.View.Room.Notices {
			if n.Kind == protocol.NoticeBot || n.Kind == protocol.NoticeReturned {
				t.Fatalf("a notice for seat 1 reached another: %+v", n)
			}
		}
	}

	// Skip while paused: the game moves on and is no longer paused.
	fac.Must(protocol.ClientMsg{Kind: protocol.KindPause})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindSkip})
	if n := last(ben, protocol.NoticeSkipped); ben.View.Room.Paused || n.Text == "" {
		t.Fatalf("skip left the room paused: %+v", ben.View.Room)
	}
	if len(ben.View.Room.Notices) > noticesShown {
		t.Fatalf("%d notices shown", len(ben.View.Room.Notices))
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindPause})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindEnd})
	if n := last(ana, protocol.NoticeEnded); !ana.View.Room.Over || ana.View.Room.Paused || n.Text == "" {
		t.Fatalf("end: %+v", ana.View.Room)
	}
	fac.Fails(protocol.ClientMsg{Kind: protocol.KindPause}, protocol.CodeGameOver)
}

// The report calls people by the names they joined with, a bot seat by its
// style, in the debrief message, the HTML, the CSV and the game file; the
// bot style shows only for bot seats; seed and command count sit in the
// technical details at the end.
func TestReportNamesPeople(t *testing.T) {
	s := startServer(t, Config{})
	scn := loadScenario(t)
	fac := wsclient.Dial(t, s.url)
	j := fac.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Managers: 3, Executive: "human",
		Styles: []string{"advocate", "firebrand", "diplomat"}}}).Joined
	names := []string{"Xena Boss", "Ana Lima", "Ben Okafor"}
	for i, n := range names {
		role := protocol.RoleManager
		if i == 0 {
			role = protocol.RoleExecutive
		}
		wsclient.Dial(t, s.url).Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: j.Code, Name: n, Role: role})
	}
	fac.Must(protocol.ClientMsg{Kind: protocol.KindStart})
	fac.Must(protocol.ClientMsg{Kind: protocol.KindEnd})
	rep := fac.Must(protocol.ClientMsg{Kind: protocol.KindDebrief}).Debrief
	bot := scn.Style("diplomat").Name + " (bot)"
	if rep.Executive != names[0] || rep.Managers[0].Name != names[1] || rep.Managers[1].Name != names[2] || rep.Managers[2].Name != bot ||
		rep.Managers[0].Style != "" || rep.Managers[2].Style != "diplomat" {
		t.Fatalf("debrief names: exec %q, managers %+v", rep.Executive, rep.Managers)
	}
	g, err := s.hub.Game(j.Code, j.Facilitator)
	if err != nil {
		t.Fatal(err)
	}
	built, err := debrief.Build(g)
	if err != nil {
		t.Fatal(err)
	}
	var html, csv, file bytes.Buffer
	if err := debrief.WriteHTML(&html, built); err != nil {
		t.Fatal(err)
	}
	if err := debrief.WriteCSV(&csv, built); err != nil {
		t.Fatal(err)
	}
	if err := debrief.WriteJSON(&file, g); err != nil {
		t.Fatal(err)
	}
	for what, out := range map[string]string{"HTML": html.String(), "CSV": csv.String(), "JSON": file.String()} {
		for _, n := range append(names, bot) {
			if !strings.Contains(out, n) {
				t.Errorf("%s lacks %q", what, n)
			}
		}
		if strings.Contains(out, "Manager 1") {
			t.Errorf("%s still says Manager 1", what)
		}
	}
	h := html.String()
	tech := strings.Index(h, "Technical details")
	if !strings.Contains(h, "<th>Bot style</th>") || tech < 0 || strings.Index(h, "Rebuilt from") < tech || strings.Index(h, fmt.Sprintf("Seed %d", g.Seed)) < tech {
		t.Error("HTML: no bot-style column, or the seed and command count are not in the details at the end")
	}
	// The game file keeps the names: read back, it reports the same.
	back, err := debrief.ReadJSON(&file)
	if err != nil {
		t.Fatal(err)
	}
	again, err := debrief.Build(back)
	if err != nil || again.Executive != names[0] || again.Managers[2].Name != bot {
		t.Fatalf("file read back: %v %+v", err, again)
	}

	// A table of people only has no bot-style column.
	g.People[3] = "Cy Ng"
	built, err = debrief.Build(g)
	if err != nil {
		t.Fatal(err)
	}
	html.Reset()
	debrief.WriteHTML(&html, built)
	if strings.Contains(html.String(), "Bot style") || built.BotSeats() {
		t.Error("a bot-style column without a bot seat")
	}
}
