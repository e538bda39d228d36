package debrief

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"pushback/server/protocol/report"
	"pushback/sim"
)

// WhatIfsPerManager is how many key moments of each manager are replayed
// with other answers.
const WhatIfsPerManager = 3

// benchmarks replays the game with seat played by the good style and by
// the yes-man (a manager), or by the judging executive (seat 0).
func benchmarks(scn *sim.Scenario, g *Game, seat sim.Seat) []report.Benchmark {
	type who struct{ name, style string }
	list := []who{{"good style", GoodStyle}, {"yes-man", YesMan}}
	if seat == sim.Executive {
		list = []who{{Judging, "judging"}}
	}
	var out []report.Benchmark
	for _, w := range list {
		s, dropped, err := counterfactual(scn, g, seat, w.style)
		if err != nil {
			continue // a game the bots cannot finish has no benchmark; the report says nothing rather than something wrong
		}
		b := report.Benchmark{Who: w.name, Style: w.style, Dropped: dropped}
		if seat == sim.Executive {
			b.Final = s.Scores.Executive
		} else {
			for _, h := range s.History {
				b.Meters = append(b.Meters, h.Teams[seat-1])
				b.Score = append(b.Score, sim.ManagerScore(h.Teams[seat-1]))
			}
			b.Final = s.Scores.Managers[seat-1]
		}
		out = append(out, b)
	}
	return out
}

// keyTurns are the turns of a seat's largest net meter swings, largest
// first, one per turn, at most n.
func keyTurns(all []report.Moment, seat sim.Seat, n int) []report.Moment {
	var out []report.Moment
	seen := map[int]bool{}
	for _, m := range all {
		if m.Seat == int(seat) && !seen[m.Turn] && len(out) < n {
			seen[m.Turn] = true
			out = append(out, m)
		}
	}
	return out
}

// options lists the answers a manager could have given at this point:
// every response kind to the mandate (a voiced one with the best case the
// seat's evidence allows: sim.BuildCase at full skill) × coach or a candid
// meeting; without a mandate for the seat, each team action, and a late
// objection to each card in force. At most about a dozen.
func options(s *sim.State, seat sim.Seat) []sim.Command {
	v := s.View(seat)
	scn := s.Scn
	best := &sim.Style{ID: "what-if", Skill: 1}
	rng := rand.New(rand.NewPCG(1, 2)) // full skill draws nothing that matters; fixed for the record
	var out []sim.Command
	answer := func(resp sim.ResponseKind, card int, actions ...sim.TeamAction) {
		for _, a := range actions {
			c := sim.Command{Kind: sim.CmdRespond, Seat: seat, Response: resp, Action: a}
			if resp == sim.ResponseEscalate {
				c.Card = scn.Mandates[card].ID
			}
			if resp.Voiced() {
				c.Case = sim.BuildCase(best, scn, &v, card, sim.SeenHarm(scn, &v, card), rng)
			}
			out = append(out, c)
		}
	}
	if s.Targeted(seat) {
		for _, r := range []sim.ResponseKind{sim.ResponseRelay, sim.ResponseExplain, sim.ResponsePushBack, sim.ResponseNegotiate, sim.ResponseShield} {
			answer(r, s.Card, sim.ActionCoach, sim.ActionCandid)
		}
		return out
	}
	answer(sim.ResponseNone, -1, sim.ActionCoach, sim.ActionFocus, sim.ActionCandid, sim.ActionCelebrate)
	if me := v.Manager(seat); me != nil {
		for k, card := range me.InForce {
			if k < 3 && !slices.Contains(me.InForce[:k], card) {
				answer(sim.ResponseEscalate, card, sim.ActionCoach, sim.ActionCandid)
			}
		}
	}
	return out
}

// whatIfs replays a manager's key moments with each other answer and keeps
// the best: the same game up to that turn, the seat's own logged moves
// after it (where they still fit), the executive's ruling on the new answer
// from the persona.
func whatIfs(scn *sim.Scenario, g *Game, played *sim.State, all []report.Moment, seat sim.Seat) []report.WhatIf {
	var out []report.WhatIf
	final := played.History[len(played.History)-1].Teams[seat-1]
	actualScore := sim.ManagerScore(final)
	for _, km := range keyTurns(all, seat, WhatIfsPerManager) {
		turn := km.Turn
		r, err := newReplay(scn, g, seat, "")
		if err != nil {
			return out
		}
		r.own, r.ownRulings = ownMoves(g.Commands, seat), true
		r.skip = func(c sim.Command, s *sim.State) bool {
			return c.Kind == sim.CmdRule && c.Target == seat && s.Turn == turn
		}
		for !(r.s.Turn == turn && r.s.Phase == sim.PhaseResponse) && r.s.Phase != sim.PhaseOver {
			if !r.step() && !r.fill() {
				break
			}
		}
		if r.s.Turn != turn || r.s.Phase != sim.PhaseResponse {
			continue
		}
		if len(r.own) > 0 && r.own[0].Kind == sim.CmdRespond {
			r.own = r.own[1:] // the answer given here is the one replaced
		}
		did := didInWords(scn, played, seat, turn)
		w := report.WhatIf{Turn: turn, Meter: km.Meter, Change: km.Change, Did: did.text, Card: did.card,
			Actual: final, Meters: final, Score: actualScore, AltScore: actualScore}
		bestScore := actualScore
		for _, c := range options(r.s, seat) {
			if c.Response == did.resp && c.Action == did.action {
				continue // what was done, done again
			}
			x := r.clone()
			if x.s.Apply(c) != nil {
				continue
			}
			w.Options++
			if x.run() != nil {
				continue
			}
			m := x.s.History[len(x.s.History)-1].Teams[seat-1]
			sc := sim.ManagerScore(m)
			if sc <= bestScore {
				continue
			}
			bestScore = sc
			w.Better, w.Meters, w.AltScore = true, m, sc
			w.Try, w.Cited, w.Verdict = answerInWords(scn, c), citedTitles(scn, c.Case), ""
			for _, d := range x.s.Decisions {
				if d.Turn == turn && d.Seat == seat && d.Response.Voiced() {
					w.Verdict = d.Verdict.String()
				}
			}
		}
		w.Text = whatIfText(&w)
		out = append(out, w)
	}
	return out
}

