package scenarios

import (
	"errors"
	"strings"
	"testing"

	"pushback/sim"
)

// minimal is the smallest valid scenario; each broken case below edits it.
// Line numbers in the expectations refer to this text after the edit.
const minimal = `id: tiny
title: Tiny
summary: Two turns.
objectives:
  - id: judge
    text: Judge.
turns: 2
start: {morale: 60, trust: 60, quota: 80, standing: 60, revenue: 80, cost: 100, pressure: 30, market: 95}
events:
  - id: quiet
    title: Quiet
    text: Nothing happens.
mandates:
  - id: cut
    title: Cut
    text: Cut things.
    harm: 0.7
    amend: 0.5
    effects: {morale: -5, cost: -4}
    arguments: {pipeline: 0.8, people: 0.4}
  - id: focus
    title: Focus
    text: Focus.
    harm: 0.1
    amend: 0.6
    effects: {quota: 2, output: 0.04}
    arguments: {customers: 0.1}
personas:
  - id: boss
    name: The boss
    summary: Bossy.
    openness: 0.5
    knee_jerk: 0.5
    values: {margin: 1}
    rules:
      - when: {pressure_at_least: 60}
        play: [cut]
        target: lowest_quota
      - play: [focus, cut]
debrief:
  - objective: judge
    what_happened: "{manager} pushed back {pushbacks_on_sound} times."
    so_what: So.
    now_what: Now.
`

func TestMinimalIsValid(t *testing.T) {
	scn, err := Parse("tiny.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	p := scn.Personas[0]
	want := []sim.Rule{
		{PressureAtLeast: 60, Mandates: []int{0}, Target: sim.TargetLowestQuota},
		{Mandates: []int{1, 0}},
	}
	if len(p.Rules) != 2 || p.Rules[0].PressureAtLeast != 60 || p.Rules[0].Target != sim.TargetLowestQuota ||
		len(p.Rules[1].Mandates) != 2 || p.Rules[1].Mandates[0] != 1 || p.Rules[1].Mandates[1] != 0 {
		t.Errorf("rules = %+v, want %+v", p.Rules, want)
	}
	if p.Values[sim.LeverMargin] != 1 || p.Values[sim.LeverPipeline] != 0 {
		t.Errorf("values = %v", p.Values)
	}
	m := scn.Mandates[1]
	if m.Effects.Quota != 2 || m.Effects.Output != 0.04 || m.Effects.Morale != 0 || m.Arguments[sim.LeverCustomers] != 0.1 {
		t.Errorf("mandate focus = %+v", m)
	}
	if scn.Coeff != sim.DefaultCoefficients() {
		t.Errorf("coefficients changed without a coefficients field")
	}
	if len(scn.Styles) != len(sim.BuiltinStyles()) {
		t.Errorf("%d styles, want the %d builtins", len(scn.Styles), len(sim.BuiltinStyles()))
	}
}

// edit replaces exactly one occurrence of old in minimal.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if strings.Count(minimal, old) != 1 {
		t.Fatalf("%q occurs %d times in minimal", old, strings.Count(minimal, old))
	}
	return strings.Replace(minimal, old, new, 1)
}

