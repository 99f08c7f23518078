#!/usr/bin/env bash
# Downloads Kingfisher's release wheel (kingfisher-bin, Linux x86-64) of VERSION
# from PyPI into DIR, checks it against SHA256 and prints its path. Used by
# fetch-examples.sh (its rule examples) and kingfisher.sh (its binary).
#
#   bash bench/peers/kingfisher-wheel.sh VERSION SHA256 DIR
set -euo pipefail
version=$1 sha256=$2 dir=$3
wheel=$dir/kingfisher_bin-$version-py3-none-manylinux_2_17_x86_64.musllinux_1_2_x86_64.whl
python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux_2_17_x86_64 \
  "kingfisher-bin==$version" -d "$dir" >&2
echo "$sha256  $wheel" | sha256sum -c --quiet - >&2 ||
  { echo "kingfisher-wheel: $wheel does not have the pinned sha256" >&2; exit 1; }
echo "$wheel"
