package sim

import "errors"

// Seat numbers a place at the table: 0 is the executive, 1..8 the managers.
// Negative seats are the roles that watch rather than play.
type Seat int8

// The watching seats.
const (
	Executive   Seat = 0
	Facilitator Seat = -1 // the trainer: sees everything, controls the pace
	Public      Seat = -2 // observers and the projector
)

// MaxManagers is the largest table GAME.md allows.
const MaxManagers = 8

// Phase is where a turn stands. News and Resolution are passed through inside
// Apply; the others wait for seats.
type Phase uint8

// The phases of a turn, in order, and the end of the game.
const (
	PhaseNews Phase = iota
	PhaseMandate
	PhaseResponse
	PhaseRuling
	PhaseResolution
	PhaseReveal
	PhaseOver
)

var phaseNames = [...]string{"news", "mandate", "response", "ruling", "resolution", "reveal", "over"}

func (p Phase) String() string {
	if int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return "phase?"
}

// ResponseKind is a manager's answer to a mandate.
type ResponseKind uint8

// The answers. ResponseNone is for a manager the mandate did not target.
const (
	ResponseNone      ResponseKind = iota
	ResponseRelay                  // relay as-is
	ResponseExplain                // relay with context
	ResponsePushBack               // push back with a business case
	ResponseNegotiate              // negotiate a compromise
	ResponseShield                 // quietly shield the team
	ResponseEscalate               // object to a mandate already in force; the new one is relayed as-is
	NumResponses
)

var responseNames = [NumResponses]string{"none", "relay as-is", "relay with context", "push back", "negotiate", "shield", "escalate"}

func (r ResponseKind) String() string {
	if r < NumResponses {
		return responseNames[r]
	}
	return "response?"
}

// Voiced reports whether the response carries an objection to be ruled on.
func (r ResponseKind) Voiced() bool {
	return r == ResponsePushBack || r == ResponseNegotiate || r == ResponseEscalate
}

// TeamAction is what a manager does with the team this month.
type TeamAction uint8

// The team actions.
const (
	ActionNone      TeamAction = iota
	ActionCoach                // coach the team: morale up
	ActionFocus                // focus on key accounts: output up
	ActionCandid               // candid meeting: tell how you managed up
	ActionCelebrate            // celebrate a win: morale up, more when quota is healthy
	NumActions
)

var actionNames = [NumActions]string{"none", "coach", "focus key accounts", "candid meeting", "celebrate a win"}

func (a TeamAction) String() string {
	if a < NumActions {
		return actionNames[a]
	}
	return "action?"
}

// Ask is what a business case requests.
type Ask uint8

// The asks.
const (
	AskWithdraw Ask = iota
	AskAmend
	AskPilot // delay and pilot first
	NumAsks
)

var askNames = [NumAsks]string{"withdraw", "amend", "pilot first"}

func (a Ask) String() string {
	if a < NumAsks {
		return askNames[a]
	}
	return "ask?"
}

// Case is a structured business case: the front-line evidence it cites (IDs
// of evidence cards the manager holds this month), the two levers it is
// framed in, one of the card's costed alternatives (its ID, or none) and the
// ask. Text is free and only read by people: it earns nothing by itself.
type Case struct {
	Data        Lever                `msgpack:"data"`
	Impact      Lever                `msgpack:"impact"`
	Alternative string               `msgpack:"alternative"`
	Ask         Ask                  `msgpack:"ask"`
	Text        string               `msgpack:"text"`
	Evidence    [EvidenceHand]string `msgpack:"evidence"`
}

// Verdict is the executive's ruling on an objection.
type Verdict uint8

// The verdicts. VerdictPending is the zero value: not ruled yet.
const (
	VerdictPending Verdict = iota
	VerdictUphold
	VerdictAmend
	VerdictWithdraw
	NumVerdicts
)

var verdictNames = [NumVerdicts]string{"pending", "upheld", "amended", "withdrawn"}

func (v Verdict) String() string {
	if v < NumVerdicts {
		return verdictNames[v]
	}
	return "verdict?"
}

// CommandKind names a command.
type CommandKind uint8

// The commands.
const (
	CmdMandate CommandKind = iota + 1 // executive: play Card at Target with Framing
	CmdVisit                          // executive: visit Target's team before the mandate
	CmdRespond                        // manager: Response, Case, Action (Card for escalate)
	CmdRule                           // executive: Verdict on Target's objection
	CmdReady                          // any playing seat: done reading the reveal
	CmdInject                         // facilitator: market Event now
	CmdSkip                           // facilitator: end the phase, defaults for the missing
	CmdEnd                            // facilitator: end the game now
	NumCommands
)

var commandNames = [NumCommands]string{"", "mandate", "visit", "respond", "rule", "ready", "inject", "skip", "end"}

func (k CommandKind) String() string {
	if k < NumCommands {
		return commandNames[k]
	}
	return "command?"
}

// Command is one decision. A single flat struct so that the wire and the log
// carry it unchanged; which fields matter depends on Kind.
type Command struct {
	Kind     CommandKind  `msgpack:"kind"`
	Seat     Seat         `msgpack:"seat"`
	Card     string       `msgpack:"card,omitempty"`
	Target   Seat         `msgpack:"target,omitempty"`
	Framing  string       `msgpack:"framing,omitempty"`
	Response ResponseKind `msgpack:"response,omitempty"`
	Case     Case         `msgpack:"case"`
	Action   TeamAction   `msgpack:"action,omitempty"`
	Verdict  Verdict      `msgpack:"verdict,omitempty"`
	Event    string       `msgpack:"event,omitempty"`
}

// Errors that Apply returns, wrapped with detail; test them with errors.Is.
var (
	ErrWrongPhase      = errors.New("wrong phase")
	ErrNotYourTurn     = errors.New("not this seat's turn")
	ErrUnknownCard     = errors.New("unknown card")
	ErrAlreadyAnswered = errors.New("already answered")
	ErrGameOver        = errors.New("game over")
	ErrBadCommand      = errors.New("bad command")
)

// MaxText bounds every free text a command carries, in bytes.
const MaxText = 600
