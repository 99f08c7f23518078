#!/usr/bin/env bash
# Times `leakd scan` as a whole process (start-up, cache load, read, scan,
# output) on the benchmark corpus, against raw Hyperscan on the same corpus in
# the same script run. Usage: bench/scan_process.sh [BUILD_DIR] [CORPUS_MB]
set -euo pipefail
build=${1:-build/release}
mb=${2:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/bench/leakd_engine_bench" --corpus-mb="$mb" --write-corpus="$work/corpus.txt"
bytes=$(stat -c %s "$work/corpus.txt")
export LEAKD_CACHE_DIR="$work/cache"
"$build/daemon/leakd" scan --max-file-size 1G --threads 1 "$work/corpus.txt" >/dev/null || true  # fills the cache

time_scan() {  # prints seconds for the best of 3 runs
  local best=999999
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$build/daemon/leakd" scan --max-file-size 1G "$@" -f jsonl -o "$work/out.jsonl" || true
    end=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $end - $start))")
  done
  echo "$best"
}
one=$(time_scan --threads 1 "$work/corpus.txt")
findings=$(wc -l < "$work/out.jsonl")
raw=$("$build/bench/leakd_engine_bench" --corpus-mb="$mb" --benchmark_filter=Raw 2>/dev/null \
      | sed -n 's/.*raw hyperscan: \([0-9]*\) MB\/s.*/\1/p')
python3 - "$bytes" "$one" "$raw" "$findings" <<'PY'
import sys
size, one, raw, findings = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3] or 0), sys.argv[4]
rate = size / one / 1e6
print(f"leakd scan, 1 thread, whole process: {size/1e6:.1f} MB in {one:.2f} s = {rate:.0f} MB/s, {findings} findings")
if raw:
    print(f"raw hyperscan in this run: {raw:.0f} MB/s; process/raw: {rate/raw:.2f}x")
PY
