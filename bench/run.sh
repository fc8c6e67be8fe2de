#!/usr/bin/env bash
# Benchmark: routed echo messages through the coordinator to three echo agents, the same directly against one agent,
# and routed again with 10,000 extra (offline) nodes registered. Everything on loopback; every process is stopped at
# the end. Usage: [WARMUP_SECONDS=60] bench/run.sh [seconds-per-run]   (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_RUN=${1:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-60}
source bench/lib.sh
TOOL=("$JAVA" -cp "bench/target/bench-$VERSION.jar:mesh-common/target/mesh-common-$VERSION.jar" io.clawmesh.bench.BenchTool)
NONCE=$(date +%s)

# load MODE URL PATH AUTH CONNECTIONS: warm up 3 s, then measure for SECONDS_PER_RUN.
load() {
    local threads=$(( $5 < 2 ? 1 : 2 ))
    BENCH_MODE=$1 BENCH_AUTH=$4 BENCH_NONCE="$NONCE-w$5" BENCH_CONNECTIONS=$5 \
        wrk -t"$threads" -c"$5" -d3s -s bench/post.lua "$2$3" > /dev/null
    BENCH_MODE=$1 BENCH_AUTH=$4 BENCH_NONCE="$NONCE-$5" BENCH_CONNECTIONS=$5 \
        wrk -t"$threads" -c"$5" -d"${SECONDS_PER_RUN}s" -s bench/post.lua "$2$3" | grep '^mode='
}

start_mesh --mesh.health.heartbeat-timeout=10s

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA" -version 2>&1 | head -1)"
echo "# agent idle RSS (MiB) with '$AGENT_OPTS':" \
    "$(for pid in "${APIDS[@]}"; do ps -o rss= -p "$pid" | awk '{printf "%d ", $1/1024}'; done)"
# The coordinator's C2 compiler needs about a minute of load on two shared cores before throughput settles (20 s of
# warm-up left the first measured runs 20-30 % low): measure the steady state, as a long-running coordinator runs.
echo "# JIT warm-up: ${WARMUP_SECONDS} s of routed load at 16 connections (not measured)"
BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$NONCE-jit" wrk -t2 -c16 -d"${WARMUP_SECONDS}s" -s bench/post.lua "http://127.0.0.1:$CPORT/api/v1/route" > /dev/null
for c in 1 16 64; do
    load routed "http://127.0.0.1:$CPORT" /api/v1/route "$TOKEN" "$c"
done
echo "# TIME_WAIT sockets after the routed runs: $(ss -tan state time-wait | tail -n +2 | wc -l)"
echo "# agent RSS after the routed runs (MiB, not idle):" \
    "$(for pid in "${APIDS[@]}"; do ps -o rss= -p "$pid" | awk '{printf "%d ", $1/1024}'; done)"
CREDENTIAL=$("${TOOL[@]}" --mode credential --identity "$WORK/agent-a/node.json")
for c in 1 16 64; do
    load direct "http://127.0.0.1:${APORTS[0]}" /api/v1/messages "$CREDENTIAL" "$c"
done
echo "# routed baseline at 16 connections, right before registering the extra nodes:"
load routed "http://127.0.0.1:$CPORT" /api/v1/route "$TOKEN" 16
"${TOOL[@]}" --mode register --url "http://127.0.0.1:$CPORT" --token $TOKEN --count 10000
echo "# waiting for the 10,000 extra nodes to go offline (heartbeat timeout 10 s)..."
for _ in $(seq 1 120); do [ "$(online_nodes)" -le 3 ] && break; sleep 2; done
# Each dead node gets one more probe at the online cadence right after it went offline, then probes back off from
# 1 minute (plus up to 30 s of jitter): the run below falls inside that window, so it measures a fleet of 10,000 dead
# nodes with their offline probes trickling in, not an idle registry.
sleep 75
echo "# routed at 16 connections with 10,003 registered nodes (10,000 offline, steady state):"
load routed "http://127.0.0.1:$CPORT" /api/v1/route "$TOKEN" 16
echo "# coordinator RSS (MiB): $(ps -o rss= -p "$CPID" | awk '{printf "%d", $1/1024}')"