func TestBrokenFiles(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		want     []string // file:line:col: reason, in file order
	}{
		{"misspelt field", "summary: Two", "sumary: Two",
			[]string{`t.yaml:3:1: unknown field "sumary" (did you mean "summary"?)`}},
		{"misspelt nested field", "knee_jerk: 0.5", "kneejerk: 0.5",
			[]string{`t.yaml:33:5: persona "boss": unknown field "kneejerk" (did you mean "knee_jerk"?)`}},
		{"string where a number goes", "harm: 0.7", "harm: high",
			[]string{`t.yaml:17:11: mandate "cut": harm: want a number, got the text "high"`}},
		{"string where a whole number goes", "turns: 2", "turns: two",
			[]string{`t.yaml:7:8: turns: want a whole number, got the text "two"`}},
		{"fraction where a whole number goes", "quota: 2,", "quota: 2.5,",
			[]string{`t.yaml:26:22: mandate "focus": effects: quota: want a whole number, got the number 2.5`}},
		{"persona plays a missing mandate", "play: [focus, cut]", "play: [focus, cuts]",
			[]string{`t.yaml:39:23: persona "boss": rule 2: play: no mandate "cuts" in this scenario (did you mean "cut"?)`}},
		{"negative turns", "turns: 2", "turns: -2",
			[]string{`t.yaml:7:8: turns: -2 is out of range 1..20`}},
		{"too many turns", "turns: 2", "turns: 21",
			[]string{`t.yaml:7:8: turns: 21 is out of range 1..20`}},
		{"harm out of range", "harm: 0.7", "harm: 1.5",
			[]string{`t.yaml:17:11: mandate "cut": harm: 1.5 is out of range 0..1`}},
		{"argument out of range", "pipeline: 0.8", "pipeline: -0.8",
			[]string{`t.yaml:20:27: mandate "cut": arguments: pipeline: -0.8 is out of range 0..1`}},
		{"market out of range", "market: 95", "market: 10",
			[]string{`t.yaml:8:103: start: market: 10 is out of range 20..150`}},
		{"syntax error", "  - id: quiet\n", "  - id: quiet\n   title: [Quiet\n",
			[]string{`t.yaml:11:4: syntax error: value is not allowed in this context`}},
		{"missing required field", "    harm: 0.1\n", "",
			[]string{`t.yaml:21:5: mandate "focus": missing field "harm"`}},
		{"missing top-level field", "turns: 2\n", "",
			[]string{`t.yaml:1:1: missing field "turns"`}},
		{"fewer mandates than turns", "turns: 2", "turns: 3",
			[]string{`t.yaml:13:1: 2 mandates for 3 turns: the executive needs a card for every turn`}},
		{"no persona", "personas:\n  - id: boss", "personas: []\nold:\n  - id: boss",
			[]string{`t.yaml:28:11: personas: want at least 1, got 0`, `t.yaml:29:1: unknown field "old" (want one of id, title, summary, objectives, turns, start, events, mandates, personas, debrief, bots, coefficients, evidence)`}},
		{"duplicate mandate id", "  - id: focus", "  - id: cut",
			[]string{`t.yaml:21:9: mandate id "cut" repeated (first at line 14)`,
				`t.yaml:39:16: persona "boss": rule 2: play: no mandate "focus" in this scenario (want one of cut)`}},
		{"repeated key", "    amend: 0.5\n", "    amend: 0.5\n    amend: 0.6\n",
			[]string{`t.yaml:19:5: mandate "cut": field "amend" repeated (first at line 18)`}},
		{"debrief names a missing objective", "- objective: judge", "- objective: judg",
			[]string{`t.yaml:40:1: debrief: no prompt for objective "judge"`,
				`t.yaml:41:16: debrief prompt 1: objective: no objective "judg" in this scenario (did you mean "judge"?)`}},
		{"unknown placeholder", "{pushbacks_on_sound}", "{pushback_on_sound}",
			[]string{`t.yaml:42:20: debrief prompt 1: what_happened: unknown placeholder {pushback_on_sound} (did you mean "pushbacks_on_sound"?)`}},
		{"unknown lever", "{margin: 1}", "{margins: 1}",
			[]string{`t.yaml:34:14: persona "boss": values: unknown lever "margins" (did you mean "margin"?)`}},
		{"unknown target", "target: lowest_quota", "target: weakest",
			[]string{`t.yaml:38:17: persona "boss": rule 1: target: unknown value "weakest" (want one of all, lowest_quota, lowest_standing)`}},
		{"list where text goes", "title: Tiny", "title: [Tiny]",
			[]string{`t.yaml:2:8: title: want text, got a list`}},
		{"bad id", "id: tiny", "id: Tiny Town",
			[]string{`t.yaml:1:5: id: "Tiny Town" is not an id: use lower-case letters, digits, - and _`}},
		{"coefficient out of bounds", "debrief:", "coefficients: {relay_loss: 99, sound_belo: 0.3}\ndebrief:",
			[]string{`t.yaml:40:28: coefficients: relay_loss: 99 is out of range 0..40`,
				`t.yaml:40:32: coefficients: unknown coefficient "sound_belo" (did you mean "sound_below"?)`}},
		{"condition that never holds", "{pressure_at_least: 60}", "{pressure_at_least: 60, pressure_below: 50}",
			[]string{`t.yaml:36:15: persona "boss": rule 1: when: never holds: pressure_at_least 60 is not below pressure_below 50`}},
		{"new bot style without a name", "debrief:", "bots:\n  - {id: sulker, push_above: 0.9, action: sulk}\ndebrief:",
			[]string{`t.yaml:41:5: bot "sulker": missing field "name" (needed for a new style; builtins are ` + builtinNames() + `)`,
				`t.yaml:41:5: bot "sulker": missing field "summary" (needed for a new style; builtins are ` + builtinNames() + `)`,
				`t.yaml:41:43: bot "sulker": action: unknown value "sulk" (want one of none, coach, focus, candid, celebrate)`}},
		{"second document", "now_what: Now.\n", "now_what: Now.\n---\nid: again\n",
			[]string{`t.yaml:46:1: a second YAML document: a file holds exactly one scenario`}},
		{"three distinct errors", "harm: 0.7", "harm: 7",
			nil}, // filled below
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := edit(t, tc.old, tc.new)
			want := tc.want
			if tc.name == "three distinct errors" {
				src = strings.Replace(src, "turns: 2", "turns: 2\nturn: 3", 1)
				src = strings.Replace(src, "play: [cut]", "play: [cut, axe]", 1)
				want = []string{
					`t.yaml:8:1: unknown field "turn" (did you mean "turns"?)`,
					`t.yaml:18:11: mandate "cut": harm: 7 is out of range 0..1`,
					`t.yaml:38:21: persona "boss": rule 1: play: no mandate "axe" in this scenario (want one of cut, focus)`,
				}
			}
			_, err := Parse("t.yaml", []byte(src))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse error = %v (%T), want Errors", err, err)
			}
			got := strings.Split(errs.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestWholeFileErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"empty", "", "e.yaml:1:1: the file is empty: want a scenario"},
		{"only a comment", "# nothing yet\n", "e.yaml:1:1: the file is empty: want a scenario"},
		{"a list", "- id: x\n", "e.yaml:1:1: want a mapping of fields, got a list"},
		{"deep nesting", "a: " + strings.Repeat("[", 40), "e.yaml:1:36: brackets nested deeper than 32 levels"},
		{"tab indentation", "id: x\ntitle:\n\tTiny\n", "e.yaml:3:1: syntax error: found character '\\t' that cannot start any token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("e.yaml", []byte(tc.src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

// Anchors and aliases let a trainer reuse a block; the parser follows them.
func TestAliasesAndBotOverrides(t *testing.T) {
	src := edit(t, "    arguments: {customers: 0.1}", "    arguments: &weak {customers: 0.1}")
	src = strings.Replace(src, "arguments: {pipeline: 0.8, people: 0.4}", "arguments: *weak", 1)
	src = strings.Replace(src, "effects: {morale: -5, cost: -4}", "effects: &base {morale: -5, cost: -4}", 1)
	src = strings.Replace(src, "effects: {quota: 2, output: 0.04}", "effects: {<<: *base, morale: -1}", 1)
	src = strings.Replace(src, "debrief:", `bots:
  - id: yes-man
    skill: 0.5
  - id: coach
    name: Coach
    summary: Relays with context and coaches.
    explain: true
    action: coach
coefficients: {relay_loss: 20}
debrief:`, 1)
	scn, err := Parse("a.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := scn.Mandates[0].Arguments[sim.LeverCustomers]; got != 0.1 {
		t.Errorf("aliased argument = %v, want 0.1", got)
	}
	if e := scn.Mandates[1].Effects; e.Morale != -1 || e.Cost != -4 || e.Quota != 0 {
		t.Errorf("merged effects = %+v, want morale -1 (own) and cost -4 (merged)", e)
	}
	builtin := sim.BuiltinStyles()
	if len(scn.Styles) != len(builtin)+1 {
		t.Fatalf("%d styles, want %d", len(scn.Styles), len(builtin)+1)
	}
	yes := scn.Style("yes-man")
	if yes.Skill != 0.5 || yes.PushAbove != builtin[0].PushAbove || yes.Name != builtin[0].Name {
		t.Errorf("overridden yes-man = %+v", *yes)
	}
	c := scn.Style("coach")
	want := sim.Style{ID: "coach", Name: "Coach", Summary: "Relays with context and coaches.", PushAbove: 2, NegotiateAbove: 2, ShieldAbove: 2,
		Explain: true, Skill: 0.5, Action: sim.ActionCoach}
	if c == nil || *c != want {
		t.Errorf("new style = %+v, want %+v", c, want)
	}
	if scn.Coeff.RelayLoss != 20 {
		t.Errorf("relay_loss = %v, want 20", scn.Coeff.RelayLoss)
	}
}

// The default scenario decodes to the numbers its file states.
func TestMildSlowdownValues(t *testing.T) {
	scn, err := Load(Default)
	if err != nil {
		t.Fatal(err)
	}
	m := scn.Mandates[0]
	if scn.Turns != 8 || m.ID != "raise-quotas" || m.Harm != 0.7 || m.Effects.Output != 0.08 || !m.Effects.Stretch ||
		m.Effects.Drag != -1 || m.Arguments[sim.LeverPipeline] != 0.9 || m.Arguments[sim.LeverNone] != 0 {
		t.Errorf("raise-quotas = %+v", m)
	}
	sam := scn.Persona("spreadsheet")
	if sam == nil || sam.Rules[0].RevenueBelow != 78 || sam.Rules[0].Target != sim.TargetLowestQuota ||
		sam.Rules[0].Mandates[0] != 0 || sam.Rules[0].Mandates[1] != 3 {
		t.Errorf("spreadsheet persona = %+v", sam)
	}
	if scn.Start != (sim.Start{Morale: 65, Trust: 65, Quota: 80, Standing: 60, Revenue: 80, Cost: 100, Pressure: 35, Market: 95}) {
		t.Errorf("start = %+v", scn.Start)
	}
	if len(scn.Debrief) != 5 || scn.Debrief[4].Objective != "listen" {
		t.Errorf("debrief = %+v", scn.Debrief)
	}
}

func TestSuggest(t *testing.T) {
	cases := []struct {
		word, want string
	}{
		{"titel", "title"},    // swapped letters
		{"sumary", "summary"}, // a missing letter
		{"turn", "turns"},     // short words allow one edit
		{"old", ""},           // too far from anything
		{"kneejerk", "knee_jerk"},
	}
	fields := []string{"id", "title", "summary", "turns", "knee_jerk"}
	for _, tc := range cases {
		got, ok := closest(tc.word, fields)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("closest(%q) = %q, %v; want %q", tc.word, got, ok, tc.want)
		}
	}
}

