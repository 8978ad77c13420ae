#!/usr/bin/env bash
# Runs tab benchmark: 20,000 dbt runs among 100,000 other captures; loading the runs model, the
# UI thread's lateness meanwhile, painting the timeline, sorting. Offscreen.
# Usage: bench/runs/run.sh [build-dir] [scratch-dir]   (default build/release, /tmp/hookbench-runs-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
scratch=${2:-/tmp/hookbench-runs-bench}
mkdir -p "$scratch"
cmake --build "$build" --target bench_runs >/dev/null
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$scratch}"
uptime
for run in 1 2 3; do
    echo "== run $run"
    "$build/bench/runs/bench_runs" --store "$scratch/runs.sqlite"
done
