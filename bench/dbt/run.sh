#!/usr/bin/env bash
# dbt benchmark: summarizeDbtEvent(), which the listener runs on every request before storing it,
# on dbt events and on bodies it must skip cheaply; then `hookbench sample` start to finish.
# Usage: bench/dbt/run.sh [build-dir] [rounds]   (default build/release, 15 rounds)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
rounds=${2:-15}
cmake --build "$build" --target bench_dbt_summarize hookbench >/dev/null
"$build/bench/dbt/bench_dbt_summarize" "$rounds"
echo
hyperfine -N --warmup 5 --runs 60 --style basic \
    "$build/app/hookbench sample" \
    "$build/app/hookbench sample --scenario failure" 2>/dev/null | grep -E "Benchmark|Time"
