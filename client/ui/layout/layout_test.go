package layout

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// mono measures every character as 10 units wide (20 bold): a font of
// sorts, so that wrapping is checked without the game's fonts.
type mono struct{}

func (mono) Width(s string, size float64, bold bool) float64 {
	w := 10.0
	if bold {
		w = 20
	}
	return w * float64(utf8.RuneCountInString(s))
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s    string
		w    float64
		bold bool
		want []string
	}{
		{"the quick brown fox", 100, false, []string{"the quick", "brown fox"}},
		{"the quick brown fox", 100, true, []string{"the", "quick", "brown", "fox"}},
		{"one\n\ntwo", 100, false, []string{"one", "", "two"}},
		{"abcdefghijkl", 50, false, []string{"abcde", "fghij", "kl"}}, // a word wider than the box is cut
		{"", 100, false, []string{""}},
	} {
		if got := Wrap(mono{}, tc.s, tc.w, 16, tc.bold); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Wrap(%q, %v, bold %v) = %q, want %q", tc.s, tc.w, tc.bold, got, tc.want)
		}
	}
}

// screen lays out a small form, as a scene does each tick: two fields,
// a row of three chips and a button under them.
func screen(f *Focus, in *Input) (*Pass, map[string]bool) {
	p := &Pass{F: f, In: in}
	hit := map[string]bool{}
	p.Field("code", Rect{0, 0, 200, 40})
	p.Field("name", Rect{0, 50, 200, 40})
	for i, id := range []string{"a", "b", "c"} {
		hit[id] = p.Control(id, Rect{float64(i) * 110, 100, 100, 40})
	}
	hit["join"] = p.Control("join", Rect{0, 150, 200, 40})
	p.Navigate()
	return p, hit
}

// tick runs one pass with in, then what the game loop does after it: a
// press remembers what it went down on, a release forgets it.
func tick(f *Focus, in Input) map[string]bool {
	f.Hover = ""
	p, hit := screen(f, &in)
	if in.Press {
		f.Pressed, f.Dragged = p.DownAt, 0
	}
	if in.Release {
		f.Pressed = ""
	}
	return hit
}

func TestTabWalksTheOrder(t *testing.T) {
	var f Focus
	var got []string
	for range 6 {
		tick(&f, Input{Tab: true})
		got = append(got, f.ID)
	}
	if want := []string{"code", "name", "a", "b", "c", "join"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Tab: %v, want %v", got, want)
	}
	if tick(&f, Input{Tab: true}); f.ID != "code" || !f.KeyFocused {
		t.Fatalf("Tab past the end: %q (key focused %v), want code", f.ID, f.KeyFocused)
	}
	if tick(&f, Input{Tab: true, Shift: true}); f.ID != "join" {
		t.Fatalf("Shift-Tab from the first: %q, want join", f.ID)
	}
	if tick(&f, Input{Escape: true}); f.ID != "" {
		t.Fatalf("Escape left the focus on %q", f.ID)
	}
}

func TestArrowsAndEnter(t *testing.T) {
	f := Focus{ID: "b"}
	for _, step := range []struct {
		in   Input
		want string
	}{
		{Input{Right: true}, "c"},
		{Input{Right: true}, "c"}, // nothing further right in the row
		{Input{Left: true}, "b"},
		{Input{Down: true}, "join"},
		{Input{Up: true}, "a"}, // the row above, the control most nearly over this one
		{Input{Up: true}, "name"},
		{Input{Left: true}, "name"},  // left and right stay in a text field
		{Input{Enter: true}, "a"},    // Enter leaves a field for the next control
		{Input{Space: true}, "a"},    // and activates a control (below)
		{Input{Down: true}, "join"},  // …
		{Input{Enter: true}, "join"}, // not moved by Enter
	} {
		hit := tick(&f, step.in)
		if f.ID != step.want {
			t.Fatalf("%+v: focus %q, want %q", step.in, f.ID, step.want)
		}
		if (step.in.Space || step.in.Enter && step.want == "join") != hit[step.want] {
			t.Fatalf("%+v on %s: activated %v", step.in, step.want, hit[step.want])
		}
	}
}

func TestClicks(t *testing.T) {
	var f Focus
	// Press and release on the same control: a click, which focuses it.
	tick(&f, Input{X: 150, Y: 120, Pointer: true, Press: true})
	if f.Hover != "b" || f.Pressed != "b" {
		t.Fatalf("over b: hover %q, pressed %q", f.Hover, f.Pressed)
	}
	if hit := tick(&f, Input{X: 160, Y: 110, Pointer: true, Release: true}); !hit["b"] || f.ID != "b" || f.KeyFocused {
		t.Fatalf("click on b: hit %v, focus %q (key %v)", hit, f.ID, f.KeyFocused)
	}
	// Pressed on one, released on another: nothing.
	tick(&f, Input{X: 50, Y: 120, Pointer: true, Press: true})
	if hit := tick(&f, Input{X: 250, Y: 120, Pointer: true, Release: true}); hit["a"] || hit["c"] {
		t.Fatalf("press on a, release on c: %v", hit)
	}
	// A finger that dragged (scrolling) is no tap.
	tick(&f, Input{X: 50, Y: 160, Pointer: true, Press: true})
	f.Dragged = 30
	if hit := tick(&f, Input{X: 50, Y: 160, Pointer: true, Release: true}); hit["join"] {
		t.Fatal("a drag clicked join")
	}
	// A click on a field focuses it; the draw pass (no input) hits nothing.
	tick(&f, Input{X: 10, Y: 60, Pointer: true, Press: true})
	tick(&f, Input{X: 10, Y: 60, Pointer: true, Release: true})
	if f.ID != "name" {
		t.Fatalf("click on the name field: focus %q", f.ID)
	}
	if _, hit := screen(&f, nil); hit["a"] || hit["b"] || hit["c"] || hit["join"] || f.ID != "name" {
		t.Fatalf("the draw pass: hit %v, focus %q", hit, f.ID)
	}
	// The accessibility mirror's activation is a hit, and focuses.
	if hit := tick(&f, Input{Activate: "c"}); !hit["c"] || f.ID != "c" {
		t.Fatalf("mirror activation: %v, focus %q", hit, f.ID)
	}
}
