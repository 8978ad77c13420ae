#!/usr/bin/env bash
# Workbench benchmark: the capture list over a store of a million captures (open, jump to the
# end, filters), the window under 5,000 real HTTP deliveries a second (UI event-loop lateness),
# and the Body tab with 1 and 16 MiB bodies. Offscreen, Release build.
# Usage: bench/workbench/run.sh [build-dir] [scratch-dir]   (default build/release, /tmp/hookbench-ui-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
scratch=${2:-/tmp/hookbench-ui-bench}
mkdir -p "$scratch"
cmake --build "$build" --target bench_workbench populatestore >/dev/null
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$scratch}"
uptime
large="$scratch/captures-1m.sqlite"
if [ ! -f "$large" ]; then
    "$build/bench/store/populatestore" --store "$large" --count 1000000 --sessions 4
fi
for run in 1 2 3; do
    echo "== store, run $run"
    "$build/bench/workbench/bench_workbench" store --store "$large"
done
for run in 1 2 3; do
    echo "== live 5000/s, run $run"
    "$build/bench/workbench/bench_workbench" live --rate 5000 --seconds 20 | grep -v '^  t='
done
echo "== body"
"$build/bench/workbench/bench_workbench" body
