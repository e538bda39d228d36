// Package report holds the debrief of one table as plain data: the server
// builds it (package debrief, by replaying the game's log), writes it as
// HTML and CSV, and sends it to clients in the protocol's debrief message.
// It is part of the wire (it lives under protocol) and imports only sim, so
// that the browser client can decode and draw a report without the server's
// templates and scenario parser.
package report

import (
	"fmt"
	"sort"
	"strings"

	"pushback/sim"
)

// Report is the debrief of one table as plain data: the HTML, the CSV and
// the client's debrief screen all draw from it, so they cannot disagree.
type Report struct {
	Table     string     `json:"table,omitempty" msgpack:"table,omitempty"`
	Scenario  string     `json:"scenario" msgpack:"scenario"`
	Title     string     `json:"title" msgpack:"title"`
	Summary   string     `json:"summary" msgpack:"summary"`
	Seed      uint64     `json:"seed,string" msgpack:"seed"`
	Executive string     `json:"executive" msgpack:"executive"` // the persona's name, or "Executive" for a person
	Turns     int        `json:"turns" msgpack:"turns"`         // planned
	Played    int        `json:"played" msgpack:"played"`       // turns finished so far
	Final     bool       `json:"final" msgpack:"final"`         // the game is over; otherwise a live report
	Phase     string     `json:"phase" msgpack:"phase"`
	Managers  []Manager  `json:"managers" msgpack:"managers"`
	Company   []Company  `json:"company" msgpack:"company"` // per finished turn, from turn 0
	Turn      []TurnInfo `json:"turn" msgpack:"turn"`       // per finished turn, from turn 1
	Visits    []Visit    `json:"visits" msgpack:"visits"`
	Moments   []Moment   `json:"moments" msgpack:"moments"`
	Scores    Scores     `json:"scores" msgpack:"scores"`
	Prompts   []Prompt   `json:"prompts" msgpack:"prompts"`
	Commands  int        `json:"commands" msgpack:"commands"`
	// Exec is the executive's own section: rulings against case quality,
	// targets, savings against what they cost, the score in parts.
	Exec *ExecSection `json:"exec,omitempty" msgpack:"exec,omitempty"`
	// Takeaways are the participants' end-of-game answers: the reaction
	// poll and each one's commitment; Poll sums up the reactions.
	Takeaways []Takeaway `json:"takeaways,omitempty" msgpack:"takeaways,omitempty"`
	Poll      *Poll      `json:"poll,omitempty" msgpack:"poll,omitempty"`
}

// BotSeats reports whether a bot played any manager seat, so that a bot
// style is shown only where one did (Manager.Style is empty for a person).
func (r *Report) BotSeats() bool {
	for _, m := range r.Managers {
		if m.Style != "" {
			return true
		}
	}
	return false
}

// Takeaway is one participant's answers at the end of the game.
type Takeaway struct {
	Seat       int    `json:"seat" msgpack:"seat"` // 0 the executive, 1.. managers
	Name       string `json:"name" msgpack:"name"`
	Word       string `json:"word,omitempty" msgpack:"word,omitempty"`   // the reaction in one word
	Scale      int    `json:"scale,omitempty" msgpack:"scale,omitempty"` // the reaction 1..5, 0 none
	Commitment string `json:"commitment,omitempty" msgpack:"commitment,omitempty"`
}

// Poll is the reaction poll at a glance, for the projector.
type Poll struct {
	Answers int         `json:"answers" msgpack:"answers"` // participants who reacted
	Scale   [6]int      `json:"scale" msgpack:"scale"`     // how many answered 1..5 (index 0 unused)
	Mean    float64     `json:"mean" msgpack:"mean"`       // of the scale answers; 0 without one
	Words   []WordCount `json:"words" msgpack:"words"`     // most frequent first, then alphabetical
}

// WordCount is one reaction word and how many gave it.
type WordCount struct {
	Word  string `json:"word" msgpack:"word"`
	Count int    `json:"count" msgpack:"count"`
}

