# Sourced by the replay benchmarks (bench/replay/run.sh, bench/replaydialog/run.sh) after they set
# `build` and `secret`: configures the build when needed, builds bench_receiver and the targets
# named in $targets, and starts bench_receiver (which verifies every signature) on a free port:
# $port, $work (removed on exit with the receiver stopped).
if [ ! -f "$build/build.ninja" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOOKBENCH_BUILD_TESTS=OFF >/dev/null
fi
# shellcheck disable=SC2086 # $targets is a list of target names
cmake --build "$build" --target bench_receiver $targets >/dev/null

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
