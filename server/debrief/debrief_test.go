package debrief_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"pushback/server/debrief"
	"pushback/sim"
)

// games are the finished tables the tests check: the scenario's first
// persona as the brief asks, and the two others, which visit and target.
var games = []struct {
	persona string
	seed    uint64
}{
	{"", 1},
	{"", 77},
	{"spreadsheet", 5},
	{"listener", 9},
}

func TestReportMatchesGame(t *testing.T) {
	shields, escalations := 0, 0
	for _, tc := range games {
		for _, st := range [][]string{styles, others} {
			t.Run(fmt.Sprintf("%s-%d-%s", tc.persona, tc.seed, st[0]), func(t *testing.T) {
				g, s := botGameOf(t, st, tc.persona, tc.seed, 0)
				r, err := debrief.Build(g)
				if err != nil {
					t.Fatal(err)
				}
				checkReport(t, g, s, r)
				for _, d := range s.Decisions {
					if d.Discovered {
						shields++
					}
					if d.Escalated >= 0 {
						escalations++
					}
				}
			})
		}
	}
	if shields == 0 || escalations == 0 {
		t.Errorf("the games never had a shield found (%d) or a late escalation (%d) to check", shields, escalations)
	}
}

func TestCSVFollowsEveryStyle(t *testing.T) {
	for _, tc := range games {
		t.Run(fmt.Sprintf("%s-%d", tc.persona, tc.seed), func(t *testing.T) {
			g, s := botGameOf(t, others, tc.persona, tc.seed, 0)
			checkCSV(t, g, s)
		})
	}
}

