package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// MaxDepth bounds how deeply arrays and maps may nest in a client message;
// ours nest three levels at most.
const MaxDepth = 16

// ErrHostile is returned by CheckLengths for input that a decoder must not
// see: a length header claiming more than the bytes left, an extension type,
// nesting deeper than MaxDepth, a truncated value or trailing bytes.
var ErrHostile = errors.New("malformed msgpack")

// CheckLengths walks one msgpack value without allocating and refuses it if
// any array, map, str, bin or ext header claims more than the bytes that are
// left, so that a 5-byte message like dd ff ff ff ff (an array of 2^32
// elements) can never make a decoder reserve memory it will not fill
// (ARCHITECTURE.md, trap 1). Every element takes at least one byte, so an
// array of n needs n bytes and a map of n needs 2n. Extension types are
// refused: the protocol has none.
func CheckLengths(b []byte) error {
	end, err := skip(b, 0, 0)
	if err != nil {
		return err
	}
	if end != len(b) {
		return fmt.Errorf("%w: %d trailing bytes after the message", ErrHostile, len(b)-end)
	}
	return nil
}

// skip returns the offset just past the value that starts at pos.
func skip(b []byte, pos, depth int) (int, error) {
	if pos >= len(b) {
		return 0, fmt.Errorf("%w: truncated at byte %d", ErrHostile, pos)
	}
	c := b[pos]
	pos++
	left := len(b) - pos
	switch {
	case c <= 0x7f || c >= 0xe0: // fixints
		return pos, nil
	case c <= 0x8f: // fixmap
		return items(b, pos, depth, 2*int(c&0x0f))
	case c <= 0x9f: // fixarray
		return items(b, pos, depth, int(c&0x0f))
	case c <= 0xbf: // fixstr
		return span(pos, left, int(c&0x1f))
	}
	switch c {
	case 0xc0, 0xc2, 0xc3: // nil, false, true
		return pos, nil
	case 0xcc, 0xd0:
		return span(pos, left, 1)
	case 0xcd, 0xd1:
		return span(pos, left, 2)
	case 0xca, 0xce, 0xd2:
		return span(pos, left, 4)
	case 0xcb, 0xcf, 0xd3:
		return span(pos, left, 8)
	case 0xc4, 0xd9: // bin8, str8
		n, p, err := length(b, pos, 1)
		if err != nil {
			return 0, err
		}
		return span(p, len(b)-p, n)
	case 0xc5, 0xda: // bin16, str16
		n, p, err := length(b, pos, 2)
		if err != nil {
			return 0, err
		}
		return span(p, len(b)-p, n)
	case 0xc6, 0xdb: // bin32, str32
		n, p, err := length(b, pos, 4)
		if err != nil {
			return 0, err
		}
		return span(p, len(b)-p, n)
	case 0xdc: // array16
		n, p, err := length(b, pos, 2)
		if err != nil {
			return 0, err
		}
		return items(b, p, depth, n)
	case 0xdd: // array32
		n, p, err := length(b, pos, 4)
		if err != nil {
			return 0, err
		}
		return items(b, p, depth, n)
	case 0xde: // map16
		n, p, err := length(b, pos, 2)
		if err != nil {
			return 0, err
		}
		return items(b, p, depth, 2*n)
	case 0xdf: // map32
		n, p, err := length(b, pos, 4)
		if err != nil {
			return 0, err
		}
		return items(b, p, depth, 2*n)
	}
	// 0xc1 (never used) and every extension type (c7-c9, d4-d8).
	return 0, fmt.Errorf("%w: type byte 0x%02x at byte %d is not allowed", ErrHostile, c, pos-1)
}

// length reads a big-endian length of size bytes at pos.
func length(b []byte, pos, size int) (int, int, error) {
	if len(b)-pos < size {
		return 0, 0, fmt.Errorf("%w: truncated length at byte %d", ErrHostile, pos)
	}
	var n uint64
	switch size {
	case 1:
		n = uint64(b[pos])
	case 2:
		n = uint64(binary.BigEndian.Uint16(b[pos:]))
	case 4:
		n = uint64(binary.BigEndian.Uint32(b[pos:]))
	}
	if n > uint64(len(b)) { // also keeps 2*n from overflowing on 32-bit hosts
		return 0, 0, fmt.Errorf("%w: length %d at byte %d exceeds the %d-byte message", ErrHostile, n, pos, len(b))
	}
	return int(n), pos + size, nil
}

// span checks that n bytes remain and returns the offset after them.
func span(pos, left, n int) (int, error) {
	if n > left {
		return 0, fmt.Errorf("%w: %d bytes claimed at byte %d, %d left", ErrHostile, n, pos, left)
	}
	return pos + n, nil
}

// items skips n values, refusing up front a count larger than the bytes left.
func items(b []byte, pos, depth, n int) (int, error) {
	if n > len(b)-pos {
		return 0, fmt.Errorf("%w: %d elements claimed at byte %d, %d bytes left", ErrHostile, n, pos, len(b)-pos)
	}
	if depth >= MaxDepth {
		return 0, fmt.Errorf("%w: nested deeper than %d", ErrHostile, MaxDepth)
	}
	var err error
	for range n {
		if pos, err = skip(b, pos, depth+1); err != nil {
			return 0, err
		}
	}
	return pos, nil
}
