package sim

// The judging executive GAME.md holds up, as pure decisions from the
// executive's view: the lesson tests measure it against other executive
// policies, and the debrief replays a table with it in the executive's
// seat. One definition for both.

// ConsultTarget is the manager the judging executive asks before every
// mandate: the one it trusts most (highest standing).
func ConsultTarget(v *View) Seat {
	var k seen
	k.fromView(v)
	return k.mostTrusted()
}

// JudgingCard is the card the judging executive plays: the one in hand with
// the largest saving (what a card shows the executive) that the evidence of
// the team consulted this turn does not flag (shifts summing to 0.1 or
// more); with every card flagged, the largest saving anyway. -1 for an
// empty hand.
func JudgingCard(scn *Scenario, v *View) int {
	var flags []int
	if m := v.Manager(v.Visit); m != nil {
		flags = m.Evidence
	}
	pick, fallback := -1, -1
	for _, card := range v.Hand {
		warned := 0.0
		for _, e := range flags {
			warned += scn.Evidence[e].Shift(card)
		}
		better := func(x int) bool { return x < 0 || scn.Mandates[card].Saving() > scn.Mandates[x].Saving() }
		if better(fallback) {
			fallback = card
		}
		if warned < 0.1 && better(pick) {
			pick = card
		}
	}
	if pick < 0 {
		return fallback
	}
	return pick
}

// CalledVerdict is the ruling a case's quality calls for: withdraw a strong
// push-back (0.65 and up), amend a fair case (0.45 and up, 0.25 for a
// negotiation, which asks for less), else uphold. The judging executive
// rules so, and the debrief sets every ruling against it.
func CalledVerdict(quality float64, r ResponseKind) Verdict {
	switch {
	case quality >= 0.65 && r != ResponseNegotiate:
		return VerdictWithdraw
	case quality >= 0.45 || (r == ResponseNegotiate && quality >= 0.25):
		return VerdictAmend
	}
	return VerdictUphold
}

// JudgedVerdict grades an objection in the executive's view (GradeCase on
// the card it objects to) and returns the verdict its quality calls for.
func JudgedVerdict(scn *Scenario, v *View, m *ManagerView) Verdict {
	card := v.Card
	if m.Response == ResponseEscalate {
		card = m.Escalate
	}
	return CalledVerdict(GradeCase(scn, card, m.Case, v.News).Quality, m.Response)
}
