package protocol

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"

	"pushback/sim"
)

// viewPrefix is how every view message AppendView writes begins: a map of
// two, "kind": "view", "view".
var viewPrefix = AppendView(nil, &View{})[:16]

// errNotAppended: the bytes are not laid out as AppendView lays out a view.
var errNotAppended = errors.New("not an AppendView view")

// decodeView reads a view message written by AppendView without reflection
// (a client reads one after every decision of its table). Anything laid out
// otherwise — another key order, another type, a message msgpack would
// still read — is errNotAppended, and DecodeServer reads it reflectively.
func decodeView(b []byte) (*View, error) {
	if !bytes.HasPrefix(b, viewPrefix) {
		return nil, errNotAppended
	}
	d := viewReader{b: b, i: len(viewPrefix)}
	v := new(View)
	d.mapLen(3)
	d.key("game")
	d.game(&v.Game)
	d.key("room")
	d.room(&v.Room)
	d.key("texts")
	if n := d.arrayLen(); n >= 0 {
		v.Texts = make([]string, n)
		for i := range v.Texts {
			v.Texts[i] = d.str()
		}
	}
	if d.bad || d.i != len(b) {
		return nil, errNotAppended
	}
	return v, nil
}

// viewReader reads msgpack in AppendView's layout; the first surprise sets
// bad, and from then on every read returns zero.
type viewReader struct {
	b   []byte
	i   int
	bad bool
}

func (d *viewReader) next(n int) []byte {
	if d.bad || n < 0 || len(d.b)-d.i < n {
		d.bad = true
		return make([]byte, n&0xff) // zeros; unread
	}
	p := d.b[d.i : d.i+n]
	d.i += n
	return p
}

func (d *viewReader) byte1() byte { return d.next(1)[0] }

// length reads a map or array header: fix (code&^mask), 16 or 32 bits; -1
// for nil when nilOK.
func (d *viewReader) length(fix, mask, c16, c32 byte, nilOK bool) int {
	switch c := d.byte1(); {
	case c&^mask == fix:
		return int(c & mask)
	case c == c16:
		return int(binary.BigEndian.Uint16(d.next(2)))
	case c == c32:
		return int(binary.BigEndian.Uint32(d.next(4)))
	case c == 0xc0 && nilOK:
		return -1
	}
	d.bad = true
	return 0
}

func (d *viewReader) mapLen(want int) {
	if d.length(0x80, 0x0f, 0xde, 0xdf, false) != want {
		d.bad = true
	}
}

// arrayLen is the length of an array, -1 for nil; a length larger than
// the bytes left (each element takes one at least) is bad.
func (d *viewReader) arrayLen() int {
	n := d.length(0x90, 0x0f, 0xdc, 0xdd, true)
	if n > len(d.b)-d.i {
		d.bad = true
		return -1
	}
	return n
}

func (d *viewReader) key(k string) {
	if string(d.next(d.strLen())) != k { // compared without a copy
		d.bad = true
	}
}

func (d *viewReader) str() string { return string(d.next(d.strLen())) }

func (d *viewReader) strLen() (n int) {
	switch c := d.byte1(); {
	case c&0xe0 == 0xa0:
		n = int(c & 0x1f)
	case c == 0xd9:
		n = int(d.byte1())
	case c == 0xda:
		n = int(binary.BigEndian.Uint16(d.next(2)))
	case c == 0xdb:
		n = int(binary.BigEndian.Uint32(d.next(4)))
	default:
		d.bad = true
	}
	return n
}

func (d *viewReader) bool() bool {
	switch d.byte1() {
	case 0xc3:
		return true
	case 0xc2:
		return false
	}
	d.bad = true
	return false
}

// int reads any msgpack integer.
func (d *viewReader) int() int64 {
	c := d.byte1()
	switch {
	case c <= 0x7f:
		return int64(c)
	case c >= 0xe0:
		return int64(int8(c))
	}
	switch c {
	case 0xcc:
		return int64(d.byte1())
	case 0xcd:
		return int64(binary.BigEndian.Uint16(d.next(2)))
	case 0xce:
		return int64(binary.BigEndian.Uint32(d.next(4)))
	case 0xcf:
		return int64(binary.BigEndian.Uint64(d.next(8)))
	case 0xd0:
		return int64(int8(d.byte1()))
	case 0xd1:
		return int64(int16(binary.BigEndian.Uint16(d.next(2))))
	case 0xd2:
		return int64(int32(binary.BigEndian.Uint32(d.next(4))))
	case 0xd3:
		return int64(binary.BigEndian.Uint64(d.next(8)))
	}
	d.bad = true
	return 0
}

