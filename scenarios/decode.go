package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"pushback/sim"
)

// The format's limits, shared by the validator and the manual.
const (
	MaxTurns  = 20  // a workshop is an afternoon, not a campaign
	MaxDelta  = 50  // the largest single change an event or mandate may make to a 0..100 meter
	MaxDrag   = 10  // the largest per-turn morale drag of a mandate in force
	MaxMarket = 150 // the demand index runs 20..150, 100 being normal
	MinMarket = 20
	// MaxNesting bounds how deep [ ] and { } may nest: the parser slows
	// quadratically with depth, and no scenario needs more than a few levels.
	MaxNesting = 32
	// MaxTokens bounds the size of a file in YAML tokens (scalars, keys,
	// punctuation), for the same reason; the shipped scenarios use under 2,000.
	MaxTokens = 20000
)

// Placeholders are the {names} a debrief prompt may use, with what the
// debrief (server/debrief) fills each with from the game; scenarios/README.md
// repeats them for scenario writers. A prompt naming any other is an error,
// so a typo shows when the file is checked rather than on the projector.
var Placeholders = map[string]string{
	"manager":                 "the manager's name (the prompt is then asked once per manager)",
	"pushbacks_on_sound":      "objections (push back, negotiate, late escalation) against sound mandates",
	"relays_of_harmful":       "harmful mandates relayed as-is, without context",
	"best_case":               "the strongest business case's quality, out of 100",
	"wins":                    "objections the executive withdrew or amended",
	"cases":                   "objections raised",
	"trust":                   "trust at the end (the table's mean without {manager})",
	"candid":                  "candid team meetings held",
	"largest_drop":            "the largest single trust loss, in points",
	"largest_drop_turn":       "the turn of that loss",
	"largest_drop_cause":      "its cause, in words",
	"visits":                  "the executive's front-line visits",
	"pressure":                "board pressure at the end",
	"early_objections":        "objections (push back, negotiate) raised the month the mandate landed",
	"escalations":             "late escalations: objections to a mandate already in force",
	"escalation_age":          "how long after the mandate landed an escalation came, on average, as \"1.5 turns\" (\"none\" without one)",
	"harmful_mandates":        "mandates that were harmful for at least one team they reached",
	"consults_before_harmful": "front-line visits in turns whose mandate was harmful for at least one team",
	"rulings":                 "objections the executive ruled on",
	"rulings_against_quality": "rulings that went against the case's quality: strong cases upheld, weak ones withdrawn (sim.CalledVerdict)",
	"evidence_cited":          "objections whose case cited front-line evidence bearing on the mandate",
	"score":                   "the balanced score at the end (the table's mean without {manager})",
	"good_style_score":        "the balanced score the good style (advocate) reaches in the same seat of the same game",
	"yes_man_score":           "the balanced score a yes-man reaches in the same seat of the same game",
}

// placeholderNames are the placeholders in order, for suggestions.
var placeholderNames = slices.Sorted(maps.Keys(Placeholders))

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// decoder walks goccy's AST against the schema, building the scenario and
// collecting every error instead of stopping at the first.
type decoder struct {
	file    string
	errs    Errors
	hints   Errors // not errors: how an older file can use what is new
	anchors map[string]ast.Node
	merging map[*ast.MappingNode]bool // mappings whose merge keys are being read
}

