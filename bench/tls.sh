#!/usr/bin/env bash
# Routed echo throughput with TLS everywhere (up --tls: the mesh CA; three inbound agents that trust its CA file, so
# they fetch node certificates and the coordinator reaches them over mutual TLS, ADR 0012) against plain HTTP (issue 16),
# at 16 keep-alive connections (wrk reuses each TLS session: handshakes only at connect; the coordinator pools its
# connections to the agents and resumes TLS sessions), alternating rounds in one session. Everything on loopback; every
# process is stopped at the end. Each https run also prints how many TLS handshakes the coordinator made with the
# agents during it (mesh_tls_handshakes_total{peer="agent",client="forwarding"}): pooled connections should make that
# about 0 per second; and the protocol and cipher suite an agent negotiates (openssl s_client with the coordinator's
# certificate, which carries the client purpose; the agent's order decides the suite).
# Usage: [WARMUP_SECONDS=20] [ROUNDS=2] bench/tls.sh [seconds-per-run]   (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_RUN=${1:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
ROUNDS=${ROUNDS:-2}
source bench/lib.sh
stop_mesh() { kill "$CPID" "${APIDS[@]}" 2>/dev/null || true; wait "$CPID" "${APIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"/coordinator "$WORK"/agent-*; }
# start_tls_mesh: a coordinator with the mesh CA and three inbound echo agents that trust its CA file
start_tls_mesh() {
    CPORT=$(free_port)
    "$JAVA" $COORDINATOR_OPTS -jar coordinator-service/target/coordinator-service-$VERSION.jar --server.port="$CPORT" \
        --server.address=127.0.0.1 --mesh.data-dir="$WORK/coordinator" --mesh.security.token=$TOKEN \
        --mesh.security.allow-private=true --mesh.tls.enabled=true --logging.level.root=WARN \
        > "$WORK/coordinator.log" 2>&1 &
    CPID=$!
    PIDS+=("$CPID")
    CA="$WORK/coordinator/tls/ca.crt"
    for _ in $(seq 1 $((WAIT_SECONDS * 2))); do
        [ -f "$CA" ] && curl -fsS --cacert "$CA" -o /dev/null "https://127.0.0.1:$CPORT/actuator/health" 2>/dev/null && break
        sleep 0.5
    done
    APIDS=()
    APORTS=()
    local name port
    for name in a b c; do
        port=$(free_port)
        APORTS+=("$port")
        "$JAVA" $AGENT_OPTS -jar node-agent/target/node-agent-$VERSION.jar --server.port="$port" \
            --server.address=127.0.0.1 --mesh.agent.coordinator-url="https://127.0.0.1:$CPORT" \
            --mesh.agent.ca-file="$CA" --mesh.agent.token=$TOKEN --mesh.agent.name="bench-$name" \
            --mesh.agent.endpoint="127.0.0.1:$port" --mesh.agent.data-dir="$WORK/agent-$name" \
            --mesh.agent.capacity=256 --logging.level.root=WARN > "$WORK/agent-$name.log" 2>&1 &
        PIDS+=($!)
        APIDS+=($!)
    done
    for _ in $(seq 1 $((WAIT_SECONDS * 2))); do
        [ "$(curl -fsS --cacert "$CA" -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$CPORT/api/v1/nodes" \
            | grep -o '"status":"online"' | wc -l)" -ge 3 ] && return 0
        sleep 0.5
    done
    echo "timeout waiting for the three agents to be online over https" >&2
    exit 1
}
# handshakes: the coordinator's count of TLS handshakes with agents (new pooled connections of its message client)
handshakes() { curl -fsS --cacert "$CA" "https://127.0.0.1:$CPORT/actuator/prometheus" \
    | awk '/^mesh_tls_handshakes_total[{]/ && /peer="agent"/ && /client="forwarding"/ { sum += $NF }
           END { printf "%d", sum }'; }
# negotiated: "TLSv1.3 TLS_..." as the first agent answers a client with the coordinator's certificate
negotiated() { openssl s_client -connect "127.0.0.1:${APORTS[0]}" -CAfile "$CA" -cert "$WORK/coordinator/tls/server.crt" \
    -key "$WORK/coordinator/tls/server.key" < /dev/null 2>/dev/null | awk '/^New, / { print $2, $NF }' | tr -d ,; }
# route SCHEME NONCE SECONDS: wrk does not verify certificates, which is fine on loopback for a throughput number
route() { BENCH_MODE=routed BENCH_AUTH=$TOKEN BENCH_NONCE="$2-$RANDOM" BENCH_CONNECTIONS=16 \
    wrk -t2 -c16 -d"$3"s -s bench/post.lua "$1://127.0.0.1:$CPORT/api/v1/route"; }
echo "# machine: $(nproc) cores, $(uname -sr), $("$JAVA" -version 2>&1 | head -1); coordinator flags: $COORDINATOR_OPTS"
for round in $(seq 1 "$ROUNDS"); do
    start_mesh
    route http warm "$WARMUP_SECONDS" > /dev/null
    echo "round $round http:  $(route http plain "$SECONDS_PER_RUN" | grep '^mode=')"
    stop_mesh
    start_tls_mesh
    route https warm "$WARMUP_SECONDS" > /dev/null
    before=$(handshakes)
    result=$(route https tls "$SECONDS_PER_RUN" | grep '^mode=')
    after=$(handshakes)
    echo "round $round https: $result coordinator_agent_tls_handshakes=$((after - before))" \
        "($(awk -v d=$((after - before)) -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.2f", d / s }')/s)" \
        "agent_tls=$(negotiated | tr ' ' /)"
    stop_mesh
done
