package sim

// Hidden marks a number a seat may not see. Views use it rather than
// omitting fields so that a client can tell "hidden" from "zero".
const Hidden = -1

// View is what one seat may know of the game, and all a bot or a client
// gets. It is made only by State.View, which is where hidden information is
// enforced: the facilitator sees everything; a manager sees their own team
// in full and only quotas and public decisions of peers, after the reveal;
// the executive sees the dashboard, quotas and standing, and morale and
// trust only as a lagging pulse or as they were on a front-line visit.
type View struct {
	Seat     Seat          `msgpack:"seat"`
	Turn     int           `msgpack:"turn"`
	Turns    int           `msgpack:"turns"`
	Phase    Phase         `msgpack:"phase"`
	Version  uint64        `msgpack:"version"`
	Card     int           `msgpack:"card"` // this turn's mandate, -1 none yet
	Target   Seat          `msgpack:"target"`
	Framing  string        `msgpack:"framing"`
	Visit    Seat          `msgpack:"visit"`
	News     []int         `msgpack:"news"`
	Played   []int         `msgpack:"played"` // per mandate card, the turn it was played (0 not yet)
	Hand     []int         `msgpack:"hand"`   // executive and facilitator
	Company  Company       `msgpack:"company"`
	Trend    []Company     `msgpack:"trend"` // the company at the end of each finished turn, from turn 0, hidden as Company
	Managers []ManagerView `msgpack:"managers"`
	Deltas   []Delta       `msgpack:"deltas"` // this turn's changes this seat may see
	Scores   *Scores       `msgpack:"scores"`
}

// ManagerView is one manager's seat as another seat sees it.
type ManagerView struct {
	Seat         Seat         `msgpack:"seat"`
	Name         string       `msgpack:"name"`
	Meters       Meters       `msgpack:"meters"`
	Pulse        int          `msgpack:"pulse"`
	Resignations int          `msgpack:"resignations"`
	VisitTurn    int          `msgpack:"visit_turn"` // the turn Morale and Trust were seen, for the executive
	Answered     bool         `msgpack:"answered"`
	Ready        bool         `msgpack:"ready"`
	Revealed     bool         `msgpack:"revealed"` // Response and Case are filled
	Response     ResponseKind `msgpack:"response"`
	Case         Case         `msgpack:"case"`
	Action       TeamAction   `msgpack:"action"`
	Verdict      Verdict      `msgpack:"verdict"`
	Escalate     int          `msgpack:"escalate"`
	InForce      []int        `msgpack:"in_force"` // own seat and facilitator
	History      []Meters     `msgpack:"history"`  // one per finished turn, from turn 0
	// Evidence is the team's front-line evidence this month (indexes into
	// the scenario's evidence deck): the manager's own, the facilitator's,
	// and the executive's for the team visited this turn.
	Evidence []int `msgpack:"evidence"`
	// Grade is the case part by part, from the reveal on, wherever the case
	// itself is shown.
	Grade Grade `msgpack:"grade"`
}

// View returns a fresh view for seat.
func (s *State) View(seat Seat) View {
	var v View
	s.ViewInto(&v, seat)
	return v
}

