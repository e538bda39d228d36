// Package protocol holds the messages that travel between a Pushback client
// and the server over one WebSocket, encoded with msgpack. It imports only
// sim, msgpack and its own subpackages (report: the debrief as data; text)
// so that the native client, the browser (wasm) client and tests in any
// package can share it; imports_test.go fails if it or the client reaches
// into the server's other packages. README.md beside this file is the
// manual: every message, field and error code, enough to write a client in
// another language.
package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/server/protocol/report"
	"pushback/sim"
)

// Version is the protocol version a client announces in its hello; the
// server refuses any other with CodeVersion so that an old cached client
// fails loudly instead of misreading views.
const Version = 1

// MaxMessage is the largest frame the server reads; a client message is a
// few hundred bytes, a business case at most a few kilobytes.
const MaxMessage = 16 << 10

// MaxScenario bounds a trainer's scenario file sent in check, preview or
// create (Source), in bytes; the shipped ones are under 20 KiB.
const MaxScenario = 64 << 10

// MaxUpload is the largest frame of the three kinds that may carry a
// scenario source (check, preview, create); every other kind stays within
// MaxMessage.
const MaxUpload = MaxScenario + 4<<10

// MaxName bounds display names, in bytes.
const MaxName = 40

// Client-to-server kinds. Each is a value of ClientMsg.Kind.
const (
	KindHello   = "hello"   // first message: the protocol version
	KindCreate  = "create"  // create a room (workshop or solo)
	KindJoin    = "join"    // join a room by code and name
	KindResume  = "resume"  // come back with a seat or facilitator token
	KindCommand = "command" // a game decision (sim.Command)
	KindTables  = "tables"  // list the facilitator's tables

	// Facilitator orders: need the facilitator token of the room.
	KindStart    = "start"    // start the game; bots take empty seats
	KindPause    = "pause"    // stop the clock and refuse commands
	KindContinue = "continue" // undo pause
	KindExtend   = "extend"   // add Seconds to the running deadline
	KindSkip     = "skip"     // end the phase; missing seats get defaults
	KindInject   = "inject"   // a market event now
	KindKick     = "kick"     // close a connection
	KindLock     = "lock"     // On: refuse new joins
	KindBot      = "bot"      // On: a bot plays Seat; off: hand it back
	KindAssign   = "assign"   // move connection Conn to Seat
	KindEnd      = "end"      // end the game now

	// KindDebrief is both ways: the facilitator asks for the table's
	// report (live mid-game), and the server sends a report, unasked to
	// everyone when the game ends and to whoever joins a finished room.
	KindDebrief = "debrief"

	// At the end of the game each participant (a playing seat) answers the
	// reaction poll and writes one commitment; answering again replaces it.
	KindReaction   = "reaction"   // Word and/or Scale 1..5
	KindCommitment = "commitment" // Text: "next month I will …"

	// Hosting: need no room. scenarios lists what this server offers (the
	// shipped scenarios and those of serve -scenarios DIR); check validates
	// a trainer's file (Source, File); preview plays a few hundred bot games
	// of a Create (Scenario or Source, Executive, Managers) and answers the
	// balance table.
	KindScenarios = "scenarios"
	KindCheck     = "check"
	KindPreview   = "preview"
)

// Server-to-client kinds. Each is a value of ServerMsg.Kind.
const (
	KindWelcome   = "welcome"    // answers hello
	KindJoined    = "joined"     // you have a place in a room
	KindView      = "view"       // the game as your seat may see it
	KindError     = "error"      // a request failed
	KindOK        = "ok"         // a request succeeded and has no other answer
	KindTableList = "table_list" // answers tables

	KindScenarioList = "scenario_list" // answers scenarios: Scenarios
	KindChecked      = "checked"       // answers check: Checked
	KindBalance      = "balance"       // answers preview: Balance
)

// ClientKinds lists every client-to-server kind; the README test and the
// decoder use it.
var ClientKinds = []string{
	KindHello, KindCreate, KindJoin, KindResume, KindCommand, KindTables,
	KindStart, KindPause, KindContinue, KindExtend, KindSkip, KindInject,
	KindKick, KindLock, KindBot, KindAssign, KindEnd, KindDebrief,
	KindReaction, KindCommitment, KindScenarios, KindCheck, KindPreview,
}

