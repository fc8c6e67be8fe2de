#!/usr/bin/env bash
# bench/startup.sh [runs]: start-up and memory of the launcher's programs, with and without the AOT cache (issue 18).
# "before" is the launcher as it was: CLAW_MESH_AOT=off and no coordinator flags; "after" is the default: the AOT
# caches and the recommended coordinator flags. Runs alternate before/after so a changing machine load hits both;
# each line is the median of the runs (default 5) of wall-clock time and of CPU time (user + system, children too).
# Everything on 127.0.0.1 with random ports, in a temp dir (its own HOME, so its own ~/.cache/claw-mesh); every
# process this script starts is stopped at the end. Needs curl; builds the jars and bench/ if they are missing.
# PARTS="timings rss" (the default) chooses what to measure; PARTS=cli measures only `claw-mesh nodes`, before and
# after, against one coordinator (the CLI's cache trained first; about a minute); PARTS=up times only `up --no-local`
# (and trains only the coordinator's cache).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PARTS=${PARTS:-"timings rss"}
VERSION=0.1.0-SNAPSHOT
export JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk)}
[ -f bench/target/bench-$VERSION.jar ] && [ -f mesh-common/target/mesh-common-$VERSION.jar ] \
    && [ -f mesh-cli/target/mesh-cli-$VERSION.jar ] \
    || ./mvnw -B -q -DskipTests package -pl coordinator-service,node-agent,mesh-cli,bench -am

WORK=$(mktemp -d /tmp/claw-mesh-startup.XXXXXX)
export HOME="$WORK/home" NO_COLOR=1 CLAW_MESH_TOKEN=startup-bench-token
unset CLAW_MESH_COORDINATOR CLAW_MESH_CONFIG XDG_CACHE_HOME
mkdir -p "$HOME"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

BEFORE=(env CLAW_MESH_AOT=off CLAW_MESH_COORDINATOR_JVM_OPTS=-Xshare:auto)
AFTER=(env)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }
# cpu_ms PID: user + system time of a process and its waited-for children, in ms
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15 + $16 + $17) * 1000 / hz) }' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$1/status"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# java_child PID: the java process the launcher started (its own subshell execs java)
java_child() {
    local pid
    for pid in $(ps -o pid= --ppid "$1"); do
        if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ]; then
            echo "$pid"
            return 0
        fi
    done
    return 0
}
api_ok() { curl -fsS -o /dev/null -H "Authorization: Bearer $CLAW_MESH_TOKEN" "http://127.0.0.1:$1/api/v1/nodes" 2>/dev/null; }
node_online() {
    curl -fsS -H "Authorization: Bearer $CLAW_MESH_TOKEN" "http://127.0.0.1:$1/api/v1/nodes" 2>/dev/null \
        | grep -o "\"name\":\"$2\",\"endpoint\":\"[^\"]*\",\"capabilities\":{[^}]*},\"status\":\"online\"" >/dev/null
}

# up MODE PORT DATA: starts claw-mesh up --no-local in the background; sets UP_PID
up() {
    local -a mode
    if [ "$1" = before ]; then mode=("${BEFORE[@]}"); else mode=("${AFTER[@]}"); fi
    "${mode[@]}" MESH_SECURITY_ALLOWLOOPBACK=true ./claw-mesh up --no-local --port "$2" --data-dir "$3" \
        > "$3.log" 2>&1 &
    UP_PID=$!
    PIDS+=("$UP_PID")
}
stop_up() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

if [[ " $PARTS " == *" cli "* ]]; then
# --- only the one-shot verb: a coordinator with the launcher's defaults, the CLI's cache trained, then nodes
echo "training the CLI's AOT cache (a first run, in the background)..." >&2
CPORT=$(free_port)
up after "$CPORT" "$WORK/cli-target"
TARGET=$UP_PID
until api_ok "$CPORT"; do sleep 0.2; done
./claw-mesh --coordinator "http://127.0.0.1:$CPORT" nodes > /dev/null
for _ in $(seq 1 600); do
    ls "$HOME"/.cache/claw-mesh/aot/cli-*/app.aot >/dev/null 2>&1 \
        && [ -z "$(ls -d "$HOME"/.cache/claw-mesh/aot/cli-*.lock 2>/dev/null)" ] && break
    sleep 0.5
