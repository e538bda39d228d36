package room

import (
	"time"

	"pushback/server/store"
	"pushback/sim"
)

// deps is what a table needs from the server around it, instead of the
// whole Hub: where its log goes, what it counts, its limits, and the hub's
// token index and room accounting. The Hub makes one and hands it to every
// room.
type deps struct {
	log    roomLog
	m      *metrics
	limits limits
	hub    hubSide
}

// roomLog is the durable log of the rooms (store.Store, on SQLite or
// PostgreSQL): commands and room records through the group commit, the end
// of a game, the end-of-game answers.
type roomLog interface {
	Append(code string, seq uint64, c sim.Command, at time.Time) error
	AppendRecords(code string, first, version uint64, bodies [][]byte, at time.Time) error
	Room(code string) (store.Room, error)
	Records(code string) ([]store.Record, error)
	Log(code string) ([]store.Entry, error)
	Finish(code string, at time.Time) error
	Takeaways(code string) ([]store.Takeaway, error)
	SaveTakeaway(code string, t store.Takeaway) error
}

// limits are the Config values a table enforces.
type limits struct {
	MaxConns  int           // connections per room
	LobbyIdle time.Duration // an idle room is unloaded after this long
}

// hubSide is the Hub as its rooms see it.
type hubSide interface {
	indexToken(tok, code string) // a seat's token changed
	guessed(c *client)           // a wrong token: charged to the guessing budget
	finished()                   // a game ended: one live room less
	unload(r *Room) bool         // drop an idle room from memory (the actor asks)
	drop(r *Room)                // forget a room that moved to another node
}