// checkReport compares every turn, decision and number of a report with the
// state the game reached when it was played.
func checkReport(t *testing.T, g debrief.Game, s *sim.State, r *debrief.Report) {
	t.Helper()
	scn := s.Scn
	played := len(s.History) - 1
	if r.Played != played || r.Turns != scn.Turns || r.Final != (s.Phase == sim.PhaseOver) || r.Commands != len(g.Commands) {
		t.Fatalf("report: played %d of %d, final %v, %d commands; game: %d of %d, %s, %d commands",
			r.Played, r.Turns, r.Final, r.Commands, played, scn.Turns, s.Phase, len(g.Commands))
	}
	if len(r.Company) != played+1 || len(r.Turn) != played {
		t.Fatalf("report has %d company rows and %d turns for %d finished turns", len(r.Company), len(r.Turn), played)
	}
	for k, h := range s.History {
		c := r.Company[k]
		if c != (debrief.Company{Revenue: h.Company.Revenue, Cost: h.Company.Cost, Pressure: h.Company.Pressure, Market: h.Company.Market}) {
			t.Errorf("turn %d: company %+v, history %+v", k, c, h.Company)
		}
	}
	// Mandates as the log played them.
	turn, mandates := 1, map[int]sim.Command{}
	visits := 0
	for _, c := range g.Commands {
		switch c.Kind {
		case sim.CmdMandate:
			mandates[turn] = c
		case sim.CmdVisit:
			visits++
		}
		if c.Kind == sim.CmdReady && c.Seat == sim.Seat(s.Managers()) {
			turn++ // the last seat's ready ends the turn when every bot is ready in seat order
		}
	}
	for _, ti := range r.Turn {
		c, ok := mandates[ti.Turn]
		switch {
		case !ok && ti.Mandate != "":
			t.Errorf("turn %d: report shows mandate %q, the log has none", ti.Turn, ti.Mandate)
		case ok && ti.Mandate != scn.Mandates[s.MandateIndex(c.Card)].Title:
			t.Errorf("turn %d: report shows mandate %q, the log played %q", ti.Turn, ti.Mandate, c.Card)
		}
		if len(ti.News) == 0 {
			t.Errorf("turn %d: no news", ti.Turn)
		}
	}
	if len(r.Visits) != visits {
		t.Errorf("report has %d visits, the log %d", len(r.Visits), visits)
	}
	for _, v := range r.Visits {
		if tm := s.Team(sim.Seat(v.Seat)); tm.VisitTurn == v.Turn && (tm.SeenMorale != v.Morale || tm.SeenTrust != v.Trust) {
			t.Errorf("visit %+v: the executive saw %d/%d", v, tm.SeenMorale, tm.SeenTrust)
		}
	}
	// Each manager, each turn.
	decisions := 0
	for i, m := range r.Managers {
		seat := sim.Seat(i + 1)
		if m.Name != s.Cfg.Managers[i].Name || m.Seat != int(seat) || m.Style != s.Cfg.Managers[i].Style {
			t.Errorf("manager %d: %q seat %d style %q", i, m.Name, m.Seat, m.Style)
		}
		for k, h := range s.History {
			if m.Meters[k] != h.Teams[i] || m.Pulse[k] != h.Pulse[i] || m.Score[k] != sim.ManagerScore(h.Teams[i]) {
				t.Errorf("%s turn %d: meters %+v pulse %d score %d; history %+v pulse %d", m.Name, k, m.Meters[k], m.Pulse[k], m.Score[k], h.Teams[i], h.Pulse[i])
			}
		}
		var mine []sim.Decision
		for _, d := range s.Decisions {
			if d.Seat == seat {
				mine = append(mine, d)
			}
		}
		if len(m.Decisions) != len(mine) || len(mine) != played {
			t.Fatalf("%s: %d decisions in the report, %d in the game, %d turns", m.Name, len(m.Decisions), len(mine), played)
		}
		for k, d := range mine {
			got := m.Decisions[k]
			decisions++
			want := debrief.Decision{Turn: d.Turn, Response: d.Response.String(), Voiced: d.Response.Voiced(),
				Action: d.Action.String(), Discovered: d.Discovered}
			if d.Card >= 0 {
				want.Card, want.Harm, want.Sound = scn.Mandates[d.Card].Title, d.Harm, d.Harm < scn.Coeff.SoundBelow
			}
			if d.Escalated >= 0 {
				want.Escalated = scn.Mandates[d.Escalated].Title
			}
			if d.Response.Voiced() {
				want.Verdict = d.Verdict.String()
				k := s.Case(&d)
				want.Case = &debrief.Case{Data: k.Data.String(), Impact: k.Impact.String(), Alternative: k.Alternative,
					Ask: k.Ask.String(), Text: k.Text, Quality: quality(scn, d), Grade: d.Grade, Feedback: feedback(s, d.Grade)}
			}
			for _, x := range s.Deltas {
				if x.Seat == seat && int(x.Turn) == d.Turn && x.Amount != 0 {
					want.Changes = append(want.Changes, x.Text(scn))
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s turn %d:\nreport %+v\ngame   %+v", m.Name, d.Turn, got, want)
			}
			// The changes must add up to the history's step.
			sum := map[sim.Meter]int{}
			for _, x := range s.Deltas {
				if x.Seat == seat && int(x.Turn) == d.Turn {
					sum[x.Meter] += int(x.Amount)
				}
			}
			before, after := s.History[d.Turn-1].Teams[i], s.History[d.Turn].Teams[i]
			for _, mt := range []sim.Meter{sim.MeterMorale, sim.MeterTrust, sim.MeterQuota, sim.MeterStanding} {
				if after.Get(mt)-before.Get(mt) != sum[mt] {
					t.Errorf("%s turn %d %s: history moved %d, the causes add to %d", m.Name, d.Turn, mt, after.Get(mt)-before.Get(mt), sum[mt])
				}
			}
		}
	}
	if decisions != len(s.Decisions) {
		t.Errorf("report covers %d decisions, the game has %d", decisions, len(s.Decisions))
	}
	// Scores.
	for i := range s.Teams {
		want := sim.ManagerScore(s.History[played].Teams[i])
		if s.Scores != nil {
			want = s.Scores.Managers[i]
		}
		if r.Scores.Managers[i] != want {
			t.Errorf("score of seat %d: %d, game %d", i+1, r.Scores.Managers[i], want)
		}
	}
	if (r.Scores.Executive == nil) != (s.Scores == nil) || s.Scores != nil && *r.Scores.Executive != s.Scores.Executive {
		t.Errorf("executive score %v, game %+v", r.Scores.Executive, s.Scores)
	}
	checkMoments(t, s, r)
	checkPrompts(t, s, r)
	checkReveal(t, g, r)
	checkExec(t, g, s, r)
	checkBenchmarks(t, g, s, r)
}

// checkMoments recomputes every swing from the deltas: the report's moments
// must be true sums, in order, and the largest ones, but for swings of a
// seat's meter that already has its MomentsPerMeter listed.
func checkMoments(t *testing.T, s *sim.State, r *debrief.Report) {
	t.Helper()
	type key struct {
		turn int
		seat sim.Seat
		m    string
	}
	net := map[key]int{}
	played := len(s.History) - 1
	for _, d := range s.Deltas {
		if d.Turn >= 1 && int(d.Turn) <= played && (d.Seat != sim.Executive || d.Meter == sim.MeterPressure) {
			net[key{int(d.Turn), d.Seat, d.Meter.String()}] += int(d.Amount)
		}
	}
	listed := map[key]bool{}
	perMeter := map[[2]any]int{}
	for k, mo := range r.Moments {
		kk := key{mo.Turn, sim.Seat(mo.Seat), mo.Meter}
		if v := net[kk]; v != mo.Change || len(mo.Causes) == 0 {
			t.Errorf("moment %+v: the deltas add to %d", mo, v)
		}
		if k > 0 && abs(mo.Change) > abs(r.Moments[k-1].Change) {
			t.Errorf("moments out of order at %d", k)
		}
		listed[kk] = true
		perMeter[[2]any{mo.Seat, mo.Meter}]++
	}
	if played > 0 && len(r.Moments) == 0 {
		t.Fatal("no key moments")
	}
	low := 0
	if len(r.Moments) > 0 {
		low = abs(r.Moments[len(r.Moments)-1].Change)
	}
	for k, v := range net {
		full := perMeter[[2]any{int(k.seat), k.m}] >= debrief.MomentsPerMeter
		if !listed[k] && v != 0 && (abs(v) > low || len(r.Moments) < debrief.MaxMoments) && !full {
			t.Errorf("the swing %+v of %d is left out", k, v)
		}
	}
}

func abs(x int) int { return max(x, -x) }

// quality is the engine's grade of a decision's case, as it recorded it.
func quality(_ *sim.Scenario, d sim.Decision) float64 { return d.Grade.Quality }

// checkPrompts fills the scenario's prompts independently and compares.
func checkPrompts(t *testing.T, s *sim.State, r *debrief.Report) {
	t.Helper()
	scn := s.Scn
	if len(r.Prompts) != len(scn.Debrief) {
		t.Fatalf("%d prompts, scenario has %d", len(r.Prompts), len(scn.Debrief))
	}
	played := len(s.History) - 1
	visits := 0
	for _, v := range r.Visits {
		if v.Turn <= played {
			visits++
		}
	}
	table := map[string]string{"visits": strconv.Itoa(visits), "pressure": strconv.Itoa(s.History[played].Company.Pressure),
		"largest_drop": "0", "largest_drop_turn": "none", "largest_drop_cause": "no trust was lost"}
	// The table's new facts, counted here from the engine's record.
	harmfulTurn := map[int]bool{}
	for _, d := range s.Decisions {
		if d.Card >= 0 && d.Harm >= scn.Coeff.SoundBelow {
			harmfulTurn[d.Turn] = true
		}
	}
	consults := 0
	for _, v := range r.Visits {
		if harmfulTurn[v.Turn] {
			consults++
		}
	}
	table["harmful_mandates"], table["consults_before_harmful"] = strconv.Itoa(len(harmfulTurn)), strconv.Itoa(consults)
	perSeat := func(seat sim.Seat) map[string]string {
		var early, esc, age, rulings, against, cited, score, n, good, yes int
		for _, d := range s.Decisions {
			if seat != 0 && d.Seat != seat {
				continue
			}
			switch d.Response {
			case sim.ResponsePushBack, sim.ResponseNegotiate:
				early++
			case sim.ResponseEscalate:
				esc++
				age += d.Turn - s.PlayedTurn[d.Escalated]
			}
			if !d.Response.Voiced() {
				continue
			}
			rulings++
			if k := s.Case(&d); len(k.Evidence[0]+k.Evidence[1]) > 0 && d.Grade.Evidence > 0 {
				cited++
			}
			q := d.Grade.Quality
			strong := q >= 0.65 && d.Response != sim.ResponseNegotiate
			weak := q < 0.45 && !(d.Response == sim.ResponseNegotiate && q >= 0.25)
			if d.Verdict == sim.VerdictUphold && strong || d.Verdict == sim.VerdictWithdraw && weak {
				against++
			}
		}
		for i, m := range r.Managers {
			if seat == 0 || m.Seat == int(seat) {
				score += sim.ManagerScore(s.History[played].Teams[i])
				if r.Final {
					good += m.Benchmarks[0].Final
					yes += m.Benchmarks[1].Final
				}
				n++
			}
		}
		out := map[string]string{"early_objections": strconv.Itoa(early), "escalations": strconv.Itoa(esc), "escalation_age": "none",
			"rulings": strconv.Itoa(rulings), "rulings_against_quality": strconv.Itoa(against), "evidence_cited": strconv.Itoa(cited),
			"score": strconv.Itoa((score + n/2) / n), "good_style_score": "n/a (game not over)", "yes_man_score": "n/a (game not over)"}
		if esc > 0 {
			out["escalation_age"] = fmt.Sprintf("%.1f turns", float64(age)/float64(esc))
		}
		if r.Final {
			out["good_style_score"], out["yes_man_score"] = strconv.Itoa((good+n/2)/n), strconv.Itoa((yes+n/2)/n)
		}
		return out
	}
	for k, v := range perSeat(0) {
		table[k] = v
	}
	worst := sim.Delta{}
	for _, d := range s.Deltas {
		if d.Meter == sim.MeterTrust && d.Seat != sim.Executive && int(d.Turn) <= played && d.Amount < worst.Amount {
			worst = d
		}
	}
	if worst.Amount < 0 {
		table["largest_drop"] = strconv.Itoa(-int(worst.Amount))
		table["largest_drop_turn"] = strconv.Itoa(int(worst.Turn))
		table["largest_drop_cause"] = worst.Reason(scn) + " (" + s.Cfg.Managers[worst.Seat-1].Name + ")"
	}
	for k, p := range scn.Debrief {
		got := r.Prompts[k]
		if got.Objective != p.Objective || got.Text == "" {
			t.Errorf("prompt %d: objective %q text %q", k, got.Objective, got.Text)
		}
		per := strings.Contains(p.WhatHappened+p.SoWhat+p.NowWhat, "{manager}")
		if per && len(got.Items) != s.Managers() || !per && len(got.Items) != 1 {
			t.Fatalf("prompt %s: %d items", p.Objective, len(got.Items))
		}
		for i, it := range got.Items {
			vals := map[string]string{}
			for k, v := range table {
				vals[k] = v
			}
			if per {
				seat := sim.Seat(i + 1)
				var cases, wins, candid, onSound, relays int
				best := -1.0
				for _, d := range s.Decisions {
					if d.Seat != seat {
						continue
					}
					if d.Response.Voiced() {
						cases++
						if d.Harm < scn.Coeff.SoundBelow {
							onSound++
						}
						if d.Verdict == sim.VerdictAmend || d.Verdict == sim.VerdictWithdraw {
							wins++
						}
						best = max(best, quality(scn, d))
					}
					if (d.Response == sim.ResponseRelay || d.Response == sim.ResponseEscalate) && d.Card >= 0 && d.Harm >= scn.Coeff.SoundBelow {
						relays++
					}
					if d.Action == sim.ActionCandid {
						candid++
					}
				}
				for k, v := range perSeat(seat) {
					vals[k] = v
				}
				vals["manager"] = s.Cfg.Managers[i].Name
				vals["cases"], vals["wins"], vals["candid"] = strconv.Itoa(cases), strconv.Itoa(wins), strconv.Itoa(candid)
				vals["pushbacks_on_sound"], vals["relays_of_harmful"] = strconv.Itoa(onSound), strconv.Itoa(relays)
				vals["trust"] = strconv.Itoa(s.History[played].Teams[i].Trust)
				vals["best_case"] = "none (no case made)"
				if best >= 0 {
					vals["best_case"] = fmt.Sprintf("%d/100", int(best*100+0.5))
				}
				if it.Manager != s.Cfg.Managers[i].Name {
					t.Errorf("prompt %s item %d is for %q", p.Objective, i, it.Manager)
				}
			}
			fill := func(x string) string {
				for k, v := range vals {
					x = strings.ReplaceAll(x, "{"+k+"}", v)
				}
				return x
			}
			want := debrief.PromptItem{Manager: it.Manager, WhatHappened: fill(p.WhatHappened), SoWhat: fill(p.SoWhat), NowWhat: fill(p.NowWhat)}
			if it != want {
				t.Errorf("prompt %s:\n got %+v\nwant %+v", p.Objective, it, want)
			}
			if strings.ContainsAny(it.WhatHappened+it.SoWhat+it.NowWhat, "{}") {
				t.Errorf("prompt %s: a placeholder is left: %+v", p.Objective, it)
			}
		}
	}
}

// examplePage builds the report page of the example game: a bot game of
// the default scenario against the listener, seed 9.
func examplePage(t *testing.T) (*sim.State, *debrief.Report, bytes.Buffer) {
	t.Helper()
	g, s := botGame(t, "listener", 9, 0)
	g.Table = "EXAMPLE"
	g.Takeaways = exampleTakeaways
	r, err := debrief.Build(g)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := debrief.WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return s, r, buf
}

func TestHTMLShowsTheGame(t *testing.T) {
	s, r, buf := examplePage(t)
	page := html.UnescapeString(buf.String())
	checkSelfContained(t, buf.String())
	var want []string
	for _, m := range r.Managers {
		want = append(want, m.Name+": meters by turn", m.Name+": what the executive saw against the truth")
	}
	for _, p := range r.Prompts {
		for _, it := range p.Items {
			want = append(want, it.WhatHappened, it.SoWhat, it.NowWhat)
		}
	}
	for _, mo := range r.Moments {
		want = append(want, fmt.Sprintf("Turn %d · %s · %s", mo.Turn, mo.Who, mo.Meter))
		want = append(want, mo.Causes...)
	}
	for _, d := range s.Decisions {
		if d.Card >= 0 {
			want = append(want, s.Scn.Mandates[d.Card].Title)
		}
	}
	want = append(want, "Turn (month)", "Meter (0–100)", "Final, after 8 of 8 turns.", "saw ")
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	if s.Scores == nil || !strings.Contains(page, fmt.Sprintf("<b>%d</b>", s.Scores.Executive)) {
		t.Errorf("the page lacks the executive's score")
	}
	// One chart per manager for timelines, one for what the executive saw
	// and one against the benchmarks; the score and the company.
	if n, want := strings.Count(page, "<svg "), 3*len(r.Managers)+2; n != want {
		t.Errorf("%d charts, want %d", n, want)
	}
	checkNewSections(t, page, r)
}

// checkSelfContained fails a page that runs scripts or fetches anything.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	checkNoFetch(t, page)
	if !strings.Contains(page, "@page") || !strings.Contains(page, "size: A4") || !strings.Contains(page, "@media print") {
		t.Errorf("the page has no A4 print styles")
	}
}

