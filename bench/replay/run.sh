#!/usr/bin/env bash
# Batch replay benchmark: 10,000 captured dbt Cloud deliveries (624-byte body) replayed from a
# capture store with `hookbench replay 1-10000 --resign` (each capture read from the store,
# re-signed, sent, and its attempt stored) to a local Qt HttpServer receiver that verifies every
# signature, at concurrency 1, 4 and 16 - side by side, in the same run and against the same
# receiver, with wrk posting the same body with a valid signature (the receiver's ceiling), and
# with the engine alone (bench_replay store: the same captures read from the store, re-signed and
# sent, no attempt stored; bench_replay memory: in-memory requests, no store at all).
# Each figure is the median of ROUNDS rounds (default 3); wrk runs 5 s per round.
# Usage: bench/replay/run.sh [build-dir]   (default build/release, configured with benchmarks on)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
rounds=${ROUNDS:-3}
count=${COUNT:-10000}
secret=bench-secret
targets="bench_replay hookbench"
source bench/replay/receiver.sh
url="http://127.0.0.1:$port/dbt"

# The same body as bench_replay's (bench/replay/dbtbody.h), signed once for wrk.
python3 - "$work/body.json" <<'PY'
import sys
reason = "Kicked off from the UI by analytics-engineering-on-call@example-data.com"
body = ('{"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD",'
        '"timestamp":"2023-01-31T19:29:35.789265936Z","eventType":"job.run.completed","webhookName":"test",'
        '"data":{"jobId":"123","jobName":"Daily Job (dbt build)","runId":"12345","environmentId":"1234",'
        '"environmentName":"Production","dbtVersion":"1.0.0","projectName":"Snowflake Github Demo",'
        '"projectId":"167194","runStatus":"Success","runStatusCode":10,"runStatusMessage":"None",'
        '"runReason":"%s","runStartedAt":"2023-01-31T19:28:07Z","runFinishedAt":"2023-01-31T19:29:32Z"}}' % reason)
assert len(body) == 624
open(sys.argv[1], "w").write(body)
PY
signature=$(openssl dgst -sha256 -hmac "$secret" -r "$work/body.json" | cut -d' ' -f1)
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
local f = io.open("$work/body.json", "rb")
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "$signature"
done = function(summary, latency, requests)
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
LUA

store="$work/captures.sqlite"
read -r first last < <("$build/bench/replay/bench_replay" populate "$store" "$count")

echo "receiver: $url  rounds: $rounds  requests per replay run: $count  cpus: $(nproc)"
for round in $(seq "$rounds"); do
    for c in 1 4 16; do
        wrk_out=$(wrk -t1 -c"$c" -d5s -s "$work/post.lua" "$url")
        wrk_rps=$(echo "$wrk_out" | awk '/Requests\/sec/ {print $2}')
        wrk_bad=$(echo "$wrk_out" | awk -F= '/non2xx/ {print $2}')
        [ "$wrk_bad" = 0 ] || { echo "wrk got $wrk_bad non-2xx answers" >&2; exit 1; }
        start=$(date +%s%N)
        "$build/app/hookbench" replay "$first-$last" --store "$store" --to "$url" --resign --scheme dbt-cloud \
            --secret "$secret" --concurrency "$c" > /dev/null
        end=$(date +%s%N)
        cli_rps=$(python3 -c "print(round($count / (($end - $start) / 1e9)))")
        stored_out=$("$build/bench/replay/bench_replay" store "$url" "$secret" "$store" "$c")
        stored_rps=$(echo "$stored_out" | sed -n 's/.* rps=\([0-9]*\).*/\1/p')
        engine_out=$("$build/bench/replay/bench_replay" memory "$url" "$secret" "$count" "$c")
        engine_rps=$(echo "$engine_out" | sed -n 's/.* rps=\([0-9]*\).*/\1/p')
        echo "round $round c=$c wrk=$wrk_rps replay=$cli_rps from-store=$stored_rps in-memory=$engine_rps"
        echo "$c $wrk_rps $cli_rps $stored_rps $engine_rps" >> "$work/results"
    done
done

echo
python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    c, *rates = line.split()
    for column, rate in enumerate(rates):
        rows.setdefault(int(c), ([], [], [], []))[column].append(float(rate))
print("| concurrency | wrk (req/s) | `hookbench replay --resign` (req/s) | replay / wrk "
      "| engine from the store (req/s) | engine / wrk | engine, in memory (req/s) |")
print("|---|---|---|---|---|---|---|")
for c in sorted(rows):
    wrk, cli, stored, engine = (statistics.median(values) for values in rows[c])
    print(f"| {c} | {wrk:,.0f} | {cli:,.0f} | {cli / wrk:.0%} | {stored:,.0f} | {stored / wrk:.0%} | {engine:,.0f} |")
PY
