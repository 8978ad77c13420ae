#!/usr/bin/env bash
# Listener benchmark: wrk on loopback against three receivers running side by side, each round
# measuring each of them in turn with the same dbt Cloud payload and signature:
#   listen  hookbench listen (dbt-cloud scheme, every request stored before it is answered)
#   bare    a bare Qt HttpServer that only checks the HMAC and answers (bench_bare_httpserver)
#   flask   the Flask receiver from dbt's documentation (flask_receiver.py)
# then a one-million-request run against a fresh `hookbench listen`, sampling its memory.
#
# Usage: bench/listener/run.sh [build-dir]   (default build/release, configured with benchmarks on)
# Environment: ROUNDS (5), DURATION seconds per measurement (10), CONNECTIONS (16), FLASK_PYTHON
#              (/usr/bin/python3, Debian's, with python3-flask),
#              MILLION (1000000 requests; 0 skips the memory run), KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
rounds=${ROUNDS:-5}
duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
million=${MILLION:-1000000}
cmake --build "$build" --target hookbench bench_bare_httpserver >/dev/null
hookbench="$build/app/hookbench"
bare="$build/bench/listener/bench_bare_httpserver"

source bench/listener/common.sh

start_listen() { # port store
    "$hookbench" listen --port "$1" --quiet --secret-env WEBHOOK_KEY --store "$2" >"$work/listen-$1.log" 2>&1 &
    pids+=($!)
    wait_port "$1"
}

listen_port=5301 bare_port=5302 flask_port=5303
start_listen $listen_port "$work/captures.sqlite"
listen_pid=${pids[-1]}
"$bare" $bare_port "$secret" >"$work/bare.log" 2>&1 &
pids+=($!)
bare_pid=$!
wait_port $bare_port
# Debian's interpreter, where python3-flask (the package the issue names) lives: a `python3`
# earlier on PATH (pyenv, a virtualenv) may carry another Flask.
flask_python=${FLASK_PYTHON:-/usr/bin/python3}
"$flask_python" -c 'import flask' || { echo "$flask_python has no Flask (install python3-flask)" >&2; exit 1; }
PORT=$flask_port "$flask_python" bench/listener/flask_receiver.py >"$work/flask.log" 2>&1 &
pids+=($!)
wait_port $flask_port

# Every receiver must accept the payload before anything is measured.
for port in $listen_port $bare_port $flask_port; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $signature" \
        -H 'Content-Type: application/json' --data-binary "$body" "http://127.0.0.1:$port/")
    [ "$status" = 200 ] || { echo "port $port answered $status to a valid delivery" >&2; exit 1; }
done

echo "flask: $("$flask_python" -c 'import sys, flask; print("Flask", flask.__version__, "on Python", sys.version.split()[0])' 2>/dev/null)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); wrk -t1 -c$connections -d${duration}s; $rounds rounds"
for name in listen bare flask; do
    port_var=${name}_port
    wrk -t1 -c"$connections" -d2s -s "$work/post.lua" "http://127.0.0.1:${!port_var}/" >/dev/null # warm-up
done
for round in $(seq "$rounds"); do
    for name in listen bare flask; do
        port_var=${name}_port
        wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:${!port_var}/" \
            >"$work/wrk-$name-$round.txt"
    done
    echo "round $round done"
done
listen_rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$listen_pid/status")

# Where the time goes: CPU (user + system) per request of each thread, over one more run each.
cpu_per_request() { # name pid port
    local tick before after requests
    tick=$(getconf CLK_TCK)
    snapshot() { for task in /proc/$2/task/*; do echo "${task##*/} $(tr ' ' _ <"$task/comm") $(awk '{print $14 + $15}' "$task/stat")"; done; }
    before=$(snapshot "$1" "$2")
    requests=$(wrk -t1 -c"$connections" -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$3/" | awk '/requests in/ {print $1}')
    after=$(snapshot "$1" "$2")
    printf '%s\n%s\n' "$before" "$after" | awk -v name="$1" -v requests="$requests" -v tick="$tick" '
        { if (seen[$1]++) used[$2] += $3; else used[$2] -= $3 }
        END { line = name ":"; total = 0
              for (thread in used) { us = used[thread] / tick * 1e6 / requests; total += us
                                     if (us >= 0.5) line = line sprintf(" %s %.1f µs,", thread, us) }
              printf "%s total %.1f µs CPU per request (%d requests)\n", line, total, requests }'
}
cpu_listen=$(cpu_per_request listen "$listen_pid" $listen_port)
cpu_bare=$(cpu_per_request bare "$bare_pid" $bare_port)

python3 - "$work" "$rounds" "$listen_rss_kib" "$cpu_listen" "$cpu_bare" <<'PY'
import re, statistics, sys
work, rounds, listen_rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cpu_lines = sys.argv[4:6]
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)", text, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", text, re.M)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {"rps": rps, "p50": float(p50.group(1)) * unit[p50.group(2)], "p99": float(p99.group(1)) * unit[p99.group(2)],
            "bad": int(bad.group(1)) if bad else 0, "errors": errors.group(1) if errors else ""}
