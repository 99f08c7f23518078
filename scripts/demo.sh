#!/usr/bin/env bash
# The main job on its embedded default: installs what is missing, builds, and
# scans the bundled sample repository, printing findings.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)" --target leakd

echo "== leakd scan tests/data/sample-repo"
set +e
./build/release/daemon/leakd scan tests/data/sample-repo
status=$?
set -e
echo "== exit status $status (0: clean, 1: findings, 2: error)"
[ "$status" -le 1 ]
