package scenarios

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"pushback/sim"
)

// The manual stays true: its example is a valid scenario, and its tables name
// every coefficient with its bounds, every placeholder and every built-in style.
func TestReadme(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	_, rest, ok := strings.Cut(doc, "```yaml\n")
	if !ok {
		t.Fatal("README has no yaml example")
	}
	example, _, _ := strings.Cut(rest, "```\n")
	scn, err := Parse("README.md example", []byte(example))
	if err != nil {
		t.Fatalf("the README example does not validate:\n%v", err)
	}
	if scn.Style("quiet-one") == nil || scn.Coeff.RelayLoss != 12 || scn.Personas[0].VisitEvery != 2 {
		t.Errorf("the README example decoded wrongly: %+v", scn)
	}
	for _, b := range sim.Bounds() {
		if want := fmt.Sprintf("| `%s` | %g..%g |", b.Name, b.Min, b.Max); !strings.Contains(doc, want) {
			t.Errorf("README lacks the coefficient row %q", want)
		}
	}
	for p := range Placeholders {
		if !strings.Contains(doc, "| `{"+p+"}` |") {
			t.Errorf("README lacks the placeholder {%s}", p)
		}
	}
	for _, s := range sim.BuiltinStyles() {
		if !strings.Contains(doc, "`"+s.ID+"`") {
			t.Errorf("README lacks the built-in style %s", s.ID)
		}
	}
}