func (d *decoder) hintf(n ast.Node, format string, args ...any) {
	line, col := position(n)
	d.hints = append(d.hints, Error{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) errorf(n ast.Node, format string, args ...any) {
	line, col := position(n)
	d.errs = append(d.errs, Error{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// position is where a node starts in the file: a mapping at its first key,
// a key-value pair at its key.
func position(n ast.Node) (int, int) {
	switch v := n.(type) {
	case nil:
		return 1, 1
	case *ast.MappingNode:
		if len(v.Values) > 0 && !v.IsFlowStyle {
			return position(v.Values[0])
		}
	case *ast.MappingValueNode:
		return position(v.Key)
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column
	}
	return 1, 1
}

func (d *decoder) parse(data []byte) *sim.Scenario {
	if len(data) > MaxFileSize {
		d.errs = append(d.errs, Error{d.file, 1, 1, fmt.Sprintf("file is larger than %d bytes", MaxFileSize)})
		return nil
	}
	tokens := lexer.Tokenize(string(data))
	// goccy's parser takes time quadratic in the nesting of [ ] and { } and,
	// in some shapes, in the number of tokens: refuse absurd files before
	// parsing, so a hostile one cannot stall a check or a server. Real
	// scenarios nest three or four levels and hold about 2,000 tokens.
	depth := 0
	for i, tk := range tokens {
		if i == MaxTokens {
			d.errs = append(d.errs, Error{d.file, tk.Position.Line, tk.Position.Column, fmt.Sprintf("more than %d YAML tokens: far larger than any scenario", MaxTokens)})
			return nil
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			if depth++; depth > MaxNesting {
				d.errs = append(d.errs, Error{d.file, tk.Position.Line, tk.Position.Column, fmt.Sprintf("brackets nested deeper than %d levels", MaxNesting)})
				return nil
			}
		case token.SequenceEndType, token.MappingEndType:
			depth--
		}
	}
	f, err := parser.Parse(tokens, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.GetToken() != nil && se.GetToken().Position != nil {
			p := se.GetToken().Position
			d.errs = append(d.errs, Error{d.file, p.Line, p.Column, "syntax error: " + strings.ReplaceAll(se.GetMessage(), "\t", `\t`)})
		} else {
			d.errs = append(d.errs, Error{d.file, 1, 1, "syntax error: " + firstLine(err.Error())})
		}
		return nil
	}
	var body ast.Node
	for i, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if body != nil {
			d.errorf(f.Docs[i].Body, "a second YAML document: a file holds exactly one scenario")
			continue
		}
		body = doc.Body
	}
	if body == nil {
		d.errs = append(d.errs, Error{d.file, 1, 1, "the file is empty: want a scenario"})
		return nil
	}
	d.anchors = map[string]ast.Node{}
	for _, n := range ast.Filter(ast.AnchorType, body) {
		a := n.(*ast.AnchorNode)
		if a.Name != nil {
			d.anchors[a.Name.GetToken().Value] = a.Value
		}
	}
	return d.scenario(body)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// resolve looks through anchors, aliases and tags to the value they stand for.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range 8 {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			if v.Value == nil || d.anchors[v.Value.GetToken().Value] == nil {
				return n
			}
			n = d.anchors[v.Value.GetToken().Value]
		default:
			return n
		}
	}
	return n
}

// kind names a node's type the way a trainer would say it.
func kind(n ast.Node) string {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.StringNode:
		return fmt.Sprintf("the text %q", v.Value)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.IntegerNode:
		return "the whole number " + v.GetToken().Value
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "the number " + v.GetToken().Value
	case *ast.BoolNode:
		return "the boolean " + v.GetToken().Value
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.AliasNode:
		return "an undefined alias"
	}
	return "a " + n.Type().String()
}

// at prefixes a message with where in the scenario it applies.
func at(ctx, msg string) string {
	if ctx == "" {
		return msg
	}
	return ctx + ": " + msg
}

// obj is one mapping of the file read against its schema.
type obj struct {
	d    *decoder
	node ast.Node
	ctx  string
	vals map[string]ast.Node
	keys map[string]ast.Node
}

// object reads a mapping, reporting unknown and repeated keys and missing
// required ones. It returns nil, after reporting, when n is not a mapping.
func (d *decoder) object(n ast.Node, ctx string, required, optional []string) *obj {
	n = d.resolve(n)
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.errorf(n, "%s", at(ctx, "want a mapping of fields, got "+kind(n)))
		return nil
	}
	o := &obj{d: d, node: m, ctx: ctx, vals: map[string]ast.Node{}, keys: map[string]ast.Node{}}
	known := append(append([]string{}, required...), optional...)
	misspelt := map[string]bool{} // a missing field already named by a "did you mean"
	for _, p := range d.pairs(m, ctx) {
		if !slices.Contains(known, p.name) {
			hint := suggest(p.name, known)
			if best, ok := closest(p.name, known); ok {
				misspelt[best] = true
			}
			d.errorf(p.key, "%s", at(ctx, fmt.Sprintf("unknown field %q%s", p.name, hint)))
			continue
		}
		o.vals[p.name], o.keys[p.name] = p.val, p.key
	}
	for _, r := range required {
		if _, ok := o.vals[r]; !ok && !misspelt[r] {
			d.errorf(m, "%s", at(ctx, fmt.Sprintf("missing field %q", r)))
		}
	}
	return o
}

type pair struct {
	name     string
	key, val ast.Node
}

