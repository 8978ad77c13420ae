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
secret=bench-dbt-secret
export WEBHOOK_KEY=$secret
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The same dbt Cloud payload and signature as run.sh.
body='{"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD","timestamp":"2023-01-31T19:29:35.789265936Z","eventType":"job.run.completed","webhookName":"test","data":{"jobId":"123","jobName":"Daily Job (dbt build)","runId":"12345","environmentId":"1234","environmentName":"Production","dbtVersion":"1.0.0","projectName":"Snowflake Github Demo","projectId":"167194","runStatus":"Success","runStatusCode":10,"runStatusMessage":"None","runReason":"Kicked off from the UI by test@test.com","runStartedAt":"2023-01-31T19:28:07Z","runFinishedAt":"2023-01-31T19:29:32Z"}}'
signature=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | awk '{print $NF}')
printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "%s"\n' \
    "${body//\"/\\\"}" "$signature" >"$work/post.lua"

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
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:${port[$name]}/" && break; sleep 0.1; done
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
