// Command server serves Pushback games and holds the tools around them.
//
//	go run ./server [serve flags]     serve the game (the default)
//	go run ./server check FILE...     validate scenario files
//	go run ./server simulate ...      bot-only games: the balance table
//	go run ./server replay FILE.json  re-run an exported game
//
// Each subcommand lives in its own file and registers itself in init.
package main

import (
	"fmt"
	"os"
	"sort"
)

// subcommand is one word of the command line and the function behind it; it
// returns the process exit code.
type subcommand struct {
	summary string
	run     func(args []string) int
}

var subcommands = map[string]subcommand{}

func register(name, summary string, run func(args []string) int) {
	subcommands[name] = subcommand{summary, run}
}

func main() {
	args := os.Args[1:]
	name := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	sc, ok := subcommands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown command %q; commands:\n", name)
		usage()
		os.Exit(2)
	}
	os.Exit(sc.run(args))
}

func usage() {
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, subcommands[n].summary)
	}
}
