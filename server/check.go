package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"pushback/scenarios"
)

func init() {
	register("check", "validate scenario files: check FILE...", func(args []string) int {
		return check(args, os.Stdout, os.Stderr)
	})
}

// check validates each scenario file and reports every problem as
// file:line:col: reason on stderr, so a trainer's editor can jump to it.
// It returns 0 when all files are valid, 1 when any is not, 2 for misuse.
func check(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: server check FILE...")
		fmt.Fprintln(stderr, "Validates scenario files; the format is described in scenarios/README.md.")
		fmt.Fprintln(stderr, "Exit status: 0 all valid, 1 errors found, 2 usage.")
		return 2
	}
	status := 0
	for _, path := range args {
		scn, hints, err := scenarios.CheckFile(path)
		if err != nil {
			status = 1
			var errs scenarios.Errors
			if errors.As(err, &errs) {
				fmt.Fprintln(stderr, errs.Error())
			} else {
				fmt.Fprintf(stderr, "%s: %v\n", path, err)
			}
			continue
		}
		fmt.Fprintf(stdout, "%s: ok (%s, %d turns, %d mandates, %d evidence cards)\n", path, scn.Title, scn.Turns, len(scn.Mandates), len(scn.Evidence))
		for _, h := range hints {
			fmt.Fprintf(stdout, "%s:%d:%d: upgrade: %s\n", h.File, h.Line, h.Col, h.Msg)
		}
	}
	return status
}
