package report

import (
	"fmt"
	"testing"
)

// TestStylesApart: the eight styles differ in colour, in dash pattern and
// in marker each, so no one of them alone has to tell two managers apart.
func TestStylesApart(t *testing.T) {
	colours, dashes, marks := map[uint32]bool{}, map[string]bool{}, map[Marker]bool{}
	for i, st := range Styles {
		d := fmt.Sprint(st.Dash)
		if colours[st.Colour] || dashes[d] || marks[st.Marker] {
			t.Errorf("style %d %+v repeats a colour, a dash pattern or a marker", i, st)
		}
		colours[st.Colour], dashes[d], marks[st.Marker] = true, true, true
		if len(st.Dash)%2 != 0 {
			t.Errorf("style %d: dash pattern %v is not on/off pairs", i, st.Dash)
		}
	}
	if StyleOf(len(Styles)).Colour != Styles[0].Colour || StyleOf(9).Hex() != "#D55E00" {
		t.Errorf("StyleOf does not start over after %d: %s", len(Styles), StyleOf(9).Hex())
	}
}
