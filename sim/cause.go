package sim

import (
	"fmt"
	"strings"
)

// Cause says why a meter moved. It is a code, not a string, so that a turn
// allocates nothing for words; Delta.Text renders it for people.
type Cause uint8

// The causes.
const (
	CauseNews Cause = iota
	CauseMandate
	CauseRelay
	CauseExplain
	CauseVoiceHeard
	CauseVoiceSilent
	CauseVoiceCredit
	CauseSpared
	CausePushBack
	CauseWeakCase
	CauseWolf
	CauseCompliance
	CauseShielded
	CauseShieldFound
	CauseDrag
	CauseEscalate
	CauseLateCredit
	CauseCoach
	CauseCelebrate
	CauseCelebrateThin
	CauseCandid
	CauseTrustDrift
	CauseSales
	CauseResults
	CauseResignation
	CauseVisit
	CauseRepair
	CauseMissedPlan
	CauseOnPlan
	CauseOverBudget
	CauseExplainFramed
	CauseNoEvidence
	CauseNoAlternative
	CauseBoardReview
	CauseBackDown
	NumCauses
)

// causeText holds each cause's words; %s is the card or event title.
var causeText = [NumCauses]string{
	CauseNews:          "market news: %s",
	CauseMandate:       "the mandate %s took effect",
	CauseRelay:         "relayed %s without explaining why",
	CauseExplain:       "%s landed; explaining the reasons softened the blow",
	CauseVoiceHeard:    "%s still landed, but the team knows you fought it",
	CauseVoiceSilent:   "%s landed and the team never heard that you objected",
	CauseVoiceCredit:   "the team heard how you pushed back on %s",
	CauseSpared:        "the team was spared part of %s",
	CausePushBack:      "pushed back on %s",
	CauseWeakCase:      "the case against %s was only partly made",
	CauseWolf:          "objected to %s, a sound mandate (crying wolf)",
	CauseCompliance:    "carried out %s without fuss",
	CauseShielded:      "quietly shielded the team from %s",
	CauseShieldFound:   "the executive found you shielded the team from %s",
	CauseDrag:          "%s is still in force and wearing the team down",
	CauseEscalate:      "escalated %s late, after it had landed",
	CauseLateCredit:    "the team heard you finally objected to %s",
	CauseCoach:         "coached the team",
	CauseCelebrate:     "celebrated a win",
	CauseCelebrateThin: "celebrated, though the numbers are thin",
	CauseCandid:        "held a candid team meeting",
	CauseTrustDrift:    "motivation follows trust in you",
	CauseSales:         "this month's sales",
	CauseResults:       "the executive watches your numbers",
	CauseResignation:   "a seller resigned",
	CauseVisit:         "the executive spent time on a front-line visit",
	CauseMissedPlan:    "revenue is under plan",
	CauseRepair:        "the team slowly gives you the benefit of the doubt again",
	CauseOnPlan:        "revenue is on plan",
	CauseOverBudget:    "costs are over budget",
	CauseExplainFramed: "relayed %s with the executive's reasons, which softened it",
	CauseNoEvidence:    "the case against %s cited no front-line evidence that bears on it",
	CauseNoAlternative: "the case against %s offered no costed alternative",
	CauseBoardReview:   "the board reviewed your results against your peers'",
	CauseBackDown:      "the board saw %s withdrawn or watered down",
}

// Text renders a delta for people, for example
// "Trust −8: relayed “Raise quotas 15%” without explaining why".
func (d Delta) Text(scn *Scenario) string {
	return fmt.Sprintf("%s %s: %s", d.Meter, Signed(int(d.Amount)), d.Reason(scn))
}

// Reason is the cause alone, in words.
func (d Delta) Reason(scn *Scenario) string {
	if d.Cause >= NumCauses {
		return "unknown cause"
	}
	f := causeText[d.Cause]
	if !strings.Contains(f, "%s") {
		return f
	}
	title := "?"
	switch d.Cause {
	case CauseNews:
		if d.Ref >= 0 && int(d.Ref) < len(scn.Events) {
			title = scn.Events[d.Ref].Title
		}
		return fmt.Sprintf(f, title)
	default:
		if d.Ref >= 0 && int(d.Ref) < len(scn.Mandates) {
			title = "“" + scn.Mandates[d.Ref].Title + "”"
		}
	}
	return fmt.Sprintf(f, title)
}

// Signed writes a change with its sign and a true minus for losses, so the
// direction reads without colour; every screen and report uses it.
func Signed(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("+%d", n)
	case n < 0:
		return fmt.Sprintf("−%d", -n)
	}
	return "±0"
}
