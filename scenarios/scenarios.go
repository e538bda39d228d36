// Package scenarios holds the shipped scenario files and turns scenario YAML,
// shipped or written by a trainer, into sim's types. Its README is the
// format's manual.
package scenarios

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"pushback/sim"
)

// Default is the scenario a room plays when nobody chooses one.
const Default = "mild-slowdown"

// MaxFileSize bounds a scenario file, so that checking an upload or a wrong
// path cannot exhaust memory; real scenarios are a few kilobytes.
const MaxFileSize = 1 << 20

//go:embed *.yaml
var shipped embed.FS

var names = func() []string {
	entries, err := fs.ReadDir(shipped, ".")
	if err != nil {
		panic(err) // an embed.FS root always reads
	}
	out := []string{Default}
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && n != Default {
			out = append(out, n)
		}
	}
	slices.Sort(out[1:])
	return out
}()

// Names lists the shipped scenarios by ID, Default first, so that menus and
// the command line offer the same choice in the same order.
func Names() []string { return slices.Clone(names) }

// Source returns the embedded bytes of a shipped scenario: an exported game
// carries them so it replays exactly even after the file changes.
func Source(name string) ([]byte, error) {
	if !slices.Contains(names, name) {
		return nil, fmt.Errorf("no shipped scenario %q (have %s)", name, strings.Join(names, ", "))
	}
	return shipped.ReadFile(name + ".yaml")
}

// Load parses a shipped scenario by ID. Each call returns a fresh value, so a
// caller may keep or change it without affecting other rooms.
func Load(name string) (*sim.Scenario, error) {
	data, err := Source(name)
	if err != nil {
		return nil, err
	}
	return Parse(name+".yaml", data)
}

// LoadFile parses a trainer's scenario file from disk.
func LoadFile(path string) (*sim.Scenario, error) {
	scn, _, err := CheckFile(path)
	return scn, err
}

// CheckFile is Check on a file from disk.
func CheckFile(path string) (*sim.Scenario, Errors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read scenario %s: %w", path, err)
	}
	return Check(path, data)
}

// Parse decodes and validates one scenario. filename only labels errors.
// On failure the error is an Errors listing every problem found, each with
// its line and column, in file order.
func Parse(filename string, data []byte) (*sim.Scenario, error) {
	scn, _, err := Check(filename, data)
	return scn, err
}

// Check is Parse that also returns upgrade hints: not errors, but where a
// file written for an older version of the game (no evidence deck, no
// costed alternatives, as many events as turns) could use what is new, each
// with its line and column. `server check` prints them.
func Check(filename string, data []byte) (*sim.Scenario, Errors, error) {
	d := &decoder{file: filename}
	scn := d.parse(data)
	d.hints.sort()
	if len(d.errs) > 0 {
		d.errs.sort()
		return nil, d.hints, d.errs
	}
	return scn, d.hints, nil
}
