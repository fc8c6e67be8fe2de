#!/usr/bin/env bash
# bench/cli-verb.sh BEFORE_LAUNCHER AFTER_LAUNCHER COORDINATOR_URL [runs]: one CLI verb (`nodes`) through two
# launchers (e.g. an unpacked older build's bin/claw-mesh and ./claw-mesh), runs alternating so a changing machine
# load hits both; prints the median wall-clock and CPU time (user + system, children included) of each, and the load
# average before and after (issue 18, ADR 0016). Each launcher's AOT cache is trained first (one run, then waiting for
# the background training), in a home of its own under a temp dir; the coordinator must be running already
# (CLAW_MESH_TOKEN set). Needs GNU time (/usr/bin/time).
set -euo pipefail
BEFORE=$(realpath "$1") AFTER=$(realpath "$2") URL=$3 RUNS=${4:-5}
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk)}
WORK=$(mktemp -d /tmp/claw-mesh-cli-verb.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" NO_COLOR=1
unset CLAW_MESH_COORDINATOR CLAW_MESH_CONFIG XDG_CACHE_HOME
mkdir -p "$HOME"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for launcher in "$BEFORE" "$AFTER"; do
    "$launcher" --coordinator "$URL" nodes > /dev/null
done
for _ in $(seq 1 600); do
    ls -d "$HOME"/.cache/claw-mesh/aot/*.lock > /dev/null 2>&1 || break
    sleep 0.5
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A WALL CPU
for _ in $(seq 1 "$RUNS"); do
    for mode in before after; do
        if [ "$mode" = before ]; then launcher=$BEFORE; else launcher=$AFTER; fi
        start=$(date +%s%3N)
        /usr/bin/time -o "$WORK/time" -f '%U %S' "$launcher" --coordinator "$URL" nodes > /dev/null
        WALL[$mode]+="$(($(date +%s%3N) - start)) "
        CPU[$mode]+="$(awk '{ print int(($1 + $2) * 1000) }' "$WORK/time") "
    done
done
for mode in before after; do
    printf 'claw-mesh nodes %-6s wall %5d ms  CPU %5d ms  (median of %d; CPU of each: %s)\n' "$mode" \
        "$(tr ' ' '\n' <<< "${WALL[$mode]}" | grep . | median)" "$(tr ' ' '\n' <<< "${CPU[$mode]}" | grep . | median)" \
        "$RUNS" "${CPU[$mode]% }"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA_HOME/bin/java" -version 2>&1 | tail -1)"
