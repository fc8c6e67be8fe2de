#!/usr/bin/env bash
# Routed echo throughput of two builds of claw-mesh, same session, alternating rounds: for a before/after pair (two
# checkouts, each with its jars built: ./mvnw -B -DskipTests package). Each run starts a coordinator and three echo
# agents on loopback from that checkout (bench/lib.sh's start_mesh), warms the JIT up, measures, and stops everything.
# Usage: [WARMUP_SECONDS=40] [ROUNDS=2] [CONNECTIONS=16] bench/routed-ab.sh BEFORE_DIR AFTER_DIR [seconds-per-run]
# BEFORE_OPTS and AFTER_OPTS, when set, replace bench/lib.sh's COORDINATOR_OPTS for that side: JVM flags compared on
# one checkout, e.g. BEFORE_OPTS="-XX:+UseSerialGC" AFTER_OPTS="-XX:+UseSerialGC -XX:Tier4InvocationThreshold=50000" . .
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/routed-ab.sh BEFORE_DIR AFTER_DIR [seconds-per-run]" >&2; exit 2; }
BEFORE=$(cd "$1" && pwd)
AFTER=$(cd "$2" && pwd)
SECONDS_PER_RUN=${3:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-40}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=$(( CONNECTIONS < 2 ? 1 : 2 )) # wrk needs a connection per thread
POST_LUA=$(cd "$(dirname "$0")" && pwd)/post.lua

coordinator_cpu_ms() {
    [ -r "/proc/$CPID/stat" ] || { echo "the coordinator (pid $CPID) has exited: nothing measured" >&2; return 1; }
    awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$CPID/stat"
}
run() { # run LABEL DIR [OPTS]: one measured run of that checkout (OPTS: its coordinator flags), in a subshell so
       # bench/lib.sh's clean-up runs at its end
    (
        cd "$2"
        [ -z "${3:-}" ] || export COORDINATOR_OPTS="$3"
        source bench/lib.sh
        start_mesh --mesh.health.heartbeat-timeout=10s
        BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$1-warm-$RANDOM" BENCH_CONNECTIONS=$CONNECTIONS \
            wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$POST_LUA" "http://127.0.0.1:$CPORT/api/v1/route" > /dev/null
        # the coordinator's CPU (user + system) per routed message over the measured run: steadier than the rate
        # on a loaded machine, where waiting for a core slows the rate but costs no CPU
        local cpu_before cpu_after result requests load
        cpu_before=$(coordinator_cpu_ms)
        result=$(BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$1-$RANDOM" BENCH_CONNECTIONS=$CONNECTIONS \
            wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$POST_LUA" "http://127.0.0.1:$CPORT/api/v1/route" \
            | grep '^mode=')
        requests=$(sed -n 's/.* requests=\([0-9]*\) .*/\1/p' <<< "$result")
        cpu_after=$(coordinator_cpu_ms)
        load=$(cut -d' ' -f1 /proc/loadavg)
        echo "$1 ($(git -C "$2" rev-parse --short HEAD)): $result coordinator-cpu-per-message=$(awk \
            -v ms=$((cpu_after - cpu_before)) -v n="${requests:-0}" \
            'BEGIN { if (n > 0) printf "%.0fus", ms * 1000 / n; else print "n/a" }') load=$load"
    )
}
echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $CONNECTIONS connections, ${WARMUP_SECONDS} s warm-up, ${SECONDS_PER_RUN} s measured"
[ -z "${BEFORE_OPTS:-}${AFTER_OPTS:-}" ] \
    || echo "# coordinator flags before: ${BEFORE_OPTS:-the bench defaults}; after: ${AFTER_OPTS:-the bench defaults}"
for round in $(seq 1 "$ROUNDS"); do
    run "round $round before" "$BEFORE" "${BEFORE_OPTS:-}"
    run "round $round after " "$AFTER" "${AFTER_OPTS:-}"
done