done
declare -A CLI_WALL CLI_CPU
for i in $(seq 1 "$RUNS"); do
    for mode in before after; do
        if [ "$mode" = before ]; then m=("${BEFORE[@]}"); else m=("${AFTER[@]}"); fi
        start=$(now_ms)
        cpu=$( { /usr/bin/time -f '%U %S' "${m[@]}" ./claw-mesh --coordinator "http://127.0.0.1:$CPORT" nodes \
            > /dev/null; } 2>&1 | awk '{ print int(($1 + $2) * 1000) }')
        CLI_WALL[$mode]+="$(($(now_ms) - start)) "
        CLI_CPU[$mode]+="$cpu "
    done
done
stop_up "$TARGET"
for mode in before after; do
    printf 'claw-mesh nodes %-6s wall %5d ms  CPU %5d ms  (median of %d; wall of each: %s; CPU: %s)\n' "$mode" \
        "$(tr ' ' '\n' <<< "${CLI_WALL[$mode]}" | grep . | median)" \
        "$(tr ' ' '\n' <<< "${CLI_CPU[$mode]}" | grep . | median)" "$RUNS" "${CLI_WALL[$mode]% }" "${CLI_CPU[$mode]% }"
done
fi

ONLY_UP=false
[[ " $PARTS " == *" up "* && " $PARTS " != *" timings "* ]] && ONLY_UP=true
if [[ " $PARTS " == *" timings "* ]] || [ "$ONLY_UP" = true ]; then
# --- training: one run of each program with the cache on, then wait until the three caches exist
echo "training the AOT caches (first runs, in the background)..." >&2
TPORT=$(free_port)
up after "$TPORT" "$WORK/train"
until api_ok "$TPORT"; do sleep 0.2; done
PROGRAMS="cli coordinator agent"
if [ "$ONLY_UP" = true ]; then
    PROGRAMS=coordinator
else
./claw-mesh --coordinator "http://127.0.0.1:$TPORT" nodes > /dev/null
APORT=$(free_port)
./claw-mesh join "http://127.0.0.1:$TPORT" --name train-agent --listen "127.0.0.1:$APORT" \
    --endpoint "127.0.0.1:$APORT" --no-gateway --data-dir "$WORK/train-agent" > "$WORK/train-agent.log" 2>&1 &
TRAIN_AGENT=$!
PIDS+=("$TRAIN_AGENT")
fi
for program in $PROGRAMS; do
    for _ in $(seq 1 600); do
        ls "$HOME"/.cache/claw-mesh/aot/$program-*/app.aot >/dev/null 2>&1 && [ -z "$(ls -d "$HOME"/.cache/claw-mesh/aot/*.lock 2>/dev/null)" ] && break
        sleep 0.5
    done