// Summarize counts the reactions; nil when nobody reacted.
func Summarize(ts []Takeaway) *Poll {
	p := &Poll{}
	counts := map[string]int{}
	sum, n := 0, 0
	for _, t := range ts {
		if t.Word == "" && t.Scale == 0 {
			continue
		}
		p.Answers++
		if t.Scale >= 1 && t.Scale <= 5 {
			p.Scale[t.Scale]++
			sum += t.Scale
			n++
		}
		if w := strings.ToLower(strings.TrimSpace(t.Word)); w != "" {
			counts[w]++
		}
	}
	if p.Answers == 0 {
		return nil
	}
	if n > 0 {
		p.Mean = float64(sum) / float64(n)
	}
	for w, c := range counts {
		p.Words = append(p.Words, WordCount{w, c})
	}
	sort.Slice(p.Words, func(i, j int) bool {
		if p.Words[i].Count != p.Words[j].Count {
			return p.Words[i].Count > p.Words[j].Count
		}
		return p.Words[i].Word < p.Words[j].Word
	})
	return p
}

// ExecSection is the executive's side of the game.
type ExecSection struct {
	Rulings []Ruling `json:"rulings" msgpack:"rulings"`
	Against int      `json:"against" msgpack:"against"` // rulings against the case's quality
	Savings []Saving `json:"savings" msgpack:"savings"` // one per mandate played
	// Parts is the executive's score in its parts (at the end; provisional
	// while the game runs); Judging the same for the judging executive in
	// the same game, with its benchmark.
	Parts     sim.ExecutiveParts  `json:"parts" msgpack:"parts"`
	Judging   *sim.ExecutiveParts `json:"judging,omitempty" msgpack:"judging,omitempty"`
	Benchmark *Benchmark          `json:"benchmark,omitempty" msgpack:"benchmark,omitempty"`
	// Best and Worst are board pressure's largest fall and rise in a turn.
	Best  *Moment `json:"best,omitempty" msgpack:"best,omitempty"`
	Worst *Moment `json:"worst,omitempty" msgpack:"worst,omitempty"`
}

// Ruling is one ruling set against the quality of the case it ruled on.
type Ruling struct {
	Turn     int      `json:"turn" msgpack:"turn"`
	Manager  string   `json:"manager" msgpack:"manager"`
	Card     string   `json:"card" msgpack:"card"`
	Response string   `json:"response" msgpack:"response"`
	Quality  float64  `json:"quality" msgpack:"quality"` // sim.GradeCase, 0..1
	Called   string   `json:"called" msgpack:"called"`   // the verdict the quality called for
	Verdict  string   `json:"verdict" msgpack:"verdict"`
	Against  bool     `json:"against" msgpack:"against"` // a strong case upheld or a weak one withdrawn
	Feedback []string `json:"feedback" msgpack:"feedback"`
}

// Saving is one mandate played: whom it was aimed at, the saving the card
// showed the executive and what the company booked, against the trust and
// standing it cost the managers (every change whose cause names the card).
type Saving struct {
	Turn     int    `json:"turn" msgpack:"turn"`
	Card     string `json:"card" msgpack:"card"`
	Target   string `json:"target" msgpack:"target"`     // a manager's name, or "all"
	Expected int    `json:"expected" msgpack:"expected"` // cost-index points the card showed
	Booked   int    `json:"booked" msgpack:"booked"`     // cost-index points the company saved
	Trust    int    `json:"trust" msgpack:"trust"`       // summed over managers, signed
	Standing int    `json:"standing" msgpack:"standing"`
	Morale   int    `json:"morale" msgpack:"morale"`
}

