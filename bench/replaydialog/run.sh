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
targets="bench_replaydialog"
source bench/replay/receiver.sh
for concurrency in 4 16; do
    QT_QPA_PLATFORM=offscreen "$build/bench/replaydialog/bench_replaydialog" "http://127.0.0.1:$port/dbt" "$secret" \
        "$count" "$concurrency"
done
