package protocol_test

import (
	"bytes"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/scenarios"
	"pushback/server/protocol"
	"pushback/sim"
)

// sameAsEncode fails unless AppendView writes exactly what Encode writes
// for v, and the client decodes it back to v.
func sameAsEncode(t *testing.T, what string, v *protocol.View) {
	t.Helper()
	m := protocol.ServerMsg{Kind: protocol.KindView, View: v}
	want, err := protocol.Encode(m)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	got := protocol.AppendView([]byte("prefix"), v)
	if !bytes.HasPrefix(got, []byte("prefix")) || !bytes.Equal(got[6:], want) {
		i := 0
		for got = got[6:]; i < len(got) && i < len(want) && got[i] == want[i]; i++ {
		}
		t.Fatalf("%s: AppendView differs from Encode at byte %d of %d (got %d bytes)\nEncode:     % x\nAppendView: % x",
			what, i, len(want), len(got), want[i:min(len(want), i+32)], got[i:min(len(got), i+32)])
	}
	back, err := protocol.DecodeServer(got[6:])
	if err != nil || back.Kind != protocol.KindView || !reflect.DeepEqual(*back.View, *v) {
		t.Fatalf("%s: decoded back differently (err %v)", what, err)
	}
	// The hand-written reader reads what msgpack reads, every field.
	fast, err := protocol.DecodeView(want)
	if err != nil {
		t.Fatalf("%s: DecodeView: %v", what, err)
	}
	var slow protocol.ServerMsg
	if err := msgpack.Unmarshal(want, &slow); err != nil || !reflect.DeepEqual(fast, slow.View) {
		t.Fatalf("%s: DecodeView reads otherwise than msgpack (err %v)", what, err)
	}
}

// TestDecodeViewRefusesWhatItCannotRead: every truncation and every single
// byte changed of a real view is either refused by DecodeView (and left to
// msgpack) or read exactly as msgpack reads it; nothing panics.
func TestDecodeViewRefusesWhatItCannotRead(t *testing.T) {
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	s, bots := botGame(t, scn, []string{"yes-man", "firebrand"}, 3)
	for range 12 {
		botsMove(t, s, bots)
	}
	v := &protocol.View{Game: s.View(sim.Facilitator), Room: room(scn, s, sim.Facilitator), Texts: []string{"a"}}
	b := protocol.AppendView(nil, v)
	for i := range b {
		if _, err := protocol.DecodeView(b[:i]); err == nil {
			t.Fatalf("DecodeView read a view cut at byte %d of %d", i, len(b))
		}
		if _, err := protocol.DecodeServer(b[:i]); err == nil && i > 0 {
			t.Fatalf("DecodeServer read a view cut at byte %d of %d", i, len(b))
		}
		for _, x := range []byte{0x00, 0x7f, 0xc0, 0xc3, 0xcc, 0xcf, 0xd3, 0xdd, 0xdb, 0xff} {
			c := bytes.Clone(b)
			c[i] = x
			fast, err := protocol.DecodeView(c)
			if err != nil {
				continue
			}
			var slow protocol.ServerMsg
			if err := msgpack.Unmarshal(c, &slow); err != nil || !reflect.DeepEqual(fast, slow.View) {
				t.Fatalf("byte %d set to %#x: DecodeView read it otherwise than msgpack (err %v)", i, x, err)
			}
		}
	}
}

// TestAppendViewMatchesEncodeInRealGames compares the hand-written encoder
// with msgpack's reflective one on every seat's view (executive, managers,
// facilitator, public) after every decision of bot games of every shipped
// scenario, with a room around them as the server builds it: people,
// notices, a deadline.
func TestAppendViewMatchesEncodeInRealGames(t *testing.T) {
	views := 0
	for _, name := range scenarios.Names() {
		scn, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		var styles []string
		for i := range sim.MaxManagers { // every style, as many seats as a room may have
			styles = append(styles, scn.Styles[i%len(scn.Styles)].ID)
		}
		s, bots := botGame(t, scn, styles, 11)
		var game sim.View // reused as the server reuses it
		for s.Phase != sim.PhaseOver {
			for seat := sim.Public; int(seat) <= s.Managers(); seat++ {
				s.ViewInto(&game, seat)
				v := &protocol.View{Game: game, Room: room(scn, s, seat)}
				for _, d := range game.Deltas {
					v.Texts = append(v.Texts, d.Text(scn))
				}
				sameAsEncode(t, fmt.Sprintf("%s v%d seat %d", name, s.Version, seat), v)
				views++
			}
			botsMove(t, s, bots)
		}
		if game.Scores == nil {
			s.ViewInto(&game, sim.Public)
			if game.Scores == nil {
				t.Fatalf("%s: the game ended without scores", name)
			}
			sameAsEncode(t, name+" over", &protocol.View{Game: game, Room: room(scn, s, sim.Public), Texts: []string{}})
		}
	}
	if views < 500 {
		t.Fatalf("only %d views compared", views)
	}
}