// Manager is one manager seat's story.
type Manager struct {
	Seat      int          `json:"seat" msgpack:"seat"`
	Name      string       `json:"name" msgpack:"name"`
	Style     string       `json:"style,omitempty" msgpack:"style,omitempty"` // the bot style that played the seat; empty when a person did
	Meters    []sim.Meters `json:"meters" msgpack:"meters"`                   // per finished turn, from turn 0
	Pulse     []int        `json:"pulse" msgpack:"pulse"`                     // the executive's survey of morale, same turns
	Score     []int        `json:"score" msgpack:"score"`                     // the balanced scorecard at each of those turns
	Decisions []Decision   `json:"decisions" msgpack:"decisions"`             // per finished turn, from turn 1
	Resigned  int          `json:"resigned" msgpack:"resigned"`
	Found     int          `json:"shields_found" msgpack:"shields_found"`
	// Benchmarks are the same game with this seat played by the good
	// style and by the yes-man (in that order), once the game is over.
	Benchmarks []Benchmark `json:"benchmarks,omitempty" msgpack:"benchmarks,omitempty"`
	// WhatIfs try other answers at the seat's key moments.
	WhatIfs []WhatIf `json:"what_ifs,omitempty" msgpack:"what_ifs,omitempty"`
	// Best and Worst are the seat's largest rise and fall of one meter in
	// one turn, for the handout.
	Best  *Moment `json:"best,omitempty" msgpack:"best,omitempty"`
	Worst *Moment `json:"worst,omitempty" msgpack:"worst,omitempty"`
}

// Benchmark is the same game — seed, executive, the other seats' moves —
// with one seat played by a bot style (or, for the executive, by the
// judging executive): what the same month would have given another way of
// playing it.
type Benchmark struct {
	Who    string       `json:"who" msgpack:"who"`                           // "good style", "yes-man", "judging executive"
	Style  string       `json:"style" msgpack:"style"`                       // the bot style's ID
	Meters []sim.Meters `json:"meters,omitempty" msgpack:"meters,omitempty"` // the seat's, per turn from 0 (a manager seat)
	Score  []int        `json:"score,omitempty" msgpack:"score,omitempty"`   // the balanced scorecard at each of those turns
	Final  int          `json:"final" msgpack:"final"`                       // the score at the end (the executive's score for the executive)
	// Dropped counts the logged moves of other seats that no longer fitted
	// the game once it went another way (their bots played instead).
	Dropped int `json:"dropped" msgpack:"dropped"`
}

// WhatIf is one key moment of a manager's game replayed with the best
// other answer the model finds, and the difference it makes at the end.
type WhatIf struct {
	Turn    int      `json:"turn" msgpack:"turn"`
	Meter   string   `json:"meter" msgpack:"meter"`                   // the meter that swung most that turn
	Change  int      `json:"change" msgpack:"change"`                 // by how much
	Card    string   `json:"card,omitempty" msgpack:"card,omitempty"` // the mandate that reached the seat that turn
	Did     string   `json:"did" msgpack:"did"`                       // what the manager did, in words
	Try     string   `json:"try,omitempty" msgpack:"try,omitempty"`
	Verdict string   `json:"verdict,omitempty" msgpack:"verdict,omitempty"` // the executive's ruling on the alternative
	Cited   []string `json:"cited,omitempty" msgpack:"cited,omitempty"`     // the evidence the alternative's case cites
	Options int      `json:"options" msgpack:"options"`                     // answers tried
	Better  bool     `json:"better" msgpack:"better"`                       // an answer beat what was done
	// Actual and Meters are the seat's meters at the end as played and with
	// the alternative; Score and Alt the balanced scores.
	Actual   sim.Meters `json:"actual" msgpack:"actual"`
	Meters   sim.Meters `json:"meters" msgpack:"meters"`
	Score    int        `json:"score" msgpack:"score"`
	AltScore int        `json:"alt_score" msgpack:"alt_score"`
	Text     string     `json:"text" msgpack:"text"` // the what-if in words
}

// Decision is what one manager did in one turn and what came of it.
type Decision struct {
	Turn       int      `json:"turn" msgpack:"turn"`
	Card       string   `json:"card,omitempty" msgpack:"card,omitempty"` // the mandate's title; empty when none reached this seat
	Sound      bool     `json:"sound" msgpack:"sound"`                   // the card was sound: pushing back is crying wolf
	Harm       float64  `json:"harm" msgpack:"harm"`
	Response   string   `json:"response" msgpack:"response"`
	Voiced     bool     `json:"voiced" msgpack:"voiced"`
	Case       *Case    `json:"case,omitempty" msgpack:"case,omitempty"`
	Verdict    string   `json:"verdict,omitempty" msgpack:"verdict,omitempty"`
	Action     string   `json:"action" msgpack:"action"`
	Escalated  string   `json:"escalated,omitempty" msgpack:"escalated,omitempty"` // the in-force card objected to late
	Discovered bool     `json:"discovered" msgpack:"discovered"`                   // a quiet shield was found out
	Changes    []string `json:"changes" msgpack:"changes"`                         // every meter change of this seat this turn, in words
}

