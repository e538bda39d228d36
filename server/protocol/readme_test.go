package protocol

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"pushback/server/protocol/report"
	"pushback/sim"
)

// The manual must name every field a client sends or receives, down to the
// engine's views and commands, and every error code in its table: a client
// author must not have to guess. A field added without a line in README.md
// fails here.
func TestReadmeNamesEveryField(t *testing.T) {
	doc, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(ty reflect.Type, where string) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Array {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("msgpack"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" && strings.Contains(opts, "inline") {
				walk(f.Type, where) // its fields are the outer struct's own
				continue
			}
			if name == "" {
				name = f.Name
			}
			re := regexp.MustCompile(`(^|[^A-Za-z_])` + regexp.QuoteMeta(name) + `([^A-Za-z_]|$)`)
			if !re.Match(doc) {
				t.Errorf("README.md does not document field %q of %s (%s)", name, ty.Name(), where)
			}
			walk(f.Type, where+"."+name)
		}
	}
	for _, v := range []any{ClientMsg{}, ServerMsg{}, sim.Command{}, sim.View{}, report.Report{}} {
		walk(reflect.TypeOf(v), reflect.TypeOf(v).Name())
	}
	// Every error code has a row in the error table.
	for _, c := range Codes {
		if !strings.Contains(string(doc), "| `"+string(c)+"` |") {
			t.Errorf("README.md's error table has no row for `%s`", c)
		}
	}
}
