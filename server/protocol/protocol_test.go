package protocol

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/sim"
)

func enc(t testing.TB, v any) []byte {
	t.Helper()
	b, err := msgpack.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The bombs of ARCHITECTURE.md trap 1: a header claiming 2^32 of something,
// alone and inside an otherwise valid message.
func TestBombsAreRefusedBeforeDecoding(t *testing.T) {
	hello := enc(t, ClientMsg{Kind: KindHello, V: Version})
	// A map with one key "kind" whose value claims 2^32-1 elements.
	inside := append([]byte{0x81, 0xa4, 'k', 'i', 'n', 'd'}, 0xdd, 0xff, 0xff, 0xff, 0xff)
	cases := []struct {
		name string
		in   []byte
	}{
		{"array32", []byte{0xdd, 0xff, 0xff, 0xff, 0xff}},
		{"map32", []byte{0xdf, 0xff, 0xff, 0xff, 0xff}},
		{"bin32", []byte{0xc6, 0xff, 0xff, 0xff, 0xff}},
		{"str32", []byte{0xdb, 0xff, 0xff, 0xff, 0xff}},
		{"array16", []byte{0xdc, 0xff, 0xff}},
		{"map16", []byte{0xde, 0xff, 0xff}},
		{"str16", []byte{0xda, 0xff, 0xff}},
		{"bin16", []byte{0xc5, 0xff, 0xff}},
		{"ext32", []byte{0xc9, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"nested array32", inside},
		{"fixarray of 15 with 2 bytes", []byte{0x9f, 0x01, 0x02}},
		{"deep nesting", bytes.Repeat([]byte{0x91}, 1000)},
		{"truncated hello", hello[:len(hello)-1]},
		{"trailing bytes", append(append([]byte{}, hello...), 0xc0)},
		{"never-used byte", []byte{0xc1}},
		{"empty", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := CheckLengths(c.in); !errors.Is(err, ErrHostile) {
				t.Fatalf("CheckLengths(% x) = %v, want ErrHostile", c.in, err)
			}
			if _, err := DecodeClient(c.in); err == nil {
				t.Fatalf("DecodeClient accepted % x", c.in)
			}
		})
	}
}

func TestDecodeClient(t *testing.T) {
	seat := sim.Seat(2)
	good := []ClientMsg{
		{Kind: KindHello, ID: 1, V: Version},
		{Kind: KindCreate, ID: 2, Create: &CreateRoom{Scenario: "mild-slowdown", Executive: "human", Managers: 3,
			Styles: []string{"yes-man"}, Deadlines: Deadlines{Response: 30}}},
		{Kind: KindJoin, Code: "ABCDEF", Name: "Ana", Role: RoleManager, Seat: &seat},
		{Kind: KindCommand, ID: 9, Based: 4, Command: &sim.Command{Kind: sim.CmdRespond, Seat: 2,
			Response: sim.ResponsePushBack, Case: sim.Case{Data: sim.LeverPipeline, Impact: sim.LeverPeople, Text: "numbers"}}},
		{Kind: KindBot, Seat: &seat, On: true},
	}
	for _, want := range good {
		got, err := DecodeClient(enc(t, want))
		if err != nil {
			t.Fatalf("%s: %v", want.Kind, err)
		}
		if !bytes.Equal(enc(t, got), enc(t, want)) {
			t.Fatalf("%s: round trip changed the message: %+v", want.Kind, got)
		}
	}
	bad := []struct {
		name string
		in   []byte
	}{
		{"unknown kind", enc(t, map[string]string{"kind": "teleport"})},
		{"no kind", enc(t, map[string]int{"id": 1})},
		{"kind is a number", enc(t, map[string]int{"kind": 3})},
		{"id is a string", enc(t, map[string]string{"kind": "hello", "id": "one"})},
		{"command is a string", enc(t, map[string]string{"kind": "command", "command": "mandate"})},
		{"seat is a map", enc(t, map[string]any{"kind": "join", "seat": map[string]int{"a": 1}})},
		{"not a map", enc(t, []int{1, 2, 3})},
		{"oversize", enc(t, map[string]string{"kind": "hello", "name": strings.Repeat("x", MaxMessage)})},
	}
	for _, c := range bad {
		if m, err := DecodeClient(c.in); err == nil {
			t.Errorf("%s: accepted as %+v", c.name, m)
		}
	}
}

// Unknown fields are skipped, so that a newer client can add optional ones.
func TestDecodeClientSkipsUnknownFields(t *testing.T) {
	m, err := DecodeClient(enc(t, map[string]any{"kind": "hello", "v": Version, "colour": []int{1, 2}}))
	if err != nil || m.V != Version {
		t.Fatalf("got %+v, %v", m, err)
	}
}

// The manual must name every message kind, role and error code.
func TestReadmeNamesEverything(t *testing.T) {
	doc, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	names = append(names, ClientKinds...)
	names = append(names, ServerKinds...)
	names = append(names, Roles...)
	for _, c := range Codes {
		names = append(names, string(c))
	}
	for _, n := range names {
		if !bytes.Contains(doc, []byte("`"+n+"`")) {
			t.Errorf("README.md does not mention `%s`", n)
		}
	}
}

func TestSimCode(t *testing.T) {
	cases := []struct {
		err  error
		want Code
	}{
		{sim.ErrWrongPhase, CodeWrongPhase},
		{sim.ErrNotYourTurn, CodeNotYourTurn},
		{sim.ErrUnknownCard, CodeUnknownCard},
		{sim.ErrAlreadyAnswered, CodeAlreadyAnswered},
		{sim.ErrGameOver, CodeGameOver},
		{sim.ErrBadCommand, CodeBadCommand},
	}
	for _, c := range cases {
		if got := SimCode(errors.Join(errors.New("detail"), c.err)); got != c.want {
			t.Errorf("SimCode(%v) = %s, want %s", c.err, got, c.want)
		}
	}
}

// FuzzDecodeClient: no input may panic, hang or allocate without bound, and
// whatever decodes must re-encode and decode to the same message.
func FuzzDecodeClient(f *testing.F) {
	f.Add(enc(f, ClientMsg{Kind: KindHello, ID: 1, V: Version}))
	f.Add(enc(f, ClientMsg{Kind: KindCommand, Based: 3, Command: &sim.Command{Kind: sim.CmdMandate, Card: "freeze-hiring", Target: 1}}))
	f.Add([]byte{0xdd, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeClient(b)
		if err != nil {
			return
		}
		again, err := DecodeClient(enc(t, m))
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
		if !bytes.Equal(enc(t, again), enc(t, m)) {
			t.Fatalf("round trip differs")
		}
	})
}

// Only the kinds that may carry a scenario file may pass MaxMessage, up to
// MaxUpload, and the file itself stays within MaxScenario.
func TestUploadSizes(t *testing.T) {
	src := bytes.Repeat([]byte("#"), MaxScenario)
	for _, m := range []ClientMsg{
		{Kind: KindCheck, Source: src, File: "a.yaml"},
		{Kind: KindPreview, Create: &CreateRoom{Source: src}},
		{Kind: KindCreate, Create: &CreateRoom{Source: src, Managers: 8}},
	} {
		if _, err := DecodeClient(enc(t, m)); err != nil {
			t.Errorf("%s with a %d-byte file refused: %v", m.Kind, len(src), err)
		}
	}
	over := append(src, '#')
	for _, m := range []ClientMsg{
		{Kind: KindCheck, Source: over},
		{Kind: KindCreate, Create: &CreateRoom{Source: over}},
		{Kind: KindJoin, Name: string(src[:MaxMessage])},
		{Kind: KindCommand, Source: src[:MaxMessage]},
	} {
		if _, err := DecodeClient(enc(t, m)); err == nil {
			t.Errorf("%s of %d bytes accepted", m.Kind, len(enc(t, m)))
		}
	}
	if b := enc(t, ClientMsg{Kind: KindCheck, ID: 9, Source: bytes.Repeat([]byte("#"), MaxUpload)}); RequestID(b) != 0 {
		t.Error("RequestID read a frame over MaxUpload")
	}
	if b := enc(t, ClientMsg{Kind: KindJoin, ID: 9, Name: string(src[:MaxMessage])}); RequestID(b) != 9 {
		t.Error("an oversize join's error would not carry its id")
	}
}
