package debrief_test

import (
	"regexp"
	"strings"
	"testing"

	"pushback/scenarios"
	"pushback/server/debrief"
)

// TestEveryPlaceholderFilled: prompts naming every placeholder the scenario
// check accepts (scenarios.Placeholders, the one list) come back filled,
// for the table and for each manager: none is left as {name}.
func TestEveryPlaceholderFilled(t *testing.T) {
	g, _ := botGame(t, "", 9, 0)
	src, err := scenarios.Source(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for p := range scenarios.Placeholders {
		if p != "manager" {
			all = append(all, "{"+p+"}")
		}
	}
	line := regexp.MustCompile(`what_happened: ".*"`)
	n := 0
	g.ScenarioSource = line.ReplaceAllFunc(src, func(b []byte) []byte {
		n++
		if n == 2 { // the second prompt is asked once per manager
			return []byte(`what_happened: "{manager}: ` + strings.Join(all, " ") + `?"`)
		}
		return []byte(`what_happened: "` + strings.Join(all, " ") + `?"`)
	})
	r, err := debrief.Build(g)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Prompts) < 2 || len(r.Prompts[1].Items) < 2 {
		t.Fatalf("prompts %+v, want the table's and one per manager", r.Prompts)
	}
	for _, p := range r.Prompts[:2] {
		for _, it := range p.Items {
			if strings.ContainsAny(it.WhatHappened, "{}") {
				t.Errorf("%s %q: a placeholder is left: %s", p.Objective, it.Manager, it.WhatHappened)
			}
		}
	}
}

// The shipped prompts are questions to the room, each triple opens with a
// metric of this game, and the ones that measured the wrong thing measure
// their objective: "early" counts late escalations and their age (not the
// largest trust drop), "listen" counts consults before harmful mandates
// and rulings against case quality (not visits beside board pressure).
func TestShippedPromptsAreQuestions(t *testing.T) {
	metric := regexp.MustCompile(`\{([a-z_]+)\}`)
	wants := map[string][]string{
		"early":  {"{escalations}", "{escalation_age}", "{early_objections}"},
		"listen": {"{consults_before_harmful}", "{rulings_against_quality}"},
		"voice":  {"{evidence_cited}"},
		"judge":  {"{good_style_score}", "{yes_man_score}"},
	}
	for _, name := range scenarios.Names() {
		scn, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range scn.Debrief {
			for _, text := range []string{p.WhatHappened, p.SoWhat, p.NowWhat} {
				if !strings.HasSuffix(strings.TrimSpace(text), "?") {
					t.Errorf("%s %s: not a question: %q", name, p.Objective, text)
				}
			}
			n := 0
			for _, m := range metric.FindAllStringSubmatch(p.WhatHappened, -1) {
				if m[1] != "manager" {
					n++
				}
			}
			if n == 0 {
				t.Errorf("%s %s: what happened names no metric of the game", name, p.Objective)
			}
			all := p.WhatHappened + p.SoWhat + p.NowWhat
			for _, w := range wants[p.Objective] {
				if !strings.Contains(all, w) {
					t.Errorf("%s %s: does not measure its objective with %s", name, p.Objective, w)
				}
			}
			for _, wrong := range []string{"{largest_drop", "{pressure}"} {
				if (p.Objective == "early" || p.Objective == "listen") && strings.Contains(all, wrong) {
					t.Errorf("%s %s: still measures %s", name, p.Objective, wrong)
				}
			}
		}
	}
}
