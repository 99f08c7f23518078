#!/usr/bin/env bash
# leakd against Kingfisher (MongoDB's scanner), both run here on the same texts:
# the shared corpus (../shared/corpus, another scanner's rule examples, one
# file per text) and the labelled leaked-config corpus (tests/data/leaked-configs).
# Kingfisher comes from PyPI (kingfisher-bin, its release binary in a wheel),
# pinned by version and sha256, cached in ~/.cache/leakd/peers. Run without
# validation (-n: nothing leaves the machine), every occurrence reported
# (--no-dedup), lowest confidence (-c low), so it reports all it can.
# Prints bench/peers/head_to_head.py's table.
#
#   bash bench/peers/kingfisher.sh [BUILD_DIR]        # BUILD_DIR: build/release
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(realpath "${1:-$root/build/release}")
version=2.14.0
sha256=50f2b9bc05560058c1e7712dd4493cbe145f415b753e76af84ee1bfc2f583799
cache=${LEAKD_PEERS_CACHE:-$HOME/.cache/leakd/peers}/kingfisher-$version
kingfisher=$cache/kingfisher/bin/kingfisher

if [[ ! -x $kingfisher ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  wheel=$(bash "$here/kingfisher-wheel.sh" "$version" "$sha256" "$work")
  mkdir -p "$cache"
  python3 -m zipfile -e "$wheel" "$cache"
  chmod +x "$kingfisher"
fi

python3 "$here/head_to_head.py" --leakd "$build/daemon/leakd" --rules "$root/patterns" \
  --kingfisher "$kingfisher" --shared-corpus "$root/../shared/corpus/noseyparker-examples.jsonl" \
  --leaked-configs "$root/tests/data/leaked-configs"
