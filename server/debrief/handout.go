package debrief

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"pushback/sim"
)

// The take-home: one printed page per participant — their path, their best
// and worst moment, the benchmark, the objectives' questions as they were
// asked of them, and their commitment — and a last page on why the model
// behaves as it does. The page is print-ready HTML (one sheet per page on A4
// or Letter); the facilitator fetches all of a table's sheets at once.

//go:embed handout.html.tmpl
var handoutTemplate string

var handoutTmpl = template.Must(template.New("handout").Parse(handoutTemplate))

type handoutPage struct {
	Title, Game, Notice string
	Sheets              []sheet
	Why                 []whyRow
}

type sheet struct {
	Seat       int
	Name, Role string
	Reaction   string
	Path       figure
	Bench      *figure
	Verdicts   string
	Benchmark  string
	Moments    []string
	WhatIf     string
	Questions  []question
	Commitment string
}

type question struct{ Objective, WhatHappened, SoWhat, NowWhat string }

type whyRow struct{ Mechanic, Why, Section string }

// WhyRows are the mechanics a participant meets, each tied to the source
// material's argument and to the research the model cites; Section names
// the part of sim/README.md that writes it out. WHY.md is the same table
// with links.
var WhyRows = []whyRow{
	{"Relaying a harmful mandate costs trust; explaining it costs less; pushing back, least",
		"The source: managers who pass on mandates 'because management says so' lose their team's trust and credibility. Explanations soften unfavourable decisions (Shaw, Wild & Colquitt 2003; Brockner & Wiesenfeld 1996); fair process works through trust (Colquitt et al. 2013).",
		"The model › Resolution, step 5"},
	{"A failed pushback the team hears about keeps trust",
		"The team learns its manager tried: benevolence and integrity, two grounds of trust (Mayer, Davis & Schoorman 1995). A candid meeting is what makes it heard.",
		"The model › Resolution, steps 5 and 8"},
	{"Trust falls faster than it rises",
		"Trust is hard to build and easy to destroy (Slovic 1993): every gain is halved, losses are not.",
		"The model › Resolution (trust is asymmetric)"},
	{"A case built on front-line evidence wins; opinion does not",
		"The source: 'they hired us for our expertise' — the manager sees what the executive cannot. Rational persuasion is the most effective upward tactic (Yukl & Falbe 1990); issue selling depends on framing in the top's terms (Dutton & Ashford 1993). One function grades a case: evidence 60%, framing 20%, a costed alternative 10%, a fitting ask 10%.",
		"The model › Grading a case"},
	{"Push back early",
		"An objection raised while a decision is open shapes it; after commitment, reversal is costly and the team has already paid. A late escalation costs more standing and earns less.",
		"The model › Resolution, step 6"},
	{"The board judges results: the yes-man is found out",
		"The source: relaying everything ends in a disappointed senior management. A board review re-rates standing from quota against the peers'.",
		"The model › After every manager (board review); Scores"},
	{"Low trust and morale lower results, which raise board pressure: the vicious circle",
		"Productivity follows morale and trust; hard goals help only while commitment holds (Locke & Latham 2002); a squeezed executive grows more knee-jerk.",
		"The model › Resolution, steps 10–12; Executive personas"},
	{"The executive who consults and judges cases does best",
		"Leader openness drives voice (Detert & Burris 2007; Edmondson 1999). A visit shows the executive a team's evidence; ruling on case quality beats giving in to every objection or picking a scapegoat.",
		"Executive personas; Scores"},
}

// WriteHandouts writes every participant's sheet of a finished (or running)
// table: the executive's first, then each manager's. notice, when set, is
// printed at the top (for example why a PDF could not be made).
func WriteHandouts(w io.Writer, r *Report, notice string) error {
	p := handoutPage{Title: "Take-home sheets: " + r.Title, Game: gameLine(r), Notice: notice, Why: WhyRows}
	tv := view(r, "")
	p.Sheets = append(p.Sheets, execSheet(r, tv))
	for i := range r.Managers {
		p.Sheets = append(p.Sheets, managerSheet(r, tv, i))
	}
	return handoutTmpl.Execute(w, p)
}