// checkNoFetch fails a page that runs scripts or fetches anything.
func checkNoFetch(t *testing.T, page string) {
	t.Helper()
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "javascript:", "@import", "url(", "<link", "<img", "@font-face", "<iframe"} {
		if strings.Contains(lower, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	rest := strings.ReplaceAll(lower, `xmlns="http://www.w3.org/2000/svg"`, "")
	if strings.Contains(rest, "http://") || strings.Contains(rest, "https://") {
		t.Errorf("the page refers to another site")
	}
}

func TestCSVEqualsHistory(t *testing.T) {
	for _, tc := range games {
		t.Run(fmt.Sprintf("%s-%d", tc.persona, tc.seed), func(t *testing.T) {
			g, s := botGame(t, tc.persona, tc.seed, 0)
			checkCSV(t, g, s)
		})
	}
}

func checkCSV(t *testing.T, g debrief.Game, s *sim.State) {
	t.Helper()
	r, err := debrief.Build(g)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := debrief.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if !reflect.DeepEqual(rows[0], debrief.CSVHeader) {
		t.Fatalf("header %q", rows[0])
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	played := len(s.History) - 1
	if len(rows) != 1+(played+1)*(s.Managers()+1) {
		t.Fatalf("%d rows for %d turns of %d seats", len(rows)-1, played+1, s.Managers()+1)
	}
	num := func(row []string, name string) int {
		n, err := strconv.Atoi(row[col[name]])
		if err != nil {
			t.Fatalf("row %q: %s: %v", row, name, err)
		}
		return n
	}
	decisions := map[[2]int]sim.Decision{}
	for _, d := range s.Decisions {
		decisions[[2]int{d.Turn, int(d.Seat)}] = d
	}
	for _, row := range rows[1:] {
		turn, seat := num(row, "turn"), num(row, "seat")
		h := s.History[turn]
		if seat == 0 {
			got := sim.Company{Revenue: num(row, "revenue"), Cost: num(row, "cost"), Pressure: num(row, "pressure"), Market: num(row, "market")}
			if got != h.Company || row[col["role"]] != "executive" {
				t.Errorf("turn %d executive row %v, history %+v", turn, row, h.Company)
			}
			continue
		}
		got := sim.Meters{Morale: num(row, "morale"), Trust: num(row, "trust"), Quota: num(row, "quota"), Standing: num(row, "standing")}
		if got != h.Teams[seat-1] || num(row, "pulse") != h.Pulse[seat-1] || row[col["name"]] != s.Cfg.Managers[seat-1].Name {
			t.Errorf("turn %d seat %d: %v, history %+v pulse %d", turn, seat, row, h.Teams[seat-1], h.Pulse[seat-1])
		}
		if turn == 0 {
			continue
		}
		d := decisions[[2]int{turn, seat}]
		if row[col["response"]] != d.Response.String() || row[col["action"]] != d.Action.String() {
			t.Errorf("turn %d seat %d: response %q action %q, game %s / %s", turn, seat, row[col["response"]], row[col["action"]], d.Response, d.Action)
		}
		if d.Response.Voiced() && (row[col["verdict"]] != d.Verdict.String() || row[col["case_quality"]] != fmt.Sprintf("%.2f", quality(s.Scn, d))) {
			t.Errorf("turn %d seat %d: verdict %q quality %q, game %s %.2f", turn, seat, row[col["verdict"]], row[col["case_quality"]], d.Verdict, quality(s.Scn, d))
		}
		var causes []string
		for _, x := range s.Deltas {
			if int(x.Turn) == turn && x.Seat == sim.Seat(seat) && x.Amount != 0 {
				causes = append(causes, x.Text(s.Scn))
			}
		}
		if row[col["causes"]] != strings.Join(causes, "; ") {
			t.Errorf("turn %d seat %d causes %q, game %q", turn, seat, row[col["causes"]], causes)
		}
	}
}

func TestJSONReplaysExactly(t *testing.T) {
	for _, tc := range games {
		t.Run(fmt.Sprintf("%s-%d", tc.persona, tc.seed), func(t *testing.T) {
			g, s := botGame(t, tc.persona, tc.seed, 0)
			var buf bytes.Buffer
			if err := debrief.WriteJSON(&buf, g); err != nil {
				t.Fatal(err)
			}
			back, err := debrief.ReadJSON(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back.Commands, g.Commands) || back.Seed != g.Seed || !reflect.DeepEqual(back.Config, g.Config) ||
				!bytes.Equal(back.ScenarioSource, g.ScenarioSource) {
				t.Fatalf("the file does not carry the game: %+v", back)
			}
			res, err := debrief.Check(back)
			if err != nil || !res.Match {
				t.Fatalf("an untouched file does not match: %+v %v", res, err)
			}
			// The replayed state is the played one, field by field.
			rp, err := debrief.Replay(back)
			if err != nil {
				t.Fatal(err)
			}
			x := rp.State
			if !reflect.DeepEqual(x.History, s.History) || !reflect.DeepEqual(x.Deltas, s.Deltas) ||
				!reflect.DeepEqual(x.Decisions, s.Decisions) || !reflect.DeepEqual(x.Scores, s.Scores) ||
				!reflect.DeepEqual(x.Teams, s.Teams) || x.Company != s.Company || x.Version != s.Version || x.Phase != s.Phase {
				t.Fatal("the replayed state differs from the played one")
			}
		})
	}
}

// tamper edits a game file as generic JSON.
func tamper(t *testing.T, file []byte, edit func(f map[string]any)) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(file, &f); err != nil {
		t.Fatal(err)
	}
	edit(f)
	out, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// commandAt finds the n-th respond command of the given turn in a file.
func commandAt(t *testing.T, g debrief.Game, turn, n int) int {
	t.Helper()
	cur := 1
	for i, c := range g.Commands {
		if c.Kind == sim.CmdRespond && cur == turn {
			if n == 0 {
				return i
			}
			n--
		}
		if c.Kind == sim.CmdReady && c.Seat == sim.Seat(len(g.Config.Managers)) {
			cur++
		}
	}
	t.Fatalf("no respond command %d in turn %d", n, turn)
	return 0
}

func TestTamperedJSONIsReported(t *testing.T) {
	g, _ := botGame(t, "", 1, 0)
	var buf bytes.Buffer
	if err := debrief.WriteJSON(&buf, g); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	cmds := func(f map[string]any) []any { return f["commands"].([]any) }
	turns := func(f map[string]any) []any { return f["final"].(map[string]any)["turns"].([]any) }
	cases := []struct {
		name  string
		edit  func(f map[string]any)
		first int // the first turn that must be named
	}{
		{"recorded trust edited in turn 5", func(f map[string]any) {
			team := turns(f)[5].(map[string]any)["teams"].([]any)[1].(map[string]any)
			team["trust"] = team["trust"].(float64) + 1
		}, 5},
		{"recorded board pressure edited in turn 7", func(f map[string]any) {
			co := turns(f)[7].(map[string]any)["company"].(map[string]any)
			co["pressure"] = co["pressure"].(float64) - 3
		}, 7},
		{"team action changed in turn 3", func(f map[string]any) {
			c := cmds(f)[commandAt(t, g, 3, 0)].(map[string]any)
			if c["action"] == "coach" {
				c["action"] = "focus key accounts"
			} else {
				c["action"] = "coach"
			}
		}, 3},
		{"case text changed in turn 4", func(f map[string]any) {
			for i := 0; i < len(g.Config.Managers); i++ {
				c := cmds(f)[commandAt(t, g, 4, i)].(map[string]any)
				if k, ok := c["case"].(map[string]any); ok {
					k["text"] = "an argument nobody made"
					return
				}
			}
			t.Fatal("nobody made a case in turn 4")
		}, 4},
		{"seed changed", func(f map[string]any) { f["seed"] = "2" }, 1},
		{"a command removed in turn 6", func(f map[string]any) {
			i := commandAt(t, g, 6, 1)
			f["commands"] = append(cmds(f)[:i:i], cmds(f)[i+1:]...)
		}, 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad, err := debrief.ReadJSON(bytes.NewReader(tamper(t, file, tc.edit)))
			if err != nil {
				t.Fatal(err)
			}
			res, err := debrief.Check(bad)
			if err != nil {
				t.Fatal(err)
			}
			if res.Match || res.FirstTurn != tc.first || res.Detail == "" {
				t.Fatalf("got %+v, want a mismatch first in turn %d", res, tc.first)
			}
			t.Logf("turn %d: %s", res.FirstTurn, res.Detail)
		})
	}
}

func TestLiveReport(t *testing.T) {
	full, _ := botGame(t, "", 1, 0)
	// Stop in the middle of turn 4, after its mandate, and at the very start.
	for _, stop := range []int{commandAt(t, full, 4, 1), 1} {
		t.Run(strconv.Itoa(stop), func(t *testing.T) {
			g, s := botGame(t, "", 1, stop)
			if s.Phase == sim.PhaseOver {
				t.Fatal("the game should still be running")
			}
			r, err := debrief.Build(g)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, g, s, r)
			if r.Final || r.Scores.Executive != nil {
				t.Errorf("a running game reported as final: %+v", r.Scores)
			}
			var page bytes.Buffer
			if err := debrief.WriteHTML(&page, r); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(page.String(), fmt.Sprintf("In progress: %d of 8 turns finished", r.Played)) {
				t.Errorf("the page does not say the game is running")
			}
			checkCSV(t, g, s)
			var file bytes.Buffer
			if err := debrief.WriteJSON(&file, g); err != nil {
				t.Fatal(err)
			}
			back, err := debrief.ReadJSON(&file)
			if err != nil {
				t.Fatal(err)
			}
			if res, err := debrief.Check(back); err != nil || !res.Match {
				t.Fatalf("a running game's file does not replay: %+v %v", res, err)
			}
		})
	}
}

