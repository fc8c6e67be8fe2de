#!/usr/bin/env bash
# CPU per routed message: a coordinator and three echo agents on loopback (as bench/run.sh starts them), routed load
# at 16 connections with wrk, and for each measured run the throughput plus the CPU time the coordinator and the three
# agents spent per message (from /proc/<pid>/stat). On a shared machine the throughput moves with the neighbours; the
# CPU per message moves less, so compare builds with this. Every process is stopped at the end.
# Usage: [RUNS=3] [SECONDS_PER_RUN=15] [WARMUP_SECONDS=60] [JFR=1] [COORDINATOR_OPTS=...] [CHECKOUT=dir] \
#        bench/cpu-per-message.sh [extra coordinator arguments...]
#   CHECKOUT runs the jars of another checkout (a "before" build) with this script; COORDINATOR_OPTS replaces the
#   coordinator's JVM flags (for example the launcher's defaults); each run also prints the coordinator's RSS.
#   JFR=1 also records the coordinator and one agent for 20 s (bench/target/coordinator.jfr, bench/target/agent.jfr of
#   this script's checkout, also when CHECKOUT names another one: a shared "before" build stays untouched).
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)/target
ROOT=$(cd "${CHECKOUT:-$(dirname "$0")/..}" && pwd)
cd "$ROOT"
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
COORDINATOR_OPTS="${COORDINATOR_OPTS:--XX:+UseParallelGC -Xms256m -Xmx512m} -XX:FlightRecorderOptions:stackdepth=256"
[ -f /proc/self/stat ] || { echo "needs Linux /proc" >&2; exit 2; }
source bench/lib.sh
# user + system CPU time of a process, in clock ticks
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
start_mesh "$@"

route() { BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$1" BENCH_CONNECTIONS=16 \
    wrk -t2 -c16 -d"$2"s -s bench/post.lua "http://127.0.0.1:$CPORT/api/v1/route"; }
echo "# warm-up: ${WARMUP_SECONDS:-60} s of routed load at 16 connections (not measured)"
route warmup "${WARMUP_SECONDS:-60}" > /dev/null
for run in $(seq 1 "$RUNS"); do
    c0=$(ticks "$CPID"); a0=0; for pid in "${APIDS[@]}"; do a0=$((a0 + $(ticks "$pid"))); done
    out=$(route "run$run" "$SECONDS_PER_RUN")
    c1=$(ticks "$CPID"); a1=0; for pid in "${APIDS[@]}"; do a1=$((a1 + $(ticks "$pid"))); done
    requests=$(echo "$out" | awk '/requests in/{print $1}')
    echo "$(echo "$out" | grep '^mode=') coordinator=$(( (c1 - c0) * 1000000 / HZ / requests ))us/msg" \
        "agents=$(( (a1 - a0) * 1000000 / HZ / requests ))us/msg rss=$(( $(awk '/VmRSS/{print $2}' "/proc/$CPID/status") / 1024 ))MiB" \
        "load=$(cut -d' ' -f1 /proc/loadavg)"
done
if [ -n "${JFR:-}" ]; then
    mkdir -p "$OUT"
    "$JAVA_HOME/bin/jcmd" "$CPID" JFR.start duration=20s filename="$OUT/coordinator.jfr" settings=profile > /dev/null
    "$JAVA_HOME/bin/jcmd" "${APIDS[0]}" JFR.start duration=20s filename="$OUT/agent.jfr" settings=profile > /dev/null
    route jfr 22 | grep '^mode='
    for _ in $(seq 1 20); do [ -s "$OUT/coordinator.jfr" ] && [ -s "$OUT/agent.jfr" ] && break; sleep 0.5; done
    echo "# recordings: $OUT/coordinator.jfr, $OUT/agent.jfr (jfr print --stack-depth 200 --events jdk.ExecutionSample ...)"
fi
