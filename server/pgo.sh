#!/usr/bin/env bash
# pgo.sh — remakes server/default.pgo, the CPU profile that `go build
# ./server` (and `go run ./server`, so `make run`) optimises the server with:
# Go's profile-guided optimisation (hot calls inlined, hot code laid out
# together). The profile is of whole bot games (sim's BenchmarkFullGame,
# 10 s): the game engine as `simulate`, the rooms and their bots run it.
#
# It leaves out the room package serving a load run on purpose: a profile
# with it inlined more into the readers' and the rooms' goroutines, whose
# stacks then grew, and cost 5 KiB per player at the 10,000-player target
# run (37.5 against 32.4 KiB) for no CPU the run could measure.
#
# Run it on a quiet machine after a change that moves the engine's hot code
# (about 30 s) and commit the profile with the change; a stale profile costs
# only some of the gain. The test binary is built with -trimpath, so the
# profile names functions by import path; PGO_DIR (default a new temporary
# directory) is where it runs.
#
#   server/pgo.sh [OUT]      (OUT defaults to server/default.pgo)
set -eu
cd "$(dirname "$0")/.."
out=${1:-server/default.pgo}
dir=${PGO_DIR:-$(mktemp -d)}
mkdir -p "$dir"
go test -c -pgo=off -trimpath -o "$dir/sim.test" ./sim
(cd "$dir" && ./sim.test -test.run '^$' -test.bench 'FullGame$' -test.cpu 1 -test.benchtime 10s \
	-test.cpuprofile sim.pprof >/dev/null)
go tool pprof -proto "$dir/sim.pprof" >"$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
