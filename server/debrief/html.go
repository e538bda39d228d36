package debrief

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"

	"pushback/server/protocol/report"
	"pushback/sim"
)

//go:embed report.html.tmpl
var reportTemplate string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"signed": sim.Signed,
	"pct":    func(q float64) int { return int(math.Round(q * 100)) },
	"harm":   func(h float64) string { return fmt.Sprintf("%.2f", h) },
	"sub1":   func(n int) int { return n - 1 },
	"part":   func(x float64) string { return strconvSigned(x) },
}).Parse(reportTemplate))

// The one-letter codes that mark decisions under each timeline; the report
// prints their key next to the charts.
var (
	responseCodes = map[string]string{
		sim.ResponseRelay.String(): "R", sim.ResponseExplain.String(): "E", sim.ResponsePushBack.String(): "P",
		sim.ResponseNegotiate.String(): "N", sim.ResponseShield.String(): "S", sim.ResponseEscalate.String(): "L",
	}
	verdictCodes = map[string]string{
		sim.VerdictUphold.String(): "U", sim.VerdictAmend.String(): "A", sim.VerdictWithdraw.String(): "W",
	}
	actionCodes = map[string]string{
		sim.ActionCoach.String(): "Co", sim.ActionFocus.String(): "Fo", sim.ActionCandid.String(): "Ca", sim.ActionCelebrate.String(): "Ce",
	}
)

type page struct {
	Title    string
	Combined *comparison
	Tables   []tableView
}

type tableView struct {
	*Report
	Anchor   string
	Heading  string
	Status   string
	Timeline []figure
	Saw      []figure
	Score    figure
	Company  figure
	Matrix   []matrixRow
	Codes    []codeKey
	Prompts  []promptView
	Bench    []figure // per manager: the balanced score, you against the good style and the yes-man
}

// promptView groups a prompt's answers by question; a question whose text
// is the same for every manager is printed once.
type promptView struct {
	Text                          string
	WhatHappened, SoWhat, NowWhat []promptLine
}

type promptLine struct{ Manager, Text string }

func group(items []PromptItem, text func(PromptItem) string) []promptLine {
	var out []promptLine
	same := true
	for _, it := range items {
		out = append(out, promptLine{it.Manager, text(it)})
		same = same && text(it) == text(items[0])
	}
	if same && len(out) > 0 {
		return []promptLine{{Text: out[0].Text}}
	}
	return out
}

type figure struct {
	Title string
	SVG   template.HTML
}

type codeKey struct{ Code, Meaning string }

type matrixRow struct {
	TurnInfo
	Cells []matrixCell
}

type matrixCell struct {
	Response string
	Verdict  string
	Case     *Case
	Action   string
	Flags    []string
}

// WriteHTML writes the report as one self-contained page: inline CSS and
// SVG, no scripts, nothing fetched, laid out for a screen and for A4 paper.
func WriteHTML(w io.Writer, r *Report) error {
	t := view(r, "")
	return tmpl.Execute(w, page{Title: t.Heading, Tables: []tableView{t}})
}

// WriteCombinedHTML writes one page over all of a facilitator's tables: a
// comparison first, then each table's full report.
func WriteCombinedHTML(w io.Writer, reports []*Report) error {
	p := page{Title: "Debrief of all tables", Combined: compare(reports)}
	for i, r := range reports {
		p.Tables = append(p.Tables, view(r, fmt.Sprintf("table-%d", i+1)))
	}
	return tmpl.Execute(w, p)
}

