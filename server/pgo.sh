#!/usr/bin/env bash
# pgo.sh — remakes server/default.pgo, the CPU profile that `go build
# ./server` (and `go run ./server`, so `make run`) optimises the server with
# (Go's profile-guided optimisation: hot calls inlined, hot code laid out
# together). One profile of the two things the binary spends its CPU on:
#   - the room package serving a load run (commands, the log's group commit,
#     views encoded and written), 20 s of a 40 s run at 1 s think;
#   - whole bot games, as `simulate` and the rooms' bots play them (sim's
#     BenchmarkFullGame, 10 s).
# Run it on a quiet machine after a change that moves the hot code (about
# 90 s), and commit the profile with the change; a stale profile costs only
# some of the gain. The binaries are built with -trimpath, so the profile
# names functions by import path; PGO_DIR (default a new temporary
# directory) is where they run.
#
#   server/pgo.sh [OUT]      (OUT defaults to server/default.pgo)
set -eu
cd "$(dirname "$0")/.."
out=${1:-server/default.pgo}
dir=${PGO_DIR:-$(mktemp -d)}
mkdir -p "$dir"
go build -pgo=off -trimpath -o "$dir/pushback" ./server
go test -c -pgo=off -trimpath -o "$dir/sim.test" ./sim
port=$((20000 + RANDOM % 10000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 10000)); done
rm -rf "$dir/data"
"$dir/pushback" loadtest child-hub "127.0.0.1:$port" "$dir/data" 2>"$dir/hub.log" &
hub=$!
trap 'kill $hub 2>/dev/null || true' EXIT
i=0
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "the hub did not start" >&2; exit 1; }
	sleep 0.1
done
"$dir/pushback" loadtest -url "ws://127.0.0.1:$port/ws" -baseline off -rooms 1000 -players 5 \
	-think 1s -duration 40s >"$dir/load.txt" 2>&1 &
load=$!
sleep 15
curl -sf -o "$dir/hub.pprof" "http://127.0.0.1:$port/debug/pprof/profile?seconds=20"
wait $load
(cd "$dir" && ./sim.test -test.run '^$' -test.bench 'FullGame$' -test.cpu 1 -test.benchtime 10s \
	-test.cpuprofile sim.pprof >/dev/null)
go tool pprof -proto "$dir/hub.pprof" "$dir/sim.pprof" >"$out"
echo "wrote $out ($(wc -c <"$out") bytes) from $dir"