// pairs lists a mapping's entries, reporting repeated and non-text keys.
// Entries brought in by a merge key (<<: *anchor) give way to the mapping's
// own, as YAML specifies.
func (d *decoder) pairs(m *ast.MappingNode, ctx string) []pair {
	var out []pair
	seen := map[string]int{}
	var merged []ast.Node
	for _, mv := range m.Values {
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			merged = append(merged, mv.Value)
			continue
		}
		key := d.resolve(mv.Key)
		name, ok := scalarText(key)
		if !ok {
			d.errorf(mv.Key, "%s", at(ctx, "a field name must be text, got "+kind(key)))
			continue
		}
		if line, dup := seen[name]; dup {
			d.errorf(mv.Key, "%s", at(ctx, fmt.Sprintf("field %q repeated (first at line %d)", name, line)))
			continue
		}
		seen[name], _ = position(mv.Key)
		out = append(out, pair{name, mv.Key, mv.Value})
	}
	for _, n := range merged {
		src, ok := d.resolve(n).(*ast.MappingNode)
		if !ok {
			d.errorf(n, "%s", at(ctx, "a merge key (<<) wants a mapping, got "+kind(d.resolve(n))))
			continue
		}
		if d.merging[src] {
			d.errorf(n, "%s", at(ctx, "a merge key (<<) that includes itself"))
			continue
		}
		if d.merging == nil {
			d.merging = map[*ast.MappingNode]bool{}
		}
		d.merging[m] = true
		inner := d.pairs(src, ctx)
		delete(d.merging, m)
		for _, p := range inner {
			if _, dup := seen[p.name]; !dup {
				seen[p.name] = 0
				out = append(out, p)
			}
		}
	}
	return out
}

func scalarText(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return v.GetToken().Value, true
	}
	return "", false
}

