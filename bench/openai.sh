#!/usr/bin/env bash
# Benchmark of the OpenAI-compatible front door (issue 15): POST /v1/chat/completions with a client key against
# POST /api/v1/route with the operator token, on three echo agents at 16 connections, every message in the same
# session, alternating runs so both see the same machine state. Budget: the front door costs at most 10 % more per
# message. Each measured run prints wrk's line plus the CPU time the coordinator and the three agents spent per
# message (from /proc/<pid>/stat), which moves less than throughput on a shared machine. Everything on loopback;
# every process is stopped at the end.
# Usage: [WARMUP_SECONDS=30] [ROUNDS=3] bench/openai.sh [seconds-per-run]   (default 10; this checkout)
#        [WARMUP_SECONDS=30] [ROUNDS=2] bench/openai.sh seconds-per-run BEFORE_DIR AFTER_DIR
#   The second form compares two checkouts (each with its jars built: ./mvnw -B -DskipTests package), one mesh at a
#   time, alternating before and after in every round, each mesh warmed up on its own.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SECONDS_PER_RUN=${1:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
NONCE=$(date +%s)
[ -f /proc/self/stat ] || { echo "needs Linux /proc" >&2; exit 2; }

# measure LABEL DIR ROUNDS: starts a mesh from the checkout DIR, warms both endpoints up, then ROUNDS pairs of runs
measure() (
    cd "$2"
    source "$HERE/lib.sh"
    ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
    HZ=$(getconf CLK_TCK)
    start_mesh
    KEY=$(curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d '{"name":"bench-openai"}' "http://127.0.0.1:$CPORT/api/v1/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
    load() { # load MODE RUN SECONDS
        local path=/api/v1/route auth=$TOKEN
        if [ "$1" = openai ]; then path=/v1/chat/completions; auth=$KEY; fi
        BENCH_MODE=$1 BENCH_AUTH=$auth BENCH_SESSION=bench BENCH_NONCE="$NONCE-$2" BENCH_CONNECTIONS=16 \
            wrk -t2 -c16 -d"$3"s -s "$HERE/post.lua" "http://127.0.0.1:$CPORT$path"
    }
    measured() { # measured MODE RUN: one run with the CPU per message
        local c0 a0=0 c1 a1=0 out requests pid
        c0=$(ticks "$CPID"); for pid in "${APIDS[@]}"; do a0=$((a0 + $(ticks "$pid"))); done
        out=$(load "$1" "$2" "$SECONDS_PER_RUN")
        c1=$(ticks "$CPID"); for pid in "${APIDS[@]}"; do a1=$((a1 + $(ticks "$pid"))); done
        requests=$(echo "$out" | awk '/requests in/{print $1}')
        echo "$LABEL $(echo "$out" | grep '^mode=') coordinator=$(( (c1 - c0) * 1000000 / HZ / requests ))us/msg" \
            "agents=$(( (a1 - a0) * 1000000 / HZ / requests ))us/msg load=$(cut -d' ' -f1 /proc/loadavg)"
    }
    LABEL="$1 ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
    echo "# $LABEL: JIT warm-up, ${WARMUP_SECONDS} s of each (not measured)"
    load routed jit "$WARMUP_SECONDS" > /dev/null
    load openai jit "$WARMUP_SECONDS" > /dev/null
    for round in $(seq 1 "$3"); do
        measured routed "$round"
        measured openai "$round"
    done
)

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $# -ge 3 ]; then
    BEFORE=$(cd "$2" && pwd)
    AFTER=$(cd "$3" && pwd)
    for round in $(seq 1 "${ROUNDS:-2}"); do
        measure "round $round before" "$BEFORE" 1
        measure "round $round after " "$AFTER" 1
    done
else
    measure "this checkout" "$(cd "$HERE/.." && pwd)" "${ROUNDS:-3}"
fi
