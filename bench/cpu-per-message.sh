#!/usr/bin/env bash
# CPU per routed message: a coordinator and three echo agents on loopback (as bench/run.sh starts them), routed load
# at 16 connections with wrk, and for each measured run the throughput plus the CPU time the coordinator and the three
# agents spent per message (from /proc/<pid>/stat). On a shared machine the throughput moves with the neighbours; the
# CPU per message moves less, so compare builds with this. Every process is stopped at the end.
# Usage: [RUNS=3] [SECONDS_PER_RUN=15] [JFR=1] bench/cpu-per-message.sh [extra coordinator arguments...]
#   JFR=1 also records the coordinator and one agent for 20 s (bench/target/coordinator.jfr, bench/target/agent.jfr).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
VERSION=0.1.0-SNAPSHOT
export JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk)}
JAVA="$JAVA_HOME/bin/java"
AGENT_OPTS="-Dspring.aot.enabled=true -XX:+UseSerialGC -Xms8m -Xmx48m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=25 -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:CICompilerCount=1"
COORDINATOR_OPTS="-XX:+UseParallelGC -Xms256m -Xmx512m -XX:FlightRecorderOptions:stackdepth=256"
[ -f /proc/self/stat ] || { echo "needs Linux /proc" >&2; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
[ -f coordinator-service/target/coordinator-service-$VERSION.jar ] && [ -f node-agent/target/node-agent-$VERSION.jar ] \
    || ./mvnw -B -q -DskipTests package

WORK=$(mktemp -d /tmp/claw-mesh-cpu.XXXXXX)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ok() { for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done; echo "timeout waiting for $1" >&2; exit 1; }
# user + system CPU time of a process, in clock ticks
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

TOKEN=bench-operator-token
CPORT=$(free_port)
"$JAVA" $COORDINATOR_OPTS -jar coordinator-service/target/coordinator-service-$VERSION.jar --server.port="$CPORT" \
    --server.address=127.0.0.1 --mesh.data-dir="$WORK/coordinator" --mesh.security.token=$TOKEN \
    --mesh.security.allow-private=true --logging.level.root=WARN "$@" > "$WORK/coordinator.log" 2>&1 &
CPID=$!
PIDS+=("$CPID")
wait_ok "http://127.0.0.1:$CPORT/actuator/health"
APIDS=()
for name in a b c; do
    port=$(free_port)
    "$JAVA" $AGENT_OPTS -jar node-agent/target/node-agent-$VERSION.jar --server.port="$port" --server.address=127.0.0.1 \
        --mesh.agent.coordinator-url="http://127.0.0.1:$CPORT" --mesh.agent.token=$TOKEN --mesh.agent.name="cpu-$name" \
        --mesh.agent.endpoint="127.0.0.1:$port" --mesh.agent.data-dir="$WORK/agent-$name" --mesh.agent.capacity=256 \
        --logging.level.root=WARN > "$WORK/agent-$name.log" 2>&1 &
    PIDS+=($!)
    APIDS+=($!)
    wait_ok "http://127.0.0.1:$port/healthz"
done
sleep 3

route() { BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$1" BENCH_CONNECTIONS=16 \
    wrk -t2 -c16 -d"$2"s -s bench/post.lua "http://127.0.0.1:$CPORT/api/v1/route"; }
echo "# warm-up: 60 s of routed load at 16 connections (not measured)"
route warmup 60 > /dev/null
for run in $(seq 1 "$RUNS"); do
    c0=$(ticks "$CPID"); a0=0; for pid in "${APIDS[@]}"; do a0=$((a0 + $(ticks "$pid"))); done
    out=$(route "run$run" "$SECONDS_PER_RUN")
    c1=$(ticks "$CPID"); a1=0; for pid in "${APIDS[@]}"; do a1=$((a1 + $(ticks "$pid"))); done
    requests=$(echo "$out" | awk '/requests in/{print $1}')
    echo "$(echo "$out" | grep '^mode=') coordinator=$(( (c1 - c0) * 1000000 / HZ / requests ))us/msg" \
        "agents=$(( (a1 - a0) * 1000000 / HZ / requests ))us/msg load=$(cut -d' ' -f1 /proc/loadavg)"
done
if [ -n "${JFR:-}" ]; then
    mkdir -p bench/target
    "$JAVA_HOME/bin/jcmd" "$CPID" JFR.start duration=20s filename="$ROOT/bench/target/coordinator.jfr" settings=profile > /dev/null
    "$JAVA_HOME/bin/jcmd" "${APIDS[0]}" JFR.start duration=20s filename="$ROOT/bench/target/agent.jfr" settings=profile > /dev/null
    route jfr 22 | grep '^mode='
    sleep 2
    echo "# recordings: bench/target/coordinator.jfr, bench/target/agent.jfr (jfr print --stack-depth 200 --events jdk.ExecutionSample ...)"
fi
