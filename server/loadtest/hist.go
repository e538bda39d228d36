package loadtest

import (
	"math"
	"math/bits"
	"sync"
	"time"
)

// hist is a log-linear latency histogram: 64 sub-buckets per power of two
// of microseconds, so any percentile it reports is within 1.6% of the true
// sample, in a fixed 4,000 counters however long the run. Millions of
// samples a minute would not fit in a slice; this does.
type hist struct {
	mu     sync.Mutex
	counts [64 * 64]uint64
	n      uint64
	max    time.Duration
}

const subBits = 6

func bucketOf(us uint64) int {
	if us < 1<<subBits {
		return int(us)
	}
	e := bits.Len64(us) - subBits // ≥ 1
	return e<<subBits | int(us>>(e-1))&(1<<subBits-1)
}

// lowOf is the smallest value of a bucket, its reported value.
func lowOf(b int) uint64 {
	e := b >> subBits
	if e == 0 {
		return uint64(b)
	}
	return (1<<subBits | uint64(b&(1<<subBits-1))) << (e - 1)
}

func (h *hist) add(d time.Duration) {
	us := uint64(max(d.Microseconds(), 0))
	b := min(bucketOf(us), len(h.counts)-1)
	h.mu.Lock()
	h.counts[b]++
	h.n++
	h.max = max(h.max, d)
	h.mu.Unlock()
}

// Percentiles summarises a latency distribution.
type Percentiles struct {
	N                  uint64
	P50, P95, P99, Max time.Duration
}

// take returns the summary and, if reset, starts over (for the progress
// line's interval figures).
func (h *hist) take(reset bool) Percentiles {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := Percentiles{N: h.n, Max: h.max}
	q := func(f float64) time.Duration {
		want := max(uint64(math.Ceil(f*float64(h.n))), 1)
		var seen uint64
		for b, c := range h.counts {
			seen += c
			if seen >= want {
				return min(time.Duration(lowOf(b))*time.Microsecond, h.max)
			}
		}
		return h.max
	}
	if h.n > 0 {
		p.P50, p.P95, p.P99 = q(0.50), q(0.95), q(0.99)
	}
	if reset {
		h.counts, h.n, h.max = [len(h.counts)]uint64{}, 0, 0
	}
	return p
}
