package protocol

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// Integers that do not fit their field are refused, not wrapped; the id of
// a refused request can still be read for its answer's re.
func TestOutOfRangeIntegersAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  map[string]any
		ok   bool
		id   uint32
	}{
		{"seat 257", map[string]any{"kind": "join", "id": 3, "code": "ABCDEF", "seat": 257}, false, 3},
		{"seat -129", map[string]any{"kind": "join", "id": 3, "seat": -129}, false, 3},
		{"command seat 257", map[string]any{"kind": "command", "id": 4, "command": map[string]any{"kind": 3, "seat": 257}}, false, 4},
		{"response 256", map[string]any{"kind": "command", "id": 4, "command": map[string]any{"kind": 3, "seat": 1, "response": 256}}, false, 4},
		{"case lever -1", map[string]any{"kind": "command", "id": 4, "command": map[string]any{"kind": 3, "seat": 1, "case": map[string]any{"data": -1}}}, false, 4},
		{"id 2^32+5", map[string]any{"kind": "hello", "id": uint64(1)<<32 + 5, "v": 1}, false, 0},
		{"id -1", map[string]any{"kind": "hello", "id": -1, "v": 1}, false, 0},
		{"v 2^64-1", map[string]any{"kind": "hello", "id": 9, "v": uint64(math.MaxUint64)}, false, 9},
		{"seconds 2^63", map[string]any{"kind": "extend", "id": 2, "seconds": uint64(1) << 63}, false, 2},
		{"managers 2^63", map[string]any{"kind": "create", "id": 2, "create": map[string]any{"managers": uint64(1) << 63}}, false, 2},
		{"based max", map[string]any{"kind": "command", "id": 5, "based": uint64(math.MaxUint64)}, true, 5},
		{"seat -2 fits", map[string]any{"kind": "join", "id": 6, "seat": -2}, true, 6},
		{"seat 127 fits", map[string]any{"kind": "join", "id": 6, "seat": 127}, true, 6},
		{"id max", map[string]any{"kind": "hello", "id": uint32(math.MaxUint32), "v": 1}, true, math.MaxUint32},
		{"unknown kind", map[string]any{"kind": "nope", "id": 12}, false, 12},
		{"wrong type", map[string]any{"kind": "join", "id": 13, "code": 5}, false, 13},
	} {
		b, err := msgpack.Marshal(tc.msg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = DecodeClient(b)
		if (err == nil) != tc.ok {
			t.Errorf("%s: DecodeClient error %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !tc.ok && errors.Is(err, ErrRange) != (tc.name != "unknown kind" && tc.name != "wrong type") {
			t.Errorf("%s: error %v, ErrRange expected only for numbers", tc.name, err)
		}
		if got := RequestID(b); got != tc.id {
			t.Errorf("%s: RequestID = %d, want %d", tc.name, got, tc.id)
		}
	}
}

// The error names where the integer is: its fields' keys and its elements'
// indexes, outermost first.
func TestOutOfRangeSaysWhere(t *testing.T) {
	type inner struct {
		B int8 `msgpack:"b"`
	}
	var v struct {
		A []inner             `msgpack:"a"`
		C struct{ D []uint8 } `msgpack:"c"`
	}
	for _, tc := range []struct {
		msg  map[string]any
		want string
	}{
		{map[string]any{"a": []any{map[string]any{"b": 1}, map[string]any{"b": 300}}}, "a[1].b = 300 does not fit int8"},
		{map[string]any{"c": map[string]any{"D": []any{1, 2, -3}}}, "c.D[2] = -3 does not fit uint8"},
		{map[string]any{"a": []any{map[string]any{"b": -129}}}, "a[0].b = -129 does not fit int8"},
	} {
		b, err := msgpack.Marshal(tc.msg)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckRanges(b, &v)
		if !errors.Is(err, ErrRange) || !errors.Is(err, ErrHostile) || !strings.HasSuffix(err.Error(), ": "+tc.want) {
			t.Errorf("CheckRanges(%v) = %v, want ErrRange ending %q", tc.msg, err, tc.want)
		}
	}
	b, _ := msgpack.Marshal(map[string]any{"a": []any{map[string]any{"b": 127}}, "c": map[string]any{"D": []any{255}}})
	if err := CheckRanges(b, &v); err != nil {
		t.Errorf("fitting message refused: %v", err)
	}
}
