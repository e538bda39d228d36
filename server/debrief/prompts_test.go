package debrief_test

import (
	"regexp"
	"strings"
	"testing"

	"pushback/scenarios"
)

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