// ServerKinds lists every server-to-client kind.
var ServerKinds = []string{KindWelcome, KindJoined, KindView, KindError, KindOK, KindTableList, KindDebrief,
	KindScenarioList, KindChecked, KindBalance}

// Roles a connection can hold in a room.
const (
	RoleExecutive   = "executive"
	RoleManager     = "manager"
	RolePlayer      = "player" // join: any free playing seat, managers first
	RoleObserver    = "observer"
	RoleProjector   = "projector"
	RoleFacilitator = "facilitator"
)

// Roles lists the role names, for the README test.
var Roles = []string{RoleExecutive, RoleManager, RolePlayer, RoleObserver, RoleProjector, RoleFacilitator}

// Code is a typed error code: clients branch on it, people read Message.
type Code string

// The error codes.
const (
	CodeBadMessage      Code = "bad_message"      // undecodable, wrong types, unknown kind
	CodeVersion         Code = "version_mismatch" // hello with another protocol version
	CodeUnknownRoom     Code = "unknown_room"     // no room with that code
	CodeRoomFull        Code = "room_full"        // no free seat for the role, or too many connections
	CodeRoomLocked      Code = "room_locked"      // the facilitator locked the room
	CodeTooManyRooms    Code = "too_many_rooms"   // the server holds its maximum
	CodeNotYourSeat     Code = "not_your_seat"    // a command for a seat this connection does not hold
	CodeNotYourTurn     Code = "not_your_turn"    // the seat's role cannot give this command
	CodeWrongPhase      Code = "wrong_phase"      // the command does not fit the phase
	CodeStaleVersion    Code = "stale_version"    // the command was based on an older phase
	CodeAlreadyAnswered Code = "already_answered" // the seat already did this
	CodeUnknownCard     Code = "unknown_card"     // no such mandate or event, or played already
	CodeBadCommand      Code = "bad_command"      // a malformed decision
	CodeGameOver        Code = "game_over"        // the game has ended
	CodeNotStarted      Code = "not_started"      // the facilitator has not started the game
	CodePaused          Code = "paused"           // the facilitator paused the game
	CodeRateLimited     Code = "rate_limited"     // too many messages; repeated abuse disconnects
	CodeUnauthorized    Code = "unauthorized"     // wrong or missing token, or not a facilitator
	CodeInternal        Code = "internal"         // the server failed; the request may be retried
	CodeReplaced        Code = "replaced"         // the seat was resumed on another connection; this one is closed
)

// Codes lists every error code, for the README test.
var Codes = []Code{
	CodeBadMessage, CodeVersion, CodeUnknownRoom, CodeRoomFull, CodeRoomLocked,
	CodeTooManyRooms, CodeNotYourSeat, CodeNotYourTurn, CodeWrongPhase,
	CodeStaleVersion, CodeAlreadyAnswered, CodeUnknownCard, CodeBadCommand,
	CodeGameOver, CodeNotStarted, CodePaused, CodeRateLimited, CodeUnauthorized,
	CodeInternal, CodeReplaced,
}

// SimCode maps an error from sim.State.Apply to its wire code.
func SimCode(err error) Code {
	switch {
	case errors.Is(err, sim.ErrWrongPhase):
		return CodeWrongPhase
	case errors.Is(err, sim.ErrNotYourTurn):
		return CodeNotYourTurn
	case errors.Is(err, sim.ErrUnknownCard):
		return CodeUnknownCard
	case errors.Is(err, sim.ErrAlreadyAnswered):
		return CodeAlreadyAnswered
	case errors.Is(err, sim.ErrGameOver):
		return CodeGameOver
	}
	return CodeBadCommand
}

