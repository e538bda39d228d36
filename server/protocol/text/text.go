// Package text is the one policy for every free text a stranger can send
// that other people will read: display names, a mandate's framing, a
// business case, and (later) an uploaded scenario's texts. It lives under
// protocol so that the client can check a name before sending it.
//
// Refused everywhere: invalid UTF-8; C0 and C1 control characters (a free
// text may still hold newlines and tabs); Unicode format characters
// (category Cf: bidi embeddings, overrides and isolates U+202A–U+202E and
// U+2066–U+2069, zero-width characters, the BOM, soft hyphens); private-use
// and surrogate code points; line and paragraph separators. A name must also
// show at least one visible character and must not pass for a bot.
package text

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrText wraps every refusal, for errors.Is.
var ErrText = errors.New("text refused")

// Check applies the policy to a free text of at most max bytes (0: no
// bound); multiline allows newlines and tabs.
func Check(s string, max int, multiline bool) error {
	if max > 0 && len(s) > max {
		return fmt.Errorf("%w: longer than %d bytes", ErrText, max)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: not valid UTF-8", ErrText)
	}
	for i, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if bad(r) {
			return fmt.Errorf("%w: character U+%04X at byte %d is a control or formatting character", ErrText, r, i)
		}
	}
	return nil
}

func bad(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true // C0, DEL, C1
	case r == 0x2028, r == 0x2029:
		return true
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs)
}

// Name checks a display name of at most max bytes and returns it trimmed:
// printable, with something visible, and not dressed as a bot ("… (bot)").
// reserved are further names nobody may take, compared without case (the
// room's bot names).
func Name(s string, max int, reserved ...string) (string, error) {
	n := strings.TrimSpace(s)
	if err := Check(n, max, false); err != nil {
		return "", err
	}
	visible := false
	for _, r := range n {
		if !unicode.IsSpace(r) && unicode.IsGraphic(r) && !unicode.Is(unicode.Mn, r) {
			visible = true
			break
		}
	}
	if !visible {
		return "", fmt.Errorf("%w: a name needs a visible character", ErrText)
	}
	folded := strings.ToLower(strings.Join(strings.Fields(n), ""))
	for _, p := range []string{"(bot)", "[bot]", "（bot）"} {
		if strings.Contains(folded, p) {
			return "", fmt.Errorf("%w: names may not pass for a bot", ErrText)
		}
	}
	for _, r := range reserved {
		if r != "" && strings.EqualFold(strings.Join(strings.Fields(r), " "), strings.Join(strings.Fields(n), " ")) {
			return "", fmt.Errorf("%w: %q is a bot's name here", ErrText, n)
		}
	}
	return n, nil
}
