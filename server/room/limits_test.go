package room

import (
	"testing"

	"pushback/server/protocol"
	"pushback/server/wsclient"
)

// Rooms and connections per room are bounded.
func TestLimits(t *testing.T) {
	s := startServer(t, Config{MaxRooms: 1, MaxConns: 2})
	a := wsclient.Dial(t, s.url)
	code := a.Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}).Joined.Code
	wsclient.Dial(t, s.url).Fails(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}}, protocol.CodeTooManyRooms)
	wsclient.Dial(t, s.url).Must(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "one"})
	wsclient.Dial(t, s.url).Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Name: "two"}, protocol.CodeRoomFull)
	wsclient.Dial(t, s.url).Fails(protocol.ClientMsg{Kind: protocol.KindJoin, Code: code, Role: protocol.RoleProjector}, protocol.CodeRoomFull)

	// A finished game frees its place.
	a.Must(protocol.ClientMsg{Kind: protocol.KindEnd})
	wsclient.Dial(t, s.url).Must(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{}})

	// Requests that make no room.
	c := wsclient.Dial(t, startServer(t, Config{}).url)
	c.Fails(protocol.ClientMsg{Kind: protocol.KindCreate}, protocol.CodeBadMessage)
	for _, req := range []protocol.CreateRoom{
		{Managers: 9}, {Scenario: "no-such"}, {Executive: "no-such-persona"}, {Solo: "king"},
		{Deadlines: protocol.Deadlines{Reveal: -1}}, {Styles: []string{"no-such-style"}},
	} {
		c.Fails(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &req}, protocol.CodeBadCommand)
	}
	c.Fails(protocol.ClientMsg{Kind: protocol.KindCreate, Create: &protocol.CreateRoom{Solo: protocol.RoleManager}}, protocol.CodeBadMessage) // no name
}

// A room code is 6 characters with nothing to misread.
func TestCodesAndTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := newCode()
		if len(c) != CodeLen {
			t.Fatalf("code %q", c)
		}
		for _, r := range c {
			switch r {
			case '0', 'O', '1', 'I', 'L':
				t.Fatalf("ambiguous code %q", c)
			}
		}
		seen[c] = true
		if tok := newToken(); len(tok) != 24 || seen[tok] {
			t.Fatalf("token %q", tok)
		}
	}
	if len(seen) < 1990 {
		t.Fatalf("only %d distinct codes in 2000", len(seen))
	}
	if normCode("kxp4rt") != "KXP4RT" {
		t.Fatal("codes are not case-insensitive")
	}
}
