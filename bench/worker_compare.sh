#!/usr/bin/env bash
# Before/after CPU per commit event of the worker path (bench/worker_bench.cpp):
# two leakd_worker_bench binaries taking turns in the same run, so that the
# ratio holds on a noisy shared machine.
#
#   bench/worker_compare.sh BASE_BINARY NEW_BINARY [ROUNDS]   (default 3 rounds)
#
# A base binary from another commit (one that has bench/worker_bench.cpp):
#   git worktree add /tmp/leakd-base <commit>
#   cmake -S /tmp/leakd-base -B /tmp/leakd-base/build -G Ninja -DCMAKE_BUILD_TYPE=Release
#   flock /tmp/leakd-build.lock cmake --build /tmp/leakd-base/build -j2 --target leakd_worker_bench
# Prints the median CPU µs per event of each benchmark for both, and new/base.
set -euo pipefail
base=${1:?usage: worker_compare.sh BASE_BINARY NEW_BINARY [ROUNDS]}
new=${2:?usage: worker_compare.sh BASE_BINARY NEW_BINARY [ROUNDS]}
rounds=${3:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((r = 1; r <= rounds; r++)); do
  # Alternate which goes first, so neither always meets the same moment.
  if ((r % 2)); then order="base new"; else order="new base"; fi
  for side in $order; do
    bin=$base
    [[ $side == new ]] && bin=$new
    echo "round $r/$rounds: $side" >&2
    "$bin" --benchmark_min_time=1 --benchmark_format=json >"$out/$side.$r.json"
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
cpu = {"base": {}, "new": {}}
for side in cpu:
    for r in range(1, rounds + 1):
        for b in json.load(open(f"{out}/{side}.{r}.json"))["benchmarks"]:
            cpu[side].setdefault(b["name"], []).append(b["cpu_time"])  # µs per event
print(f"{'benchmark':32} {'base us/event':>14} {'new us/event':>13} {'new/base':>9}")
for name, times in cpu["base"].items():
    if name not in cpu["new"]:
        continue
    b, n = statistics.median(times), statistics.median(cpu["new"][name])
    print(f"{name:32} {b:14.2f} {n:13.2f} {n / b:8.2f}x")
PY
