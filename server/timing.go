package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"pushback/scenarios"
)

func init() {
	register("timing", "how long a workshop game takes: estimated minutes per scenario, table size and deadlines", func(args []string) int {
		return timing(args, os.Stdout, os.Stderr)
	})
}

// pace is how long people take, the assumptions of an estimate: every
// time is drawn log-normally around its median.
type pace struct {
	mandate, answer, rule, read time.Duration // medians
	spread, readSpread          float64       // σ of the log-normal
	object                      float64       // share of managers who object in a month
	persona                     bool          // a scripted executive: mandate and rulings take no time
}

// timingDeadlines are the host screen's choices, by name.
var timingDeadlines = []struct {
	name string
	d    [4]int // seconds: mandate, response, ruling, reveal; 0 none
}{
	{"no deadlines", [4]int{}},
	{"paced (1 / 3 / 2 / 1 min)", [4]int{60, 180, 120, 60}},
	{"2 min a phase", [4]int{120, 120, 120, 120}},
}

// month is one month's length in seconds: each phase waits for its slowest
// seat, or ends at its deadline.
func (p pace) month(r *rand.Rand, managers int, d [4]int) float64 {
	draw := func(med time.Duration, sigma float64) float64 {
		return med.Seconds() * math.Exp(r.NormFloat64()*sigma)
	}
	var ph [4]float64
	if !p.persona {
		ph[0] = draw(p.mandate, p.spread)
	}
	for range managers {
		ph[1] = max(ph[1], draw(p.answer, p.spread))
		ph[3] = max(ph[3], draw(p.read, p.readSpread))
		if !p.persona && r.Float64() < p.object {
			ph[2] += draw(p.rule, p.spread)
		}
	}
	total := 0.0
	for i, x := range ph {
		if d[i] > 0 {
			x = min(x, float64(d[i]))
		}
		total += x
	}
	return total
}

func timing(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("timing", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var p pace
	fs.DurationVar(&p.mandate, "mandate", 50*time.Second, "median time a human executive takes to issue a mandate")
	fs.DurationVar(&p.answer, "answer", 100*time.Second, "median time a manager takes to answer (reading the month, writing a case)")
	fs.DurationVar(&p.rule, "rule", 30*time.Second, "median time the executive takes per objection to rule")
	fs.DurationVar(&p.read, "read", 45*time.Second, "median time a seat takes to read the reveal")
	fs.Float64Var(&p.spread, "spread", 0.4, "σ of the log-normal times (deciding)")
	fs.Float64Var(&p.readSpread, "read-spread", 0.3, "σ of the log-normal times (reading the reveal)")
	fs.Float64Var(&p.object, "object", 0.4, "share of managers who object in a month")
	fs.BoolVar(&p.persona, "persona", false, "a scripted executive: mandates and rulings take no time")
	sizes := fs.String("managers", "4,8", "table sizes, comma-separated")
	games := fs.Int("games", 2000, "games per cell")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var ns []int
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 8 {
			fmt.Fprintf(stderr, "timing: -managers: %q is not 1..8\n", f)
			return 2
		}
		ns = append(ns, n)
	}
	if *games < 20 {
		fmt.Fprintln(stderr, "timing: -games must be at least 20")
		return 2
	}
	r := rand.New(rand.NewPCG(*seed, *seed^0x7a11))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "scenario (months)\tmanagers")
	for _, d := range timingDeadlines {
		fmt.Fprintf(tw, "\t%s", d.name)
	}
	fmt.Fprintln(tw)
	for _, name := range scenarios.Names() {
		scn, err := scenarios.Load(name)
		if err != nil {
			fmt.Fprintf(stderr, "timing: %v\n", err)
			return 1
		}
		for _, n := range ns {
			fmt.Fprintf(tw, "%s (%d)\t%d", scn.ID, scn.Turns, n)
			for _, d := range timingDeadlines {
				mins := make([]float64, *games)
				for g := range mins {
					for range scn.Turns {
						mins[g] += p.month(r, n, d.d)
					}
					mins[g] /= 60
				}
				slices.Sort(mins)
				q := func(f float64) float64 { return mins[int(f*float64(len(mins)-1))] }
				fmt.Fprintf(tw, "\t%.0f (%.0f–%.0f)", q(0.5), q(0.05), q(0.95))
			}
			fmt.Fprintln(tw)
		}
	}
	tw.Flush()
	fmt.Fprintln(stdout, "minutes: median (5th–95th percentile) of the game alone; add the briefing and the debrief")
	return 0
}