// Case is a business case in words.
type Case struct {
	// Grade is the case part by part as sim.GradeCase graded it, and
	// Feedback its words (sim.Grade.Feedback): the same the reveal showed.
	Grade       sim.Grade `json:"grade" msgpack:"grade"`
	Feedback    []string  `json:"feedback" msgpack:"feedback"`
	Data        string    `json:"data" msgpack:"data"`
	Impact      string    `json:"impact" msgpack:"impact"`
	Alternative string    `json:"alternative,omitempty" msgpack:"alternative,omitempty"`
	Ask         string    `json:"ask" msgpack:"ask"`
	Text        string    `json:"text,omitempty" msgpack:"text,omitempty"`
	Quality     float64   `json:"quality" msgpack:"quality"` // 0..1 as the engine scored it
}

// TurnInfo is what happened at the table level in a turn.
type TurnInfo struct {
	Turn    int      `json:"turn" msgpack:"turn"`
	News    []string `json:"news" msgpack:"news"`
	Mandate string   `json:"mandate,omitempty" msgpack:"mandate,omitempty"`
	Sound   bool     `json:"sound" msgpack:"sound"`
	Harm    float64  `json:"harm" msgpack:"harm"`
	Target  string   `json:"target,omitempty" msgpack:"target,omitempty"` // a manager's name, or "all"
	Framing string   `json:"framing,omitempty" msgpack:"framing,omitempty"`
	Changes []string `json:"changes" msgpack:"changes"` // the company meters' changes, in words
}

// Moment is one of the largest swings of a meter in a turn, with its causes.
type Moment struct {
	Turn   int      `json:"turn" msgpack:"turn"`
	Seat   int      `json:"seat" msgpack:"seat"` // 0: the company
	Who    string   `json:"who" msgpack:"who"`
	Meter  string   `json:"meter" msgpack:"meter"`
	Change int      `json:"change" msgpack:"change"`
	Causes []string `json:"causes" msgpack:"causes"` // largest first
}

// Scores are the balanced scorecards; provisional while the game runs.
type Scores struct {
	Managers  []int `json:"managers" msgpack:"managers"`
	Executive *int  `json:"executive,omitempty" msgpack:"executive,omitempty"` // only the engine scores the executive, at the end
}

// Prompt is one learning objective's debrief questions, filled with this
// game's facts; a prompt about {manager} is asked once per manager.
type Prompt struct {
	Objective string       `json:"objective" msgpack:"objective"`
	Text      string       `json:"text" msgpack:"text"`
	Items     []PromptItem `json:"items" msgpack:"items"`
}

// PromptItem is one what happened / so what / now what triple.
type PromptItem struct {
	Manager      string `json:"manager,omitempty" msgpack:"manager,omitempty"`
	WhatHappened string `json:"what_happened" msgpack:"what_happened"`
	SoWhat       string `json:"so_what" msgpack:"so_what"`
	NowWhat      string `json:"now_what" msgpack:"now_what"`
}

// Visit is a front-line visit and what the executive saw on it, which was
// the truth at that moment.
type Visit struct {
	Turn   int `json:"turn" msgpack:"turn"`
	Seat   int `json:"seat" msgpack:"seat"`
	Morale int `json:"morale" msgpack:"morale"`
	Trust  int `json:"trust" msgpack:"trust"`
}

// Company is the company's meters at the end of a turn.
type Company struct {
	Revenue  int `json:"revenue" msgpack:"revenue"`
	Cost     int `json:"cost" msgpack:"cost"`
	Pressure int `json:"pressure" msgpack:"pressure"`
	Market   int `json:"market" msgpack:"market"`
}

// String shows scores for people and error messages.
func (s *Scores) String() string {
	if s == nil {
		return "none"
	}
	if s.Executive == nil {
		return fmt.Sprintf("managers %v", s.Managers)
	}
	return fmt.Sprintf("managers %v, executive %d", s.Managers, *s.Executive)
}
