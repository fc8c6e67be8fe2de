#!/usr/bin/env bash
# bench/idle-links.sh [count] [seconds]: one coordinator holding COUNT idle outbound connections (issue 14, ADR 0010).
# BenchTool --mode idle-links registers COUNT outbound nodes, opens one WebSocket each and sends a heartbeat frame up
# every one every 15 s for SECONDS. Measured on the coordinator: heap after a full GC (jstat) and RSS at start, while
# the connections are open, and after they closed (the nodes stay registered, so the difference is the connections'
# cost); CPU ticks over the heartbeat rounds; and whether every node's heartbeats arrived (all online, the newest
# heartbeat younger than two rounds). Run from the project root. Prints one summary block.
set -euo pipefail
COUNT=${1:-2000}
SECONDS_HELD=${2:-120}
ROUND=15
source bench/lib.sh

TOOL=("$JAVA" -cp "bench/target/bench-$VERSION.jar:mesh-common/target/mesh-common-$VERSION.jar" io.clawmesh.bench.BenchTool)

heap_kib() {  # used heap (survivors, eden, old) after a full GC, KiB
    jcmd "$CPID" GC.run >/dev/null
    jstat -gc "$CPID" | awk 'NR==2 { printf "%d\n", $3 + $4 + $6 + $8 }'
}
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$CPID/status"; }
threads() { awk '/^Threads/ { print $2 }' "/proc/$CPID/status"; }
cpu_seconds() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$CPID/stat"; }
measure() { echo "$1: heap_after_gc_kib=$(heap_kib) rss_kib=$(rss_kib) threads=$(threads) load=$(cut -d' ' -f1-3 /proc/loadavg)"; }
# nodes_report: online nodes and the age of the oldest heartbeat among them, in seconds
nodes_report() {
    curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$CPORT/api/v1/nodes" | python3 -c '
import json, sys, datetime
nodes = [n for n in json.load(sys.stdin) if n["name"].startswith("link-")]
now = datetime.datetime.now(datetime.timezone.utc)
online = [n for n in nodes if n["status"] == "online"]
ages = sorted((now - datetime.datetime.fromisoformat(n["last_heartbeat"].replace("Z", "+00:00"))).total_seconds()
              for n in online if n.get("last_heartbeat"))
print("nodes=%d online=%d oldest_heartbeat_s=%.1f median_heartbeat_age_s=%.1f" % (
    len(nodes), len(online), ages[-1] if ages else -1, ages[len(ages) // 2] if ages else -1))'
}

# no agents: only the coordinator (start_mesh would start three)
CPORT=$(free_port)
"$JAVA" $COORDINATOR_OPTS -jar coordinator-service/target/coordinator-service-$VERSION.jar --server.port="$CPORT" \
    --server.address=127.0.0.1 --mesh.data-dir="$WORK/coordinator" --mesh.security.token=$TOKEN \
    --logging.level.root=WARN > "$WORK/coordinator.log" 2>&1 &
CPID=$!
PIDS+=("$CPID")
# a loaded machine starts the coordinator slowly: three minutes, not lib.sh's one
for _ in $(seq 1 360); do curl -fsS -o /dev/null "http://127.0.0.1:$CPORT/actuator/health" 2>/dev/null && break; sleep 0.5; done
wait_ok "http://127.0.0.1:$CPORT/actuator/health" || { tail -20 "$WORK/coordinator.log"; exit 1; }
sleep 10
measure "idle coordinator"

"${TOOL[@]}" --mode idle-links --url "http://127.0.0.1:$CPORT" --token "$TOKEN" --count "$COUNT" \
    --seconds "$SECONDS_HELD" --heartbeat "$ROUND" > "$WORK/tool.log" 2>&1 &
TPID=$!
PIDS+=("$TPID")
until grep -q '^connections=' "$WORK/tool.log"; do
    kill -0 "$TPID" 2>/dev/null || { cat "$WORK/tool.log"; exit 1; }
    sleep 1
done
grep '^connections=' "$WORK/tool.log"
sleep $((ROUND + 2))
measure "$COUNT connections open"
TICKS_BEFORE=$(cpu_ticks)
SENT_BEFORE=$(grep -c "^heartbeats_sent=" "$WORK/tool.log" || true)
sleep $((ROUND * 4))
TICKS_AFTER=$(cpu_ticks)
SENT_AFTER=$(grep -c "^heartbeats_sent=" "$WORK/tool.log" || true)
echo "coordinator_cpu_s_over_$((ROUND * 4))s=$(cpu_seconds $((TICKS_AFTER - TICKS_BEFORE))) heartbeat_rounds=$((SENT_AFTER - SENT_BEFORE)) (each $COUNT frames)"
nodes_report
wait "$TPID" || true
grep '^heartbeats_sent=' "$WORK/tool.log" | tail -3
sleep 5
measure "after the connections closed (nodes still registered)"
TICKS_BEFORE=$(cpu_ticks)
sleep $((ROUND * 4))
TICKS_AFTER=$(cpu_ticks)
echo "coordinator_cpu_s_over_$((ROUND * 4))s_without_connections=$(cpu_seconds $((TICKS_AFTER - TICKS_BEFORE)))"