done
[ "$ONLY_UP" = true ] || stop_up "$TRAIN_AGENT"
stop_up "$UP_PID"
du -sh "$HOME"/.cache/claw-mesh/aot/* | sed 's:'"$HOME"'/::' >&2

# --- the coordinator the CLI and the agents talk to (launcher defaults, already warm)
TARGET=""
if [ "$ONLY_UP" = false ]; then
CPORT=$(free_port)
up after "$CPORT" "$WORK/target"
TARGET=$UP_PID
until api_ok "$CPORT"; do sleep 0.2; done
fi

declare -A WALL CPU
record() { WALL[$1]+="$2 "; CPU[$1]+="$3 "; }

for i in $(seq 1 "$RUNS"); do
    for mode in before after; do
        if [ "$mode" = before ]; then m=("${BEFORE[@]}"); else m=("${AFTER[@]}"); fi
        # a one-shot verb against a running coordinator
        if [ "$ONLY_UP" = false ]; then
        start=$(now_ms)
        cpu=$( { /usr/bin/time -f '%U %S' "${m[@]}" ./claw-mesh --coordinator "http://127.0.0.1:$CPORT" nodes \
            > /dev/null; } 2>&1 | awk '{ print int(($1 + $2) * 1000) }')
        record "nodes-$mode" $(($(now_ms) - start)) "$cpu"
        fi

        # claw-mesh up --no-local until the API answers
        port=$(free_port)
        start=$(now_ms)
        up "$mode" "$port" "$WORK/up-$mode-$i"
        until api_ok "$port"; do sleep 0.05; done
        elapsed=$(($(now_ms) - start))
        java=$(java_child "$UP_PID")
        record "up-$mode" "$elapsed" "$(cpu_ms "$java")"
        stop_up "$UP_PID"

        # an agent from claw-mesh join until the coordinator lists it online
        [ "$ONLY_UP" = false ] || continue
        port=$(free_port)
        start=$(now_ms)
        "${m[@]}" ./claw-mesh join "http://127.0.0.1:$CPORT" --name "agent-$mode-$i" --listen "127.0.0.1:$port" \
            --endpoint "127.0.0.1:$port" --no-gateway --data-dir "$WORK/agent-$mode-$i" \
            > "$WORK/agent-$mode-$i.log" 2>&1 &
        agent=$!
        PIDS+=("$agent")
        until node_online "$CPORT" "agent-$mode-$i"; do sleep 0.05; done
        elapsed=$(($(now_ms) - start))
        record "join-$mode" "$elapsed" "$(cpu_ms "$(java_child "$agent")")"
        stop_up "$agent"
    done
done
[ -z "$TARGET" ] || stop_up "$TARGET"

printf '%-44s %14s %14s\n' "measurement (median of $RUNS)" "before" "after"
WHATS="nodes up join"
[ "$ONLY_UP" = false ] || WHATS=up
for what in $WHATS; do
    case $what in
        nodes) label="claw-mesh nodes, wall ms (CPU ms)" ;;
        up) label="claw-mesh up --no-local to API, wall ms (CPU)" ;;
        join) label="agent start to online, wall ms (CPU ms)" ;;
    esac
    b="$(tr ' ' '\n' <<< "${WALL[$what-before]}" | grep . | median) ($(tr ' ' '\n' <<< "${CPU[$what-before]}" | grep . | median))"
    a="$(tr ' ' '\n' <<< "${WALL[$what-after]}" | grep . | median) ($(tr ' ' '\n' <<< "${CPU[$what-after]}" | grep . | median))"
    printf '%-44s %14s %14s\n' "$label" "$b" "$a"
done

fi

# --- coordinator RSS: idle for 60 s, then with 1,000 registered nodes (nobody serves their endpoints)
for mode in before after; do
    [[ " $PARTS " == *" rss "* ]] || break
    echo "coordinator RSS, $mode..." >&2
    port=$(free_port)
    up "$mode" "$port" "$WORK/rss-$mode"
    until api_ok "$port"; do sleep 0.2; done
    java=$(java_child "$UP_PID")
    sleep 60
    idle=$(rss_mib "$java")
    "$JAVA_HOME/bin/java" -cp "bench/target/bench-$VERSION.jar:mesh-common/target/mesh-common-$VERSION.jar" \
        io.clawmesh.bench.BenchTool --mode register --url "http://127.0.0.1:$port" --token "$CLAW_MESH_TOKEN" \
        --count 1000 > /dev/null
    sleep 60
    printf 'coordinator RSS %-6s idle %4d MiB, 1,000 nodes registered %4d MiB\n' "$mode" "$idle" "$(rss_mib "$java")"
    stop_up "$UP_PID"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA_HOME/bin/java" -version 2>&1 | tail -1)"
