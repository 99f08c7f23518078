#!/usr/bin/env bash
# The main job on its embedded default: installs what is missing, builds, then
# runs the daemon against an in-process Kafka (librdkafka's mock cluster),
# pushes sample commits and uploads, and prints the alerts and dead letters
# they cause. Then scans the bundled sample repository with `leakd scan`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)" --target leakd

echo "== leakd serve --embedded-broker --demo   (daemon logs: build/release/demo-serve.log)"
./build/release/daemon/leakd serve --embedded-broker --demo 2> build/release/demo-serve.log

echo
echo "== leakd scan tests/data/sample-repo"
set +e
./build/release/daemon/leakd scan tests/data/sample-repo
status=$?
set -e
echo "== exit status $status (0: clean, 1: findings, 2: error)"
[ "$status" -le 1 ]