// room is the room part of a view as the server builds it for seat.
func room(scn *sim.Scenario, s *sim.State, seat sim.Seat) protocol.Room {
	r := protocol.Room{Code: "ABCD-EFGH", Scenario: scn.ID, Started: true, Now: 1_750_000_000_000 + int64(s.Version),
		Since: s.Version, Deadline: 1_750_000_090_000, Answered: 2, Waiting: 4,
		Deadlines: protocol.Deadlines{Mandate: 120, Response: 180, Ruling: 90, Reveal: 30},
		Notices:   []protocol.Notice{{At: 1_750_000_000_000, Kind: protocol.NoticeBot, Seat: 2, Text: "A bot plays seat 2."}}}
	for i := 0; i <= s.Managers(); i++ {
		r.Seats = append(r.Seats, protocol.SeatInfo{Seat: sim.Seat(i), Role: protocol.RoleManager,
			Name: fmt.Sprintf("Player %d", i), Human: i%2 == 0, Connected: i%3 == 0, Bot: i%2 == 1, Pending: s.Pending(sim.Seat(i))})
	}
	if seat == sim.Facilitator {
		r.Turned = 3
		r.People = []protocol.Person{{Conn: 1, Name: "Ann", Role: protocol.RoleFacilitator, Seat: sim.Facilitator},
			{Conn: 300, Name: "Bo", Role: protocol.RoleManager, Seat: 1}}
	}
	return r
}

// TestAppendViewMatchesEncodeOnEveryField fills every field of a view, by
// reflection and at random, and compares the two encoders: a field added to
// View, Room or any type inside them that AppendView does not write fails
// here, as do edge values (long strings, negative and large numbers, nil
// lists and pointers).
func TestAppendViewMatchesEncodeOnEveryField(t *testing.T) {
	rnd := rand.New(rand.NewSource(13))
	for i := range 400 {
		var v protocol.View
		fill(t, reflect.ValueOf(&v).Elem(), rnd)
		switch i % 4 {
		case 1: // nil lists and pointers
			v.Texts, v.Game.News, v.Game.Managers, v.Game.Deltas, v.Game.Scores, v.Room.Seats, v.Room.People = nil, nil, nil, nil, nil, nil, nil
			v.Game.Trend, v.Game.Played, v.Game.Hand, v.Room.Notices = nil, nil, nil, nil
		case 2: // long strings
			v.Game.Framing = strings.Repeat("x", 300)
			v.Room.Code = strings.Repeat("y", 70_000)
			v.Texts = append(v.Texts, strings.Repeat("z", 255), strings.Repeat("z", 256), strings.Repeat("z", 65_535), strings.Repeat("z", 65_536))
		case 3: // long lists
			v.Game.News = make([]int, 70_000)
			v.Game.Deltas = make([]sim.Delta, 20)
			v.Room.Seats = make([]protocol.SeatInfo, 16)
		}
		sameAsEncode(t, fmt.Sprintf("random view %d", i), &v)
	}
}

// fill sets every field of v, however deep, to a random value: lists of 1
// to 3 elements, pointers set, numbers of every size and sign, strings of
// 0 to 40 bytes. A kind it cannot fill fails the test, so that a new field
// of a new kind is not silently left zero.
func fill(t *testing.T, v reflect.Value, rnd *rand.Rand) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(t, v.Field(i), rnd)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1+rnd.Intn(3), 3))
		fallthrough
	case reflect.Array:
		for i := range v.Len() {
			fill(t, v.Index(i), rnd)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), rnd)
	case reflect.String:
		v.SetString(strings.Repeat("é", rnd.Intn(21)))
	case reflect.Bool:
		v.SetBool(rnd.Intn(2) == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(rnd.Int63() >> rnd.Intn(64) * int64(1-2*rnd.Intn(2)))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(rnd.Uint64() >> rnd.Intn(64))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(rnd.NormFloat64())
	default:
		t.Fatalf("fill: cannot fill a %s", v.Type())
	}
}

// TestAppendViewIntegers checks each integer encoder at its boundaries.
func TestAppendViewIntegers(t *testing.T) {
	ints := []int{0, 1, 127, 128, 255, 256, 65_535, 65_536, 1<<32 - 1, 1 << 32, 1<<63 - 1,
		-1, -32, -33, -128, -129, -32_768, -32_769, -1 << 31, -1<<31 - 1, -1 << 63}
	for _, n := range ints {
		v := protocol.View{Game: sim.View{Turn: n, News: []int{n, -n}}, Room: protocol.Room{Now: int64(n), Since: uint64(n), Turned: n}}
		sameAsEncode(t, fmt.Sprint(n), &v)
	}
}

// BenchmarkViewEncode encodes every seat's view of one mid-game turn with
// msgpack's reflective encoder (as the server did) and with AppendView
// into a reused buffer (as it does now), and decodes them with msgpack (as
// clients did) and with DecodeServer (which reads them with decodeView).
func BenchmarkViewEncode(b *testing.B) {
	scn, s := midGame(b)
	var msgs []protocol.ServerMsg
	var frames [][]byte
	for seat := sim.Public; int(seat) <= s.Managers(); seat++ {
		msgs = append(msgs, view(scn, s, seat))
		frames = append(frames, protocol.AppendView(nil, msgs[len(msgs)-1].View))
	}
	b.Run("reflective", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, m := range msgs {
				if _, err := protocol.Encode(m); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("decode-reflective", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range frames {
				var m protocol.ServerMsg
				if err := msgpack.Unmarshal(f, &m); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range frames {
				if _, err := protocol.DecodeServer(f); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			for _, m := range msgs {
				buf = protocol.AppendView(buf[:0], m.View)
			}
		}
	})
}
