#!/usr/bin/env bash
# Times `leakd scan` of two builds on the same files, in the same run, turn
# about (the machine is shared: only the ratio means something). For a change
# in what the CLI does per byte that the engine benchmark does not see, such
# as decoding (scan/decoded_scan.h).
#   bench/scan_compare.sh BEFORE_LEAKD AFTER_LEAKD FILE...
# Prints, per file, the best of 3 CPU times (user + system, 1 thread) of each
# binary, after/before, and the number of findings of each.
set -euo pipefail
before=$1
after=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LEAKD_CACHE_DIR="$work/cache"

cpu_of() {  # binary file -> best CPU seconds of 3; findings in $work/out.jsonl
  local best=999999
  for _ in 1 2 3; do
    /usr/bin/time -o "$work/time" -f "%U %S" "$1" scan --max-file-size 1G --threads 1 "$2" \
      -f jsonl -o "$work/out.jsonl" 2>/dev/null || true
    best=$(python3 -c "u, s = map(float, '$(tail -1 "$work/time")'.split()); print(min($best, u + s))")
  done
  echo "$best"
}

for file in "$@"; do
  "$before" scan --max-file-size 1G "$file" >/dev/null 2>&1 || true  # fills the cache
  "$after" scan --max-file-size 1G "$file" >/dev/null 2>&1 || true
  b=$(cpu_of "$before" "$file"); nb=$(wc -l <"$work/out.jsonl")
  a=$(cpu_of "$after" "$file"); na=$(wc -l <"$work/out.jsonl")
  python3 - "$file" "$(stat -c %s "$file")" "$b" "$a" "$nb" "$na" <<'PY'
import sys
name, size, b, a, nb, na = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:5]), *sys.argv[5:7]
print(f"{name}: {size/1e6:.1f} MB; before {b:.2f} s CPU ({size/b/1e6:.0f} MB/s, {nb} findings), "
      f"after {a:.2f} s ({size/a/1e6:.0f} MB/s, {na} findings): after/before {a/b:.2f}x time")
PY
done
