# Shared by the bench scripts (sourced from the project root): the JVM flags, a work dir and process list cleaned up on
# exit, and start_mesh, which starts a coordinator and three echo agents on loopback and waits until all are online.
VERSION=0.1.0-SNAPSHOT
export JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk)}
JAVA="$JAVA_HOME/bin/java"
# agent_opts CAPACITY: the agent flags docs/agent.md recommends, with the heap the launcher gives that capacity
# (claw-mesh join --capacity: 36 MiB + 128 KiB a slot, at least 48 MiB; an agent with less than 27 MiB + 96 KiB a slot
# refuses to start). AGENT_OPTS are those of the 256 slots the bench scripts give their agents.
agent_opts() {
    local heap=$((36 + ($1 * 128 + 1023) / 1024))
    [ "$heap" -ge 48 ] || heap=48
    echo "-Dspring.aot.enabled=true -XX:+UseSerialGC -Xms8m -Xmx${heap}m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=25 -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:CICompilerCount=1 -XX:+ExitOnOutOfMemoryError"
}
AGENT_OPTS=$(agent_opts 256)
COORDINATOR_OPTS=${COORDINATOR_OPTS:-"-XX:+UseParallelGC -Xms256m -Xmx512m"}
TOKEN=bench-operator-token

command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk" >&2; exit 2; }
[ -f coordinator-service/target/coordinator-service-$VERSION.jar ] && [ -f node-agent/target/node-agent-$VERSION.jar ] \
    && [ -f bench/target/bench-$VERSION.jar ] || ./mvnw -B -q -DskipTests package

WORK=$(mktemp -d /tmp/claw-mesh-bench.XXXXXX)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# how long to wait for a process to answer or nodes to come online; a loaded machine needs more than a quiet one
WAIT_SECONDS=${WAIT_SECONDS:-180}
wait_ok() { for _ in $(seq 1 $((WAIT_SECONDS * 2))); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done; echo "timeout waiting for $1" >&2; exit 1; }
# online_nodes: how many nodes the coordinator lists as online
online_nodes() { curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$CPORT/api/v1/nodes" | grep -o '"status":"online"' | wc -l; }

# machine_speed: the CPU milliseconds a fixed Python loop takes (process time, so a busy run queue does not count, but a
# slower host does: a neighbour on the hypervisor, a lower clock). Printed beside a measured run, it tells a run that was
# slow because the machine was from one that was slow because of our code (about 300 ms on this 2-core machine).
machine_speed() {
    python3 -c 'import time
t = time.process_time(); s = 0
for i in range(3000000): s += i * i % 7
print(round((time.process_time() - t) * 1000))'
}

# start_mesh [coordinator arguments...]: sets CPORT, CPID, APORTS and APIDS. AGENT_CAPACITY (default 256) and
# AGENT_ARGS (extra agent arguments, for example a runtime) change the agents.
start_mesh() {
    CPORT=$(free_port)
    "$JAVA" $COORDINATOR_OPTS -jar coordinator-service/target/coordinator-service-$VERSION.jar --server.port="$CPORT" \
        --server.address=127.0.0.1 --mesh.data-dir="$WORK/coordinator" --mesh.security.token=$TOKEN \
        --mesh.security.allow-private=true --logging.level.root=WARN "$@" > "$WORK/coordinator.log" 2>&1 &
    CPID=$!
    PIDS+=("$CPID")
    wait_ok "http://127.0.0.1:$CPORT/actuator/health"
    APORTS=()
    APIDS=()
    local name port
    for name in a b c; do
        port=$(free_port)
        APORTS+=("$port")
        "$JAVA" $(agent_opts "${AGENT_CAPACITY:-256}") -jar node-agent/target/node-agent-$VERSION.jar --server.port="$port" \
            --server.address=127.0.0.1 --mesh.agent.coordinator-url="http://127.0.0.1:$CPORT" --mesh.agent.token=$TOKEN \
            --mesh.agent.name="bench-$name" --mesh.agent.endpoint="127.0.0.1:$port" \
            --mesh.agent.data-dir="$WORK/agent-$name" --mesh.agent.capacity="${AGENT_CAPACITY:-256}" \
            --logging.level.root=WARN ${AGENT_ARGS:-} \
            > "$WORK/agent-$name.log" 2>&1 &
        PIDS+=($!)
        APIDS+=($!)
    done
    for port in "${APORTS[@]}"; do wait_ok "http://127.0.0.1:$port/healthz"; done
    for _ in $(seq 1 $((WAIT_SECONDS * 2))); do [ "$(online_nodes)" -ge 3 ] && return 0; sleep 0.5; done
    echo "timeout waiting for the three agents to be online" >&2
    exit 1
}
