package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"pushback/server/debrief"
)

func init() {
	register("replay", "re-run an exported game: replay [-html OUT] FILE.json", func(args []string) int {
		return replay(args, os.Stdout, os.Stderr)
	})
}

// replay re-runs a game exported as report.json and says whether it ends in
// exactly the state the file records; with -html it also writes the report
// again, so a trainer can rebuild it long after the server is gone.
// It returns 0 on a match, 1 on a mismatch, 2 for misuse or an unreadable file.
func replay(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	htmlOut := fs.String("html", "", "also write the debrief report of the replayed game to this file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: server replay [-html OUT.html] FILE.json")
		fmt.Fprintln(stderr, "Re-runs a game exported as report.json and compares it, turn by turn, with the state it records.")
		fmt.Fprintln(stderr, "Exit status: 0 same state, 1 differs, 2 usage or unreadable file.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		if err == nil {
			fs.Usage()
		}
		return 2
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return 2
	}
	g, err := debrief.ReadJSON(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(stderr, "replay: %s: %v\n", path, err)
		return 2
	}
	res, err := debrief.Check(g)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %s: %v\n", path, err)
		return 2
	}
	if *htmlOut != "" {
		if err := writeReport(g, *htmlOut); err != nil {
			fmt.Fprintf(stderr, "replay: %s: %v\n", *htmlOut, err)
			return 2
		}
	}
	if !res.Match {
		fmt.Fprintf(stdout, "%s: MISMATCH: the replay first differs in turn %d: %s\n", path, res.FirstTurn, res.Detail)
		return 1
	}
	fmt.Fprintf(stdout, "%s: match: %d commands replay to exactly the recorded state (turn %d, %s; %d turns compared)\n",
		path, len(g.Commands), g.Final.Turn, g.Final.Phase, res.Turns)
	return 0
}

// writeReport writes the report of what the log replays to, up to a
// command the engine rejects, if any.
func writeReport(g debrief.Game, path string) error {
	r, err := debrief.Replay(g)
	if r == nil {
		return err
	}
	var buf bytes.Buffer
	if err := debrief.WriteHTML(&buf, debrief.FromReplay(g, r)); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
