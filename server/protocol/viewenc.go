package protocol

import (
	"encoding/binary"
	"math"

	"pushback/sim"
)

// AppendView appends a view message — ServerMsg{Kind: KindView, View: v} —
// to b and returns the result: the same bytes Encode writes, without
// reflection. The server sends a view to every seat after every decision,
// and msgpack's reflective encoder was a fifth of its CPU at the ceiling.
// The encoding follows msgpack's rules for each Go type exactly (int
// compact; int8, int16, uint8 with their type byte; int64 and uint64 in 9
// bytes; float64 as a double; a nil slice or pointer as nil; a struct as a
// map of its fields in order); viewenc_test.go compares it with Encode over
// real games and views with every field filled at random, so a field added
// to one of these types and not here fails the test.
func AppendView(b []byte, v *View) []byte {
	b = appendMapLen(b, 2)
	b = appendStr(b, "kind")
	b = appendStr(b, KindView)
	b = appendStr(b, "view")
	b = appendMapLen(b, 3)
	b = appendStr(b, "game")
	b = appendGame(b, &v.Game)
	b = appendStr(b, "room")
	b = appendRoom(b, &v.Room)
	b = appendStr(b, "texts")
	if v.Texts == nil {
		return appendNil(b)
	}
	b = appendArrayLen(b, len(v.Texts))
	for _, t := range v.Texts {
		b = appendStr(b, t)
	}
	return b
}

func appendGame(b []byte, g *sim.View) []byte {
	b = appendMapLen(b, 17)
	b = appendStr(b, "seat")
	b = appendInt8(b, int8(g.Seat))
	b = appendStr(b, "turn")
	b = appendInt(b, int64(g.Turn))
	b = appendStr(b, "turns")
	b = appendInt(b, int64(g.Turns))
	b = appendStr(b, "phase")
	b = appendUint8(b, uint8(g.Phase))
	b = appendStr(b, "version")
	b = appendUint64(b, g.Version)
	b = appendStr(b, "card")
	b = appendInt(b, int64(g.Card))
	b = appendStr(b, "target")
	b = appendInt8(b, int8(g.Target))
	b = appendStr(b, "framing")
	b = appendStr(b, g.Framing)
	b = appendStr(b, "visit")
	b = appendInt8(b, int8(g.Visit))
	b = appendStr(b, "news")
	b = appendInts(b, g.News)
	b = appendStr(b, "played")
	b = appendInts(b, g.Played)
	b = appendStr(b, "hand")
	b = appendInts(b, g.Hand)
	b = appendStr(b, "company")
	b = appendCompany(b, &g.Company)
	b = appendStr(b, "trend")
	if g.Trend == nil {
		b = appendNil(b)
	} else {
		b = appendArrayLen(b, len(g.Trend))
		for i := range g.Trend {
			b = appendCompany(b, &g.Trend[i])
		}
	}
	b = appendStr(b, "managers")
	if g.Managers == nil {
		b = appendNil(b)
	} else {
		b = appendArrayLen(b, len(g.Managers))
		for i := range g.Managers {
			b = appendManager(b, &g.Managers[i])
		}
	}
	b = appendStr(b, "deltas")
	if g.Deltas == nil {
		b = appendNil(b)
	} else {
		b = appendArrayLen(b, len(g.Deltas))
		for _, d := range g.Deltas {
			b = appendMapLen(b, 6)
			b = appendStr(b, "turn")
			b = appendInt16(b, d.Turn)
			b = appendStr(b, "amount")
			b = appendInt16(b, d.Amount)
			b = appendStr(b, "ref")
			b = appendInt16(b, d.Ref)
			b = appendStr(b, "seat")
			b = appendInt8(b, int8(d.Seat))
			b = appendStr(b, "meter")
			b = appendUint8(b, uint8(d.Meter))
			b = appendStr(b, "cause")
			b = appendUint8(b, uint8(d.Cause))
		}
	}
	b = appendStr(b, "scores")
	if g.Scores == nil {
		return appendNil(b)
	}
	b = appendMapLen(b, 2)
	b = appendStr(b, "managers")
	b = appendInts(b, g.Scores.Managers)
	b = appendStr(b, "executive")
	return appendInt(b, int64(g.Scores.Executive))
}

func appendCompany(b []byte, c *sim.Company) []byte {
	b = appendMapLen(b, 4)
	b = appendStr(b, "revenue")
	b = appendInt(b, int64(c.Revenue))
	b = appendStr(b, "cost")
	b = appendInt(b, int64(c.Cost))
	b = appendStr(b, "pressure")
	b = appendInt(b, int64(c.Pressure))
	b = appendStr(b, "market")
	return appendInt(b, int64(c.Market))
}

func appendMeters(b []byte, m *sim.Meters) []byte {
	b = appendMapLen(b, 4)
	b = appendStr(b, "morale")
	b = appendInt(b, int64(m.Morale))
	b = appendStr(b, "trust")
	b = appendInt(b, int64(m.Trust))
	b = appendStr(b, "quota")
	b = appendInt(b, int64(m.Quota))
	b = appendStr(b, "standing")
	return appendInt(b, int64(m.Standing))
}

