package protocol

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
)

// ErrRange is returned for an integer that does not fit the field it is
// sent for: msgpack decoders wrap it silently (a seat of 257 would become
// seat 1, an id of 2^32+5 id 5), so the server refuses it instead.
var ErrRange = fmt.Errorf("%w: integer out of range", ErrHostile)

// CheckRanges walks a message already passed by CheckLengths beside the Go
// type it will be decoded into (v is a pointer to it) and refuses any
// integer that does not fit its field. Fields the type does not have and
// values of the wrong kind are left to the decoder.
func CheckRanges(b []byte, v any) error {
	_, err := walkRanges(b, 0, reflect.TypeOf(v).Elem())
	return err
}

// rangeError is an integer that does not fit its field. Its path (the
// field's keys and the elements' indexes, innermost first) is filled in as
// walkRanges returns through the levels it came down, so that a message
// that fits, the rule, costs no string.
type rangeError struct {
	steps []string
	value string
	kind  reflect.Kind
}

func (e *rangeError) Error() string {
	var path strings.Builder
	for i, s := range slices.Backward(e.steps) {
		if i < len(e.steps)-1 && !strings.HasPrefix(s, "[") {
			path.WriteByte('.')
		}
		path.WriteString(s)
	}
	return fmt.Sprintf("%s: %s = %s does not fit %s", ErrRange, path.String(), e.value, e.kind)
}

func (e *rangeError) Unwrap() error { return ErrRange }

// within adds a step to err's path if it is a rangeError.
func within(err error, step string) error {
	if e, ok := err.(*rangeError); ok {
		e.steps = append(e.steps, step)
	}
	return err
}

// RequestID is the id of a request that could not be decoded as a whole
// (a wrong field type, an unknown kind, an out-of-range number), so that
// its error answer still carries re; 0 when there is none to read.
func RequestID(b []byte) uint32 {
	var m struct {
		ID uint32 `msgpack:"id"`
	}
	if len(b) > MaxUpload || CheckLengths(b) != nil || CheckRanges(b, &m) != nil {
		return 0
	}
	if msgpack.NewDecoder(bytes.NewReader(b)).Decode(&m) != nil {
		return 0
	}
	return m.ID
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	f := map[string]reflect.Type{}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name := sf.Name
		if tag, ok := sf.Tag.Lookup("msgpack"); ok {
			if n, _, _ := strings.Cut(tag, ","); n == "-" {
				continue
			} else if n != "" {
				name = n
			}
		}
		f[name] = sf.Type
	}
	fieldCache.Store(t, f)
	return f
}

// header reads an array or map header at pos: its count and where its
// items begin; ok false if the value there is neither.
func header(b []byte, pos int, wantMap bool) (n, p int, ok bool) {
	c := b[pos]
	switch {
	case wantMap && c >= 0x80 && c <= 0x8f:
		return int(c & 0x0f), pos + 1, true
	case !wantMap && c >= 0x90 && c <= 0x9f:
		return int(c & 0x0f), pos + 1, true
	case wantMap && c == 0xde, !wantMap && c == 0xdc:
		return int(binary.BigEndian.Uint16(b[pos+1:])), pos + 3, true
	case wantMap && c == 0xdf, !wantMap && c == 0xdd:
		return int(binary.BigEndian.Uint32(b[pos+1:])), pos + 5, true
	}
	return 0, pos, false
}

// integer reads an integer at pos: negative values in neg, others in u.
func integer(b []byte, pos int) (u uint64, neg int64, isNeg, ok bool) {
	c := b[pos]
	switch {
	case c <= 0x7f:
		return uint64(c), 0, false, true
	case c >= 0xe0:
		return 0, int64(int8(c)), true, true
	}
	var s int64
	switch c {
	case 0xcc:
		return uint64(b[pos+1]), 0, false, true
	case 0xcd:
		return uint64(binary.BigEndian.Uint16(b[pos+1:])), 0, false, true
	case 0xce:
		return uint64(binary.BigEndian.Uint32(b[pos+1:])), 0, false, true
	case 0xcf:
		return binary.BigEndian.Uint64(b[pos+1:]), 0, false, true
	case 0xd0:
		s = int64(int8(b[pos+1]))
	case 0xd1:
		s = int64(int16(binary.BigEndian.Uint16(b[pos+1:])))
	case 0xd2:
		s = int64(int32(binary.BigEndian.Uint32(b[pos+1:])))
	case 0xd3:
		s = int64(binary.BigEndian.Uint64(b[pos+1:]))
	default:
		return 0, 0, false, false
	}
	if s < 0 {
		return 0, s, true, true
	}
	return uint64(s), 0, false, true
}

func bitsOf(t reflect.Type) int {
	if t.Kind() == reflect.Int || t.Kind() == reflect.Uint || t.Kind() == reflect.Uintptr {
		return strconv.IntSize
	}
	return t.Bits()
}

func walkRanges(b []byte, pos int, t reflect.Type) (int, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if b[pos] == 0xc0 { // nil
		return pos + 1, nil
	}
	switch t.Kind() {
	case reflect.Struct:
		n, p, ok := header(b, pos, true)
		if !ok {
			return skip(b, pos, 0)
		}
		fields := fieldsOf(t)
		var err error
		for range n {
			var key []byte
			if c := b[p]; c >= 0xa0 && c <= 0xbf || c == 0xd9 || c == 0xda || c == 0xdb {
				var ks int
				if ks, err = skip(b, p, 0); err != nil {
					return 0, err
				}
				// The string's bytes are its last len bytes.
				hl := 1
				switch c {
				case 0xd9:
					hl = 2
				case 0xda:
					hl = 3
				case 0xdb:
					hl = 5
				}
				key = b[p+hl : ks]
				p = ks
			} else if p, err = skip(b, p, 0); err != nil {
				return 0, err
			}
			ft, known := fields[string(key)]
			if !known {
				if p, err = skip(b, p, 0); err != nil {
					return 0, err
				}
				continue
			}
			if p, err = walkRanges(b, p, ft); err != nil {
				return 0, within(err, string(key))
			}
		}
		return p, nil
	case reflect.Slice, reflect.Array:
		n, p, ok := header(b, pos, false)
		if !ok {
			return skip(b, pos, 0)
		}
		var err error
		for i := range n {
			if p, err = walkRanges(b, p, t.Elem()); err != nil {
				return 0, within(err, "["+strconv.Itoa(i)+"]")
			}
		}
		return p, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u, neg, isNeg, ok := integer(b, pos)
		if ok {
			bits := bitsOf(t)
			signed := t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64
			var fits bool
			switch {
			case signed && isNeg:
				fits = bits == 64 || neg >= -(int64(1)<<(bits-1))
			case signed:
				fits = u <= uint64(1)<<(bits-1)-1
			case isNeg:
				fits = false
			default:
				fits = bits == 64 || u <= uint64(1)<<bits-1
			}
			if !fits {
				v := strconv.FormatUint(u, 10)
				if isNeg {
					v = strconv.FormatInt(neg, 10)
				}
				return 0, &rangeError{value: v, kind: t.Kind()}
			}
		}
	}
	return skip(b, pos, 0)
}
