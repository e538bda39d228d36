package room

import (
	"log/slog"

	"pushback/server/debrief"
	"pushback/server/protocol"
)

// The debrief travels to the clients as one message: to every connection
// when the game ends, to whoever joins or resumes a finished room, and to
// the facilitator whenever they ask (a live report mid-game). It is built
// from the stored log, like the facilitator's HTML report, so the screen
// and the file cannot disagree; the final one is built once and kept.

// debriefGame is this room's record as the debrief replays it.
func (r *table) debriefGame() (debrief.Game, error) {
	return reportGame(r.deps.log, r.code, r.scn.ID, r.src, r.scn, r.seed, &r.meta)
}

// debriefBytes encodes the table's report as a debrief message answering
// re; nil when it cannot be built (logged: the game itself goes on).
func (r *table) debriefBytes(re uint32) []byte {
	if r.over && re == 0 && r.report != nil {
		return r.report
	}
	g, err := r.debriefGame()
	if err == nil {
		var rep *debrief.Report
		if rep, err = debrief.Build(g); err == nil {
			var b []byte
			if b, err = protocol.Encode(protocol.ServerMsg{Kind: protocol.KindDebrief, Re: re, Debrief: rep}); err == nil {
				if r.over && re == 0 {
					r.report, r.final = b, rep
				}
				return b
			}
		}
	}
	slog.Error("debrief", "code", r.code, "err", err)
	return nil
}

// sendDebrief sends c the report, answering request re (0: unasked).
func (r *table) sendDebrief(c *client, re uint32) {
	if b := r.debriefBytes(re); b != nil {
		r.send(c, b)
	} else if re != 0 {
		r.fail(c, re, protocol.CodeInternal, "the debrief could not be built")
	}
}

// debriefAll sends the final report to every connection: the game has just
// ended.
func (r *table) debriefAll() {
	if len(r.conns) == 0 {
		return
	}
	if b := r.debriefBytes(0); b != nil {
		for c := range r.conns {
			r.send(c, b)
		}
	}
}
