#!/usr/bin/env bash
# The blobs `leakd scan --git` scans (no NUL in the first 8000 bytes, at most
# 25 MB) of every object in REPO, written into the OUT files in about equal
# parts, each starting with a blob of 8000 bytes or more so that no file is
# taken for binary. Prints the bytes written. The engine's input, for
# bench/git_history.sh (its engine bound) and bench/rule_cost.sh.
# Usage: bench/text_blobs.sh REPO OUT...
set -euo pipefail
repo=$1
shift
git -C "$repo" cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)' |
  awk '$2=="blob"{print $1}' | git -C "$repo" cat-file --batch |
  python3 -c '
import sys
src, text = sys.stdin.buffer, []
while True:
    header = src.readline()
    if not header:
        break
    data = src.read(int(header.split()[2]))
    src.read(1)
    if b"\0" not in data[:8000] and len(data) <= 25 << 20:
        text.append(data)
names = sys.argv[1:]
first = sorted(range(len(text)), key=lambda i: -len(text[i]))[:len(names)]
order = first + [i for i in range(len(text)) if i not in set(first)]
parts, sizes = [[] for _ in names], [0] * len(names)
for i in order:
    k = sizes.index(min(sizes))
    parts[k].append(text[i])
    sizes[k] += len(text[i]) + 1
for name, blobs in zip(names, parts):
    with open(name, "wb") as f:
        f.write(b"\n".join(blobs) + b"\n")
print(sum(sizes))
' "$@"
