package loadtest

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// String is the report as the tool prints it at the end of a run.
func (r *Report) String() string {
	var b strings.Builder
	think := "flat out"
	if r.Think > 0 {
		think = "think " + r.Think.String()
	}
	fmt.Fprintf(&b, "%s: %d rooms x %d players (%s), window %s, ramp %s\n", r.Mode, r.Rooms, r.Players, think,
		r.Window.Round(time.Second), r.Ramp.Round(100*time.Millisecond))
	fmt.Fprintf(&b, "  players connected: peak %d, at full load %d\n", r.PeakPlayers, r.Full.Connected)
	fmt.Fprintf(&b, "  games: %d started, %d ended; commands acknowledged %d (%.0f/s)\n", r.GamesStarted, r.GamesEnded, r.Commands, r.CmdRate)
	fmt.Fprintf(&b, "  command -> view at every seat, every room playing: p50 %s  p95 %s  p99 %s  max %s  (n=%d)\n",
		ms(r.Steady.P50), ms(r.Steady.P95), ms(r.Steady.P99), ms(r.Steady.Max), r.Steady.N)
	fmt.Fprintf(&b, "  command -> view at every seat, ramp included:     p50 %s  p95 %s  p99 %s  max %s  (n=%d)\n",
		ms(r.Latency.P50), ms(r.Latency.P95), ms(r.Latency.P99), ms(r.Latency.Max), r.Latency.N)
	if r.Full.RSS > 0 {
		tot, delta := r.PerPlayer()
		fmt.Fprintf(&b, "  server memory at full load: RSS %s (idle %s, peak %s), heap in use %s; per player %.1f KiB (%.1f KiB above idle)\n",
			mib(r.Full.RSS), mib(r.Idle.RSS), mib(r.Peak.RSS), mib(r.Full.HeapInuse), tot/1024, delta/1024)
	}
	if r.Full.Goroutines > 0 {
		fmt.Fprintf(&b, "  server goroutines at full load: %d (idle %d)\n", r.Full.Goroutines, r.Idle.Goroutines)
	}
	if cpu := r.Full.CPU - r.Idle.CPU; cpu > 0 && r.Full.At > r.Idle.At {
		fmt.Fprintf(&b, "  server CPU: %.0f%% of one core over the window\n", 100*cpu/(r.Full.At-r.Idle.At).Seconds())
	}
	if len(r.NodeCPU) > 0 {
		var parts []string
		for i, c := range r.NodeCPU {
			parts = append(parts, fmt.Sprintf("n%d %.0f%%", i+1, 100*c))
		}
		fmt.Fprintf(&b, "  CPU per node (of one core, over the run): %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, "  frames: view %d B, command %d B on average; %d rulings a turn\n", r.ViewBytes, r.CommandBytes, r.Rulings)
	fmt.Fprintf(&b, "  errors: %s\n", codes(r.Errors))
	if r.Drops+r.Kills+r.Reconnects > 0 {
		fmt.Fprintf(&b, "  faults: %d drops, %d server kills, %d reconnects, %d room setups cut short\n", r.Drops, r.Kills, r.Reconnects, r.SetupFailed)
	}
	if len(r.Failovers) > 0 {
		var parts []string
		for _, f := range r.Failovers {
			parts = append(parts, f.Round(100*time.Millisecond).String())
		}
		fmt.Fprintf(&b, "  failover per kill (until every seat it cut off was back in its room): %s\n", strings.Join(parts, " "))
	}
	if r.Verified+len(r.Lost)+r.Unverified > 0 {
		fmt.Fprintf(&b, "  acknowledged commands: %d found in the log, %d lost, %d unchecked\n", r.Verified, len(r.Lost), r.Unverified)
		for i, l := range r.Lost {
			if i == 5 {
				fmt.Fprintf(&b, "    … %d more\n", len(r.Lost)-5)
				break
			}
			fmt.Fprintf(&b, "    lost: %s\n", l)
		}
	}
	return b.String()
}

func codes(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// Ratios states our run against the baseline's: latency percentiles and
// memory per player as multiples of the bare library's.
func Ratios(ours, base *Report) string {
	var b strings.Builder
	ratio := func(a, c float64) string {
		if c <= 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.1fx", a/c)
	}
	d := func(x time.Duration) float64 { return float64(x) }
	fmt.Fprintf(&b, "ratio to the bare gorilla relay (same rooms, players, pace and frame sizes):\n")
	fmt.Fprintf(&b, "  latency (every room playing) p50 %s  p95 %s  p99 %s  max %s\n",
		ratio(d(ours.Steady.P50), d(base.Steady.P50)), ratio(d(ours.Steady.P95), d(base.Steady.P95)),
		ratio(d(ours.Steady.P99), d(base.Steady.P99)), ratio(d(ours.Steady.Max), d(base.Steady.Max)))
	ot, od := ours.PerPlayer()
	bt, bd := base.PerPlayer()
	fmt.Fprintf(&b, "  memory per player %s (%.1f vs %.1f KiB), above idle %s (%.1f vs %.1f KiB)\n",
		ratio(ot, bt), ot/1024, bt/1024, ratio(od, bd), od/1024, bd/1024)
	if ours.Full.Goroutines > 0 && base.Full.Goroutines > 0 {
		fmt.Fprintf(&b, "  goroutines %s (%d vs %d)\n", ratio(float64(ours.Full.Goroutines), float64(base.Full.Goroutines)),
			ours.Full.Goroutines, base.Full.Goroutines)
	}
	return b.String()
}

// Flat reports whether memory and goroutines stayed level over a soak: the
// mean of the last quarter of the samples against the mean of the second
// quarter (after warm-up), within tol (0.1 = 10%).
func (r *Report) Flat(tol float64) (rss, heap, goroutines float64, ok bool) {
	n := len(r.Samples)
	if n < 8 {
		return 0, 0, 0, false
	}
	mean := func(from, to int, f func(Sample) int64) float64 {
		var s float64
		for _, x := range r.Samples[from:to] {
			s += float64(f(x))
		}
		return s / float64(to-from)
	}
	growth := func(f func(Sample) int64) float64 {
		a := mean(n/4, n/2, f)
		if a == 0 {
			return 0
		}
		return mean(n-n/4, n, f)/a - 1
	}
	rss = growth(func(s Sample) int64 { return s.RSS })
	heap = growth(func(s Sample) int64 { return s.HeapInuse })
	goroutines = growth(func(s Sample) int64 { return s.Goroutines })
	return rss, heap, goroutines, rss <= tol && heap <= tol && goroutines <= tol
}

// Problem is the first way a run that should have ended every game cleanly
// did not: an error, an acknowledged command missing from the log, a game
// that did not end, or nothing checked at all; "" if none. Verify first.
func (r *Report) Problem() string {
	switch {
	case len(r.Errors) > 0:
		return fmt.Sprintf("errors by code: %v", r.Errors)
	case len(r.Lost) > 0:
		return fmt.Sprintf("%d acknowledged commands lost, first: %s", len(r.Lost), r.Lost[0])
	case r.GamesEnded != r.GamesStarted:
		return fmt.Sprintf("%d games started, %d ended", r.GamesStarted, r.GamesEnded)
	case r.GamesEnded == 0 || r.Verified == 0 || r.Unverified != 0:
		return fmt.Sprintf("nothing checked: %d games, %d commands verified, %d unverified", r.GamesEnded, r.Verified, r.Unverified)
	}
	return ""
}