// Hostile YAML ends in an error, not a hang or a crash. Files large enough
// to make the parser slow are refused before parsing.
func TestHostileYAML(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"id: &x {<<: *x}\n", "id: want text, got a mapping"},
		{"start: &x {morale: 1, <<: *x}\n", "start: a merge key (<<) that includes itself"},
		{"objectives: &x [*x]\n", "objective 1: want a mapping of fields, got a list"},
		{"id: *nothing\n", "id: want text, got an undefined alias"},
		{"? [a, b]\n: c\n", "syntax error"},
		{strings.Repeat("[", 2000), "brackets nested deeper than 32 levels"},
		{"a: " + strings.Repeat("{b: ", 5000) + "1" + strings.Repeat("}", 5000), "brackets nested deeper than 32 levels"},
		{strings.Repeat("# a long comment\n", 25000), "more than 20000 YAML tokens"},
		{"x: [1]\n" + strings.Repeat("k: 1\n", 25000), "more than 20000 YAML tokens"},
		{strings.Repeat("k: >\n  folded text\n", 10000), "more than 20000 YAML tokens"},
		{strings.Repeat("#", MaxFileSize+1), "file is larger than"},
	} {
		_, err := Parse("h.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.40q: error %.300v, want %q", tc.src, err, tc.want)
		}
	}
}
