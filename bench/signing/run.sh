#!/usr/bin/env bash
# Signing benchmark: in-process verify vs OpenSSL HMAC(), then the command line against
# `openssl dgst -sha256 -hmac` on the same 1 MiB file (hyperfine; process start-up included in both).
# Usage: bench/signing/run.sh [build-dir]   (default build/release, configured with benchmarks on)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
cmake --build "$build" --target bench_signing hookbench >/dev/null
"$build/bench/signing/bench_signing"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 1048576 /dev/urandom > "$work/body.bin"
: > "$work/empty.bin"
signature=$(WEBHOOK_KEY=bench-secret "$build/app/hookbench" sign --body-file "$work/body.bin")
empty_signature=$(WEBHOOK_KEY=bench-secret "$build/app/hookbench" sign --body-file "$work/empty.bin")
echo
hyperfine -N --warmup 5 --runs 60 --style basic \
    "openssl dgst -sha256 -hmac bench-secret $work/empty.bin" \
    "openssl dgst -sha256 -hmac bench-secret $work/body.bin" \
    "$build/app/hookbench verify --secret bench-secret --body-file $work/empty.bin -H '$empty_signature'" \
    "$build/app/hookbench verify --secret bench-secret --body-file $work/body.bin -H '$signature'" \
    --export-json "$work/cli.json" >/dev/null
python3 - "$work/cli.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
median = {i: r["median"] * 1000 for i, r in enumerate(results)}
print("| command | 0 B body | 1 MiB body | 1 MiB minus start-up |")
print("|---|---|---|---|")
print(f"| openssl dgst -sha256 -hmac | {median[0]:.2f} ms | {median[1]:.2f} ms | {median[1] - median[0]:.2f} ms |")
print(f"| hookbench verify | {median[2]:.2f} ms | {median[3]:.2f} ms | {median[3] - median[2]:.2f} ms |")
PY
