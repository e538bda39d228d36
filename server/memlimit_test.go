package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestSetMemLimit checks that -mem-limit reaches the runtime: a value in
// MiB is set, -1 leaves the limit alone, and 0 sets 3/4 of the machine's
// memory when GOMEMLIMIT is unset.
func TestSetMemLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	total := machineMemory()
	if total <= 0 {
		t.Fatal("machineMemory read nothing from /proc/meminfo")
	}
	for _, tc := range []struct {
		name  string
		start int64 // the limit before the call
		mib   int64
		env   string
		want  int64
	}{
		{"explicit", math.MaxInt64, 300, "", 300 << 20},
		{"none", 123 << 20, -1, "", 123 << 20},
		{"default", math.MaxInt64, 0, "", total / 4 * 3 >> 20 << 20},
		{"GOMEMLIMIT set", 77 << 20, 0, "77MiB", 77 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tc.env)
			debug.SetMemoryLimit(tc.start)
			setMemLimit(tc.mib)
			if got := debug.SetMemoryLimit(-1); got != tc.want {
				t.Errorf("limit %d MiB, want %d MiB", got>>20, tc.want>>20)
			}
		})
	}
}
