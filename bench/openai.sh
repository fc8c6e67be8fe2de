#!/usr/bin/env bash
# Benchmark of the OpenAI-compatible front door (issue 15): POST /v1/chat/completions with a client key against
# POST /api/v1/route with the operator token, on three echo agents at 16 connections, every message in the same
# session, alternating runs so both see the same machine state. Budget: the front door costs at most 10 % more per
# message. Everything on loopback; every process is stopped at the end.
# Usage: [WARMUP_SECONDS=30] [ROUNDS=3] bench/openai.sh [seconds-per-run]   (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_RUN=${1:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
ROUNDS=${ROUNDS:-3}
source bench/lib.sh
NONCE=$(date +%s)

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA" -version 2>&1 | head -1)"
echo "# coordinator flags: $COORDINATOR_OPTS"
start_mesh
KEY=$(curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"bench-openai"}' "http://127.0.0.1:$CPORT/api/v1/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
route() { BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_SESSION=bench BENCH_NONCE="$NONCE-$1" BENCH_CONNECTIONS=16 \
    wrk -t2 -c16 -d"$2"s -s bench/post.lua "http://127.0.0.1:$CPORT/api/v1/route"; }
openai() { BENCH_MODE=openai BENCH_AUTH=$KEY BENCH_SESSION=bench BENCH_NONCE="$NONCE-$1" BENCH_CONNECTIONS=16 \
    wrk -t2 -c16 -d"$2"s -s bench/post.lua "http://127.0.0.1:$CPORT/v1/chat/completions"; }
echo "# JIT warm-up: ${WARMUP_SECONDS} s of each (not measured)"
route jit "$WARMUP_SECONDS" > /dev/null
openai jit "$WARMUP_SECONDS" > /dev/null
for round in $(seq 1 "$ROUNDS"); do
    echo "# round $round"
    route "$round" "$SECONDS_PER_RUN" | grep '^mode='
    openai "$round" "$SECONDS_PER_RUN" | grep '^mode='
done