func appendManager(b []byte, m *sim.ManagerView) []byte {
	b = appendMapLen(b, 18)
	b = appendStr(b, "seat")
	b = appendInt8(b, int8(m.Seat))
	b = appendStr(b, "name")
	b = appendStr(b, m.Name)
	b = appendStr(b, "meters")
	b = appendMeters(b, &m.Meters)
	b = appendStr(b, "pulse")
	b = appendInt(b, int64(m.Pulse))
	b = appendStr(b, "resignations")
	b = appendInt(b, int64(m.Resignations))
	b = appendStr(b, "visit_turn")
	b = appendInt(b, int64(m.VisitTurn))
	b = appendStr(b, "answered")
	b = appendBool(b, m.Answered)
	b = appendStr(b, "ready")
	b = appendBool(b, m.Ready)
	b = appendStr(b, "revealed")
	b = appendBool(b, m.Revealed)
	b = appendStr(b, "response")
	b = appendUint8(b, uint8(m.Response))
	b = appendStr(b, "case")
	b = appendMapLen(b, 6)
	b = appendStr(b, "data")
	b = appendUint8(b, uint8(m.Case.Data))
	b = appendStr(b, "impact")
	b = appendUint8(b, uint8(m.Case.Impact))
	b = appendStr(b, "alternative")
	b = appendStr(b, m.Case.Alternative)
	b = appendStr(b, "ask")
	b = appendUint8(b, uint8(m.Case.Ask))
	b = appendStr(b, "text")
	b = appendStr(b, m.Case.Text)
	b = appendStr(b, "evidence")
	b = appendArrayLen(b, len(m.Case.Evidence))
	for _, e := range m.Case.Evidence {
		b = appendStr(b, e)
	}
	b = appendStr(b, "action")
	b = appendUint8(b, uint8(m.Action))
	b = appendStr(b, "verdict")
	b = appendUint8(b, uint8(m.Verdict))
	b = appendStr(b, "escalate")
	b = appendInt(b, int64(m.Escalate))
	b = appendStr(b, "in_force")
	b = appendInts(b, m.InForce)
	b = appendStr(b, "history")
	if m.History == nil {
		b = appendNil(b)
	} else {
		b = appendArrayLen(b, len(m.History))
		for i := range m.History {
			b = appendMeters(b, &m.History[i])
		}
	}
	b = appendStr(b, "evidence")
	b = appendInts(b, m.Evidence)
	g := &m.Grade
	b = appendStr(b, "grade")
	b = appendMapLen(b, 8)
	b = appendStr(b, "evidence")
	b = appendFloat(b, g.Evidence)
	b = appendStr(b, "cited")
	b = appendInt(b, int64(g.Cited))
	b = appendStr(b, "framing")
	b = appendFloat(b, g.Framing)
	b = appendStr(b, "backed")
	b = appendUint8(b, g.Backed)
	b = appendStr(b, "alternative")
	b = appendBool(b, g.Alternative)
	b = appendStr(b, "ask_fits")
	b = appendBool(b, g.AskFits)
	b = appendStr(b, "harm")
	b = appendFloat(b, g.Harm)
	b = appendStr(b, "quality")
	return appendFloat(b, g.Quality)
}

