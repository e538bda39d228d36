package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"pushback/scenarios"
	"pushback/server/balance"
	"pushback/sim"
)

func init() {
	register("simulate", "bot-only games: the balance table per manager style", func(args []string) int {
		return simulate(args, os.Stdout, os.Stderr)
	})
}

func simulate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scnArg := fs.String("scenario", scenarios.Default, "a shipped scenario's name, or a scenario file")
	games := fs.Int("games", 1000, "games to play")
	seed := fs.Uint64("seed", 1, "first game seed; game i plays seed+i")
	styles := fs.String("styles", "yes-man,firebrand,diplomat,advocate", "bot style per manager seat, comma-separated")
	persona := fs.String("persona", "", "the executive persona (default the scenario's first)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "parallel workers")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *games < 1 || *workers < 1 {
		fmt.Fprintln(stderr, "simulate: -games and -workers must be at least 1")
		return 2
	}
	scn, err := loadScenario(*scnArg)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	var done atomic.Int64
	o := balance.Options{Scenario: scn, Games: *games, Seed: *seed, Styles: strings.Split(*styles, ","), Persona: *persona, Workers: *workers, Done: &done}
	if o.Persona == "" && len(scn.Personas) > 0 {
		o.Persona = scn.Personas[0].ID
	}
	start := time.Now()
	stopProgress := make(chan struct{})
	var pw sync.WaitGroup
	if o.Games >= 10_000 {
		pw.Add(1)
		go func() {
			defer pw.Done()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					fmt.Fprintf(stderr, "simulate: %d/%d games\n", done.Load(), o.Games)
				case <-stopProgress:
					return
				}
			}
		}()
	}
	b, err := balance.Run(o)
	close(stopProgress)
	pw.Wait()
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	printBalance(stdout, o, b)
	fmt.Fprintf(stderr, "simulate: %d games in %s on %d workers\n", b.Games, time.Since(start).Round(time.Millisecond), o.Workers)
	return 0
}

// loadScenario takes a shipped name or a file path.
func loadScenario(arg string) (*sim.Scenario, error) {
	for _, n := range scenarios.Names() {
		if n == arg {
			return scenarios.Load(arg)
		}
	}
	if _, err := os.Stat(arg); err != nil {
		return nil, fmt.Errorf("%q is neither a shipped scenario (%s) nor a readable file", arg, strings.Join(scenarios.Names(), ", "))
	}
	return scenarios.LoadFile(arg)
}

func printBalance(w io.Writer, o balance.Options, b *balance.Result) {
	fmt.Fprintf(w, "scenario %s, persona %s, %d games from seed %d (mean ± sd of the final values)\n\n", o.Scenario.ID, o.Persona, b.Games, o.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "seat\tstyle\tmorale\ttrust\tquota\tstanding\tresignations\tscore\tobjections/game\tcase\twon\t")
	ms := func(s balance.Stat) string { return fmt.Sprintf("%.1f ± %.1f", s.Mean(), s.SD()) }
	for i, s := range b.Seats {
		made, won, q := "0", "–", "–"
		if s.Objections > 0 {
			made = fmt.Sprintf("%.1f", float64(s.Objections)/float64(max(b.Games, 1)))
			q = fmt.Sprintf("%.2f", s.Quality/float64(s.Objections))
			won = fmt.Sprintf("%.0f%%", 100*float64(s.Won)/float64(s.Objections))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", i+1, o.Styles[i],
			ms(s.Meters[0]), ms(s.Meters[1]), ms(s.Meters[2]), ms(s.Meters[3]), ms(s.Resign), ms(s.Score), made, q, won)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nexecutive score %s   revenue %s   cost %s   board pressure %s\n",
		ms(b.Exec), ms(b.Revenue), ms(b.Cost), ms(b.Pressure))
}
