#!/usr/bin/env bash
# ceiling.sh — where does p99 pass 100 ms? Two server binaries, driven by the
# same load tool at a sweep of think times, interleaved (old, new, old, new …)
# so that the machine's noise falls on both alike. One line per run.
#
#   server/loadtest/ceiling.sh OLD NEW [THINKS] [ROUNDS]
#
# OLD and NEW are server binaries (go build -o pb ./server); the load tool is
# NEW's loadtest. THINKS is a list of -think values (default "5s 2500ms
# 1500ms 1s"), ROUNDS how often each pair is run (default 1). Environment:
# ROOMS (2000), PLAYERS (5), DURATION (45s, at most 60s), OUT (a directory
# for each run's full report; default a new temporary one), CAP (a fraction
# of one core, e.g. 0.5: the server runs in a cgroup of the v1 cpu
# controller with that CPU quota per 10 ms, so that the server, not the load
# tool beside it, saturates first; Go sizes GOMAXPROCS to the quota).
# Each server runs as `serve -no-limits -max-rooms 2×ROOMS -log warn` on its own new data
# directory; RSS is its peak /proc/PID/status VmRSS at full load, CPU its
# user+system time over the run; cmds/commit is pushback_commands_total over
# pushback_store_commits_total at the end (records share the commits too).
# steady/s is the commands a second once every room plays (the latency
# samples after the ramp over the window's rest): unlike cmds/s it leaves
# the ramp out. ended counts the games that ended in the window: with every
# room started at once they all end together, a burst of game ends and new
# rooms that the 5 s-think ceiling run never reaches; pick DURATION so that
# it is 0 (at 500 rooms, 25 s holds down to ≈ 550 ms think).
set -eu
old=$1 new=$2
thinks=${3:-"5s 2500ms 1500ms 1s"}
rounds=${4:-1}
rooms=${ROOMS:-2000} players=${PLAYERS:-5} duration=${DURATION:-45s}
out=${OUT:-$(mktemp -d)}
hz=$(getconf CLK_TCK)
srvpin=()
if [ -n "${CAP:-}" ]; then
	cg=/sys/fs/cgroup/cpu/pushback-ceiling
	mkdir -p $cg
	echo 10000 >$cg/cpu.cfs_period_us
	awk -v c="$CAP" 'BEGIN{printf "%d\n", c*10000}' >$cg/cpu.cfs_quota_us
	srvpin=(sh -c 'echo $$ >'$cg'/cgroup.procs && exec "$@"' capped)
fi
echo "# reports in $out"
printf '%-6s %-4s %8s %8s %7s %7s %8s %8s %8s %5s %8s %5s %14s %14s %11s\n' think bin cmds/s steady/s p50 p95 p99 max rss/pl cpu errors ended load-start load-end cmds/commit
run() { # run NAME BINARY THINK
	name=$1 bin=$2 think=$3
	dir=$out/$name-$think-$r
	mkdir -p "$dir/data"
	port=$((20000 + RANDOM % 10000)) # below the ephemeral ports the players' connections take
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 10000)); done
	"${srvpin[@]}" "$bin" serve -no-limits -max-rooms $((2 * rooms)) -log warn -addr "127.0.0.1:$port" -data "$dir/data" >"$dir/server.log" 2>&1 &
	pid=$!
	i=0
	until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "server $bin did not start" >&2; kill $pid; exit 1; }
		sleep 0.1
	done
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
	peak=0
	( while sleep 5; do awk '/VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || exit 0; done ) >"$dir/rss" &
	sampler=$!
	s0=$(date +%s)
	"$new" loadtest -url "ws://127.0.0.1:$port/ws" -baseline off -rooms "$rooms" -players "$players" \
		-think "$think" -duration "$duration" >"$dir/report" 2>&1 || true
	s1=$(date +%s)
	t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
	load1=$(cut -d' ' -f1-3 /proc/loadavg)
	kill $sampler 2>/dev/null || true
	# commands per group commit, from the server's counters (? where it has none)
	curl -s --max-time 5 -o "$dir/metrics" "http://127.0.0.1:$port/metrics" || true
	percommit=$(awk '/^pushback_commands_total /{c=$2} /^pushback_store_commits_total /{n=$2} END{if (n > 0) printf "%.2f", c/n; else print "?"}' "$dir/metrics" 2>/dev/null || echo '?')
	kill $pid; wait $pid 2>/dev/null || true
	peak=$(sort -n "$dir/rss" | tail -1)
	cmds=$(sed -n 's/.*commands acknowledged [0-9]* (\([0-9]*\)\/s).*/\1/p' "$dir/report")
	lat=$(grep 'every room playing' "$dir/report" | sed 's/.*p50 \([^ ]*\)  p95 \([^ ]*\)  p99 \([^ ]*\)  max \([^ ]*\) .*/\1 \2 \3 \4/')
	errs=$(grep -c 'errors: none' "$dir/report" || true)
	steady=$(awk -v w="$duration" '
		function secs(d) { if (d ~ /ms$/) return substr(d, 1, length(d) - 2) / 1000; if (d ~ /m[0-9.]+s$/) { split(d, a, "m"); return a[1] * 60 + substr(a[2], 1, length(a[2]) - 1) } return substr(d, 1, length(d) - 1) + 0 }
		/ramp [0-9]/ { for (i = 1; i <= NF; i++) if ($i == "ramp") ramp = secs($(i + 1)) }
		/every room playing/ { n = $NF; gsub(/[^0-9]/, "", n) }
		END { if (n > 0 && secs(w) > ramp) printf "%d", n / (secs(w) - ramp); else print "?" }' "$dir/report")
	ended=$(sed -n 's/.*games: [0-9]* started, \([0-9]*\) ended.*/\1/p' "$dir/report")
	printf '%-6s %-4s %8s %8s %7s %7s %8s %8s %8s %4s%% %8s %5s %14s %14s %11s\n' "$think" "$name" "${cmds:-?}" "$steady" $lat \
		"$(awk -v k="${peak:-0}" -v n=$((rooms * players)) 'BEGIN{printf "%.1fKiB", k/n}')" \
		"$(awk -v t=$((t1 - t0)) -v hz="$hz" -v s=$((s1 - s0)) 'BEGIN{printf "%d", 100*t/hz/s}')" \
		"$([ "$errs" = 1 ] && echo none || echo SOME)" "${ended:-?}" \
		"$(echo $load0 | tr ' ' /)" "$(echo $load1 | tr ' ' /)" "$percommit"
}
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	for think in $thinks; do
		if [ $((r % 2)) -eq 1 ]; then run old "$old" "$think"; run new "$new" "$think"
		else run new "$new" "$think"; run old "$old" "$think"; fi
	done
done
