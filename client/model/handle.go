package model

import (
	"fmt"
	"strings"
	"time"

	"pushback/server/protocol"
	"pushback/sim"
)

// Connected is called when the link to the server is (re)established; it
// returns the hello and, with a saved token, the resume that gets the same
// seat back.
func (m *Model) Connected() []protocol.ClientMsg {
	m.Conn, m.Attempt, m.RetryIn = ConnOnline, 0, 0
	out := m.msg(protocol.ClientMsg{Kind: protocol.KindHello, V: protocol.Version})
	switch {
	case m.Enter != nil: // New table: create on this fresh connection
		out = append(out, m.msg(*m.Enter)...)
		m.Enter, m.Busy = nil, true
	case m.Replaced:
		// The seat is open elsewhere: taking it back is the player's call
		// (TakeBack), never an automatic reconnect.
	case m.Saved.Token != "":
		out = append(out, m.msg(protocol.ClientMsg{Kind: protocol.KindResume, Code: m.Saved.Code, Token: m.Saved.Token})...)
		m.Busy = true
	case m.Saved.Projector && m.Saved.Code != "":
		out = append(out, m.msg(protocol.ClientMsg{Kind: protocol.KindJoin, Code: m.Saved.Code, Role: protocol.RoleProjector})...)
		m.Busy = true
	case m.Saved.Facilitator != "" && m.Saved.Code != "":
		out = append(out, m.msg(protocol.ClientMsg{Kind: protocol.KindResume, Code: m.Saved.Code, Token: m.Saved.Facilitator})...)
		m.Busy = true
	}
	return out
}

// NotSent records that a message could not be handed to the link: nothing
// is on its way.
func (m *Model) NotSent() {
	m.Busy = false
	m.Notice = "Not connected: that did not reach the server. Try again when the link is back."
}

// Disconnected records a dropped link and when the next attempt comes.
func (m *Model) Disconnected(attempt int, retryIn time.Duration) {
	if m.Conn == ConnOffline || m.Conn == ConnConnecting && attempt <= 1 {
		m.Conn = ConnConnecting
	} else {
		m.Conn = ConnLost
	}
	m.Attempt, m.RetryIn, m.Busy = attempt, retryIn, false
}

// Receive decodes one frame from the server and handles it. Nothing a
// server sends can crash the client: an unreadable or invalid frame becomes
// a notice and the model stays as it was.
func (m *Model) Receive(frame []byte) (out []protocol.ClientMsg) {
	if err := protocol.CheckLengths(frame); err != nil {
		m.Notice = "The server sent a malformed message; it was ignored."
		return nil
	}
	msg, err := protocol.DecodeServer(frame)
	if err != nil {
		m.Notice = "The server sent a message this client cannot read; it was ignored."
		return nil
	}
	return m.Handle(msg)
}

// Handle applies one server message and returns any replies. A message
// that fails validation changes nothing but the notice.
func (m *Model) Handle(msg protocol.ServerMsg) (out []protocol.ClientMsg) {
	if err := validate(msg); err != nil {
		m.Notice = fmt.Sprintf("The server sent a %q message this client could not use (%v); it was ignored.", clip(msg.Kind, 24), err)
		return nil
	}
	switch msg.Kind {
	case protocol.KindWelcome:
		m.SetServerClock(msg.Now)
	case protocol.KindJoined:
		if m.joined(msg.Joined) {
			// The console lists every table of this trainer, to switch and
			// to move people between them.
			return m.msg(protocol.ClientMsg{Kind: protocol.KindTables, Token: m.Saved.Facilitator})
		}
	case protocol.KindView:
		m.Room = msg.View.Room
		if !m.Room.Paused && m.Notice == ErrorText(protocol.Error{Code: protocol.CodePaused}) {
			m.Notice = "" // a refusal while paused is over once the game continues
		}
		m.SetServerClock(msg.View.Room.Now)
		m.setView(msg.View.Game, msg.View.Texts)
	case protocol.KindError:
		m.failed(*msg.Error)
	case protocol.KindTableList:
		m.Tables = msg.Tables
	case protocol.KindDebrief:
		m.setReport(msg.Debrief)
	case protocol.KindScenarioList:
		m.Scenarios = msg.Scenarios
	case protocol.KindChecked:
		m.checked(msg.Checked)
	case protocol.KindBalance:
		m.Host.Balance, m.Host.Previewing = msg.Balance, false
	case protocol.KindOK:
	default:
		m.Notice = fmt.Sprintf("The server sent a message of unknown kind %q; it was ignored.", clip(msg.Kind, 24))
	}
	return nil
}

