package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"pushback/scenarios"
	"pushback/sim"
)

func init() {
	register("simulate", "bot-only games: the balance table per manager style", func(args []string) int {
		return simulate(args, os.Stdout, os.Stderr)
	})
}

// simOptions are what one balance run plays.
type simOptions struct {
	scn     *sim.Scenario
	games   int
	seed    uint64
	styles  []string
	persona string
	workers int
}

// stat accumulates integer samples exactly (count, sum, sum of squares),
// so that merging the workers' parts in any order gives the same table.
type stat struct {
	n, sum, sq int64
}

func (s *stat) add(x int) {
	s.n++
	s.sum += int64(x)
	s.sq += int64(x) * int64(x)
}

func (s *stat) merge(o stat) {
	s.n += o.n
	s.sum += o.sum
	s.sq += o.sq
}

func (s *stat) mean() float64 {
	if s.n == 0 {
		return 0
	}
	return float64(s.sum) / float64(s.n)
}

func (s *stat) sd() float64 {
	if s.n < 2 {
		return 0
	}
	n := float64(s.n)
	v := (float64(s.sq) - float64(s.sum)*float64(s.sum)/n) / (n - 1)
	return math.Sqrt(max(v, 0))
}

// seatStats are one manager seat's final meters and score over all games.
type seatStats struct {
	meters [4]stat // morale, trust, quota, standing
	score  stat
	resign stat
	// objections raised and won (amended or withdrawn), and the summed
	// case quality of those raised: do arguments move this executive?
	objections, won int64
	quality         float64
}

// balance is a whole run's result.
type balance struct {
	seats                    []seatStats
	exec, revenue, cost, pre stat
	games                    int
}

func (b *balance) merge(o *balance) {
	for i := range b.seats {
		for m := range b.seats[i].meters {
			b.seats[i].meters[m].merge(o.seats[i].meters[m])
		}
		b.seats[i].score.merge(o.seats[i].score)
		b.seats[i].resign.merge(o.seats[i].resign)
		b.seats[i].objections += o.seats[i].objections
		b.seats[i].won += o.seats[i].won
		b.seats[i].quality += o.seats[i].quality
	}
	b.exec.merge(o.exec)
	b.revenue.merge(o.revenue)
	b.cost.merge(o.cost)
	b.pre.merge(o.pre)
	b.games += o.games
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
	o := simOptions{scn: scn, games: *games, seed: *seed, styles: strings.Split(*styles, ","), persona: *persona, workers: *workers}
	if o.persona == "" && len(scn.Personas) > 0 {
		o.persona = scn.Personas[0].ID
	}
	start := time.Now()
	var done atomic.Int64
	stopProgress := make(chan struct{})
	var pw sync.WaitGroup
	if o.games >= 10_000 {
		pw.Add(1)
		go func() {
			defer pw.Done()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					fmt.Fprintf(stderr, "simulate: %d/%d games\n", done.Load(), o.games)
				case <-stopProgress:
					return
				}
			}
		}()
	}
	b, err := runBalance(o, &done)
	close(stopProgress)
	pw.Wait()
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	printBalance(stdout, o, b)
	fmt.Fprintf(stderr, "simulate: %d games in %s on %d workers\n", b.games, time.Since(start).Round(time.Millisecond), o.workers)
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

// runBalance plays o.games bot-only games on o.workers goroutines. Each game
// is seeded by its number alone, so the table does not depend on the number
// of workers.
func runBalance(o simOptions, done *atomic.Int64) (*balance, error) {
	if len(o.styles) < 1 || len(o.styles) > sim.MaxManagers {
		return nil, fmt.Errorf("1..%d styles, not %d", sim.MaxManagers, len(o.styles))
	}
	cfg := sim.Config{Persona: o.persona, ExecutiveBot: true}
	for i, st := range o.styles {
		cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: fmt.Sprintf("%s %d", st, i+1), Style: st, Bot: true})
	}
	var next atomic.Int64
	results := make([]*balance, o.workers)
	errs := make([]error, o.workers)
	var wg sync.WaitGroup
	for w := range o.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &balance{seats: make([]seatStats, len(o.styles))}
			results[w] = b
			var t table // one table per worker, reset for each game
			for {
				i := next.Add(1) - 1
				if i >= int64(o.games) {
					return
				}
				if err := t.play(o.scn, cfg, o.seed+uint64(i), b); err != nil {
					errs[w] = fmt.Errorf("game %d (seed %d): %w", i, o.seed+uint64(i), err)
					next.Store(int64(o.games)) // stop everyone
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	total := &balance{seats: make([]seatStats, len(o.styles))}
	for _, b := range results {
		total.merge(b)
	}
	return total, nil
}

// table is one worker's game, reused from seed to seed (sim's Reset), so a
// run of a hundred thousand games allocates next to nothing.
type table struct {
	st   *sim.State
	bots *sim.Bots
}

func (tb *table) play(scn *sim.Scenario, cfg sim.Config, seed uint64, b *balance) error {
	if tb.st == nil {
		st, err := sim.New(scn, cfg, seed)
		if err != nil {
			return err
		}
		bots, err := sim.NewBots(st, seed^0x94d049bb133111eb)
		if err != nil {
			return err
		}
		tb.st, tb.bots = st, bots
	} else {
		tb.st.Reset(seed)
		tb.bots.Reset(seed ^ 0x94d049bb133111eb)
	}
	st := tb.st
	if err := tb.bots.Run(st); err != nil {
		return err
	}
	for i := range st.Teams {
		t := &st.Teams[i]
		s := &b.seats[i]
		for m := sim.MeterMorale; m <= sim.MeterStanding; m++ {
			s.meters[m].add(t.Get(m))
		}
		s.score.add(sim.ManagerScore(t.Meters))
		s.resign.add(t.Resignations)
	}
	for _, d := range st.Decisions {
		if d.Response.Voiced() {
			s := &b.seats[d.Seat-1]
			s.objections++
			s.quality += d.Grade.Quality
			if d.Verdict == sim.VerdictAmend || d.Verdict == sim.VerdictWithdraw {
				s.won++
			}
		}
	}
	b.exec.add(st.Scores.Executive)
	b.revenue.add(st.Company.Revenue)
	b.cost.add(st.Company.Cost)
	b.pre.add(st.Company.Pressure)
	b.games++
	return nil
}

func printBalance(w io.Writer, o simOptions, b *balance) {
	fmt.Fprintf(w, "scenario %s, persona %s, %d games from seed %d (mean ± sd of the final values)\n\n", o.scn.ID, o.persona, b.games, o.seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "seat\tstyle\tmorale\ttrust\tquota\tstanding\tresignations\tscore\tobjections/game\tcase\twon\t")
	ms := func(s stat) string { return fmt.Sprintf("%.1f ± %.1f", s.mean(), s.sd()) }
	for i, s := range b.seats {
		made, won, q := "0", "–", "–"
		if s.objections > 0 {
			made = fmt.Sprintf("%.1f", float64(s.objections)/float64(max(b.games, 1)))
			q = fmt.Sprintf("%.2f", s.quality/float64(s.objections))
			won = fmt.Sprintf("%.0f%%", 100*float64(s.won)/float64(s.objections))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", i+1, o.styles[i],
			ms(s.meters[0]), ms(s.meters[1]), ms(s.meters[2]), ms(s.meters[3]), ms(s.resign), ms(s.score), made, q, won)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nexecutive score %s   revenue %s   cost %s   board pressure %s\n",
		ms(b.exec), ms(b.revenue), ms(b.cost), ms(b.pre))
}
