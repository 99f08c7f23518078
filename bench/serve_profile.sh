#!/usr/bin/env bash
# Where the daemon's CPU goes during bench/leakd_serve_bench, by library:
# leakd's own code (the binary, with simdjson/nlohmann inlined), Hyperscan,
# RE2, librdkafka (the Kafka clients and, in this setup, the mock broker too),
# libc and the kernel. Needs `perf` (Debian linux-perf).
# Usage: bench/serve_profile.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build/release}
data=$(mktemp)
trap 'rm -f "$data"' EXIT
perf record -q -o "$data" "$build/bench/leakd_serve_bench" --seconds=1 >/dev/null 2>&1
perf report -i "$data" --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -12