// ClientMsg is every client-to-server message: one flat map whose Kind says
// which other fields matter (README.md lists them per kind). A flat struct
// keeps decoding into concrete types only, never interface{}.
type ClientMsg struct {
	Kind    string       `msgpack:"kind"`
	ID      uint32       `msgpack:"id,omitempty"`      // echoed as ServerMsg.Re
	V       int          `msgpack:"v,omitempty"`       // hello
	Create  *CreateRoom  `msgpack:"create,omitempty"`  // create
	Code    string       `msgpack:"code,omitempty"`    // join, resume (facilitator), tables; assign: another of the facilitator's tables
	Name    string       `msgpack:"name,omitempty"`    // join
	Role    string       `msgpack:"role,omitempty"`    // join
	Seat    *sim.Seat    `msgpack:"seat,omitempty"`    // join (wanted), bot, assign
	Token   string       `msgpack:"token,omitempty"`   // resume, tables
	Command *sim.Command `msgpack:"command,omitempty"` // command
	Based   uint64       `msgpack:"based,omitempty"`   // command: View.Version it was decided on
	Seconds int          `msgpack:"seconds,omitempty"` // extend
	Event   string       `msgpack:"event,omitempty"`   // inject
	Conn    int          `msgpack:"conn,omitempty"`    // kick, assign
	On      bool         `msgpack:"on,omitempty"`      // lock, bot
	Word    string       `msgpack:"word,omitempty"`    // reaction: one word
	Scale   int          `msgpack:"scale,omitempty"`   // reaction: 1..5, 0 none
	Text    string       `msgpack:"text,omitempty"`    // commitment
	Source  []byte       `msgpack:"source,omitempty"`  // check: a scenario file's bytes, at most MaxScenario
	File    string       `msgpack:"file,omitempty"`    // check: the file's name, for the messages
}

// Bounds of the end-of-game answers, in bytes.
const (
	MaxWord       = 40
	MaxCommitment = 300
)

// CreateRoom is what a trainer or a solo player chooses.
type CreateRoom struct {
	Scenario    string    `msgpack:"scenario"`    // name; "" the default
	Executive   string    `msgpack:"executive"`   // "human", or a persona ID ("" the scenario's first)
	Managers    int       `msgpack:"managers"`    // manager seats, 1..8 (0: 3)
	Styles      []string  `msgpack:"styles"`      // bot style per manager seat (default: yes-man, firebrand, diplomat, advocate, …)
	Deadlines   Deadlines `msgpack:"deadlines"`   // seconds per phase, 0 off
	Solo        string    `msgpack:"solo"`        // "executive" or "manager": create, take that seat, start
	Name        string    `msgpack:"name"`        // solo: the player's display name
	Facilitator string    `msgpack:"facilitator"` // an existing facilitator token, to list tables together
	Seed        uint64    `msgpack:"seed"`        // 0: random
	// Source is a trainer's own scenario file (YAML, at most MaxScenario);
	// when set it is played instead of Scenario and stored with the room,
	// so the room replays after a restart. File names it in messages.
	Source []byte `msgpack:"source,omitempty"`
	File   string `msgpack:"file,omitempty"`
	// Audience: anyone who joins past the playing seats watches as an
	// observer instead of being refused.
	Audience bool `msgpack:"audience,omitempty"`
}

// Deadlines are seconds per waiting phase; 0 means no deadline.
type Deadlines struct {
	Mandate  int `msgpack:"mandate"`
	Response int `msgpack:"response"`
	Ruling   int `msgpack:"ruling"`
	Reveal   int `msgpack:"reveal"`
}

// For returns the deadline of a phase in seconds, 0 for none.
func (d Deadlines) For(p sim.Phase) int {
	switch p {
	case sim.PhaseMandate:
		return d.Mandate
	case sim.PhaseResponse:
		return d.Response
	case sim.PhaseRuling:
		return d.Ruling
	case sim.PhaseReveal:
		return d.Reveal
	}
	return 0
}

