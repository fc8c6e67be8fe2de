#!/usr/bin/env bash
# Routed echo throughput through outbound agents (one WebSocket each, no port) against inbound ones (issue 14), at 16
# connections, alternating rounds in one session, with the CPU time the coordinator and the three agents spent per
# message (/proc/<pid>/stat ticks, as bench/cpu-per-message.sh: it moves less with the neighbours' load than the
# throughput does), and the machine's speed just before and after the run (lib.sh's machine_speed: CPU ms of a fixed
# loop; higher is slower), and once half-way through it. Everything on loopback; every process is stopped at the end.
# Usage: [WARMUP_SECONDS=20] [ROUNDS=2] [ONLY=inbound|outbound] [PAIRED=N] [JFR=DIR] bench/outbound.sh [seconds-per-run]
# (default 10 s per run). PAIRED=N runs both meshes at once in each round and measures them in N alternating windows
# of seconds-per-run each, then prints the round's outbound/inbound ratio over its windows.
# JFR=DIR records the coordinator with Java Flight Recorder (settings=profile) during each measured run, into
# DIR/<round>-<inbound|outbound>.jfr (read with `jfr view hot-methods FILE`); it costs the coordinator some CPU.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_RUN=${1:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
ROUNDS=${ROUNDS:-2}
source bench/lib.sh
stop_mesh() { kill "$CPID" "${APIDS[@]}" 2>/dev/null || true; wait "$CPID" "${APIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"/coordinator "$WORK"/agent-*; }
# start_outbound_mesh: a coordinator (without allow-private) and three outbound echo agents with no port
start_outbound_mesh() {
    CPORT=$(free_port)
    "$JAVA" $COORDINATOR_OPTS -jar coordinator-service/target/coordinator-service-$VERSION.jar --server.port="$CPORT" \
        --server.address=127.0.0.1 --mesh.data-dir="$WORK/coordinator" --mesh.security.token=$TOKEN \
        --logging.level.root=WARN > "$WORK/coordinator.log" 2>&1 &
    CPID=$!
    PIDS+=("$CPID")
    wait_ok "http://127.0.0.1:$CPORT/actuator/health"
    APIDS=()
    local name
    for name in a b c; do
        "$JAVA" $AGENT_OPTS -jar node-agent/target/node-agent-$VERSION.jar --mesh.agent.connect=outbound \
            --mesh.agent.coordinator-url="http://127.0.0.1:$CPORT" --mesh.agent.token=$TOKEN \
            --mesh.agent.name="bench-$name" --mesh.agent.data-dir="$WORK/agent-$name" --mesh.agent.capacity=256 \
            --logging.level.root=WARN > "$WORK/agent-$name.log" 2>&1 &
        PIDS+=($!)
        APIDS+=($!)
    done
    for _ in $(seq 1 $((WAIT_SECONDS * 2))); do [ "$(online_nodes)" -ge 3 ] && return 0; sleep 0.5; done
    echo "timeout waiting for the three outbound agents to be online" >&2
    exit 1
}
# user + system CPU time of a process, in clock ticks
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
agent_ticks() { local sum=0 pid; for pid in "${APIDS[@]}"; do sum=$((sum + $(ticks "$pid"))); done; echo "$sum"; }
# measure NAME SECONDS KIND: one measured run, its throughput line and the CPU per message of the coordinator and agents
measure() {
    local c0 a0 c1 a1 s0 s1 out requests
    if [ -n "${JFR:-}" ]; then
        mkdir -p "$JFR"
        "$JAVA_HOME/bin/jcmd" "$CPID" JFR.start name=bench settings=profile \
            filename="$JFR/$round-$3.jfr" > /dev/null
    fi
    s0=$(machine_speed)
    c0=$(ticks "$CPID"); a0=$(agent_ticks)
    (sleep $(($2 / 2)) && machine_speed > "$WORK/speed-mid") &
    out=$(route "$1" "$2")
    c1=$(ticks "$CPID"); a1=$(agent_ticks)
    wait $!
    s1=$(machine_speed)
    if [ -n "${JFR:-}" ]; then "$JAVA_HOME/bin/jcmd" "$CPID" JFR.stop name=bench > /dev/null; fi
    requests=$(echo "$out" | awk '/requests in/{print $1}')
    echo "$(echo "$out" | grep '^mode=') coordinator=$(( (c1 - c0) * 1000000 / HZ / requests ))us/msg" \
        "agents=$(( (a1 - a0) * 1000000 / HZ / requests ))us/msg load=$(cut -d' ' -f1 /proc/loadavg)" \
        "machine=${s0}/$(cat "$WORK/speed-mid")/${s1}ms"
}
route() { BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$1-$RANDOM" BENCH_CONNECTIONS=16 \
    wrk -t2 -c16 -d"$2"s -s bench/post.lua "http://127.0.0.1:$CPORT/api/v1/route"; }
# use_mesh in|out: make the inbound or the outbound mesh of a paired round the one that route, measure and stop_mesh
# act on (start_mesh and start_outbound_mesh set these globals; each mesh keeps its own data dirs under $BASE)
save_mesh() { eval "M_$1=(\"\$CPORT\" \"\$CPID\" \"\${APIDS[*]}\")"; }
use_mesh() {
    local -n m="M_$1"
    CPORT=${m[0]} CPID=${m[1]} WORK="$BASE/$1"
    read -r -a APIDS <<< "${m[2]}"
}
echo "# machine: $(nproc) cores, $(uname -sr), $("$JAVA" -version 2>&1 | head -1); coordinator flags: $COORDINATOR_OPTS"
if [ -n "${PAIRED:-}" ]; then
    # Both meshes run side by side in each round and are measured in alternating windows (inbound, outbound, ...): a
    # change in the machine's speed during the round hits both alike; a fresh pair of meshes per round still samples
    # how each JVM's JIT turned out.
    BASE=$WORK
    trap 'WORK=$BASE; cleanup' EXIT
    for round in $(seq 1 "$ROUNDS"); do
        WORK="$BASE/in"; mkdir -p "$WORK"; start_mesh; save_mesh in
        WORK="$BASE/out"; mkdir -p "$WORK"; start_outbound_mesh; save_mesh out
        for kind in in out; do use_mesh $kind; route warm "$WARMUP_SECONDS" > /dev/null; done
        totals=(0 0)
        for window in $(seq 1 "$PAIRED"); do
            for kind in in out; do
                use_mesh $kind
                line=$(measure $kind "$SECONDS_PER_RUN" "${kind}bound-$window")
                echo "round $round window $window ${kind}bound: $line"
                requests=$(echo "$line" | sed -n 's/.* requests=\([0-9]*\).*/\1/p')
                if [ $kind = in ]; then totals[0]=$((totals[0] + requests)); else totals[1]=$((totals[1] + requests)); fi
            done
        done
        echo "round $round paired: inbound ${totals[0]} outbound ${totals[1]} messages," \
            "outbound/inbound $((totals[1] * 100 / totals[0])) %"
        for kind in out in; do use_mesh $kind; stop_mesh; done
    done
    WORK=$BASE
    exit 0
fi
for round in $(seq 1 "$ROUNDS"); do
    if [ "${ONLY:-}" != outbound ]; then
        start_mesh
        route warm "$WARMUP_SECONDS" > /dev/null
        echo "round $round inbound:  $(measure in "$SECONDS_PER_RUN" inbound)"
        stop_mesh
    fi
    if [ "${ONLY:-}" != inbound ]; then
        start_outbound_mesh
        route warm "$WARMUP_SECONDS" > /dev/null
        echo "round $round outbound: $(measure out "$SECONDS_PER_RUN" outbound)"
        stop_mesh
    fi
done