// joined takes a seat or a room; it reports whether the console should
// list the facilitator's tables.
func (m *Model) joined(j *protocol.Joined) bool {
	if j.Code != m.Room.Code { // a new room: nothing of the old one applies
		m.HasView, m.View, m.Texts, m.Debrief, m.Report, m.Step = false, sim.View{}, nil, false, nil, 0
		m.anims = map[MeterKey]*Anim{}
		m.Room = protocol.Room{Code: j.Code}
		m.Help = false
		m.Confirm = nil // an order asked for at another table
	}
	if j.Code != m.Saved.Code { // notices dismissed in another room say nothing of this one's
		m.Saved.Seen = 0
	}
	m.Joined, m.Busy, m.Notice = true, false, ""
	m.Seat, m.Role, m.Info = j.Seat, j.Role, j.Scenario
	m.Saved.Code = j.Code
	if j.Token != "" {
		m.Saved.Token = j.Token
	}
	if j.Facilitator != "" {
		// Shown once, on the console, the first time this trainer gets it.
		m.ShowToken = m.ShowToken || m.Saved.Facilitator != j.Facilitator
		m.Saved.Facilitator = j.Facilitator
	}
	m.Host.Open = false
	if j.Seat == sim.Facilitator {
		m.Saved.Token = ""
	}
	m.Saved.Projector = j.Role == protocol.RoleProjector
	return j.Seat == sim.Facilitator && m.Saved.Facilitator != ""
}

func (m *Model) failed(e protocol.Error) {
	m.Busy, m.Host.Previewing = false, false
	if e.Code == protocol.CodePaused && m.Room.Paused {
		// Every screen says the game is paused, until it continues; a
		// second banner would stay after that. What was refused can be
		// sent again.
		if m.Answer.Sent {
			m.Answer.Dirty = true
		}
		return
	}
	m.Notice = ErrorText(e)
	if e.Code == protocol.CodeReplaced {
		m.Replaced, m.Joined = true, false
	}
	if !m.Joined && (e.Code == protocol.CodeUnauthorized || e.Code == protocol.CodeUnknownRoom) {
		// The saved seat is gone (the room ended, or the token is wrong):
		// forget it, so the next connection does not try it again.
		m.Saved.Token, m.Saved.Facilitator, m.Saved.Projector = "", "", false
	}
}

// SetServerClock measures the skew between the server's clock (unix ms, as
// sent) and ours, when a message arrives.
func (m *Model) SetServerClock(serverMs int64) {
	if serverMs > 0 && !m.Wall.IsZero() {
		m.Skew = time.UnixMilli(serverMs).Sub(m.Wall)
	}
}

// ErrorText puts a server error in words a player can act on.
func ErrorText(e protocol.Error) string {
	s, ok := errorWords[e.Code]
	if !ok {
		s = "The server refused that"
	}
	if e.Message != "" && !strings.EqualFold(strings.TrimSpace(e.Message), s) {
		return s + " (" + clip(e.Message, 160) + ")."
	}
	return s + "."
}

var errorWords = map[protocol.Code]string{
	protocol.CodeBadMessage:      "The server could not read a message from this client",
	protocol.CodeVersion:         "This client is out of date: reload the page",
	protocol.CodeUnknownRoom:     "No room has that code: check it on the projector",
	protocol.CodeReplaced:        "Your seat was opened in another tab or on another device, so it moved there",
	protocol.CodeRoomFull:        "That room has no free seat",
	protocol.CodeRoomLocked:      "The facilitator has locked that room",
	protocol.CodeTooManyRooms:    "The server is full: try again later",
	protocol.CodeNotYourSeat:     "That decision belongs to another seat",
	protocol.CodeNotYourTurn:     "Your role cannot do that",
	protocol.CodeWrongPhase:      "The game has moved on to another phase",
	protocol.CodeStaleVersion:    "The game changed while you decided: check and send again",
	protocol.CodeAlreadyAnswered: "You already did that this turn",
	protocol.CodeUnknownCard:     "That card cannot be played",
	protocol.CodeBadCommand:      "The server refused that decision",
	protocol.CodeGameOver:        "The game is over",
	protocol.CodeNotStarted:      "The facilitator has not started the game yet",
	protocol.CodePaused:          "The facilitator has paused the game",
	protocol.CodeRateLimited:     "Too many clicks: wait a moment",
	protocol.CodeUnauthorized:    "The server did not accept this seat's key",
	protocol.CodeInternal:        "The server failed; try again",
}
