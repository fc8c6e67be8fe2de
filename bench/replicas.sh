#!/usr/bin/env bash
# Issue 17's benchmark: routed echo throughput through two coordinator replicas on one PostgreSQL against one
# coordinator on the same PostgreSQL (same session, alternating), and the time from kill -9 of the replica the agents
# heartbeat to until every agent has heartbeated to the survivor. Needs the local PostgreSQL on 127.0.0.1:5432 (user
# postgres, trust auth) and psql; each run uses a database of its own, dropped at the end. Everything on loopback.
# With two replicas the load is split: half the connections to each replica (two wrk processes), their rates added.
# Usage: [WARMUP_SECONDS=30] [ROUNDS=2] [CONNECTIONS=16] [KILLS=3] bench/replicas.sh [seconds-per-run]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECONDS_PER_RUN=${1:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-16}
KILLS=${KILLS:-3}
command -v psql >/dev/null || { echo "bench/replicas.sh needs psql (apt-get install -y postgresql-client)" >&2; exit 2; }
psql_admin() { psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qtAc "$1"; }
psql_db() { psql -h 127.0.0.1 -U postgres -d "$DB" -v ON_ERROR_STOP=1 -qtAc "$1"; }
psql_admin "SELECT 1" > /dev/null || { echo "no PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth)" >&2; exit 2; }

DATABASES=()
drop_databases() {
    for db in "${DATABASES[@]}"; do psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null 2>&1 || true; done
}
trap 'cleanup; drop_databases' EXIT

new_database() { # new_database: creates a fresh database, sets DB
    DB="clawmesh_bench_$(date +%s)_$RANDOM"
    psql_admin "CREATE DATABASE $DB" > /dev/null
    DATABASES+=("$DB")
}

start_replica() { # start_replica NAME: a coordinator on $DB; appends its port to RPORTS and its pid to RPIDS
    local port
    port=$(free_port)
    "$JAVA" $COORDINATOR_OPTS -jar coordinator-service/target/coordinator-service-$VERSION.jar --server.port="$port" \
        --server.address=127.0.0.1 --mesh.data-dir="$WORK/$1" --mesh.security.token=$TOKEN \
        --mesh.security.allow-private=true --logging.level.root=WARN \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$DB" --spring.datasource.username=postgres \
        --spring.datasource.password= > "$WORK/$1.log" 2>&1 &
    PIDS+=($!)
    RPIDS+=($!)
    RPORTS+=("$port")
    wait_ok "http://127.0.0.1:$port/actuator/health/readiness"
}

start_agents() { # start_agents URLS: three echo agents joined with that comma-separated URL list
    local name port
    for name in a b c; do
        port=$(free_port)
        "$JAVA" $AGENT_OPTS -jar node-agent/target/node-agent-$VERSION.jar --server.port="$port" \
            --server.address=127.0.0.1 --mesh.agent.coordinator-url="$1" --mesh.agent.token=$TOKEN \
            --mesh.agent.name="bench-$name" --mesh.agent.endpoint="127.0.0.1:$port" \
            --mesh.agent.data-dir="$WORK/agent-$name-$DB" --mesh.agent.capacity=256 --logging.level.root=WARN \
            > "$WORK/agent-$name.log" 2>&1 &
        PIDS+=($!)
        APIDS+=($!)
        wait_ok "http://127.0.0.1:$port/healthz"
    done
    for _ in $(seq 1 $((WAIT_SECONDS * 2))); do
        [ "$(psql_db "SELECT count(*) FROM nodes WHERE status = 'online'")" -ge 3 ] && return 0
        sleep 0.5
    done
    echo "timeout waiting for the three agents to be online" >&2
    exit 1
}

stop_all() { # the processes of this run only (the wait is for them: a bare wait would also wait for nothing else)
    kill -9 "${RPIDS[@]}" "${APIDS[@]}" 2>/dev/null || true
    for pid in "${RPIDS[@]}" "${APIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}

wrk_on() { # wrk_on PORT CONNECTIONS SECONDS: one wrk result line
    BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="r$RANDOM" BENCH_CONNECTIONS=$2 \
        wrk -t1 -c"$2" -d"$3s" -s bench/post.lua "http://127.0.0.1:$1/api/v1/route" | grep '^mode='
}

rate() { sed -n 's/.*throughput=\([0-9]*\)\/s.*/\1/p'; }

one() { # one: a single coordinator on PostgreSQL
    RPORTS=() RPIDS=() APIDS=()
    new_database
    start_replica solo
    start_agents "http://127.0.0.1:${RPORTS[0]}"
    wrk_on "${RPORTS[0]}" "$CONNECTIONS" "$WARMUP_SECONDS" > /dev/null
    echo "round $1, one coordinator:   $(wrk_on "${RPORTS[0]}" "$CONNECTIONS" "$SECONDS_PER_RUN")"
    stop_all
}

two() { # two: two replicas, half the connections each
    RPORTS=() RPIDS=() APIDS=()
    new_database
    start_replica first
    start_replica second
    start_agents "http://127.0.0.1:${RPORTS[0]},http://127.0.0.1:${RPORTS[1]}"
    local half=$((CONNECTIONS / 2))
    local other
    wrk_on "${RPORTS[0]}" "$half" "$WARMUP_SECONDS" > /dev/null &
    other=$!
    wrk_on "${RPORTS[1]}" "$half" "$WARMUP_SECONDS" > /dev/null
    wait "$other"
    wrk_on "${RPORTS[0]}" "$half" "$SECONDS_PER_RUN" > "$WORK/wrk-first" &
    other=$!
    wrk_on "${RPORTS[1]}" "$half" "$SECONDS_PER_RUN" > "$WORK/wrk-second"
    wait "$other"
    echo "round $1, two replicas:      $(( $(rate < "$WORK/wrk-first") + $(rate < "$WORK/wrk-second") ))/s" \
        "(first: $(cat "$WORK/wrk-first"); second: $(cat "$WORK/wrk-second"))"
    stop_all
}

failover() { # failover: kill -9 of the replica the agents heartbeat to; time until all three heartbeat to the other
    RPORTS=() RPIDS=() APIDS=()
    new_database
    start_replica first
    start_replica second
    # the agents heartbeat to the first URL that answers: the first replica
    start_agents "http://127.0.0.1:${RPORTS[0]},http://127.0.0.1:${RPORTS[1]}"
    sleep 2
    local killed_at started now
    killed_at=$(psql_db "SELECT now()")
    started=$(date +%s%N)
    kill -9 "${RPIDS[0]}"
    wait "${RPIDS[0]}" 2>/dev/null || true
    for _ in $(seq 1 600); do
        if [ "$(psql_db "SELECT count(*) FROM nodes WHERE last_heartbeat > '$killed_at'")" -ge 3 ]; then
            now=$(date +%s%N)
            echo "kill $1: every agent heartbeated to the survivor $(( (now - started) / 1000000 )) ms after kill -9" \
                "(agent heartbeat interval: the default 15 s)"
            stop_all
            return 0
        fi
        sleep 0.1
    done
    echo "kill $1: not every agent heartbeated to the survivor within 60 s" >&2
    stop_all
}

echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $CONNECTIONS connections, ${WARMUP_SECONDS} s warm-up," \
    "${SECONDS_PER_RUN} s measured; coordinator flags: $COORDINATOR_OPTS"
for round in $(seq 1 "$ROUNDS"); do
    one "$round"
    two "$round"
done
for kill in $(seq 1 "$KILLS"); do
    failover "$kill"
done
