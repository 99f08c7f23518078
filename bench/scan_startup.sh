#!/usr/bin/env bash
# `leakd scan` of one small file with a warm cache: how long a pre-commit hook
# or an editor integration waits. Median wall time of 10 runs, next to the
# floor measured in the same run: `leakd --version` (the same binary's
# process start and dynamic linking, no rules). Target: median ≤ 30 ms.
#   bash bench/scan_startup.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build/release}
runs=${2:-10}
leakd="$build/daemon/leakd"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LEAKD_CACHE_DIR="$work/cache"
printf 'import os\nAPI_URL = "https://example.invalid"\ntimeout = 30\n' >"$work/settings.py"

"$leakd" scan "$work/settings.py" >/dev/null 2>&1  # fills the cache (cold start, not timed)

median_ms() {  # median wall time of N runs of the command, in ms: median_ms N CMD...
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.1f}")
PY
}
floor=$(median_ms "$runs" "$leakd" --version)
warm=$(median_ms "$runs" "$leakd" scan "$work/settings.py")
cold=$(median_ms 1 "$leakd" scan --no-cache "$work/settings.py")  # compiles every rule: once
python3 - "$floor" "$warm" "$cold" <<'PY'
import sys
floor, warm, cold = map(float, sys.argv[1:])
print(f"leakd --version (process floor):      {floor:6.1f} ms")
print(f"leakd scan, one small file, warm cache: {warm:6.1f} ms  ({warm - floor:.1f} ms over the floor; target <= 30 ms)")
print(f"leakd scan, one small file, --no-cache: {cold:6.1f} ms  (one run: compiles every rule)")
PY