// suggest names the closest valid word when a misspelling is likely.
func suggest(s string, options []string) string {
	best, ok := closest(s, options)
	if !ok {
		if len(options) <= 16 {
			return " (want one of " + strings.Join(options, ", ") + ")"
		}
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// closest is the option nearest s, if it is within an edit per three
// letters (at most two): close enough to be a typo, not a different word.
func closest(s string, options []string) (string, bool) {
	best, bestD := "", min(2, max(1, len(s)/3))+1
	for _, o := range options {
		if dist := editDistance(s, o); dist < bestD {
			best, bestD = o, dist
		}
	}
	return best, best != ""
}

// editDistance counts the insertions, deletions, substitutions and swaps of
// neighbouring letters that turn a into b (optimal string alignment).
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func (o *obj) has(key string) bool { return o != nil && o.vals[key] != nil }

func (o *obj) field(key string) string { return at(o.ctx, key) }

// text reads a required or optional text field; "" if absent or wrong.
func (o *obj) text(key string) string {
	if !o.has(key) {
		return ""
	}
	n := o.d.resolve(o.vals[key])
	s, ok := scalarText(n)
	if !ok {
		o.d.errorf(n, "%s", at(o.field(key), "want text, got "+kind(n)))
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" {
		o.d.errorf(n, "%s", at(o.field(key), "must not be empty"))
	}
	return s
}

// id reads an identifier: lower-case, so it is safe in commands and URLs.
func (o *obj) id(key string) string {
	s := o.text(key)
	if s != "" && !idPattern.MatchString(s) {
		o.d.errorf(o.vals[key], "%s", at(o.field(key), fmt.Sprintf("%q is not an id: use lower-case letters, digits, - and _", s)))
	}
	return s
}

// integer reads a whole number within lo..hi; def if absent.
func (o *obj) integer(key string, lo, hi, def int) int {
	if !o.has(key) {
		return def
	}
	n := o.d.resolve(o.vals[key])
	v, ok := n.(*ast.IntegerNode)
	if !ok {
		o.d.errorf(n, "%s", at(o.field(key), "want a whole number, got "+kind(n)))
		return def
	}
	var x int64
	switch val := v.Value.(type) {
	case int64:
		x = val
	case uint64:
		x = math.MaxInt64
		if val < math.MaxInt64 {
			x = int64(val)
		}
	}
	if x < int64(lo) || x > int64(hi) {
		o.d.errorf(n, "%s", at(o.field(key), fmt.Sprintf("%d is out of range %d..%d", x, lo, hi)))
		return def
	}
	return int(x)
}

// number reads a number within lo..hi; def if absent.
func (o *obj) number(key string, lo, hi, def float64) float64 {
	if !o.has(key) {
		return def
	}
	return o.d.number(o.vals[key], o.field(key), lo, hi, def)
}

func (d *decoder) number(n ast.Node, ctx string, lo, hi, def float64) float64 {
	n = d.resolve(n)
	var x float64
	switch v := n.(type) {
	case *ast.IntegerNode:
		switch val := v.Value.(type) {
		case int64:
			x = float64(val)
		case uint64:
			x = float64(val)
		}
	case *ast.FloatNode:
		x = v.Value
	default:
		d.errorf(n, "%s", at(ctx, "want a number, got "+kind(n)))
		return def
	}
	if x < lo || x > hi || math.IsNaN(x) {
		d.errorf(n, "%s", at(ctx, fmt.Sprintf("%s is out of range %g..%g", n.GetToken().Value, lo, hi)))
		return def
	}
	return x
}

// boolean reads true or false; def if absent.
func (o *obj) boolean(key string, def bool) bool {
	if !o.has(key) {
		return def
	}
	n := o.d.resolve(o.vals[key])
	v, ok := n.(*ast.BoolNode)
	if !ok {
		o.d.errorf(n, "%s", at(o.field(key), "want true or false, got "+kind(n)))
		return def
	}
	return v.Value
}

// list reads a sequence field; nil if absent or wrong, after reporting.
func (o *obj) list(key string, minLen int) []ast.Node {
	if !o.has(key) {
		return nil
	}
	n := o.d.resolve(o.vals[key])
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		o.d.errorf(n, "%s", at(o.field(key), "want a list, got "+kind(n)))
		return nil
	}
	if len(s.Values) < minLen {
		o.d.errorf(n, "%s", at(o.field(key), fmt.Sprintf("want at least %d, got %d", minLen, len(s.Values))))
	}
	return s.Values
}

// choice reads one of a fixed set of words; def if absent.
func (o *obj) choice(key string, options []string, def int) int {
	if !o.has(key) {
		return def
	}
	n := o.d.resolve(o.vals[key])
	s, ok := scalarText(n)
	if !ok {
		o.d.errorf(n, "%s", at(o.field(key), "want one of "+strings.Join(options, ", ")+", got "+kind(n)))
		return def
	}
	for i, opt := range options {
		if s == opt {
			return i
		}
	}
	o.d.errorf(n, "%s", at(o.field(key), fmt.Sprintf("unknown value %q%s", s, suggest(s, options))))
	return def
}

// levers reads a map of lever name to strength 0..1.
func (o *obj) levers(key string) [sim.NumLevers]float64 {
	var out [sim.NumLevers]float64
	if !o.has(key) {
		return out
	}
	ctx := o.field(key)
	n := o.d.resolve(o.vals[key])
	m, ok := n.(*ast.MappingNode)
	if !ok {
		o.d.errorf(n, "%s", at(ctx, "want a mapping of lever to strength, got "+kind(n)))
		return out
	}
	for _, p := range o.d.pairs(m, ctx) {
		l, ok := sim.ParseLever(p.name)
		if !ok || l == sim.LeverNone {
			o.d.errorf(p.key, "%s", at(ctx, fmt.Sprintf("unknown lever %q%s", p.name, suggest(p.name, sim.LeverNames()))))
			continue
		}
		out[l] = o.d.number(p.val, at(ctx, p.name), 0, 1, 0)
	}
	return out
}

// items walks a list of mappings, naming each by its id for messages.
func (d *decoder) items(list []ast.Node, what string, required, optional []string, each func(o *obj)) {
	for i, n := range list {
		ctx := fmt.Sprintf("%s %d", what, i+1)
		if m, ok := d.resolve(n).(*ast.MappingNode); ok {
			for _, mv := range m.Values {
				if k, _ := scalarText(mv.Key); k == "id" {
					if id, ok := scalarText(d.resolve(mv.Value)); ok && id != "" {
						ctx = fmt.Sprintf("%s %q", what, id)
					}
				}
			}
		}
		if o := d.object(n, ctx, required, optional); o != nil {
			each(o)
		}
	}
}

// ids catches repeated ids within one list.
type ids struct {
	d    *decoder
	what string
	seen map[string]int
}

func (d *decoder) ids(what string) *ids { return &ids{d, what, map[string]int{}} }

func (s *ids) add(o *obj, id string) {
	if id == "" {
		return
	}
	if line, dup := s.seen[id]; dup {
		s.d.errorf(o.vals["id"], "%s id %q repeated (first at line %d)", s.what, id, line)
		return
	}
	s.seen[id], _ = position(o.vals["id"])
}

func (d *decoder) scenario(n ast.Node) *sim.Scenario {
	top := d.object(n, "", []string{"id", "title", "summary", "objectives", "turns", "start", "events", "mandates", "personas", "debrief"},
		[]string{"bots", "coefficients", "evidence"})
	if top == nil {
		return nil
	}
	scn := &sim.Scenario{
		ID:      top.id("id"),
		Title:   top.text("title"),
		Summary: top.text("summary"),
		Turns:   top.integer("turns", 1, MaxTurns, 0),
		Coeff:   sim.DefaultCoefficients(),
	}
	maxTurn := scn.Turns
	if maxTurn == 0 {
		maxTurn = MaxTurns
	}

	objIDs := d.ids("objective")
	d.items(top.list("objectives", 1), "objective", []string{"id", "text"}, nil, func(o *obj) {
		ob := sim.Objective{ID: o.id("id"), Text: o.text("text")}
		objIDs.add(o, ob.ID)
		scn.Objectives = append(scn.Objectives, ob)
	})

	if top.has("start") {
		if o := d.object(top.vals["start"], "start", []string{"morale", "trust", "quota", "standing", "revenue", "cost", "pressure", "market"}, nil); o != nil {
			scn.Start = sim.Start{
				Morale: o.integer("morale", 0, 100, 0), Trust: o.integer("trust", 0, 100, 0),
				Quota: o.integer("quota", 0, 100, 0), Standing: o.integer("standing", 0, 100, 0),
				Revenue: o.integer("revenue", 0, 200, 0), Cost: o.integer("cost", 0, 200, 0),
				Pressure: o.integer("pressure", 0, 100, 0), Market: o.integer("market", MinMarket, MaxMarket, 0),
			}
		}
	}

	evIDs := d.ids("event")
	var eventShifts []*obj // read once the mandates are known
	d.items(top.list("events", 1), "event", []string{"id", "title", "text"}, []string{"market", "pressure", "morale", "bears_on"}, func(o *obj) {
		ev := sim.Event{
			ID: o.id("id"), Title: o.text("title"), Text: o.text("text"),
			Market:   o.integer("market", -MaxDelta, MaxDelta, 0),
			Pressure: o.integer("pressure", -MaxDelta, MaxDelta, 0),
			Morale:   o.integer("morale", -MaxDelta, MaxDelta, 0),
		}
		evIDs.add(o, ev.ID)
		scn.Events = append(scn.Events, ev)
		eventShifts = append(eventShifts, o)
	})
	if scn.Turns > 0 && len(scn.Events) > 0 && len(scn.Events) <= scn.Turns {
		d.hintf(top.keys["events"], "%d events for %d turns: every game deals the same news; add events so that a second game is not a memory test", len(scn.Events), scn.Turns)
	}

	mandIDs := d.ids("mandate")
	mandates := top.list("mandates", 1)
	d.items(mandates, "mandate", []string{"id", "title", "text", "harm", "amend", "effects", "arguments"}, []string{"band", "alternatives", "framing"}, func(o *obj) {
		m := sim.Mandate{
			ID: o.id("id"), Title: o.text("title"), Text: o.text("text"),
			Harm:      o.number("harm", 0, 1, 0),
			Amend:     o.number("amend", 0, 1, 0),
			Arguments: o.levers("arguments"),
		}
		m.Band = d.band(o, m.Harm)
		if o.has("framing") {
			m.Framing = o.text("framing")
		}
		m.Alternatives = d.alternatives(o, m.Amend)
		if o.has("effects") {
			if e := d.object(o.vals["effects"], o.field("effects"), nil,
				[]string{"morale", "quota", "cost", "pressure", "drag", "output", "stretch"}); e != nil {
				m.Effects = sim.Effects{
					Morale: e.integer("morale", -MaxDelta, MaxDelta, 0), Quota: e.integer("quota", -MaxDelta, MaxDelta, 0),
					Cost: e.integer("cost", -MaxDelta, MaxDelta, 0), Pressure: e.integer("pressure", -MaxDelta, MaxDelta, 0),
					Drag: e.integer("drag", -MaxDrag, MaxDrag, 0), Output: e.number("output", -1, 1, 0),
					Stretch: e.boolean("stretch", false),
				}
			}
		}
		mandIDs.add(o, m.ID)
		scn.Mandates = append(scn.Mandates, m)
	})
	if scn.Turns > 0 && mandates != nil && len(mandates) < scn.Turns {
		d.errorf(top.keys["mandates"], "%d mandates for %d turns: the executive needs a card for every turn", len(mandates), scn.Turns)
	}
	mandateIndex := func(id string) int {
		for i := range scn.Mandates {
			if scn.Mandates[i].ID == id {
				return i
			}
		}
		return -1
	}
	var mandateNames []string
	for _, m := range scn.Mandates {
		if !slices.Contains(mandateNames, m.ID) {
			mandateNames = append(mandateNames, m.ID)
		}
	}

	for i, o := range eventShifts {
		scn.Events[i].Shifts = d.shifts(o, "bears_on", mandateIndex, mandateNames, mandates != nil)
	}
	scn.Evidence = d.evidence(top, mandateIndex, mandateNames, mandates != nil)

	personaIDs := d.ids("persona")
	d.items(top.list("personas", 1), "persona", []string{"id", "name", "summary", "rules", "values", "openness", "knee_jerk"}, []string{"visit_every"}, func(o *obj) {
		p := sim.Persona{
			ID: o.id("id"), Name: o.text("name"), Summary: o.text("summary"),
			Values:     o.levers("values"),
			Openness:   o.number("openness", 0, 1, 0),
			KneeJerk:   o.number("knee_jerk", 0, 1, 0),
			VisitEvery: o.integer("visit_every", 0, MaxTurns, 0),
		}
		personaIDs.add(o, p.ID)
		for i, rn := range o.list("rules", 1) {
			r := o.d.object(rn, at(o.ctx, fmt.Sprintf("rule %d", i+1)), []string{"play"}, []string{"when", "target"})
			if r == nil {
				continue
			}
			rule := sim.Rule{Target: targetValues[r.choice("target", targetNames, 0)]}
			if r.has("when") {
				if w := d.object(r.vals["when"], r.field("when"), nil, []string{"pressure_at_least", "pressure_below", "revenue_below", "from_turn"}); w != nil {
					rule.PressureAtLeast = w.integer("pressure_at_least", 1, 100, 0)
					rule.PressureBelow = w.integer("pressure_below", 1, 100, 0)
					rule.RevenueBelow = w.integer("revenue_below", 1, 200, 0)
					rule.FromTurn = w.integer("from_turn", 1, maxTurn, 0)
					if rule.PressureAtLeast > 0 && rule.PressureBelow > 0 && rule.PressureAtLeast >= rule.PressureBelow {
						d.errorf(w.node, "%s", at(w.ctx, fmt.Sprintf("never holds: pressure_at_least %d is not below pressure_below %d", rule.PressureAtLeast, rule.PressureBelow)))
					}
				}
			}
			for _, cn := range r.list("play", 1) {
				cn = d.resolve(cn)
				id, ok := scalarText(cn)
				if !ok {
					d.errorf(cn, "%s", at(r.field("play"), "want a mandate id, got "+kind(cn)))
					continue
				}
				if i := mandateIndex(id); i >= 0 {
					rule.Mandates = append(rule.Mandates, i)
				} else if mandates != nil {
					d.errorf(cn, "%s", at(r.field("play"), fmt.Sprintf("no mandate %q in this scenario%s", id, suggest(id, mandateNames))))
				}
			}
			p.Rules = append(p.Rules, rule)
		}
		scn.Personas = append(scn.Personas, p)
	})

	scn.Styles = d.styles(top, maxTurn)

	if top.has("coefficients") {
		ctx := "coefficients"
		n := d.resolve(top.vals["coefficients"])
		if m, ok := n.(*ast.MappingNode); ok {
			bounds := sim.Bounds()
			var names []string
			for _, b := range bounds {
				names = append(names, b.Name)
			}
			for _, p := range d.pairs(m, ctx) {
				i := slices.Index(names, p.name)
				if i < 0 {
					d.errorf(p.key, "%s", at(ctx, fmt.Sprintf("unknown coefficient %q%s", p.name, suggest(p.name, names))))
					continue
				}
				b := bounds[i]
				*b.Field(&scn.Coeff) = d.number(p.val, at(ctx, p.name), b.Min, b.Max, *b.Field(&scn.Coeff))
			}
		} else {
			d.errorf(n, "coefficients: want a mapping of name to number, got %s", kind(n))
		}
	}

	prompted := map[string]bool{}
	d.items(top.list("debrief", 1), "debrief prompt", []string{"objective", "what_happened", "so_what", "now_what"}, nil, func(o *obj) {
		p := sim.Prompt{Objective: o.text("objective"), WhatHappened: o.text("what_happened"), SoWhat: o.text("so_what"), NowWhat: o.text("now_what")}
		if p.Objective != "" {
			if _, ok := objIDs.seen[p.Objective]; !ok && len(scn.Objectives) > 0 {
				d.errorf(o.vals["objective"], "%s", at(o.field("objective"), fmt.Sprintf("no objective %q in this scenario%s", p.Objective, suggest(p.Objective, keys(objIDs.seen)))))
			}
			prompted[p.Objective] = true
		}
		for _, k := range []string{"what_happened", "so_what", "now_what"} {
			if o.has(k) {
				d.placeholders(o, k)
			}
		}
		scn.Debrief = append(scn.Debrief, p)
	})
	if top.has("debrief") {
		for _, ob := range scn.Objectives {
			if ob.ID != "" && !prompted[ob.ID] {
				d.errorf(top.keys["debrief"], "debrief: no prompt for objective %q", ob.ID)
			}
		}
	}
	return scn
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var placeholderPattern = regexp.MustCompile(`\{([^{}]*)\}`)

// placeholders reports {names} the debrief cannot fill.
func (d *decoder) placeholders(o *obj, key string) {
	s, _ := scalarText(d.resolve(o.vals[key]))
	for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
		if _, ok := Placeholders[m[1]]; !ok {
			d.errorf(o.vals[key], "%s", at(o.field(key), fmt.Sprintf("unknown placeholder {%s}%s", m[1], suggest(m[1], placeholderNames))))
		}
	}
}

// MaxShift bounds how far one event or piece of evidence moves a card's harm.
const MaxShift = 0.5

// band reads a mandate's harm band [low, high]; by default the card's harm
// ± 0.3 within 0..1, so evidence in a newer file can move an older card.
func (d *decoder) band(o *obj, harm float64) [2]float64 {
	def := [2]float64{max(0, harm-0.3), min(1, harm+0.3)}
	if !o.has("band") {
		return def
	}
	n := d.resolve(o.vals["band"])
	seq, ok := n.(*ast.SequenceNode)
	if !ok || len(seq.Values) != 2 {
		d.errorf(n, "%s", at(o.field("band"), "want [low, high], two numbers from 0 to 1, got "+kind(n)))
		return def
	}
	lo := d.number(seq.Values[0], at(o.field("band"), "low"), 0, 1, def[0])
	hi := d.number(seq.Values[1], at(o.field("band"), "high"), 0, 1, def[1])
	if lo > harm || hi < harm {
		d.errorf(n, "%s", at(o.field("band"), fmt.Sprintf("[%g, %g] does not contain the card's harm %g", lo, hi, harm)))
		return def
	}
	return [2]float64{lo, hi}
}

// alternatives reads a mandate's costed alternatives; a card without any
// offers one, a pilot that keeps the card's amend share.
func (d *decoder) alternatives(o *obj, amend float64) []sim.Alternative {
	if !o.has("alternatives") {
		d.hintf(o.node, "%s", at(o.ctx, "no alternatives: cases can offer only the default pilot; add costed alternatives (id, title, keep)"))
		return []sim.Alternative{{ID: "pilot", Title: "Pilot it with one team for a month, then decide on the numbers", Keep: amend}}
	}
	var out []sim.Alternative
	seen := d.ids("alternative")
	d.items(o.list("alternatives", 1), at(o.ctx, "alternative"), []string{"id", "title", "keep"}, nil, func(a *obj) {
		alt := sim.Alternative{ID: a.id("id"), Title: a.text("title"), Keep: a.number("keep", 0, 1, 0)}
		seen.add(a, alt.ID)
		out = append(out, alt)
	})
	return out
}

// shifts reads a mapping of mandate id to harm shift.
func (d *decoder) shifts(o *obj, key string, index func(string) int, names []string, known bool) []sim.Shift {
	if !o.has(key) {
		return nil
	}
	ctx := o.field(key)
	m, ok := d.resolve(o.vals[key]).(*ast.MappingNode)
	if !ok {
		d.errorf(o.vals[key], "%s", at(ctx, "want a mapping of mandate id to harm shift, got "+kind(d.resolve(o.vals[key]))))
		return nil
	}
	var out []sim.Shift
	for _, p := range d.pairs(m, ctx) {
		i := index(p.name)
		if i < 0 {
			if known {
				d.errorf(p.key, "%s", at(ctx, fmt.Sprintf("no mandate %q in this scenario%s", p.name, suggest(p.name, names))))
			}
			continue
		}
		out = append(out, sim.Shift{Card: i, By: d.number(p.val, at(ctx, p.name), -MaxShift, MaxShift, 0)})
	}
	return out
}

// evidence reads the front-line evidence deck.
func (d *decoder) evidence(top *obj, index func(string) int, names []string, known bool) []sim.Evidence {
	if !top.has("evidence") {
		d.hintf(top.node, "no evidence deck: business cases are judged on their levers alone and every team faces the same harm; add `evidence:` cards (see the manual)")
		return nil
	}
	var out []sim.Evidence
	seen := d.ids("evidence")
	levers := sim.LeverNames()
	d.items(top.list("evidence", sim.EvidenceHand), "evidence", []string{"id", "title", "text", "lever", "bears_on"}, []string{"when"}, func(o *obj) {
		e := sim.Evidence{ID: o.id("id"), Title: o.text("title"), Text: o.text("text")}
		seen.add(o, e.ID)
		e.Lever = sim.Lever(1 + o.choice("lever", levers, 0))
		e.Shifts = d.shifts(o, "bears_on", index, names, known)
		if o.has("when") {
			if w := d.object(o.vals["when"], o.field("when"), nil, []string{"morale_below", "trust_below", "quota_below", "quota_at_least"}); w != nil {
				e.When = sim.Condition{
					MoraleBelow: w.integer("morale_below", 1, 100, 0), TrustBelow: w.integer("trust_below", 1, 100, 0),
					QuotaBelow: w.integer("quota_below", 1, 100, 0), QuotaAtLeast: w.integer("quota_at_least", 1, 100, 0),
				}
			}
		}
		out = append(out, e)
	})
	return out
}

// The words for team actions and persona targets, index-aligned with sim's values.
var (
	actionNames  = []string{"none", "coach", "focus", "candid", "celebrate"}
	actionValues = []sim.TeamAction{sim.ActionNone, sim.ActionCoach, sim.ActionFocus, sim.ActionCandid, sim.ActionCelebrate}
	targetNames  = []string{"all", "lowest_quota", "lowest_standing"}
	targetValues = []sim.Target{sim.TargetAll, sim.TargetLowestQuota, sim.TargetLowestStanding}
)

// styles merges the file's bots into the builtin styles: a bot with a
// builtin's id changes only the fields it gives; any other id adds a style.
func (d *decoder) styles(top *obj, maxTurn int) []sim.Style {
	out := sim.BuiltinStyles()
	builtin := len(out)
	seen := d.ids("bot")
	fields := []string{"name", "summary", "push_above", "negotiate_above", "shield_above", "explain", "tell", "skill", "action", "escalate_after", "need_evidence"}
	for i, n := range top.list("bots", 1) {
		ctx := fmt.Sprintf("bot %d", i+1)
		o := d.object(n, ctx, []string{"id"}, fields)
		if o == nil {
			continue
		}
		id := o.id("id")
		seen.add(o, id)
		if id != "" {
			o.ctx = fmt.Sprintf("bot %q", id)
		}
		idx := -1
		for j := range out[:builtin] {
			if out[j].ID == id {
				idx = j
			}
		}
		st := sim.Style{ID: id, PushAbove: 2, NegotiateAbove: 2, ShieldAbove: 2, Skill: 0.5}
		if idx >= 0 {
			st = out[idx]
		} else {
			for _, r := range []string{"name", "summary"} {
				if !o.has(r) {
					d.errorf(o.node, "%s", at(o.ctx, fmt.Sprintf("missing field %q (needed for a new style; builtins are %s)", r, builtinNames())))
				}
			}
		}
		if o.has("name") {
			st.Name = o.text("name")
		}
		if o.has("summary") {
			st.Summary = o.text("summary")
		}
		st.PushAbove = o.number("push_above", -1, 2, st.PushAbove)
		st.NegotiateAbove = o.number("negotiate_above", -1, 2, st.NegotiateAbove)
		st.ShieldAbove = o.number("shield_above", -1, 2, st.ShieldAbove)
		st.Explain = o.boolean("explain", st.Explain)
		st.Tell = o.boolean("tell", st.Tell)
		st.Skill = o.number("skill", 0, 1, st.Skill)
		st.Action = actionValues[o.choice("action", actionNames, slices.Index(actionNames, actionName(st.Action)))]
		st.EscalateAfter = o.integer("escalate_after", 0, maxTurn, st.EscalateAfter)
		st.NeedEvidence = o.boolean("need_evidence", st.NeedEvidence)
		if idx >= 0 {
			out[idx] = st
		} else {
			out = append(out, st)
		}
	}
	return out
}

func actionName(a sim.TeamAction) string {
	for i, v := range actionValues {
		if v == a {
			return actionNames[i]
		}
	}
	return "none"
}

func builtinNames() string {
	var names []string
	for _, s := range sim.BuiltinStyles() {
		names = append(names, s.ID)
	}
	return strings.Join(names, ", ")
}