// ViewInto fills v for seat, reusing v's slices: the server calls it after
// every command, and reuse keeps that near zero allocations.
func (s *State) ViewInto(v *View, seat Seat) {
	all := seat == Facilitator
	exec := seat == Executive
	v.Seat, v.Turn, v.Turns, v.Phase, v.Version = seat, s.Turn, s.Scn.Turns, s.Phase, s.Version
	v.Card, v.Target, v.Framing, v.Visit = s.Card, s.Target, s.Framing, s.Visit
	v.News = append(v.News[:0], s.News...)
	v.Played = append(v.Played[:0], s.PlayedTurn...)
	v.Hand = v.Hand[:0]
	if all || exec {
		v.Hand = s.Hand(v.Hand)
	}
	v.Company = s.Company.seenBy(seat)
	v.Trend = v.Trend[:0]
	for _, h := range s.History {
		v.Trend = append(v.Trend, h.Company.seenBy(seat))
	}
	v.Scores = s.Scores
	revealed := s.Phase >= PhaseReveal
	n := len(s.Teams)
	if cap(v.Managers) < n {
		v.Managers = append(v.Managers[:cap(v.Managers)], make([]ManagerView, n-cap(v.Managers))...)
	}
	v.Managers = v.Managers[:n]
	for i := range s.Teams {
		ms := Seat(i + 1)
		t := &s.Teams[i]
		mv := &v.Managers[i]
		self := all || seat == ms
		// Field by field rather than a composite literal: reusing the
		// buffer this way skips most write barriers on a hot path.
		mv.Seat, mv.Name, mv.Meters = ms, s.Cfg.Managers[i].Name, t.Meters
		mv.Pulse, mv.Resignations, mv.VisitTurn = Hidden, Hidden, 0
		mv.Answered, mv.Ready, mv.Revealed = t.Answered, t.Ready, false
		mv.Response, mv.Action, mv.Verdict, mv.Escalate = ResponseNone, ActionNone, VerdictPending, -1
		if !mv.Case.empty() {
			mv.Case = Case{}
		}
		mv.InForce, mv.History, mv.Evidence = mv.InForce[:0], mv.History[:0], mv.Evidence[:0]
		mv.Grade = Grade{Cited: -1}
		if self || (exec && s.Visit == ms) {
			mv.Evidence = append(mv.Evidence, t.held()...)
		}
		switch {
		case self:
			mv.Pulse, mv.Resignations = t.Pulse, t.Resignations
		case exec:
			mv.Pulse, mv.Resignations = t.Pulse, t.Resignations
			mv.Meters.Morale, mv.Meters.Trust = Hidden, Hidden
			if t.VisitTurn > 0 {
				mv.Meters.Morale, mv.Meters.Trust = t.SeenMorale, t.SeenTrust
				mv.VisitTurn = t.VisitTurn
			}
		default:
			mv.Meters = Meters{Morale: Hidden, Trust: Hidden, Quota: t.Quota, Standing: Hidden}
		}
		switch {
		case self:
			mv.Revealed = true
			mv.Response, mv.Action, mv.Verdict, mv.Escalate = t.Response, t.Action, t.Verdict, t.Escalate
			if !t.Case.empty() {
				mv.Case = t.Case
			}
			for _, f := range t.InForce {
				mv.InForce = append(mv.InForce, int(f.Card))
			}
			if revealed {
				mv.Grade = t.Grade
			}
		case s.answersShown(exec):
			mv.Revealed = true
			mv.Response, mv.Verdict, mv.Escalate = shownResponse(t.Response, exec, revealed), t.Verdict, t.Escalate
			if t.Response.Voiced() && !t.Case.empty() {
				mv.Case = t.Case
				if revealed {
					mv.Grade = t.Grade
				}
			}
			if revealed && !exec {
				mv.Action = t.Action
			}
		}
		for _, h := range s.History {
			m := h.Teams[i]
			if !self {
				m.Morale, m.Trust = Hidden, Hidden
				if !exec {
					m.Standing = Hidden
				}
			}
			mv.History = append(mv.History, m)
		}
	}
	v.Deltas = v.Deltas[:0]
	for k := len(s.Deltas) - 1; k >= 0; k-- {
		d := s.Deltas[k]
		if int(d.Turn) != s.Turn {
			break
		}
		if visible(seat, d) {
			v.Deltas = append(v.Deltas, d)
		}
	}
	// Oldest first.
	for a, b := 0, len(v.Deltas)-1; a < b; a, b = a+1, b-1 {
		v.Deltas[a], v.Deltas[b] = v.Deltas[b], v.Deltas[a]
	}
	// A list is never nil, so that a fresh view and a reused one encode to
	// the same bytes (msgpack tells nil from empty).
	v.News, v.Played, v.Hand, v.Trend = nonNil(v.News), nonNil(v.Played), nonNil(v.Hand), nonNil(v.Trend)
	v.Managers, v.Deltas = nonNil(v.Managers), nonNil(v.Deltas)
	for i := range v.Managers {
		mv := &v.Managers[i]
		mv.InForce, mv.History, mv.Evidence = nonNil(mv.InForce), nonNil(mv.History), nonNil(mv.Evidence)
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Manager returns the view of a manager seat, or nil when the view has none.
func (v *View) Manager(seat Seat) *ManagerView {
	for i := range v.Managers {
		if v.Managers[i].Seat == seat {
			return &v.Managers[i]
		}
	}
	return nil
}

// visible says whether seat may see a delta.
func visible(seat Seat, d Delta) bool {
	switch {
	case seat == Facilitator:
		return true
	case d.Seat == Executive: // company meters
		return seat == Executive || d.Meter == MeterRevenue
	case seat == d.Seat:
		return true
	case seat == Executive:
		return d.Meter == MeterQuota || d.Meter == MeterStanding
	default:
		return d.Meter == MeterQuota
	}
}

// seenBy is the company as seat sees it: cost and board pressure are the
// executive's (and the facilitator's) only.
func (c Company) seenBy(seat Seat) Company {
	if seat != Executive && seat != Facilitator {
		c.Cost, c.Pressure = Hidden, Hidden
	}
	return c
}

// answersShown reports whether the other managers' answers show yet: for
// everyone from the reveal, for the executive its objections from the
// ruling on.
func (s *State) answersShown(exec bool) bool {
	return s.Phase >= PhaseReveal || (exec && s.Phase >= PhaseRuling)
}

// shownResponse is an answer as another seat sees it: a quiet shield looks
// like compliance, and before the reveal the executive cannot tell a relay
// with context from one as-is (how a manager told the team is not its to see).
func shownResponse(r ResponseKind, exec, revealed bool) ResponseKind {
	if r == ResponseShield || (exec && !revealed && r == ResponseExplain) {
		return ResponseRelay
	}
	return r
}

// held is the evidence the team holds this month (drawn front first, so
// the cards held are a prefix of Evidence).
func (t *Team) held() []int {
	n := 0
	for n < EvidenceHand && t.Evidence[n] >= 0 {
		n++
	}
	return t.Evidence[:n]
}

// empty reports whether a case is the zero Case, by lengths: cheaper than
// comparing its strings on the view's hot path.
func (k *Case) empty() bool {
	return k.Data == 0 && k.Impact == 0 && k.Ask == 0 && len(k.Alternative) == 0 && len(k.Text) == 0 &&
		len(k.Evidence[0]) == 0 && len(k.Evidence[1]) == 0
}
