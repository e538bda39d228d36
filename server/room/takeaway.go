package room

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"pushback/server/debrief"
	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/server/store"
)

// The end of the game: before the analysis, every participant answers a
// one-question reaction poll (a word, a 1–5 scale) and writes one
// commitment to take home. Each answer is stored with the room, durably,
// before it is acknowledged; the final report is then sent again to every
// connection with the new answers (the projector shows the poll's summary,
// the facilitator's report and the handouts the commitments). The report's
// analysis is not rebuilt for that: only its takeaways change.

// takeaway serves a reaction or a commitment from a playing seat.
func (r *table) takeaway(c *client, m protocol.ClientMsg, now time.Time) error {
	switch {
	case c.seat < 0 || int(c.seat) >= len(r.meta.Seats) || r.meta.Seats[c.seat].conn != c:
		return &codeError{protocol.CodeNotYourSeat, "only a player at the table answers the poll and writes a commitment"}
	case !r.over:
		return &codeError{protocol.CodeWrongPhase, "the poll and the commitments open when the game ends"}
	}
	ts, err := r.deps.log.Takeaways(r.code)
	if err != nil {
		slog.Error("takeaways", "code", r.code, "err", err)
		return &codeError{protocol.CodeInternal, "the answers could not be read"}
	}
	t := store.Takeaway{Seat: int(c.seat)}
	for _, x := range ts {
		if x.Seat == int(c.seat) {
			t = x
		}
	}
	t.Name, t.At = r.meta.Seats[c.seat].Name, now
	if m.Kind == protocol.KindReaction {
		word := strings.TrimSpace(m.Word)
		switch {
		case word == "" && m.Scale == 0:
			return &codeError{protocol.CodeBadMessage, "a reaction needs a word or a scale 1–5"}
		case m.Scale < 0 || m.Scale > 5:
			return &codeError{protocol.CodeBadMessage, "the scale runs 1–5"}
		case !printable(word, protocol.MaxWord):
			return &codeError{protocol.CodeBadMessage, fmt.Sprintf("a reaction word is printable text of at most %d bytes", protocol.MaxWord)}
		}
		t.Word, t.Scale = word, m.Scale
	} else {
		text := strings.TrimSpace(m.Text)
		if text == "" || !printable(text, protocol.MaxCommitment) {
			return &codeError{protocol.CodeBadMessage, fmt.Sprintf("a commitment is printable text of 1–%d bytes", protocol.MaxCommitment)}
		}
		t.Commitment = text
	}
	if err := r.deps.log.SaveTakeaway(r.code, t); err != nil {
		slog.Error("takeaway", "code", r.code, "err", err)
		return &codeError{protocol.CodeInternal, "the answer could not be stored"}
	}
	r.takeawaysChanged()
	return nil
}

// takeawaysChanged sends every connection the final report with the
// stored answers, reusing the analysis already built.
func (r *table) takeawaysChanged() {
	if r.final == nil {
		r.report = nil
		r.debriefAll()
		return
	}
	ts, err := takeaways(r.deps.log, r.code)
	if err != nil {
		slog.Error("takeaways", "code", r.code, "err", err)
		return
	}
	rep := *r.final
	rep.Takeaways, rep.Poll = ts, report.Summarize(ts)
	b, err := protocol.Encode(protocol.ServerMsg{Kind: protocol.KindDebrief, Debrief: &rep})
	if err != nil {
		slog.Error("debrief", "code", r.code, "err", err)
		return
	}
	r.report, r.final = b, &rep
	for c := range r.conns {
		r.send(c, b)
	}
}

// takeaways reads a room's end-of-game answers as the debrief shows them.
func takeaways(stored roomLog, code string) ([]debrief.Takeaway, error) {
	ts, err := stored.Takeaways(code)
	if err != nil {
		return nil, err
	}
	var out []debrief.Takeaway
	for _, t := range ts {
		out = append(out, debrief.Takeaway{Seat: t.Seat, Name: t.Name, Word: t.Word, Scale: t.Scale, Commitment: t.Commitment})
	}
	return out, nil
}

// printable reports whether s is valid UTF-8 of at most n bytes without
// control characters.
func printable(s string, n int) bool {
	if len(s) > n || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