func gameLine(r *Report) string {
	s := fmt.Sprintf("%s, %d of %d months", r.Title, r.Played, r.Turns)
	if r.Table != "" {
		s = "Table " + r.Table + ": " + s
	}
	return s
}

func takeawayOf(r *Report, seat int) (reaction, commitment string) {
	for _, t := range r.Takeaways {
		if t.Seat == seat {
			var parts []string
			if t.Word != "" {
				parts = append(parts, "“"+t.Word+"”")
			}
			if t.Scale > 0 {
				parts = append(parts, fmt.Sprintf("%d of 5", t.Scale))
			}
			return strings.Join(parts, ", "), t.Commitment
		}
	}
	return "", ""
}

// questionsFor lists the prompts as asked of one manager (name) or of the
// table ("" for the executive): a per-manager prompt with that manager's
// numbers, a table-level one once.
func questionsFor(r *Report, name string) []question {
	var out []question
	for _, p := range r.Prompts {
		for _, it := range p.Items {
			if it.Manager == "" || it.Manager == name {
				out = append(out, question{p.Text, it.WhatHappened, it.SoWhat, it.NowWhat})
			}
		}
	}
	return out
}

func managerSheet(r *Report, tv tableView, i int) sheet {
	m := &r.Managers[i]
	sh := sheet{Seat: m.Seat, Name: m.Name, Role: "sales manager", Path: tv.Timeline[i], Questions: questionsFor(r, m.Name)}
	sh.Reaction, sh.Commitment = takeawayOf(r, m.Seat)
	score := r.Scores.Managers[i]
	sh.Benchmark = fmt.Sprintf("Your balanced score: %d.", score)
	if i < len(tv.Bench) {
		b := tv.Bench[i]
		sh.Bench = &b
	}
	if len(m.Benchmarks) == 2 {
		sh.Benchmark = fmt.Sprintf("Your balanced score: %d. In your seat of the same game, with the same executive and the same peers, the good style scored %d and a yes-man %d.",
			score, m.Benchmarks[0].Final, m.Benchmarks[1].Final)
	}
	sh.Moments = momentLines(m.Best, m.Worst)
	best := -1
	for k, w := range m.WhatIfs {
		if w.Better && (best < 0 || w.AltScore-w.Score > m.WhatIfs[best].AltScore-m.WhatIfs[best].Score) {
			best = k
		}
	}
	if best >= 0 {
		sh.WhatIf = m.WhatIfs[best].Text
	}
	return sh
}

func execSheet(r *Report, tv tableView) sheet {
	sh := sheet{Seat: 0, Name: r.Executive, Role: "executive", Path: tv.Company, Questions: questionsFor(r, "")}
	sh.Reaction, sh.Commitment = takeawayOf(r, 0)
	if x := r.Exec; x != nil {
		sh.Verdicts = fmt.Sprintf("%d of your %d rulings went against the quality of the case in front of you.", x.Against, len(x.Rulings))
		sh.Benchmark = fmt.Sprintf("Your score: %d (revenue %s, cost %s, board pressure %s, attrition %s, lost trust %s).",
			x.Parts.Total, strconvSigned(x.Parts.Revenue), strconvSigned(x.Parts.Cost), strconvSigned(x.Parts.Pressure), strconvSigned(x.Parts.Attrition), strconvSigned(x.Parts.LostTrust))
		if x.Judging != nil {
			sh.Benchmark += fmt.Sprintf(" A judging executive — consulting the front line, ruling on case quality — scored %d in the same game.", x.Judging.Total)
		}
	}
	if r.Exec != nil {
		sh.Moments = momentLines(r.Exec.Best, r.Exec.Worst)
	}
	return sh
}

// momentLines says a best and a worst moment in words.
func momentLines(best, worst *Moment) []string {
	var out []string
	for _, x := range []struct {
		label string
		m     *Moment
	}{{"Best", best}, {"Worst", worst}} {
		if x.m != nil {
			causes := x.m.Causes[:min(3, len(x.m.Causes))] // the largest; the report lists them all
			out = append(out, fmt.Sprintf("%s: turn %d, %s %s — %s", x.label, x.m.Turn, strings.ToLower(x.m.Meter), sim.Signed(x.m.Change), strings.Join(causes, "; ")))
		}
	}
	return out
}