// in reads an integer that must fit in [lo, hi]: msgpack would refuse or
// wrap otherwise, so the reflective reader decides.
func (d *viewReader) in(lo, hi int64) int64 {
	n := d.int()
	if n < lo || n > hi {
		d.bad = true
	}
	return n
}

func (d *viewReader) i8() int8   { return int8(d.in(math.MinInt8, math.MaxInt8)) }
func (d *viewReader) i16() int16 { return int16(d.in(math.MinInt16, math.MaxInt16)) }
func (d *viewReader) u8() uint8  { return uint8(d.in(0, math.MaxUint8)) }
func (d *viewReader) n() int     { return int(d.int()) }
func (d *viewReader) i64() int64 { return d.int() }
func (d *viewReader) u64() uint64 {
	if d.i < len(d.b) && d.b[d.i] == 0xcf { // past MaxInt64 too
		d.i++
		return binary.BigEndian.Uint64(d.next(8))
	}
	return uint64(d.in(0, math.MaxInt64))
}

func (d *viewReader) float() float64 {
	if d.byte1() != 0xcb {
		d.bad = true
	}
	return math.Float64frombits(binary.BigEndian.Uint64(d.next(8)))
}

func (d *viewReader) ints() []int {
	n := d.arrayLen()
	if n < 0 {
		return nil
	}
	s := make([]int, n)
	for i := range s {
		s[i] = d.n()
	}
	return s
}

func (d *viewReader) game(g *sim.View) {
	d.mapLen(17)
	d.key("seat")
	g.Seat = sim.Seat(d.i8())
	d.key("turn")
	g.Turn = d.n()
	d.key("turns")
	g.Turns = d.n()
	d.key("phase")
	g.Phase = sim.Phase(d.u8())
	d.key("version")
	g.Version = d.u64()
	d.key("card")
	g.Card = d.n()
	d.key("target")
	g.Target = sim.Seat(d.i8())
	d.key("framing")
	g.Framing = d.str()
	d.key("visit")
	g.Visit = sim.Seat(d.i8())
	d.key("news")
	g.News = d.ints()
	d.key("played")
	g.Played = d.ints()
	d.key("hand")
	g.Hand = d.ints()
	d.key("company")
	d.company(&g.Company)
	d.key("trend")
	if n := d.arrayLen(); n >= 0 {
		g.Trend = make([]sim.Company, n)
		for i := range g.Trend {
			d.company(&g.Trend[i])
		}
	}
	d.key("managers")
	if n := d.arrayLen(); n >= 0 {
		g.Managers = make([]sim.ManagerView, n)
		for i := range g.Managers {
			d.manager(&g.Managers[i])
		}
	}
	d.key("deltas")
	if n := d.arrayLen(); n >= 0 {
		g.Deltas = make([]sim.Delta, n)
		for i := range g.Deltas {
			x := &g.Deltas[i]
			d.mapLen(6)
			d.key("turn")
			x.Turn = d.i16()
			d.key("amount")
			x.Amount = d.i16()
			d.key("ref")
			x.Ref = d.i16()
			d.key("seat")
			x.Seat = sim.Seat(d.i8())
			d.key("meter")
			x.Meter = sim.Meter(d.u8())
			d.key("cause")
			x.Cause = sim.Cause(d.u8())
		}
	}
	d.key("scores")
	if d.i < len(d.b) && d.b[d.i] == 0xc0 {
		d.i++
		return
	}
	g.Scores = new(sim.Scores)
	d.mapLen(2)
	d.key("managers")
	g.Scores.Managers = d.ints()
	d.key("executive")
	g.Scores.Executive = d.n()
}

func (d *viewReader) company(c *sim.Company) {
	d.mapLen(4)
	d.key("revenue")
	c.Revenue = d.n()
	d.key("cost")
	c.Cost = d.n()
	d.key("pressure")
	c.Pressure = d.n()
	d.key("market")
	c.Market = d.n()
}

func (d *viewReader) meters(m *sim.Meters) {
	d.mapLen(4)
	d.key("morale")
	m.Morale = d.n()
	d.key("trust")
	m.Trust = d.n()
	d.key("quota")
	m.Quota = d.n()
	d.key("standing")
	m.Standing = d.n()
}

