// Package balance plays bot-only games of a scenario and sums up how each
// manager style ends: the table of `server simulate` and of a host's
// "preview balance" (the hub's preview kind). Each game is seeded by its
// number alone, so the table does not depend on the number of workers.
package balance

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"pushback/sim"
)

// Options are what one run plays: Games games from Seed (game i plays
// Seed+i), one manager seat per entry of Styles, against the executive
// Persona, on Workers goroutines. Done, if set, counts finished games.
type Options struct {
	Scenario *sim.Scenario
	Games    int
	Seed     uint64
	Styles   []string
	Persona  string
	Workers  int
	Done     *atomic.Int64
}

// Stat accumulates integer samples exactly (count, sum, sum of squares),
// so that merging the workers' parts in any order gives the same table.
type Stat struct {
	N, Sum, Sq int64
}

func (s *Stat) add(x int) {
	s.N++
	s.Sum += int64(x)
	s.Sq += int64(x) * int64(x)
}

func (s *Stat) merge(o Stat) {
	s.N += o.N
	s.Sum += o.Sum
	s.Sq += o.Sq
}

// Mean is the samples' mean, 0 for none.
func (s *Stat) Mean() float64 {
	if s.N == 0 {
		return 0
	}
	return float64(s.Sum) / float64(s.N)
}

// SD is the samples' standard deviation, 0 for fewer than two.
func (s *Stat) SD() float64 {
	if s.N < 2 {
		return 0
	}
	n := float64(s.N)
	v := (float64(s.Sq) - float64(s.Sum)*float64(s.Sum)/n) / (n - 1)
	return math.Sqrt(max(v, 0))
}

// Seat is one manager seat's final meters and score over all games.
type Seat struct {
	Meters [4]Stat // morale, trust, quota, standing
	Score  Stat
	Resign Stat // resignations per game
	Left   Stat // 1 for a game in which anyone resigned, else 0
	// Objections raised and Won (amended or withdrawn), and the summed
	// case Quality of those raised: do arguments move this executive?
	Objections, Won int64
	Quality         float64
}

// Result is a whole run's table.
type Result struct {
	Seats                         []Seat
	Exec, Revenue, Cost, Pressure Stat
	Games                         int
}

func (b *Result) merge(o *Result) {
	for i := range b.Seats {
		s, t := &b.Seats[i], &o.Seats[i]
		for m := range s.Meters {
			s.Meters[m].merge(t.Meters[m])
		}
		s.Score.merge(t.Score)
		s.Resign.merge(t.Resign)
		s.Left.merge(t.Left)
		s.Objections += t.Objections
		s.Won += t.Won
		s.Quality += t.Quality
	}
	b.Exec.merge(o.Exec)
	b.Revenue.merge(o.Revenue)
	b.Cost.merge(o.Cost)
	b.Pressure.merge(o.Pressure)
	b.Games += o.Games
}

// Run plays o.Games bot-only games on o.Workers goroutines.
func Run(o Options) (*Result, error) {
	if len(o.Styles) < 1 || len(o.Styles) > sim.MaxManagers {
		return nil, fmt.Errorf("1..%d styles, not %d", sim.MaxManagers, len(o.Styles))
	}
	if o.Games < 1 || o.Workers < 1 {
		return nil, fmt.Errorf("games and workers must be at least 1")
	}
	cfg := sim.Config{Persona: o.Persona, ExecutiveBot: true}
	for i, st := range o.Styles {
		cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: fmt.Sprintf("%s %d", st, i+1), Style: st, Bot: true})
	}
	var next atomic.Int64
	results := make([]*Result, o.Workers)
	errs := make([]error, o.Workers)
	var wg sync.WaitGroup
	for w := range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &Result{Seats: make([]Seat, len(o.Styles))}
			results[w] = b
			var t table // one table per worker, reset for each game
			for {
				i := next.Add(1) - 1
				if i >= int64(o.Games) {
					return
				}
				if err := t.play(o.Scenario, cfg, o.Seed+uint64(i), b); err != nil {
					errs[w] = fmt.Errorf("game %d (seed %d): %w", i, o.Seed+uint64(i), err)
					next.Store(int64(o.Games)) // stop everyone
					return
				}
				if o.Done != nil {
					o.Done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	total := &Result{Seats: make([]Seat, len(o.Styles))}
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

func (tb *table) play(scn *sim.Scenario, cfg sim.Config, seed uint64, b *Result) error {
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
		s := &b.Seats[i]
		for m := sim.MeterMorale; m <= sim.MeterStanding; m++ {
			s.Meters[m].add(t.Get(m))
		}
		s.Score.add(sim.ManagerScore(t.Meters))
		s.Resign.add(t.Resignations)
		s.Left.add(min(t.Resignations, 1))
	}
	for _, d := range st.Decisions {
		if d.Response.Voiced() {
			s := &b.Seats[d.Seat-1]
			s.Objections++
			s.Quality += d.Grade.Quality
			if d.Verdict == sim.VerdictAmend || d.Verdict == sim.VerdictWithdraw {
				s.Won++
			}
		}
	}
	b.Exec.add(st.Scores.Executive)
	b.Revenue.add(st.Company.Revenue)
	b.Cost.add(st.Company.Cost)
	b.Pressure.add(st.Company.Pressure)
	b.Games++
	return nil
}
