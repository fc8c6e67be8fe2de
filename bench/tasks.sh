#!/usr/bin/env bash
# Benchmark of durable tasks (issue 13): tasks submitted and followed to the end per second on three echo agents
# (16 clients, H2, message log on), with routed throughput measured right before in the same session; the dispatch gap
# (a task finishing on a one-slot node to the next queued task starting there); and a burst of 1,000 concurrent
# 5-second tasks on a slow OpenAI-compatible model with the coordinator's RSS. Everything on loopback; every process
# is stopped at the end. Usage: [WARMUP_SECONDS=30] bench/tasks.sh [seconds-per-run]   (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_RUN=${1:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
source bench/lib.sh
TOOL=("$JAVA" -cp "bench/target/bench-$VERSION.jar:mesh-common/target/mesh-common-$VERSION.jar" io.clawmesh.bench.BenchTool)
NONCE=$(date +%s)
stop_mesh() { kill "$CPID" "${APIDS[@]}" 2>/dev/null || true; wait "$CPID" "${APIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"/coordinator "$WORK"/agent-*; }

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA" -version 2>&1 | head -1)"
echo "# coordinator flags: $COORDINATOR_OPTS"

start_mesh
echo "# JIT warm-up: ${WARMUP_SECONDS} s of routed load and ${WARMUP_SECONDS} s of tasks at 16 clients (not measured)"
BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$NONCE-jit" wrk -t2 -c16 -d"${WARMUP_SECONDS}s" -s bench/post.lua "http://127.0.0.1:$CPORT/api/v1/route" > /dev/null
"${TOOL[@]}" --mode tasks --url "http://127.0.0.1:$CPORT" --token $TOKEN --clients 16 --seconds "$WARMUP_SECONDS" > /dev/null
echo "# routed at 16 connections (same session, for the before/after of route throughput):"
BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$NONCE-16" BENCH_CONNECTIONS=16 \
    wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" -s bench/post.lua "http://127.0.0.1:$CPORT/api/v1/route" | grep '^mode='
echo "# tasks, 16 clients each submitting and following its task's event stream to the end:"
"${TOOL[@]}" --mode tasks --url "http://127.0.0.1:$CPORT" --token $TOKEN --clients 16 --seconds "$SECONDS_PER_RUN"
echo "# coordinator RSS (MiB): $(ps -o rss= -p "$CPID" | awk '{printf "%d", $1/1024}')"
stop_mesh

AGENT_CAPACITY=1 start_mesh
echo "# dispatch gap: 600 echo tasks queued on three one-slot nodes"
"${TOOL[@]}" --mode gaps --url "http://127.0.0.1:$CPORT" --token $TOKEN --count 600 > /dev/null
"${TOOL[@]}" --mode gaps --url "http://127.0.0.1:$CPORT" --token $TOKEN --count 600
stop_mesh

MPORT=$(free_port)
"${TOOL[@]}" --mode slow-model --port "$MPORT" --seconds 5 > "$WORK/model.log" 2>&1 &
PIDS+=($!)
AGENT_CAPACITY=400 AGENT_ARGS="--mesh.agent.runtime=openai --mesh.agent.api-base=http://127.0.0.1:$MPORT/v1 --mesh.agent.api-model=slow" \
    start_mesh
echo "# 1,000 concurrent 5-second tasks over three agents with 400 slots each:"
"${TOOL[@]}" --mode burst --url "http://127.0.0.1:$CPORT" --token $TOKEN --count 1000 &
BURST=$!
PEAK=0
while kill -0 "$BURST" 2>/dev/null; do
    RSS=$(ps -o rss= -p "$CPID" | awk '{printf "%d", $1/1024}')
    [ "$RSS" -gt "$PEAK" ] && PEAK=$RSS
    sleep 0.5
done
wait "$BURST"
echo "# coordinator peak RSS during the burst (MiB): $PEAK"