results = {name: [parse(f"{work}/wrk-{name}-{r}.txt") for r in range(1, rounds + 1)] for name in ("listen", "bare", "flask")}
median = {name: {k: statistics.median(run[k] for run in runs) for k in ("rps", "p50", "p99")} for name, runs in results.items()}
titles = {"listen": "hookbench listen (dbt-cloud, stored before answering)", "bare": "bare Qt HttpServer + HMAC check",
          "flask": "Flask (dbt docs' receiver, dev server)"}
print()
print("| receiver | requests/s (median) | all runs | p50 | p99 | non-2xx |")
print("|---|---|---|---|---|---|")
for name in ("listen", "bare", "flask"):
    runs = results[name]
    all_runs = ", ".join(f"{r['rps']:,.0f}" for r in runs)
    print(f"| {titles[name]} | {median[name]['rps']:,.0f} | {all_runs} | "
          f"{median[name]['p50']:.2f} ms | {median[name]['p99']:.2f} ms | {sum(r['bad'] for r in runs)} |")
    for r in runs:
        if r["errors"]:
            print(f"|   socket errors ({name}) | {r['errors']} | | | | |")
print()
print(f"listen / flask: {median['listen']['rps'] / median['flask']['rps']:.1f}x (goal >= 20x)")
print(f"listen / bare:  {100 * median['listen']['rps'] / median['bare']['rps']:.0f}% (goal >= 40%)")
# Each round measures the three back to back, so a round's own ratios see the same machine:
# their median is steadier than the ratio of medians when the machine's speed drifts.
per_round = [(l["rps"] / f["rps"], l["rps"] / b["rps"]) for l, b, f in zip(results["listen"], results["bare"], results["flask"])]
print("per round: listen / flask " + ", ".join(f"{x:.1f}x" for x, _ in per_round)
      + f" (median {statistics.median(x for x, _ in per_round):.1f}x); listen / bare "
      + ", ".join(f"{100 * y:.0f}%" for _, y in per_round) + f" (median {100 * statistics.median(y for _, y in per_round):.0f}%)")
print(f"listen p99 at 16 connections: {median['listen']['p99']:.2f} ms (goal < 10 ms)")
print(f"listen resident memory after the rounds: {listen_rss / 1024:.1f} MiB")
for line in cpu_lines:
    print(line)
open(f"{work}/listen-rps", "w").write(f"{median['listen']['rps']:.0f}\n")
PY

[ "$million" -gt 0 ] || exit 0
echo
echo "one-million-request run against a fresh hookbench listen (memory sampled every second)"
million_port=5304
start_listen $million_port "$work/million.sqlite"
million_pid=${pids[-1]}
(
    while kill -0 "$million_pid" 2>/dev/null; do
        printf '%s %s\n' "$(date +%s.%N)" "$(awk '/VmRSS/ {print $2}' "/proc/$million_pid/status" 2>/dev/null)"
        sleep 1
    done
) >"$work/rss.txt" &
sampler=$!
# wrk stops on time, not on a count: run long enough for the requested count at 90% of the
# measured rate, and report what was actually done.
million_seconds=$(( million * 10 / 9 / $(cat "$work/listen-rps") + 5 ))
wrk -t1 -c"$connections" -d"${million_seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$million_port/" \
    >"$work/wrk-million.txt"
kill "$sampler" 2>/dev/null || true
stored=$(sqlite3 "$work/million.sqlite" 'select count(*) from captures' 2>/dev/null || echo '?')
python3 - "$work/rss.txt" "$work/wrk-million.txt" "$stored" <<'PY'
import re, sys
samples = [int(line.split()[1]) for line in open(sys.argv[1]) if len(line.split()) == 2]
text = open(sys.argv[2]).read()
requests = int(re.search(r"(\d+) requests in", text).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
tenth = samples[max(0, len(samples) // 10)]
print(f"{requests:,} requests at {rps:,.0f}/s; {sys.argv[3]} captures in the store")
print(f"resident memory (MiB): first {samples[0] / 1024:.1f}, at 10% {tenth / 1024:.1f}, "
      f"at 50% {samples[len(samples) // 2] / 1024:.1f}, last {samples[-1] / 1024:.1f}, max {max(samples) / 1024:.1f}")
print(f"growth from 10% to the end: {(samples[-1] - tenth) / 1024:+.1f} MiB over {len(samples)} samples")
PY