func appendRoom(b []byte, r *Room) []byte {
	b = appendMapLen(b, 17)
	b = appendStr(b, "code")
	b = appendStr(b, r.Code)
	b = appendStr(b, "scenario")
	b = appendStr(b, r.Scenario)
	b = appendStr(b, "started")
	b = appendBool(b, r.Started)
	b = appendStr(b, "paused")
	b = appendBool(b, r.Paused)
	b = appendStr(b, "locked")
	b = appendBool(b, r.Locked)
	b = appendStr(b, "over")
	b = appendBool(b, r.Over)
	b = appendStr(b, "deadline")
	b = appendInt64(b, r.Deadline)
	b = appendStr(b, "now")
	b = appendInt64(b, r.Now)
	b = appendStr(b, "since")
	b = appendUint64(b, r.Since)
	b = appendStr(b, "seats")
	if r.Seats == nil {
		b = appendNil(b)
	} else {
		b = appendArrayLen(b, len(r.Seats))
		for i := range r.Seats {
			s := &r.Seats[i]
			b = appendMapLen(b, 7)
			b = appendStr(b, "seat")
			b = appendInt8(b, int8(s.Seat))
			b = appendStr(b, "role")
			b = appendStr(b, s.Role)
			b = appendStr(b, "name")
			b = appendStr(b, s.Name)
			b = appendStr(b, "human")
			b = appendBool(b, s.Human)
			b = appendStr(b, "connected")
			b = appendBool(b, s.Connected)
			b = appendStr(b, "bot")
			b = appendBool(b, s.Bot)
			b = appendStr(b, "pending")
			b = appendBool(b, s.Pending)
		}
	}
	b = appendStr(b, "people")
	if r.People == nil {
		b = appendNil(b)
	} else {
		b = appendArrayLen(b, len(r.People))
		for i := range r.People {
			p := &r.People[i]
			b = appendMapLen(b, 4)
			b = appendStr(b, "conn")
			b = appendInt(b, int64(p.Conn))
			b = appendStr(b, "name")
			b = appendStr(b, p.Name)
			b = appendStr(b, "role")
			b = appendStr(b, p.Role)
			b = appendStr(b, "seat")
			b = appendInt8(b, int8(p.Seat))
		}
	}
	b = appendStr(b, "answered")
	b = appendInt(b, int64(r.Answered))
	b = appendStr(b, "waiting")
	b = appendInt(b, int64(r.Waiting))
	b = appendStr(b, "audience")
	b = appendBool(b, r.Audience)
	d := &r.Deadlines
	b = appendStr(b, "deadlines")
	b = appendMapLen(b, 4)
	b = appendStr(b, "mandate")
	b = appendInt(b, int64(d.Mandate))
	b = appendStr(b, "response")
	b = appendInt(b, int64(d.Response))
	b = appendStr(b, "ruling")
	b = appendInt(b, int64(d.Ruling))
	b = appendStr(b, "reveal")
	b = appendInt(b, int64(d.Reveal))
	b = appendStr(b, "turned")
	b = appendInt(b, int64(r.Turned))
	b = appendStr(b, "notices")
	if r.Notices == nil {
		return appendNil(b)
	}
	b = appendArrayLen(b, len(r.Notices))
	for i := range r.Notices {
		n := &r.Notices[i]
		b = appendMapLen(b, 5)
		b = appendStr(b, "at")
		b = appendInt64(b, n.At)
		b = appendStr(b, "kind")
		b = appendStr(b, n.Kind)
		b = appendStr(b, "seat")
		b = appendInt8(b, int8(n.Seat))
		b = appendStr(b, "everyone")
		b = appendBool(b, n.Everyone)
		b = appendStr(b, "text")
		b = appendStr(b, n.Text)
	}
	return b
}

// The msgpack primitives, as msgpack's encoder writes them.

func appendNil(b []byte) []byte { return append(b, 0xc0) }

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 0xc3)
	}
	return append(b, 0xc2)
}

func appendMapLen(b []byte, n int) []byte {
	if n < 16 {
		return append(b, 0x80|byte(n))
	}
	if n <= math.MaxUint16 {
		return binary.BigEndian.AppendUint16(append(b, 0xde), uint16(n))
	}
	return binary.BigEndian.AppendUint32(append(b, 0xdf), uint32(n))
}

func appendArrayLen(b []byte, n int) []byte {
	if n < 16 {
		return append(b, 0x90|byte(n))
	}
	if n <= math.MaxUint16 {
		return binary.BigEndian.AppendUint16(append(b, 0xdc), uint16(n))
	}
	return binary.BigEndian.AppendUint32(append(b, 0xdd), uint32(n))
}

func appendStr(b []byte, s string) []byte {
	switch n := len(s); {
	case n < 32:
		b = append(b, 0xa0|byte(n))
	case n < 256:
		b = append(b, 0xd9, byte(n))
	case n <= math.MaxUint16:
		b = binary.BigEndian.AppendUint16(append(b, 0xda), uint16(n))
	default:
		b = binary.BigEndian.AppendUint32(append(b, 0xdb), uint32(n))
	}
	return append(b, s...)
}

// appendInt is msgpack's compact integer (a Go int).
func appendInt(b []byte, n int64) []byte {
	if n >= 0 {
		return appendUint(b, uint64(n))
	}
	switch {
	case n >= -32:
		return append(b, byte(n))
	case n >= math.MinInt8:
		return append(b, 0xd0, byte(n))
	case n >= math.MinInt16:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(n))
	case n >= math.MinInt32:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(n))
	}
	return appendInt64(b, n)
}

func appendUint(b []byte, n uint64) []byte {
	switch {
	case n <= math.MaxInt8:
		return append(b, byte(n))
	case n <= math.MaxUint8:
		return append(b, 0xcc, byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
	case n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
	}
	return appendUint64(b, n)
}

func appendInt8(b []byte, n int8) []byte   { return append(b, 0xd0, byte(n)) }
func appendUint8(b []byte, n uint8) []byte { return append(b, 0xcc, n) }
func appendInt16(b []byte, n int16) []byte {
	return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(n))
}
func appendInt64(b []byte, n int64) []byte {
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}
func appendUint64(b []byte, n uint64) []byte {
	return binary.BigEndian.AppendUint64(append(b, 0xcf), n)
}
func appendFloat(b []byte, f float64) []byte {
	return binary.BigEndian.AppendUint64(append(b, 0xcb), math.Float64bits(f))
}

func appendInts(b []byte, s []int) []byte {
	if s == nil {
		return appendNil(b)
	}
	b = appendArrayLen(b, len(s))
	for _, n := range s {
		b = appendInt(b, int64(n))
	}
	return b
}