type did struct {
	resp   sim.ResponseKind
	action sim.TeamAction
	text   string
	card   string // the mandate answered, by title
}

// didInWords says what the manager did in a turn.
func didInWords(scn *sim.Scenario, s *sim.State, seat sim.Seat, turn int) did {
	for _, d := range s.Decisions {
		if d.Turn == turn && d.Seat == seat {
			c := sim.Command{Response: d.Response, Action: d.Action, Case: s.Case(&d)}
			if d.Escalated >= 0 {
				c.Card = scn.Mandates[d.Escalated].ID
			}
			out := did{d.Response, d.Action, answerInWords(scn, c), ""}
			if d.Card >= 0 {
				out.card = scn.Mandates[d.Card].Title
			}
			return out
		}
	}
	return did{text: "nothing"}
}

// answerInWords renders an answer: "pushed back citing «…», and held a
// candid team meeting".
func answerInWords(scn *sim.Scenario, c sim.Command) string {
	var b strings.Builder
	switch c.Response {
	case sim.ResponseNone:
		b.WriteString("had no mandate to answer")
	case sim.ResponseRelay:
		b.WriteString("relayed it as-is")
	case sim.ResponseExplain:
		b.WriteString("relayed it with context")
	case sim.ResponsePushBack:
		b.WriteString("pushed back")
	case sim.ResponseNegotiate:
		b.WriteString("negotiated a compromise")
	case sim.ResponseShield:
		b.WriteString("quietly shielded your people from it")
	case sim.ResponseEscalate:
		title := c.Card
		for i := range scn.Mandates {
			if scn.Mandates[i].ID == c.Card {
				title = scn.Mandates[i].Title
			}
		}
		fmt.Fprintf(&b, "objected late to “%s”", title)
	}
	if c.Response.Voiced() {
		if t := citedTitles(scn, c.Case); len(t) > 0 {
			fmt.Fprintf(&b, " citing “%s”", strings.Join(t, "” and “"))
		} else {
			b.WriteString(" without front-line evidence")
		}
	}
	switch c.Action {
	case sim.ActionCoach:
		b.WriteString(", and coached the team")
	case sim.ActionFocus:
		b.WriteString(", and focused the team on key accounts")
	case sim.ActionCandid:
		b.WriteString(", and held a candid team meeting")
	case sim.ActionCelebrate:
		b.WriteString(", and celebrated a win")
	}
	return b.String()
}

func citedTitles(scn *sim.Scenario, k sim.Case) []string {
	var out []string
	for _, id := range k.Evidence {
		if e := scn.EvidenceIndex(id); e >= 0 {
			out = append(out, scn.Evidence[e].Title)
		}
	}
	return out
}

// whatIfText is the what-if in one or two sentences, with numbers.
func whatIfText(w *report.WhatIf) string {
	lead := fmt.Sprintf("Turn %d (%s %s): you %s.", w.Turn, strings.ToLower(w.Meter), sim.Signed(w.Change), w.Did)
	if w.Card != "" {
		lead = fmt.Sprintf("Turn %d, “%s” (%s %s): you %s.", w.Turn, w.Card, strings.ToLower(w.Meter), sim.Signed(w.Change), w.Did)
	}
	if !w.Better {
		return lead + fmt.Sprintf(" None of the %d other answers the model tried would have ended with a better balanced score (%d).", w.Options, w.Score)
	}
	ruled := ""
	if w.Verdict != "" {
		ruled = fmt.Sprintf(" the executive would have %s it, and", w.Verdict)
	}
	// The meter that would have ended furthest from where it did.
	names := [4]string{"morale", "trust", "quota", "standing"}
	alt := [4]int{w.Meters.Morale, w.Meters.Trust, w.Meters.Quota, w.Meters.Standing}
	act := [4]int{w.Actual.Morale, w.Actual.Trust, w.Actual.Quota, w.Actual.Standing}
	k := 0
	for i := range alt {
		if abs(alt[i]-act[i]) > abs(alt[k]-act[k]) {
			k = i
		}
	}
	return lead + fmt.Sprintf(" Had you %s,%s %s would have ended at %d, not %d (balanced score %d, not %d).",
		w.Try, ruled, names[k], alt[k], act[k], w.AltScore, w.Score)
}