func TestCombinedReport(t *testing.T) {
	var reports []*debrief.Report
	for i, tc := range games {
		g, _ := botGame(t, tc.persona, tc.seed, 0)
		g.Table = fmt.Sprintf("TABLE%d", i+1)
		r, err := debrief.Build(g)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
	}
	var buf bytes.Buffer
	if err := debrief.WriteCombinedHTML(&buf, reports); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	checkSelfContained(t, page)
	if !strings.Contains(page, "The tables compared") || !strings.Contains(page, "Mean trust by table") {
		t.Error("no comparison")
	}
	for i, r := range reports {
		mean := 0
		for _, s := range r.Scores.Managers {
			mean += s
		}
		mean = (mean + len(r.Scores.Managers)/2) / len(r.Scores.Managers)
		row := fmt.Sprintf(`<a href="#table-%d">%s</a>`, i+1, r.Table)
		at := strings.Index(page, row)
		if at < 0 || !strings.Contains(page[at:at+600], fmt.Sprintf(`<td class="n">%d</td>`, mean)) {
			t.Errorf("table %s: no comparison row with mean score %d", r.Table, mean)
		}
		if !strings.Contains(page, fmt.Sprintf(`id="table-%d"`, i+1)) || !strings.Contains(page, "Debrief of table "+r.Table) {
			t.Errorf("table %s: no full report", r.Table)
		}
	}
}

