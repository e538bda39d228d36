package protocol

import (
	"bytes"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/scenarios"
	"pushback/sim"
)

// Info carries what the client shows of the model revision: the evidence
// deck with the way each card bears on each mandate, the costed
// alternatives, the executive's expected saving and framing, and each
// persona's valued lever; and it survives the wire unchanged.
func TestInfoCarriesEvidenceAndAlternatives(t *testing.T) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			scn, err := scenarios.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			in := Info(scn)
			if len(in.Evidence) != len(scn.Evidence) || len(in.Mandates) != len(scn.Mandates) || len(in.Personas) != len(scn.Personas) {
				t.Fatalf("%d evidence, %d mandates, %d personas; scenario has %d, %d, %d", len(in.Evidence), len(in.Mandates),
					len(in.Personas), len(scn.Evidence), len(scn.Mandates), len(scn.Personas))
			}
			bears := 0
			for i, e := range scn.Evidence {
				got := &in.Evidence[i]
				if got.ID != e.ID || got.Title != e.Title || got.Text != e.Text || got.Lever != e.Lever {
					t.Errorf("evidence %d = %+v, want %s %q", i, got, e.ID, e.Title)
				}
				for c := range scn.Mandates {
					want := 0
					switch by := e.Shift(c); {
					case by > 0:
						want = 1
					case by < 0:
						want = -1
					}
					if got.Bears(c) != want {
						t.Errorf("evidence %s on card %d: Bears %d, shift %v", e.ID, c, got.Bears(c), e.Shift(c))
					}
					if want != 0 {
						bears++
					}
				}
			}
			if len(scn.Evidence) > 0 && bears == 0 {
				t.Error("no evidence card bears on any mandate")
			}
			for i := range scn.Mandates {
				m, got := &scn.Mandates[i], &in.Mandates[i]
				if got.ID != m.ID || got.Title != m.Title || got.Saving != m.Saving() || got.Framing != m.Framing ||
					len(got.Alternatives) != len(m.Alternatives) {
					t.Errorf("mandate %d = %+v", i, got)
					continue
				}
				for k, a := range m.Alternatives {
					if got.Alternatives[k] != (Alternative{a.ID, a.Title, a.Keep}) || got.Alternative(a.ID) == nil {
						t.Errorf("mandate %s alternative %d = %+v, want %+v", m.ID, k, got.Alternatives[k], a)
					}
				}
			}
			for i := range scn.Personas {
				if in.Personas[i].Valued != scn.Personas[i].Valued() || in.Personas[i].Title != scn.Personas[i].Name {
					t.Errorf("persona %d = %+v", i, in.Personas[i])
				}
			}
			b, err := Encode(ServerMsg{Kind: KindJoined, Joined: &Joined{Code: "ABCDEF", Scenario: in}})
			if err != nil {
				t.Fatal(err)
			}
			back, err := DecodeServer(b)
			if err != nil {
				t.Fatal(err)
			}
			if again, _ := Encode(back); !bytes.Equal(again, b) {
				t.Error("the scenario info changed on the wire")
			}
		})
	}
}

// A mandate, persona or evidence card is a map with the old card's id,
// title and text at the top level, so that a client that reads only those
// still does.
func TestInfoCardsKeepTheirShape(t *testing.T) {
	scn, err := scenarios.Load(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	in := Info(scn)
	b, err := msgpack.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var old struct {
		Mandates []Card `msgpack:"mandates"`
		Personas []Card `msgpack:"personas"`
	}
	if err := msgpack.Unmarshal(b, &old); err != nil {
		t.Fatal(err)
	}
	if len(old.Mandates) != len(scn.Mandates) || old.Mandates[0] != in.Mandates[0].Card || old.Personas[0] != in.Personas[0].Card {
		t.Fatalf("old shape read %+v, %+v", old.Mandates, old.Personas)
	}
	if in.Personas[0].Valued == sim.LeverNone {
		t.Error("the default persona values no lever")
	}
}
