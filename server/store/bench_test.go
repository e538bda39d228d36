//go:build unix

package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"pushback/sim"
)

// BenchmarkAppendPaced appends the way rooms at the ceiling do: 2,000 rooms,
// each appending one command at a time (a room waits for its commit),
// arriving at random at 2,400 commands a second in all, for one second per
// b.N, without the busy writer's linger and with it. It reports what a command costs this process in CPU (user + system,
// the writer's system calls included: the figure PERFORMANCE.md compares),
// how many commands a commit carried and the median wait for a commit.
func BenchmarkAppendPaced(b *testing.B) {
	for _, linger := range []time.Duration{0, maxLinger} {
		b.Run(fmt.Sprintf("linger=%v", linger), func(b *testing.B) {
			defer func(d time.Duration) { maxLinger = d }(maxLinger)
			maxLinger = linger
			benchAppendPaced(b)
		})
	}
}

func benchAppendPaced(b *testing.B) {
	const rooms, rate = 2000, 2400
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	code := createRooms(b, s, rooms)
	// A command as big as a typical one in the log (a response with its text).
	cmd := sim.Command{Kind: sim.CmdRespond, Seat: 2, Framing: "numbers", Case: sim.Case{Alternative: "travel", Text: "We keep the headcount and cut travel."}}
	var n atomic.Int64
	commits0 := s.commits.Load()
	waits := make([]time.Duration, 0, 1<<16)
	var mu sync.Mutex
	cpu0, w0 := cpuTime(), written()
	stop := time.Now().Add(time.Duration(b.N) * time.Second)
	var wg sync.WaitGroup
	for i := range rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mean := float64(time.Second) * rooms / rate
			for seq := uint64(1); ; seq++ {
				time.Sleep(time.Duration(rand.ExpFloat64() * mean))
				if time.Now().After(stop) {
					return
				}
				t := time.Now()
				if err := s.Append(code(i), seq, cmd, t); err != nil {
					b.Error(err)
					return
				}
				w := time.Since(t)
				n.Add(1)
				mu.Lock()
				waits = append(waits, w)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	cpu, w := cpuTime()-cpu0, written()-w0
	commits := s.commits.Load() - commits0
	b.ReportMetric(float64(cpu.Microseconds())/float64(n.Load()), "cpu-µs/cmd")
	b.ReportMetric(float64(w)/float64(n.Load()), "written-B/cmd")
	b.ReportMetric(float64(n.Load())/float64(commits), "cmds/commit")
	b.ReportMetric(float64(percentile(waits, 50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(waits, 99).Microseconds()), "p99-µs")
	b.ReportMetric(0, "ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	c := append([]time.Duration(nil), ds...)
	slices.Sort(c)
	return c[(len(c)-1)*p/100]
}

// written is how many bytes this process has written (/proc/self/io's
// wchar; 0 where there is none).
func written() int64 {
	b, _ := os.ReadFile("/proc/self/io")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "wchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}
