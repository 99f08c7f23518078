#!/usr/bin/env bash
# `leakd scan --git` on a real history against the floor measured in the same
# run: `git cat-file --batch-all-objects --batch` decompressing every object
# (commits, trees and blobs) without scanning. Prints blobs/s and MB/s of blob
# content for the floor and for leakd on 1 and 2 threads (whole process: start,
# rules from the cache, history walk, reading, scanning, output), best of
# ROUNDS interleaved runs, and leakd's MB/s as a ratio of the floor's. Also,
# as the engine's own bound, `leakd scan` of the blobs --git scans (text ones)
# as two plain files on 2 threads (no git at all).
# Usage: bench/git_history.sh [BUILD_DIR] [REPO_TAR] [ROUNDS]
# BASELINE=path/to/other/leakd adds its -j 2 run to each round (a before/after
# comparison in one session).
# On a shared machine: flock /tmp/leakd-build.lock bash bench/git_history.sh
set -euo pipefail
build=${1:-build/release}
tar=${2:-../shared/bench-repos/requests.git.tar}
rounds=${3:-5}
leakd="$build/daemon/leakd"
rules="$(cd "$(dirname "$0")/.." && pwd)/patterns"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xf "$tar" -C "$work"
repo=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)
export LEAKD_CACHE_DIR="$work/cache"

# What the floor decompresses: every blob object in the repository.
read -r floor_blobs floor_bytes < <(git -C "$repo" cat-file --batch-all-objects \
  --batch-check='%(objecttype) %(objectsize)' | awk '$1=="blob"{n++; s+=$2} END{print n, s}')

seconds() {  # wall seconds of a command, its output discarded; its CPU seconds go to cpu.<name>
  local start end name="$*"
  start=$(date +%s.%N)
  ("$@" >/dev/null 2>"$work/stderr" || true; times >"$work/times")
  end=$(date +%s.%N)
  awk 'NR == 2 { gsub(/s/, ""); split($1, u, "m"); split($2, k, "m");
                 print u[1] * 60 + u[2] + k[1] * 60 + k[2] }' "$work/times" >>"$work/cpu.${name// /_}"
  python3 -c "print($end - $start)"
}
floor() { git -C "$repo" cat-file --batch-all-objects --batch; }
scan() { "$leakd" scan --rules "$rules" --git "$repo" -j "$1" -f jsonl -o "$work/out.jsonl"; }
baseline=${BASELINE:-}
base() { "$baseline" scan --rules "$rules" --git "$repo" -j 2 -f jsonl -o "$work/base.jsonl"; }
files() { "$leakd" scan --rules "$rules" --max-file-size 1G -j 2 -f jsonl "$work/half.aa" "$work/half.ab"; }
# The engine's input: the blobs --git scans, in two files of about equal size.
bash "$(dirname "$0")/text_blobs.sh" "$repo" "$work/half.aa" "$work/half.ab" >"$work/text_bytes"
text_bytes=$(cat "$work/text_bytes")

scan 2 >/dev/null 2>&1 || true  # fills the rules cache and the page cache
"$leakd" scan --rules "$rules" --git "$repo" -j 1 -f jsonl -o "$work/out.jsonl" 2>"$work/summary" || true
leakd_blobs=$(sed -n 's/.*commit(s), \([0-9]*\) distinct blob(s) (\([0-9.e+]*\) MB read).*/\1/p' "$work/summary")
leakd_mb=$(sed -n 's/.*commit(s), \([0-9]*\) distinct blob(s) (\([0-9.e+]*\) MB read).*/\2/p' "$work/summary")
findings=$(wc -l <"$work/out.jsonl")
missing=$(grep -c "missing blob" "$work/summary" || true)
leakd_blobs=$((leakd_blobs - missing))  # read and scanned

[ -n "$baseline" ] && { base >/dev/null 2>&1 || true; }
best_floor=999 best_1=999 best_2=999 best_files=999 best_base=999
for _ in $(seq "$rounds"); do
  [ -n "$baseline" ] && best_base=$(python3 -c "print(min($best_base, $(seconds base)))")
  best_floor=$(python3 -c "print(min($best_floor, $(seconds floor)))")
  best_1=$(python3 -c "print(min($best_1, $(seconds scan 1)))")
  best_2=$(python3 -c "print(min($best_2, $(seconds scan 2)))")
  best_files=$(python3 -c "print(min($best_files, $(seconds files)))")
done

python3 - "$floor_blobs" "$floor_bytes" "$leakd_blobs" "$leakd_mb" "$best_floor" "$best_1" \
  "$best_2" "$findings" "$missing" "$rounds" "$(basename "$tar")" "$best_files" "$text_bytes" \
  "$best_base" "$work" <<'PY'
import sys
fb, fbytes, lb, lmb, tf, t1, t2, findings, missing, rounds, name, tfiles, tbytes, tb, work = sys.argv[1:]
fb, fmb, lb, lmb = int(fb), int(fbytes) / 1e6, int(lb), float(lmb)
tf, t1, t2, tfiles, tb = float(tf), float(t1), float(t2), float(tfiles), float(tb)
floor_rate = fmb / tf
def cpu(run):  # the least CPU seconds (user + system) among the runs of `run`
    try:
        return min(float(x) for x in open(f"{work}/cpu.{run}").read().split())
    except (OSError, ValueError):
        return float("nan")
print(f"{name}: floor {fb} blobs, {fmb:.1f} MB of blob content; leakd {lb} distinct reachable "
      f"blobs, {lmb:.1f} MB read, {findings} findings, {missing} missing blobs reported; "
      f"best of {rounds} interleaved runs (wall and CPU each the least of the runs)")
print("| run | seconds | CPU seconds | blobs/s | MB/s of blob content | vs floor |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| git cat-file --batch-all-objects --batch (floor) | {tf:.2f} | {cpu('floor'):.2f} | {fb/tf:,.0f} | {floor_rate:.0f} | 1.00x |")
rows = [("leakd scan --git -j 1", t1, "scan_1"), ("leakd scan --git -j 2", t2, "scan_2")]
if tb < 999:
    rows.append(("baseline (BASELINE) leakd scan --git -j 2", tb, "base"))
for label, t, run in rows:
    rate = lmb / t
    print(f"| {label} | {t:.2f} | {cpu(run):.2f} | {lb/t:,.0f} | {rate:.0f} | {rate/floor_rate:.2f}x |")
files_rate = int(tbytes) / 1e6 / tfiles
print(f"| engine bound: leakd scan -j 2 of the {int(tbytes)/1e6:.1f} MB of text blobs as 2 files | {tfiles:.2f} | {cpu('files'):.2f} | - | {files_rate:.0f} | {files_rate/floor_rate:.2f}x |")
PY
