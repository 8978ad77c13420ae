#!/usr/bin/env bash
# Store benchmark: group-commit insert throughput and latency (synchronous NORMAL vs FULL, writes
# in flight, batch limits), then list-view operations and the captures command on a store of a
# million realistic captures (filled once with populatestore and kept for later runs).
# Usage: bench/store/run.sh [build-dir] [scratch-dir]   (default build/release, /tmp/hookbench-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
scratch=${2:-/tmp/hookbench-bench}
mkdir -p "$scratch"
cmake --build "$build" --target storebench populatestore hookbench >/dev/null
uptime
"$build/bench/store/storebench" insert --captures 20000 --dir "$scratch"
echo
large="$scratch/captures-1m.sqlite"
if [ ! -f "$large" ]; then
    /usr/bin/time -f "populatestore: %e s wall, %U s user, %S s sys, %M KiB max RSS" \
        "$build/bench/store/populatestore" --store "$large" --count 1000000 --sessions 4
fi
ls -l "$large"
"$build/bench/store/storebench" read --store "$large"
echo
id=$("$build/app/hookbench" captures list --store "$large" --limit 1 --json | sed 's/.*"id":\([0-9]*\).*/\1/')
hyperfine -N --warmup 3 --runs 30 --style basic \
    "$build/app/hookbench captures list --store $large" \
    "$build/app/hookbench captures list --store $large --verdict invalid --limit 100 --json" \
    "$build/app/hookbench captures show $((id / 2)) --store $large --json" \
    "$build/app/hookbench captures show $((id / 2)) --store $large --body" 2>/dev/null | grep -E "Benchmark|Time"
hyperfine -N --warmup 1 --runs 5 --style basic \
    "$build/app/hookbench captures list --store $large --search wev_notthere --limit 10" 2>/dev/null \
    | grep -E "Benchmark|Time"
uptime
