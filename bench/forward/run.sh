#!/usr/bin/env bash
# Forward mode and the listener's diagnosis, measured with wrk on loopback.
#
# Part 1, forward mode: the same dbt Cloud delivery posted to
#   listen   hookbench listen (stored, then answered)
#   forward  hookbench listen --forward-to TARGET (answered once stored; forwarded behind)
#   proxy    hookbench listen --forward-to TARGET --proxy (answered with the target's answer)
# where TARGET is the bare Qt HttpServer of the listener benchmark (checks the HMAC, answers 200).
# For forward and proxy it also counts the attempts stored and those refused for a full queue.
#
# Part 2, diagnosis under a flood: valid deliveries (1 connection) answered while 4 connections
# post invalid 1 MiB JSON bodies whose diagnosis costs tens of ms each; latency of the valid ones
# alone and during the flood, and how many flood captures were diagnosed or skipped as busy.
#
# Usage: bench/forward/run.sh [build-dir]   (default build/release, configured with benchmarks on)
# Environment: ROUNDS (3), DURATION seconds per measurement (10), CONNECTIONS (16), KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
rounds=${ROUNDS:-3}
duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
cmake --build "$build" --target hookbench bench_bare_httpserver >/dev/null
hookbench="$build/app/hookbench"
bare="$build/bench/listener/bench_bare_httpserver"

source bench/listener/common.sh

# 1 MiB of pretty-printed JSON with non-ASCII text, signed with a secret the listener doesn't
# hold: nothing matches, so every variation is tried (the diagnosis benchmark's worst case).
python3 - "$work/flood.json" <<'PY'
import json, sys
rows = []
i = 0
while len(json.dumps({"rows": rows}, indent=2, ensure_ascii=False)) < 1024 * 1024:
    rows.append({"id": i, "name": f"modèle_{i}", "status": "success", "ms": i * 7 % 1000})
    i += 1
open(sys.argv[1], "w", encoding="utf-8").write(json.dumps({"rows": rows}, indent=2, ensure_ascii=False))
PY
flood_signature=$(openssl dgst -sha256 -hmac "another-secret" "$work/flood.json" | awk '{print $NF}')
cat > "$work/flood.lua" <<LUA
local file = io.open("$work/flood.json", "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "$flood_signature"
LUA

target_port=5401 listen_port=5402 forward_port=5403 proxy_port=5404 flood_port=5405
"$bare" $target_port "$secret" >"$work/target.log" 2>&1 &
pids+=($!)
wait_port $target_port
start_listen() { # port store [options]
    local port=$1 store=$2
    shift 2
    "$hookbench" listen --port "$port" --quiet --secret-env WEBHOOK_KEY --store "$store" "$@" \
        >"$work/listen-$port.log" 2>&1 &
    pids+=($!)
    wait_port "$port"
}
start_listen $listen_port "$work/listen.sqlite"
start_listen $forward_port "$work/forward.sqlite" --forward-to "http://127.0.0.1:$target_port"
start_listen $proxy_port "$work/proxy.sqlite" --forward-to "http://127.0.0.1:$target_port" --proxy
start_listen $flood_port "$work/flood.sqlite"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "part 1: wrk -t1 -c$connections -d${duration}s, $rounds rounds"
for name in listen forward proxy; do
    port_var=${name}_port
    wrk -t1 -c"$connections" -d2s -s "$work/post.lua" "http://127.0.0.1:${!port_var}/" >/dev/null # warm-up
done
for round in $(seq "$rounds"); do
    for name in listen forward proxy; do
        port_var=${name}_port
        wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:${!port_var}/" \
            >"$work/wrk-$name-$round.txt"
        sleep 2 # background forwards drain before the next measurement
    done
done
sleep 3
count() { sqlite3 "$1" "$2" 2>/dev/null || echo '?'; }
for name in forward proxy; do
    store="$work/$name.sqlite"
    echo "$name: $(count "$store" 'select count(*) from captures') captures, $(count "$store" "select count(*) from attempts where kind = 'forward'") forward attempts, $(count "$store" "select count(*) from attempts where status = 200") answered 200 by the target, $(count "$store" "select count(*) from attempts where error like '%queue is full%'") refused for a full queue, $(count "$store" "select count(*) from attempts where failure not in ('none') and error not like '%queue is full%'") other failures" >"$work/counts-$name.txt"
done

echo "part 2: valid deliveries on 1 connection, alone and during a flood of invalid 1 MiB bodies on 4"
wrk -t1 -c1 -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$flood_port/" >"$work/valid-alone.txt"
wrk -t1 -c4 -d"$((duration + 4))s" --latency -s "$work/flood.lua" "http://127.0.0.1:$flood_port/" >"$work/flood.txt" &
flood_wrk=$!
sleep 2
wrk -t1 -c1 -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$flood_port/" >"$work/valid-flood.txt"
wait $flood_wrk
sleep 1
flood_store="$work/flood.sqlite"
echo "flood captures: $(count "$flood_store" "select count(*) from captures where verdict = 'invalid'") invalid, $(count "$flood_store" "select count(*) from captures where verdict_reason like '%Most likely:%'") diagnosed, $(count "$flood_store" "select count(*) from captures where verdict_reason like '%Not diagnosed: the listener was busy%'") skipped as busy; $(count "$flood_store" "select count(*) from captures where verdict = 'valid'") valid captures" >"$work/counts-flood.txt"

python3 - "$work" "$rounds" <<'PY'
import re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
def parse(path):
    text = open(path).read()
    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", text, re.M)
        return float(m.group(1)) * unit[m.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), "p50": pct(50), "p99": pct(99),
            "bad": int(bad.group(1)) if bad else 0}
titles = {"listen": "listen (stored, then answered)", "forward": "listen --forward-to (answered, forwarded behind)",
          "proxy": "listen --forward-to --proxy (target's answer)"}
print()
print("| receiver | requests/s (median) | all runs | p50 | p99 | non-2xx |")
print("|---|---|---|---|---|---|")
for name in ("listen", "forward", "proxy"):
    runs = [parse(f"{work}/wrk-{name}-{r}.txt") for r in range(1, rounds + 1)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p99")}
    all_runs = ", ".join(f"{r['rps']:,.0f}" for r in runs)
    print(f"| {titles[name]} | {med['rps']:,.0f} | {all_runs} | "
          f"{med['p50']:.2f} ms | {med['p99']:.2f} ms | {sum(r['bad'] for r in runs)} |")
for name in ("forward", "proxy"):
    print(open(f"{work}/counts-{name}.txt").read().strip())
print()
alone, during, flood = (parse(f"{work}/{n}.txt") for n in ("valid-alone", "valid-flood", "flood"))
print("| valid deliveries (1 connection) | requests/s | p50 | p99 |")
print("|---|---|---|---|")
print(f"| alone | {alone['rps']:,.0f} | {alone['p50']:.2f} ms | {alone['p99']:.2f} ms |")
print(f"| during the flood | {during['rps']:,.0f} | {during['p50']:.2f} ms | {during['p99']:.2f} ms |")
print(f"flood: {flood['rps']:.1f} invalid 1 MiB requests/s answered (p50 {flood['p50']:.0f} ms, p99 {flood['p99']:.0f} ms, non-2xx {flood['bad']})")
print(open(f"{work}/counts-flood.txt").read().strip())
PY
