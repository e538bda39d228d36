package room

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
)

// codeAlphabet has no 0, O, 1, I or L: a code read off a projector across a
// room must not be ambiguous. 31^6 is close to 900 million codes.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLen is the length of a room code.
const CodeLen = 6

// newCode draws a room code from crypto/rand, without modulo bias.
func newCode() string {
	b := make([]byte, 0, CodeLen)
	var buf [16]byte
	for len(b) < CodeLen {
		rand.Read(buf[:])
		for _, x := range buf {
			if int(x) < 256/len(codeAlphabet)*len(codeAlphabet) && len(b) < CodeLen {
				b = append(b, codeAlphabet[int(x)%len(codeAlphabet)])
			}
		}
	}
	return string(b)
}

// TokenBytes is the entropy of every resume and facilitator token: 144 bits.
const TokenBytes = 18

// newToken is a secret from crypto/rand, URL-safe so that it can sit in a
// query string or a QR code.
func newToken() string {
	var b [TokenBytes]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// normCode upper-cases a typed code so that "kxp4rt" works.
func normCode(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// randomSeed is a game seed for rooms that do not choose one.
func randomSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) | 1
}