func TestServeReport(t *testing.T) {
	g, s := botGame(t, "", 1, 0)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /report/{format}", func(w http.ResponseWriter, req *http.Request) {
		debrief.ServeReport(w, req, req.PathValue("format"), g)
	})
	mux.HandleFunc("GET /all", func(w http.ResponseWriter, req *http.Request) {
		debrief.ServeCombined(w, req, []debrief.Game{g, g})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (*http.Response, []byte) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	for _, tc := range []struct{ path, ctype, start string }{
		{"/report/html", "text/html; charset=utf-8", "<!DOCTYPE html>"},
		{"/report/csv", "text/csv; charset=utf-8", strings.Join(debrief.CSVHeader, ",")},
		{"/report/json", "application/json", "{"},
		{"/all", "text/html; charset=utf-8", "<!DOCTYPE html>"},
	} {
		resp, body := get(tc.path)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.ctype || !bytes.HasPrefix(body, []byte(tc.start)) {
			t.Errorf("%s: %d %q %.40q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Disposition") == "" {
			t.Errorf("%s: headers %v", tc.path, resp.Header)
		}
		if tc.path == "/report/json" {
			back, err := debrief.ReadJSON(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if res, err := debrief.Check(back); err != nil || !res.Match || len(back.Commands) != len(g.Commands) || back.Final.Scores.Managers[0] != s.Scores.Managers[0] {
				t.Errorf("the served file does not replay: %+v %v", res, err)
			}
		}
	}
	if resp, _ := get("/report/pdf"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown format: %d", resp.StatusCode)
	}
}

// BenchmarkReport measures what a facilitator's request costs the server:
// replaying a finished 8-turn, 4-manager game and writing each export.
func BenchmarkReport(b *testing.B) {
	g, _ := botGame(b, "listener", 9, 0)
	r, err := debrief.Build(g)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			if _, err := debrief.Build(g); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, write := range map[string]func(io.Writer) error{
		"html": func(w io.Writer) error { return debrief.WriteHTML(w, r) },
		"csv":  func(w io.Writer) error { return debrief.WriteCSV(w, r) },
		"json": func(w io.Writer) error { return debrief.WriteJSON(w, g) },
	} {
		b.Run(name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := write(&buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/report")
		})
	}
}

func TestHTMLMarksShieldsAndEscalations(t *testing.T) {
	for _, tc := range games {
		g, s := botGameOf(t, others, tc.persona, tc.seed, 0)
		r, err := debrief.Build(g)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := debrief.WriteHTML(&buf, r); err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(buf.String())
		for _, d := range s.Decisions {
			if d.Escalated >= 0 && !strings.Contains(page, "escalated “"+s.Scn.Mandates[d.Escalated].Title+"” late") {
				t.Errorf("seed %d: the late escalation of %s in turn %d is not in the matrix", tc.seed, s.Scn.Mandates[d.Escalated].ID, d.Turn)
			}
			if d.Discovered && !strings.Contains(page, `<span class="flag">shield discovered</span>`) {
				t.Errorf("seed %d: the discovered shield in turn %d is not flagged", tc.seed, d.Turn)
			}
		}
	}
}
