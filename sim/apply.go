package sim

import "fmt"

// Apply carries out one command. An illegal command returns a typed error
// (test with errors.Is) and leaves the state exactly as it was: every check
// comes before the first change.
func (s *State) Apply(c Command) error { return s.apply(&c) }

// checked is what check found out while validating a command, for apply to
// use rather than look up again: the card it names, and an objection's case
// with its IDs as indexes.
type checked struct {
	card int
	kase caseIndex
}

func (s *State) apply(c *Command) error {
	var ck checked
	if err := s.check(c, &ck); err != nil {
		return err
	}
	s.Version++
	switch c.Kind {
	case CmdVisit:
		s.visit(c.Target)
	case CmdMandate:
		s.Card = ck.card
		s.PlayedTurn[s.Card] = s.Turn
		s.Target, s.Framing = c.Target, c.Framing
		s.Phase = PhaseResponse
	case CmdRespond:
		t := s.Team(c.Seat)
		t.Answered, t.Response, t.Action = true, c.Response, c.Action
		t.Escalate = -1
		if c.Response == ResponseEscalate {
			t.Escalate = ck.card
		}
		if t.Response.Voiced() {
			card := s.Card
			if t.Escalate >= 0 {
				card = t.Escalate
			}
			t.Case, t.kase, t.gradedNews = c.Case, ck.kase, -1
			s.caseGrade(t, card)
		} else {
			t.Grade, t.gradedNews = Grade{Cited: -1}, -1 // a case revised away
			if !t.Case.empty() {
				t.Case = Case{}
			}
		}
		s.afterResponse()
	case CmdRule:
		s.Team(c.Target).Verdict = c.Verdict
		s.afterRuling()
	case CmdReady:
		if c.Seat == Executive {
			s.ExecReady = true
		} else {
			s.Team(c.Seat).Ready = true
		}
		s.afterReady()
	case CmdInject:
		s.applyEvent(s.EventIndex(c.Event))
	case CmdSkip:
		s.skip()
	case CmdEnd:
		s.end()
	}
	return nil
}

// check validates c against the current state without changing anything;
// what it looked up it leaves in ck.
func (s *State) check(c *Command, ck *checked) error {
	if s.Phase == PhaseOver {
		return ErrGameOver
	}
	n := Seat(len(s.Teams))
	isManager := c.Seat >= 1 && c.Seat <= n
	switch c.Kind {
	case CmdVisit, CmdMandate, CmdRule:
		if c.Seat != Executive {
			return fmt.Errorf("%w: only the executive can %s", ErrNotYourTurn, c.Kind)
		}
	case CmdRespond:
		if !isManager {
			return fmt.Errorf("%w: only a manager can respond", ErrNotYourTurn)
		}
	case CmdReady:
		if c.Seat != Executive && !isManager {
			return fmt.Errorf("%w: seat %d does not play", ErrNotYourTurn, c.Seat)
		}
	case CmdInject, CmdSkip, CmdEnd:
		if c.Seat != Facilitator {
			return fmt.Errorf("%w: only the facilitator can %s", ErrNotYourTurn, c.Kind)
		}
	default:
		return fmt.Errorf("%w: unknown command kind %d", ErrBadCommand, c.Kind)
	}
	switch c.Kind {
	case CmdVisit:
		if s.Phase != PhaseMandate {
			return fmt.Errorf("%w: a visit comes before the mandate (now %s)", ErrWrongPhase, s.Phase)
		}
		if s.Visit != 0 {
			return fmt.Errorf("%w: one visit a turn", ErrAlreadyAnswered)
		}
		if c.Target < 1 || c.Target > n {
			return fmt.Errorf("%w: no manager in seat %d", ErrBadCommand, c.Target)
		}
	case CmdMandate:
		if s.Phase != PhaseMandate {
			return fmt.Errorf("%w: mandate during %s", ErrWrongPhase, s.Phase)
		}
		i := s.MandateIndex(c.Card)
		if i < 0 {
			return fmt.Errorf("%w: %q", ErrUnknownCard, c.Card)
		}
		ck.card = i
		if s.PlayedTurn[i] != 0 {
			return fmt.Errorf("%w: %q was already played", ErrUnknownCard, c.Card)
		}
		if c.Target < 0 || c.Target > n {
			return fmt.Errorf("%w: no manager in seat %d", ErrBadCommand, c.Target)
		}
		if len(c.Framing) > MaxText {
			return fmt.Errorf("%w: framing longer than %d bytes", ErrBadCommand, MaxText)
		}
	case CmdRespond:
		if s.Phase != PhaseResponse {
			return fmt.Errorf("%w: response during %s", ErrWrongPhase, s.Phase)
		}
		return s.checkResponse(c, ck)
	case CmdRule:
		if s.Phase != PhaseRuling {
			return fmt.Errorf("%w: ruling during %s", ErrWrongPhase, s.Phase)
		}
		if c.Target < 1 || c.Target > n || !s.Team(c.Target).Response.Voiced() {
			return fmt.Errorf("%w: seat %d raised no objection", ErrBadCommand, c.Target)
		}
		if s.Team(c.Target).Verdict != VerdictPending {
			return fmt.Errorf("%w: seat %d was already ruled on", ErrAlreadyAnswered, c.Target)
		}
		if c.Verdict < VerdictUphold || c.Verdict >= NumVerdicts {
			return fmt.Errorf("%w: verdict %d", ErrBadCommand, c.Verdict)
		}
	case CmdReady:
		if s.Phase != PhaseReveal {
			return fmt.Errorf("%w: ready during %s", ErrWrongPhase, s.Phase)
		}
		if !s.Pending(c.Seat) {
			return fmt.Errorf("%w: seat %d is ready already", ErrAlreadyAnswered, c.Seat)
		}
	case CmdInject:
		if s.EventIndex(c.Event) < 0 {
			return fmt.Errorf("%w: no market event %q", ErrUnknownCard, c.Event)
		}
	}
	return nil
}