func view(r *Report, anchor string) tableView {
	t := tableView{Report: r, Anchor: anchor, Heading: "Debrief: " + r.Title}
	if r.Table != "" {
		t.Heading = fmt.Sprintf("Debrief of table %s: %s", r.Table, r.Title)
	}
	if r.Final {
		t.Status = fmt.Sprintf("Final, after %d of %d turns.", r.Played, r.Turns)
	} else {
		t.Status = fmt.Sprintf("In progress: %d of %d turns finished (now in the %s phase); numbers are provisional.", r.Played, r.Turns, r.Phase)
	}
	xmax := r.Turns
	if r.Final {
		xmax = r.Played
	}
	for i, m := range r.Managers {
		c := chart{Title: fmt.Sprintf("%s: meters by turn", m.Name), XLabel: "Turn (month); 0 is the start",
			YLabel: "Meter (0–100)", XMax: xmax, YMin: 0, YMax: 100, YStep: 20}
		for k, meter := range []sim.Meter{sim.MeterMorale, sim.MeterTrust, sim.MeterQuota, sim.MeterStanding} {
			s := series{Name: meter.String(), Style: k}
			for _, x := range m.Meters {
				s.Y = append(s.Y, float64(x.Get(meter)))
			}
			c.Lines = append(c.Lines, s)
		}
		resp, verd, act := markRow{Name: "answer"}, markRow{Name: "ruling"}, markRow{Name: "team"}
		resp.Codes, verd.Codes, act.Codes = make([]string, xmax+1), make([]string, xmax+1), make([]string, xmax+1)
		for _, d := range m.Decisions {
			if d.Turn > xmax {
				continue
			}
			resp.Codes[d.Turn] = responseCodes[d.Response]
			if d.Card == "" && d.Escalated == "" {
				resp.Codes[d.Turn] = "·"
			}
			verd.Codes[d.Turn] = verdictCodes[d.Verdict]
			if d.Discovered {
				verd.Codes[d.Turn] = "!"
			}
			act.Codes[d.Turn] = actionCodes[d.Action]
			if d.Voiced {
				c.Shade = append(c.Shade, d.Turn)
			}
		}
		c.Rows = []markRow{resp, verd, act}
		t.Timeline = append(t.Timeline, figure{c.Title, c.svg()})

		saw := chart{Title: fmt.Sprintf("%s: what the executive saw against the truth", m.Name), XLabel: "Turn (month); 0 is the start",
			YLabel: "Meter (0–100)", XMax: xmax, YMin: 0, YMax: 100, YStep: 20}
		morale, pulse, trust := series{Name: "Morale (true)", Style: 0}, series{Name: "Pulse survey (seen)", Style: 1}, series{Name: "Trust (true)", Style: 2}
		for k, x := range m.Meters {
			morale.Y = append(morale.Y, float64(x.Morale))
			trust.Y = append(trust.Y, float64(x.Trust))
			pulse.Y = append(pulse.Y, float64(m.Pulse[k]))
		}
		saw.Lines = []series{morale, pulse, trust}
		for _, v := range r.Visits {
			if v.Seat == i+1 {
				saw.Points = append(saw.Points, point{X: float64(v.Turn) - 0.5, Y: float64(v.Morale), Shape: report.MarkDiamond,
					Label: fmt.Sprintf("saw %d/%d", v.Morale, v.Trust)})
			}
		}
		t.Saw = append(t.Saw, figure{saw.Title, saw.svg()})
	}
	sc := chart{Title: "Balanced score by turn", XLabel: "Turn (month); 0 is the start", YLabel: "Score (0–100)",
		XMax: xmax, YMin: 0, YMax: 100, YStep: 20}
	for i, m := range r.Managers {
		s := series{Name: m.Name, Style: i}
		for _, v := range m.Score {
			s.Y = append(s.Y, float64(v))
		}
		sc.Lines = append(sc.Lines, s)
	}
	t.Score = figure{sc.Title, sc.svg()}
	for _, m := range r.Managers {
		if len(m.Benchmarks) == 0 {
			continue
		}
		bc := chart{Title: fmt.Sprintf("%s: balanced score — you, the good style and a yes-man in the same seat", m.Name),
			XLabel: "Turn (month); 0 is the start", YLabel: "Score (0–100)", XMax: xmax, YMin: 0, YMax: 100, YStep: 20}
		you := series{Name: "you (" + m.Name + ")", Style: 0}
		for _, v := range m.Score {
			you.Y = append(you.Y, float64(v))
		}
		bc.Lines = append(bc.Lines, you)
		for k, b := range m.Benchmarks {
			g := series{Name: b.Who, Style: 2 - k, Ghost: true} // good style: green dots; yes-man: orange dashes
			for _, v := range b.Score {
				g.Y = append(g.Y, float64(v))
			}
			bc.Lines = append(bc.Lines, g)
		}
		t.Bench = append(t.Bench, figure{bc.Title, bc.svg()})
	}
	top := 100.0
	for _, c := range r.Company {
		top = math.Max(top, float64(max(c.Revenue, c.Cost, c.Pressure, c.Market)))
	}
	co := chart{Title: "The company by turn", XLabel: "Turn (month); 0 is the start", YLabel: "Index (100 = on plan)",
		XMax: xmax, YMin: 0, YMax: niceMax(top, 25, 100), YStep: 25}
	var rev, cost, press, market series
	rev.Name, cost.Name, press.Name, market.Name = "Revenue % of plan", "Cost (budget 100)", "Board pressure", "Market demand"
	rev.Style, cost.Style, press.Style, market.Style = 0, 1, 2, 3
	for _, c := range r.Company {
		rev.Y = append(rev.Y, float64(c.Revenue))
		cost.Y = append(cost.Y, float64(c.Cost))
		press.Y = append(press.Y, float64(c.Pressure))
		market.Y = append(market.Y, float64(c.Market))
	}
	co.Lines = []series{rev, cost, press, market}
	t.Company = figure{co.Title, co.svg()}
	for k, ti := range r.Turn {
		row := matrixRow{TurnInfo: ti}
		for _, m := range r.Managers {
			var cell matrixCell
			if k < len(m.Decisions) {
				d := m.Decisions[k]
				cell = matrixCell{Response: d.Response, Verdict: d.Verdict, Case: d.Case, Action: d.Action}
				if d.Card == "" && d.Escalated == "" {
					cell.Response = "not targeted"
				}
				if d.Escalated != "" {
					cell.Response = "escalated “" + d.Escalated + "” late"
				}
				switch {
				case d.Voiced && d.Card != "" && d.Sound && d.Response != sim.ResponseEscalate.String():
					cell.Flags = append(cell.Flags, "objected to a sound mandate")
				case !d.Sound && d.Card != "" && (d.Response == sim.ResponseRelay.String() || d.Response == sim.ResponseEscalate.String()):
					cell.Flags = append(cell.Flags, "relayed a harmful mandate as-is")
				}
				if d.Discovered {
					cell.Flags = append(cell.Flags, "shield discovered")
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Matrix = append(t.Matrix, row)
	}
	for _, p := range r.Prompts {
		t.Prompts = append(t.Prompts, promptView{Text: p.Text,
			WhatHappened: group(p.Items, func(i PromptItem) string { return i.WhatHappened }),
			SoWhat:       group(p.Items, func(i PromptItem) string { return i.SoWhat }),
			NowWhat:      group(p.Items, func(i PromptItem) string { return i.NowWhat })})
	}
	t.Codes = []codeKey{{"R", "relay as-is"}, {"E", "relay with context"}, {"P", "push back"}, {"N", "negotiate"},
		{"S", "quietly shield"}, {"L", "late escalation"}, {"·", "no mandate for this seat"},
		{"W", "withdrawn"}, {"A", "amended"}, {"U", "upheld"}, {"!", "shield discovered"},
		{"Co", "coach"}, {"Fo", "focus key accounts"}, {"Ca", "candid meeting"}, {"Ce", "celebrate a win"}}
	return t
}

// comparison is the combined report's first part: the tables side by side.
type comparison struct {
	Rows  []comparisonRow
	Trust figure
	Score figure
}

type comparisonRow struct {
	Anchor, Table, Scenario, Executive, Status string
	Managers                                   int
	MeanScore, MeanTrust, MeanMorale           int
	ExecScore                                  string
	Revenue, Pressure                          int
	Objections, Wins, OnSound, HarmfulRelays   int
}

func compare(reports []*Report) *comparison {
	c := &comparison{}
	xmax := 1
	for _, r := range reports {
		xmax = max(xmax, r.Turns)
	}
	trust := chart{Title: "Mean trust by table", XLabel: "Turn (month); 0 is the start", YLabel: "Mean trust (0–100)",
		XMax: xmax, YMax: 100, YStep: 20}
	score := chart{Title: "Mean balanced score by table", XLabel: "Turn (month); 0 is the start", YLabel: "Mean score (0–100)",
		XMax: xmax, YMax: 100, YStep: 20}
	for i, r := range reports {
		name := r.Table
		if name == "" {
			name = fmt.Sprintf("table %d", i+1)
		}
		row := comparisonRow{Anchor: fmt.Sprintf("table-%d", i+1), Table: name, Scenario: r.Title, Executive: r.Executive,
			Managers: len(r.Managers), ExecScore: "—"}
		if r.Final {
			row.Status = fmt.Sprintf("final, %d turns", r.Played)
		} else {
			row.Status = fmt.Sprintf("live, %d of %d turns", r.Played, r.Turns)
		}
		if r.Scores.Executive != nil {
			row.ExecScore = fmt.Sprint(*r.Scores.Executive)
		}
		last := r.Company[r.Played]
		row.Revenue, row.Pressure = last.Revenue, last.Pressure
		ts, ss := series{Name: name, Style: i}, series{Name: name, Style: i}
		for t := 0; t <= r.Played; t++ {
			var tr, sc float64
			for _, m := range r.Managers {
				tr += float64(m.Meters[t].Trust)
				sc += float64(m.Score[t])
			}
			ts.Y = append(ts.Y, tr/float64(len(r.Managers)))
			ss.Y = append(ss.Y, sc/float64(len(r.Managers)))
		}
		trust.Lines, score.Lines = append(trust.Lines, ts), append(score.Lines, ss)
		var sum, tsum, msum int
		for i, m := range r.Managers {
			sum += r.Scores.Managers[i]
			tsum += m.Meters[r.Played].Trust
			msum += m.Meters[r.Played].Morale
			for _, d := range m.Decisions {
				if d.Voiced {
					row.Objections++
					if d.Verdict == sim.VerdictWithdraw.String() || d.Verdict == sim.VerdictAmend.String() {
						row.Wins++
					}
					if d.Sound && d.Card != "" && d.Response != sim.ResponseEscalate.String() {
						row.OnSound++
					}
				}
				if !d.Sound && d.Card != "" && d.Response == sim.ResponseRelay.String() {
					row.HarmfulRelays++
				}
			}
		}
		n := len(r.Managers)
		row.MeanScore, row.MeanTrust, row.MeanMorale = (sum+n/2)/n, (tsum+n/2)/n, (msum+n/2)/n
		c.Rows = append(c.Rows, row)
	}
	c.Trust = figure{trust.Title, trust.svg()}
	c.Score = figure{score.Title, score.svg()}
	return c
}

// strconvSigned writes a score part with one decimal and a true minus.
func strconvSigned(x float64) string {
	s := fmt.Sprintf("%.1f", math.Abs(x))
	switch {
	case x < -0.05:
		return "−" + s
	case x > 0.05:
		return "+" + s
	}
	return "0.0"
}