// ServerMsg is every server-to-client message; Kind says which fields are set.
type ServerMsg struct {
	Kind   string  `msgpack:"kind"`
	Re     uint32  `msgpack:"re,omitempty"`     // the ClientMsg.ID this answers
	V      int     `msgpack:"v,omitempty"`      // welcome: the server's protocol version
	Now    int64   `msgpack:"now,omitempty"`    // welcome: the server clock, unix ms
	Error  *Error  `msgpack:"error,omitempty"`  // error
	Joined *Joined `msgpack:"joined,omitempty"` // joined
	View   *View   `msgpack:"view,omitempty"`   // view
	Tables []Table `msgpack:"tables,omitempty"` // table_list

	Scenarios []ScenarioChoice `msgpack:"scenarios,omitempty"` // scenario_list
	Checked   *Checked         `msgpack:"checked,omitempty"`   // checked
	Balance   *Balance         `msgpack:"balance,omitempty"`   // balance

	// Debrief is the table's report (debrief): the same data as the
	// facilitator's HTML report, so the screens and the file agree.
	Debrief *report.Report `msgpack:"debrief,omitempty"`
}

// Error says what failed, typed for programs and worded for people.
type Error struct {
	Code    Code   `msgpack:"code"`
	Message string `msgpack:"message"`
}

// Joined tells a connection its place: the secret tokens to come back with
// and what it needs to draw the game.
type Joined struct {
	Code        string       `msgpack:"code"`        // the room code
	Role        string       `msgpack:"role"`        // one of the roles
	Seat        sim.Seat     `msgpack:"seat"`        // 0 executive, 1.. managers, -1 facilitator, -2 public
	Conn        int          `msgpack:"conn"`        // this connection's number in the room
	Token       string       `msgpack:"token"`       // the seat's resume token; "" for watchers
	Facilitator string       `msgpack:"facilitator"` // the facilitator token, to the creator only
	Scenario    ScenarioInfo `msgpack:"scenario"`
}

// ScenarioInfo is the part of a scenario a client shows: titles and texts,
// never a card's harm (that is for the players to judge). What a card shows
// its player is here: the executive's expected saving, the costed
// alternatives a case may offer, and which way each front-line signal moves
// which card.
type ScenarioInfo struct {
	ID         string         `msgpack:"id"`
	Title      string         `msgpack:"title"`
	Summary    string         `msgpack:"summary"`
	Turns      int            `msgpack:"turns"`
	Objectives []Card         `msgpack:"objectives"`
	Events     []Card         `msgpack:"events"`   // index = sim.View.News entries
	Mandates   []MandateCard  `msgpack:"mandates"` // index = sim.View.Card, Hand, Played
	Personas   []PersonaCard  `msgpack:"personas"`
	Styles     []Card         `msgpack:"styles"`
	Levers     []string       `msgpack:"levers"`   // index = sim.Lever, from 1
	Evidence   []EvidenceCard `msgpack:"evidence"` // index = sim.ManagerView.Evidence entries
	// Executive is the ID of the persona that plays the executive, "" when
	// a person does: the room fills it in (Info knows only the scenario).
	Executive string `msgpack:"executive"`
}

// MandateCard is a mandate as its players see it: the words, what it saves
// (shown to the executive, never its human cost), the framing line a
// scripted executive plays it with, and the costed alternatives a business
// case may offer instead.
type MandateCard struct {
	Card         `msgpack:",inline"`
	Saving       int           `msgpack:"saving"` // cost points saved when every team carries it out (sim.Mandate.Saving)
	Framing      string        `msgpack:"framing"`
	Alternatives []Alternative `msgpack:"alternatives"`
}

// Alternative is a costed option against a card: a case cites it by ID, and
// an amendment to it keeps Keep of the card's effects and saving.
type Alternative struct {
	ID    string  `msgpack:"id"`
	Title string  `msgpack:"title"`
	Keep  float64 `msgpack:"keep"` // 0..1
}

// PersonaCard is a scripted executive with the lever it values most, which
// a manager is told after a ruling.
type PersonaCard struct {
	Card   `msgpack:",inline"`
	Valued sim.Lever `msgpack:"valued"`
}

// EvidenceCard is a front-line signal from the scenario's deck: the words,
// the lever it supports, and which mandate cards (indexes) it makes worse
// for the team that holds it and which it makes sounder. A manager sees
// only the cards in their own view's Evidence.
type EvidenceCard struct {
	Card    `msgpack:",inline"`
	Lever   sim.Lever `msgpack:"lever"`
	Worse   []int     `msgpack:"worse"`
	Sounder []int     `msgpack:"sounder"`
}

