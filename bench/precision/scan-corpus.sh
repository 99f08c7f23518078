#!/usr/bin/env bash
# Scan the precision corpus (fetch-corpus.sh) with leakd and write the findings and the count table.
#
#   bench/precision/scan-corpus.sh [--leakd BIN] [--rules DIR] [--out DIR] [--identifiers] [CORPUS]
#
# CORPUS defaults to ~/.cache/leakd/precision; OUT to CORPUS/results. Writes OUT/findings.jsonl
# (redacted: no --reveal) and OUT/table.md (findings per 100 MB by tier, fixture split, per rule,
# and the false-positive share per tier from labels.tsv beside this script). --identifiers: the
# opt-in identifier tier too (leakd scan --identifiers).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
leakd="${LEAKD:-$repo/build/release/daemon/leakd}"
rules="$repo/patterns"
out=""
extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --leakd) leakd=$2; shift 2 ;;
    --rules) rules=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --identifiers) extra+=(--identifiers); shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
corpus="${1:-${LEAKD_PRECISION_DIR:-$HOME/.cache/leakd/precision}}"
out="${out:-$corpus/results}"
mkdir -p "$out"
[[ -d $corpus/src ]] || { echo "no corpus at $corpus/src: run fetch-corpus.sh first" >&2; exit 2; }
# Paths relative to the corpus root, so fixture paths (tests/, docs/ …) are judged inside each package.
rc=0
(cd "$corpus/src" && "$leakd" scan "${extra[@]}" --rules "$rules" --no-cache -f jsonl -o "$out/findings.jsonl" .) \
  2>"$out/scan.stderr" || rc=$?
[[ $rc -le 1 ]] || { cat "$out/scan.stderr" >&2; exit "$rc"; }
cat "$out/scan.stderr" >&2
python3 "$here/summarize.py" --corpus "$corpus/src" --findings "$out/findings.jsonl" \
  --labels "$here/labels.tsv" >"$out/table.md"
cat "$out/table.md"
