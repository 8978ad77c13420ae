#!/usr/bin/env bash
# Batch replay from the window: COUNT (default 10,000) stored dbt Cloud captures replayed from the
# Replay dialog, re-signed, at concurrency 4 and 16, to bench_receiver (which verifies each
# signature); the UI thread's timer lateness during the batch shows whether the window stays
# responsive while captures stream from the store.
# Usage: bench/replaydialog/run.sh [build-dir]   (default build/release, configured with benchmarks on)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
count=${COUNT:-10000}
secret=bench-secret
if [ ! -f "$build/build.ninja" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOOKBENCH_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target bench_replaydialog bench_receiver >/dev/null

work=$(mktemp -d)
receiver_pid=
cleanup() {
    [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
"$build/bench/replay/bench_receiver" 0 "$secret" > "$work/port" &
receiver_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(head -1 "$work/port")
for concurrency in 4 16; do
    QT_QPA_PLATFORM=offscreen "$build/bench/replaydialog/bench_replaydialog" "http://127.0.0.1:$port/dbt" "$secret" \
        "$count" "$concurrency"
done