// Alternative finds a card's costed alternative by ID, or nil.
func (m MandateCard) Alternative(id string) *Alternative {
	for i := range m.Alternatives {
		if m.Alternatives[i].ID == id {
			return &m.Alternatives[i]
		}
	}
	return nil
}

// Bears says which way an evidence card moves a mandate for its holder:
// +1 worse, -1 sounder, 0 not at all.
func (e EvidenceCard) Bears(card int) int {
	for _, c := range e.Worse {
		if c == card {
			return 1
		}
	}
	for _, c := range e.Sounder {
		if c == card {
			return -1
		}
	}
	return 0
}

// Card is an ID with words.
type Card struct {
	ID    string `msgpack:"id"`
	Title string `msgpack:"title"`
	Text  string `msgpack:"text"`
}

// ScenarioChoice is one scenario a host may pick: shipped, or a trainer's
// own (from serve -scenarios DIR, or an uploaded file that checked clean).
type ScenarioChoice struct {
	ID       string `msgpack:"id"`
	Title    string `msgpack:"title"`
	Summary  string `msgpack:"summary"`
	Turns    int    `msgpack:"turns"`
	Trainer  bool   `msgpack:"trainer"`  // a trainer's file, not a shipped one
	Personas []Card `msgpack:"personas"` // Title is the persona's name, Text its summary
	Styles   []Card `msgpack:"styles"`
}

// Problem is one thing wrong (or, in Hints, worth a look) in a scenario
// file, where a text editor shows it.
type Problem struct {
	Line    int    `msgpack:"line"`
	Column  int    `msgpack:"column"`
	Message string `msgpack:"message"`
}

// Checked answers check: the problems (none means the file is playable),
// hints that do not stop it, and the scenario it describes when valid.
type Checked struct {
	File     string          `msgpack:"file"`
	Problems []Problem       `msgpack:"problems"`
	Hints    []Problem       `msgpack:"hints"`
	Scenario *ScenarioChoice `msgpack:"scenario"`
}

// Balance is the simulate table of a scenario: bot-only games with one
// manager seat per style against the chosen executive persona.
type Balance struct {
	Scenario string       `msgpack:"scenario"`
	Persona  string       `msgpack:"persona"`
	Games    int          `msgpack:"games"`
	Rows     []BalanceRow `msgpack:"rows"` // one per manager seat
	Exec     float64      `msgpack:"exec"` // the executive's mean score
}

// BalanceRow is one manager seat's means over the games.
type BalanceRow struct {
	Style      string  `msgpack:"style"`
	Morale     float64 `msgpack:"morale"`
	Trust      float64 `msgpack:"trust"`
	Quota      float64 `msgpack:"quota"`
	Standing   float64 `msgpack:"standing"`
	Score      float64 `msgpack:"score"`
	Resigned   float64 `msgpack:"resigned"`   // share of games the team's best people left, 0..1
	Objections float64 `msgpack:"objections"` // raised per game
	Won        float64 `msgpack:"won"`        // share of objections amended or withdrawn, 0..1
}

// Notice is something the facilitator did that players must be told about,
// shown as a banner: Kind is one of the Notice* values.
type Notice struct {
	At       int64    `msgpack:"at"` // unix ms
	Kind     string   `msgpack:"kind"`
	Seat     sim.Seat `msgpack:"seat"`     // bot, returned: the seat concerned
	Everyone bool     `msgpack:"everyone"` // false: only Seat's holder (and the facilitator) is told
	Text     string   `msgpack:"text"`     // in words, ready to show
}

// The notice kinds.
const (
	NoticePaused    = "paused"
	NoticeContinued = "continued"
	NoticeEnded     = "ended"
	NoticeInjected  = "injected"
	NoticeBot       = "bot"      // the facilitator (or a deadline, its person away) handed Seat to a bot
	NoticeReturned  = "returned" // and gave it back
	NoticeExtended  = "extended"
	NoticeSkipped   = "skipped"
)

