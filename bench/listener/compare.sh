#!/usr/bin/env bash
# Before/after on a noisy machine: several `hookbench listen` binaries side by side, measured in
# turn (round 1: A, B, …; round 2: A, B, …) so that load from elsewhere hits them alike.
# Prints, per run: requests/s, p99 and CPU (user + system) per request of the whole process and
# of its store threads (writer and checkpointer).
#
# Usage: bench/listener/compare.sh NAME=BINARY [NAME=BINARY …]
#        e.g. main=/tmp/hookbench-main waves=build/release/app/hookbench
# Environment: ROUNDS (6), DURATION seconds per run (8), CONNECTIONS (16).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 NAME=BINARY [NAME=BINARY …]" >&2; exit 2; }
rounds=${ROUNDS:-6}
duration=${DURATION:-8}
connections=${CONNECTIONS:-16}
source "$(dirname "$0")/common.sh"

declare -A port pid
names=()
next=5410
for spec in "$@"; do
    name=${spec%%=*}
    binary=${spec#*=}
    names+=("$name")
    port[$name]=$next
    "$binary" listen --port "$next" --quiet --secret-env WEBHOOK_KEY --store "$work/$name.sqlite" >"$work/$name.log" 2>&1 &
    pid[$name]=$!
    pids+=($!)
    next=$((next + 1))
done
for name in "${names[@]}"; do
    wait_port "${port[$name]}"
    wrk -t1 -c"$connections" -d2s -s "$work/post.lua" "http://127.0.0.1:${port[$name]}/" >/dev/null # warm-up
done

ticks() { # pid [thread name pattern]: user + system clock ticks of the process's threads
    for task in /proc/$1/task/*; do
        if [ -z "${2:-}" ] || grep -q "$2" "$task/comm"; then awk '{print $14 + $15}' "$task/stat"; fi
    done | awk '{s += $1} END {print s + 0}'
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t1 -c$connections -d${duration}s; $rounds rounds"
for round in $(seq "$rounds"); do
    for name in "${names[@]}"; do
        before=$(ticks "${pid[$name]}") before_store=$(ticks "${pid[$name]}" hookbench-store)
        out=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:${port[$name]}/")
        after=$(ticks "${pid[$name]}") after_store=$(ticks "${pid[$name]}" hookbench-store)
        requests=$(awk '/requests in/ {print $1}' <<<"$out")
        awk -v round="$round" -v name="$name" -v tick="$(getconf CLK_TCK)" -v requests="$requests" \
            -v cpu=$((after - before)) -v store=$((after_store - before_store)) \
            -v rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v p99="$(awk '$1 == "99%" {print $2}' <<<"$out")" \
            -v bad="$(awk '/Non-2xx/ {print $NF}' <<<"$out")" \
            'BEGIN { printf "%d %s rps=%s p99=%s cpu_us=%.1f store_us=%.1f non2xx=%d\n", round, name, rps, p99,
                     cpu / tick * 1e6 / requests, store / tick * 1e6 / requests, bad + 0 }'
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
