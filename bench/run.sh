#!/usr/bin/env bash
# Benchmark: routed echo messages through the coordinator to three echo agents, the same directly against one agent,
# and routed again with 10,000 extra (offline) nodes registered. Everything on loopback; every process is stopped at
# the end. Usage: [WARMUP_SECONDS=60] bench/run.sh [seconds-per-run]   (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_RUN=${1:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-60}
VERSION=0.1.0-SNAPSHOT
export JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk)}
JAVA="$JAVA_HOME/bin/java"
AGENT_OPTS="-Dspring.aot.enabled=true -XX:+UseSerialGC -Xms8m -Xmx48m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=25 -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:CICompilerCount=1"
COORDINATOR_OPTS="-XX:+UseParallelGC -Xms256m -Xmx512m"

[ -f coordinator-service/target/coordinator-service-$VERSION.jar ] && [ -f node-agent/target/node-agent-$VERSION.jar ] \
    && [ -f bench/target/bench-$VERSION.jar ] || ./mvnw -B -q -DskipTests package
command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk" >&2; exit 2; }
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

WORK=$(mktemp -d /tmp/claw-mesh-bench.XXXXXX)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ok() { for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done; echo "timeout waiting for $1" >&2; exit 1; }

TOKEN=bench-operator-token
CPORT=$(free_port)
"$JAVA" $COORDINATOR_OPTS -jar coordinator-service/target/coordinator-service-$VERSION.jar --server.port="$CPORT" \
    --server.address=127.0.0.1 --mesh.data-dir="$WORK/coordinator" --mesh.security.token=$TOKEN \
    --mesh.security.allow-private=true --mesh.health.heartbeat-timeout=10s --logging.level.root=WARN \
    > "$WORK/coordinator.log" 2>&1 &
PIDS+=($!)
wait_ok "http://127.0.0.1:$CPORT/actuator/health"

APORTS=()
for name in a b c; do
    port=$(free_port)
    APORTS+=("$port")
    "$JAVA" $AGENT_OPTS -jar node-agent/target/node-agent-$VERSION.jar --server.port="$port" --server.address=127.0.0.1 \
        --mesh.agent.coordinator-url="http://127.0.0.1:$CPORT" --mesh.agent.token=$TOKEN --mesh.agent.name="bench-$name" \
        --mesh.agent.endpoint="127.0.0.1:$port" --mesh.agent.data-dir="$WORK/agent-$name" --mesh.agent.capacity=256 \
        --logging.level.root=WARN > "$WORK/agent-$name.log" 2>&1 &
    PIDS+=($!)
done
for port in "${APORTS[@]}"; do wait_ok "http://127.0.0.1:$port/healthz"; done
until [ -f "$WORK/agent-a/node.json" ]; do sleep 0.5; done
sleep 3

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA" -version 2>&1 | head -1)"
echo "# agent idle RSS (MiB) with '$AGENT_OPTS':" \
    "$(for pid in "${PIDS[@]:1:3}"; do ps -o rss= -p "$pid" | awk '{printf "%d ", $1/1024}'; done)"
# The coordinator's C2 compiler needs about a minute of load on two shared cores before throughput settles (20 s of
# warm-up left the first measured runs 20-30 % low): measure the steady state, as a long-running coordinator runs.
echo "# JIT warm-up: ${WARMUP_SECONDS} s of routed load at 16 connections (not measured)"
BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$NONCE-jit" wrk -t2 -c16 -d"${WARMUP_SECONDS}s" -s bench/post.lua "http://127.0.0.1:$CPORT/api/v1/route" > /dev/null
for c in 1 16 64; do
    load routed "http://127.0.0.1:$CPORT" /api/v1/route "$TOKEN" "$c"
done
echo "# TIME_WAIT sockets after the routed runs: $(ss -tan state time-wait | tail -n +2 | wc -l)"
echo "# agent RSS after the routed runs (MiB, not idle):" \
    "$(for pid in "${PIDS[@]:1:3}"; do ps -o rss= -p "$pid" | awk '{printf "%d ", $1/1024}'; done)"
CREDENTIAL=$("${TOOL[@]}" --mode credential --identity "$WORK/agent-a/node.json")
for c in 1 16 64; do
    load direct "http://127.0.0.1:${APORTS[0]}" /api/v1/messages "$CREDENTIAL" "$c"
done
echo "# routed baseline at 16 connections, right before registering the extra nodes:"
load routed "http://127.0.0.1:$CPORT" /api/v1/route "$TOKEN" 16
"${TOOL[@]}" --mode register --url "http://127.0.0.1:$CPORT" --token $TOKEN --count 10000
echo "# waiting for the 10,000 extra nodes to go offline (heartbeat timeout 10 s)..."
until [ "$(curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$CPORT/api/v1/nodes" | grep -o '"status":"online"' | wc -l)" -le 3 ]; do sleep 2; done
# Each dead node gets one more probe at the online cadence right after it went offline, then probes back off from
# 1 minute (plus up to 30 s of jitter): the run below falls inside that window, so it measures a fleet of 10,000 dead
# nodes with their offline probes trickling in, not an idle registry.
sleep 75
echo "# routed at 16 connections with 10,003 registered nodes (10,000 offline, steady state):"
load routed "http://127.0.0.1:$CPORT" /api/v1/route "$TOKEN" 16
echo "# coordinator RSS (MiB): $(ps -o rss= -p "${PIDS[0]}" | awk '{printf "%d", $1/1024}')"