// Choice describes a scenario in a host's list; trainer marks a trainer's
// own file.
func Choice(s *sim.Scenario, trainer bool) ScenarioChoice {
	c := ScenarioChoice{ID: s.ID, Title: s.Title, Summary: s.Summary, Turns: s.Turns, Trainer: trainer,
		Personas: []Card{}, Styles: []Card{}}
	for _, p := range s.Personas {
		c.Personas = append(c.Personas, Card{p.ID, p.Name, p.Summary})
	}
	for _, st := range s.Styles {
		c.Styles = append(c.Styles, Card{st.ID, st.Name, st.Summary})
	}
	return c
}

// Info extracts what a client may know of a scenario.
func Info(s *sim.Scenario) ScenarioInfo {
	in := ScenarioInfo{ID: s.ID, Title: s.Title, Summary: s.Summary, Turns: s.Turns,
		Levers: append([]string{"none"}, sim.LeverNames()...)}
	for _, o := range s.Objectives {
		in.Objectives = append(in.Objectives, Card{ID: o.ID, Text: o.Text})
	}
	for _, e := range s.Events {
		in.Events = append(in.Events, Card{e.ID, e.Title, e.Text})
	}
	for i := range s.Mandates {
		m := &s.Mandates[i]
		mc := MandateCard{Card: Card{m.ID, m.Title, m.Text}, Saving: m.Saving(), Framing: m.Framing,
			Alternatives: []Alternative{}}
		for _, a := range m.Alternatives {
			mc.Alternatives = append(mc.Alternatives, Alternative{a.ID, a.Title, a.Keep})
		}
		in.Mandates = append(in.Mandates, mc)
	}
	for i := range s.Personas {
		p := &s.Personas[i]
		in.Personas = append(in.Personas, PersonaCard{Card: Card{p.ID, p.Name, p.Summary}, Valued: p.Valued()})
	}
	for _, st := range s.Styles {
		in.Styles = append(in.Styles, Card{st.ID, st.Name, st.Summary})
	}
	for _, e := range s.Evidence {
		ec := EvidenceCard{Card: Card{e.ID, e.Title, e.Text}, Lever: e.Lever, Worse: []int{}, Sounder: []int{}}
		for _, x := range e.Shifts {
			switch {
			case x.By > 0:
				ec.Worse = append(ec.Worse, x.Card)
			case x.By < 0:
				ec.Sounder = append(ec.Sounder, x.Card)
			}
		}
		in.Evidence = append(in.Evidence, ec)
	}
	return in
}

// View is one seat's picture: the game from sim.State.View, the room around
// it, and each visible delta in words.
type View struct {
	Game  sim.View `msgpack:"game"`
	Room  Room     `msgpack:"room"`
	Texts []string `msgpack:"texts"` // Texts[i] explains Game.Deltas[i]
}

// Room is what a room adds to the game: who sits where and the clock.
type Room struct {
	Code     string     `msgpack:"code"`
	Scenario string     `msgpack:"scenario"`
	Started  bool       `msgpack:"started"`
	Paused   bool       `msgpack:"paused"`
	Locked   bool       `msgpack:"locked"`
	Over     bool       `msgpack:"over"`
	Deadline int64      `msgpack:"deadline"` // unix ms when the phase ends, 0 none
	Now      int64      `msgpack:"now"`      // the server clock, unix ms, when this was sent
	Since    uint64     `msgpack:"since"`    // the version the current phase began at
	Seats    []SeatInfo `msgpack:"seats"`
	People   []Person   `msgpack:"people"` // the facilitator only
	// Answered of Waiting seats have decided in this phase ("3 of 5
	// answered" on the projector); Waiting is 0 between phases.
	Answered int  `msgpack:"answered"`
	Waiting  int  `msgpack:"waiting"`
	Audience bool `msgpack:"audience"` // joins past the seats become observers
	// Deadlines are the room's per-phase seconds (0 off), so a console can
	// offer "+1 minute" only when there is a clock.
	Deadlines Deadlines `msgpack:"deadlines"`
	Turned    int       `msgpack:"turned"`  // joins refused for want of a seat (the facilitator only)
	Notices   []Notice  `msgpack:"notices"` // the latest few this seat should see, oldest first
}