func (s *State) checkResponse(c *Command, ck *checked) error {
	if c.Response >= NumResponses {
		return fmt.Errorf("%w: response %d", ErrBadCommand, c.Response)
	}
	if c.Action >= NumActions {
		return fmt.Errorf("%w: team action %d", ErrBadCommand, c.Action)
	}
	targeted := s.Targeted(c.Seat)
	switch {
	case c.Response == ResponseEscalate:
		i := s.MandateIndex(c.Card)
		if i < 0 {
			return fmt.Errorf("%w: escalate %q", ErrUnknownCard, c.Card)
		}
		if !s.Team(c.Seat).inForce(i) {
			return fmt.Errorf("%w: %q is not in force on seat %d", ErrBadCommand, c.Card, c.Seat)
		}
		ck.card = i
	case targeted && c.Response == ResponseNone:
		return fmt.Errorf("%w: the mandate needs an answer", ErrBadCommand)
	case !targeted && c.Response != ResponseNone:
		return fmt.Errorf("%w: no mandate to answer this turn", ErrBadCommand)
	}
	if c.Response.Voiced() {
		k := &c.Case
		if k.Data >= NumLevers || k.Impact >= NumLevers || k.Ask >= NumAsks {
			return fmt.Errorf("%w: malformed business case", ErrBadCommand)
		}
		if len(k.Alternative) > MaxText || len(k.Text) > MaxText {
			return fmt.Errorf("%w: case text longer than %d bytes", ErrBadCommand, MaxText)
		}
		card := s.Card
		if c.Response == ResponseEscalate {
			card = ck.card
		}
		x := &ck.kase
		resolveCase(s.Scn, card, k, s.Team(c.Seat).held(), false, x)
		if k.Alternative != "" && x.alternative < 0 {
			return fmt.Errorf("%w: %q is not one of the alternatives to %q", ErrBadCommand, k.Alternative, s.Scn.Mandates[card].ID)
		}
		for i, id := range k.Evidence {
			if id != "" && x.evidence[i] < 0 {
				return fmt.Errorf("%w: seat %d holds no evidence %q this month", ErrBadCommand, c.Seat, id)
			}
		}
	}
	return nil
}

func (t *Team) inForce(card int) bool {
	for _, f := range t.InForce {
		if int(f.Card) == card {
			return true
		}
	}
	return false
}

func (s *State) visit(target Seat) {
	s.Visit = target
	t := s.Team(target)
	t.VisitTurn, t.SeenMorale, t.SeenTrust = s.Turn, t.Morale, t.Trust
	s.company(MeterPressure, 0, CauseVisit, int(target))
}

func (s *State) afterResponse() {
	for i := range s.Teams {
		if !s.Teams[i].Answered {
			return
		}
	}
	s.Phase = PhaseRuling
	s.afterRuling()
}

func (s *State) afterRuling() {
	if s.Pending(Executive) {
		return
	}
	s.Phase = PhaseResolution
	s.resolve()
	s.Phase = PhaseReveal
}

func (s *State) afterReady() {
	if s.Pending(Executive) {
		return
	}
	for i := range s.Teams {
		if !s.Teams[i].Ready {
			return
		}
	}
	s.nextTurn()
}

func (s *State) nextTurn() {
	if s.Turn >= s.Scn.Turns {
		s.end()
		return
	}
	s.Turn++
	s.startTurn()
}

// skip ends the current phase, giving every missing seat its documented
// default: no mandate; relay as-is with no team action; uphold; ready.
func (s *State) skip() {
	switch s.Phase {
	case PhaseMandate:
		s.Phase = PhaseResponse
	case PhaseResponse:
		for i := range s.Teams {
			t := &s.Teams[i]
			if !t.Answered {
				t.Answered, t.Action, t.Response = true, ActionNone, ResponseNone
				if s.Targeted(Seat(i + 1)) {
					t.Response = ResponseRelay
				}
			}
		}
		s.afterResponse()
	case PhaseRuling:
		for i := range s.Teams {
			t := &s.Teams[i]
			if t.Response.Voiced() && t.Verdict == VerdictPending {
				t.Verdict = VerdictUphold
			}
		}
		s.afterRuling()
	case PhaseReveal:
		s.nextTurn()
	}
}

func (s *State) end() {
	s.Phase = PhaseOver
	s.Scores = s.score()
}