func (d *viewReader) manager(m *sim.ManagerView) {
	d.mapLen(18)
	d.key("seat")
	m.Seat = sim.Seat(d.i8())
	d.key("name")
	m.Name = d.str()
	d.key("meters")
	d.meters(&m.Meters)
	d.key("pulse")
	m.Pulse = d.n()
	d.key("resignations")
	m.Resignations = d.n()
	d.key("visit_turn")
	m.VisitTurn = d.n()
	d.key("answered")
	m.Answered = d.bool()
	d.key("ready")
	m.Ready = d.bool()
	d.key("revealed")
	m.Revealed = d.bool()
	d.key("response")
	m.Response = sim.ResponseKind(d.u8())
	d.key("case")
	d.mapLen(6)
	d.key("data")
	m.Case.Data = sim.Lever(d.u8())
	d.key("impact")
	m.Case.Impact = sim.Lever(d.u8())
	d.key("alternative")
	m.Case.Alternative = d.str()
	d.key("ask")
	m.Case.Ask = sim.Ask(d.u8())
	d.key("text")
	m.Case.Text = d.str()
	d.key("evidence")
	if d.arrayLen() != len(m.Case.Evidence) {
		d.bad = true
	}
	for i := range m.Case.Evidence {
		m.Case.Evidence[i] = d.str()
	}
	d.key("action")
	m.Action = sim.TeamAction(d.u8())
	d.key("verdict")
	m.Verdict = sim.Verdict(d.u8())
	d.key("escalate")
	m.Escalate = d.n()
	d.key("in_force")
	m.InForce = d.ints()
	d.key("history")
	if n := d.arrayLen(); n >= 0 {
		m.History = make([]sim.Meters, n)
		for i := range m.History {
			d.meters(&m.History[i])
		}
	}
	d.key("evidence")
	m.Evidence = d.ints()
	g := &m.Grade
	d.key("grade")
	d.mapLen(8)
	d.key("evidence")
	g.Evidence = d.float()
	d.key("cited")
	g.Cited = d.n()
	d.key("framing")
	g.Framing = d.float()
	d.key("backed")
	g.Backed = d.u8()
	d.key("alternative")
	g.Alternative = d.bool()
	d.key("ask_fits")
	g.AskFits = d.bool()
	d.key("harm")
	g.Harm = d.float()
	d.key("quality")
	g.Quality = d.float()
}

func (d *viewReader) room(r *Room) {
	d.mapLen(17)
	d.key("code")
	r.Code = d.str()
	d.key("scenario")
	r.Scenario = d.str()
	d.key("started")
	r.Started = d.bool()
	d.key("paused")
	r.Paused = d.bool()
	d.key("locked")
	r.Locked = d.bool()
	d.key("over")
	r.Over = d.bool()
	d.key("deadline")
	r.Deadline = d.i64()
	d.key("now")
	r.Now = d.i64()
	d.key("since")
	r.Since = d.u64()
	d.key("seats")
	if n := d.arrayLen(); n >= 0 {
		r.Seats = make([]SeatInfo, n)
		for i := range r.Seats {
			s := &r.Seats[i]
			d.mapLen(7)
			d.key("seat")
			s.Seat = sim.Seat(d.i8())
			d.key("role")
			s.Role = d.str()
			d.key("name")
			s.Name = d.str()
			d.key("human")
			s.Human = d.bool()
			d.key("connected")
			s.Connected = d.bool()
			d.key("bot")
			s.Bot = d.bool()
			d.key("pending")
			s.Pending = d.bool()
		}
	}
	d.key("people")
	if n := d.arrayLen(); n >= 0 {
		r.People = make([]Person, n)
		for i := range r.People {
			p := &r.People[i]
			d.mapLen(4)
			d.key("conn")
			p.Conn = d.n()
			d.key("name")
			p.Name = d.str()
			d.key("role")
			p.Role = d.str()
			d.key("seat")
			p.Seat = sim.Seat(d.i8())
		}
	}
	d.key("answered")
	r.Answered = d.n()
	d.key("waiting")
	r.Waiting = d.n()
	d.key("audience")
	r.Audience = d.bool()
	d.key("deadlines")
	d.mapLen(4)
	d.key("mandate")
	r.Deadlines.Mandate = d.n()
	d.key("response")
	r.Deadlines.Response = d.n()
	d.key("ruling")
	r.Deadlines.Ruling = d.n()
	d.key("reveal")
	r.Deadlines.Reveal = d.n()
	d.key("turned")
	r.Turned = d.n()
	d.key("notices")
	if n := d.arrayLen(); n >= 0 {
		r.Notices = make([]Notice, n)
		for i := range r.Notices {
			x := &r.Notices[i]
			d.mapLen(5)
			d.key("at")
			x.At = d.i64()
			d.key("kind")
			x.Kind = d.str()
			d.key("seat")
			x.Seat = sim.Seat(d.i8())
			d.key("everyone")
			x.Everyone = d.bool()
			d.key("text")
			x.Text = d.str()
		}
	}
}