// SeatInfo is a seat as everyone sees it.
type SeatInfo struct {
	Seat      sim.Seat `msgpack:"seat" json:"seat"`
	Role      string   `msgpack:"role" json:"role"`
	Name      string   `msgpack:"name" json:"name"`           // the person's, else the bot's
	Human     bool     `msgpack:"human" json:"human"`         // reserved by a person
	Connected bool     `msgpack:"connected" json:"connected"` // the person is here now
	Bot       bool     `msgpack:"bot" json:"bot"`             // a bot plays it now
	Pending   bool     `msgpack:"pending" json:"pending"`     // the seat owes a decision
}

// Person is one connection in a room, for the facilitator's kick and assign.
type Person struct {
	Conn int      `msgpack:"conn"`
	Name string   `msgpack:"name"`
	Role string   `msgpack:"role"`
	Seat sim.Seat `msgpack:"seat"`
}

// Table is one room in a facilitator's list (also served as JSON by GET
// /tables, hence the json tags).
type Table struct {
	Code     string     `msgpack:"code" json:"code"`
	Scenario string     `msgpack:"scenario" json:"scenario"`
	Turn     int        `msgpack:"turn" json:"turn"`
	Turns    int        `msgpack:"turns" json:"turns"`
	Phase    string     `msgpack:"phase" json:"phase"`
	Started  bool       `msgpack:"started" json:"started"`
	Paused   bool       `msgpack:"paused" json:"paused"`
	Over     bool       `msgpack:"over" json:"over"`
	Seats    []SeatInfo `msgpack:"seats" json:"seats"`
}

// DecodeClient turns one frame into a ClientMsg, refusing oversize frames,
// hostile length headers, wrong types, trailing bytes and unknown kinds. The
// error wraps ErrHostile or says what is wrong; the answer is CodeBadMessage.
func DecodeClient(b []byte) (ClientMsg, error) {
	var m ClientMsg
	if len(b) > MaxUpload {
		return m, fmt.Errorf("message of %d bytes exceeds %d", len(b), MaxUpload)
	}
	if err := CheckLengths(b); err != nil {
		return m, err
	}
	if err := CheckRanges(b, &m); err != nil {
		return m, err
	}
	rd := readers.Get().(*bytes.Reader)
	rd.Reset(b)
	dec := msgpack.GetDecoder()
	dec.Reset(rd)
	err := dec.Decode(&m)
	msgpack.PutDecoder(dec)
	rd.Reset(nil)
	readers.Put(rd)
	if err != nil {
		return ClientMsg{}, fmt.Errorf("decode: %w", err)
	}
	if !slices.Contains(ClientKinds, m.Kind) {
		return ClientMsg{}, fmt.Errorf("unknown kind %q", m.Kind)
	}
	upload := m.Kind == KindCheck || m.Kind == KindPreview || m.Kind == KindCreate
	if len(b) > MaxMessage && !upload {
		return ClientMsg{}, fmt.Errorf("a %s message of %d bytes exceeds %d (only check, preview and create, which may carry a scenario file, may reach %d)", m.Kind, len(b), MaxMessage, MaxUpload)
	}
	src := m.Source
	if m.Create != nil && len(m.Create.Source) > len(src) {
		src = m.Create.Source
	}
	if len(src) > MaxScenario {
		return ClientMsg{}, fmt.Errorf("the scenario file is %d bytes; at most %d KiB are accepted", len(src), MaxScenario>>10)
	}
	return m, nil
}

// readers are DecodeClient's, reused like msgpack's pooled decoders: a
// decoded message never refers to the bytes it was read from (msgpack
// copies strings and byte slices out).
var readers = sync.Pool{New: func() any { return new(bytes.Reader) }}

// Encode marshals any message; the server and clients use it alike.
func Encode(m any) ([]byte, error) { return msgpack.Marshal(m) }

// DecodeServer is the client's side: it trusts the server but still never
// decodes into interface{}. A view as AppendView writes it is read without
// reflection (decodeView); anything else reflectively.
func DecodeServer(b []byte) (ServerMsg, error) {
	if v, err := decodeView(b); err == nil {
		return ServerMsg{Kind: KindView, View: v}, nil
	}
	var m ServerMsg
	err := msgpack.Unmarshal(b, &m)
	return m, err
}
