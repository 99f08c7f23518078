#!/usr/bin/env bash
# leakd_serve_bench on a real Apache Kafka broker: fetches the broker jars
# (scripts/fetch-kafka.sh), starts a single-node KRaft broker on loopback with
# the integration tests' configuration (bench/kraft_broker.cpp), runs the
# bench against it — leakd and the bare relay floor in the same run — and
# stops the broker. Prints the ratio tables (stdout); progress goes to stderr.
# Measure with the build lock held, so that no build shares the cores:
#   flock /tmp/leakd-build.lock bash bench/serve_kafka.sh [BUILD_DIR] [bench options]
# Bench options: --seconds=N (per rate, default 10) --events=N --chunks=N --repeat=N
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then build=$1; shift; fi
for bin in leakd_serve_bench leakd_kraft_broker; do
  [ -x "$build/bench/$bin" ] || { echo "serve_kafka: $build/bench/$bin not built" >&2; exit 1; }
done
LEAKD_TEST_KAFKA_LIBS=$(bash scripts/fetch-kafka.sh)
export LEAKD_TEST_KAFKA_LIBS

# The broker's stdin is this script's pipe: if the script dies, the broker stops.
broker_log=$(mktemp)
coproc BROKER { exec "$build/bench/leakd_kraft_broker" 2>"$broker_log"; }
broker_pid=$BROKER_PID
trap 'kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; rm -f "$broker_log"' EXIT
if ! read -r -t 180 -u "${BROKER[0]}" word address || [ "$word" != ready ]; then
  echo "serve_kafka: the broker did not start:" >&2
  tail -20 "$broker_log" >&2
  exit 1
fi
echo "broker: Kafka $(ls "$LEAKD_TEST_KAFKA_LIBS" | sed -n 's/^kafka_2.13-\(.*\)\.jar$/\1/p' | head -1)," \
  "single node, KRaft, at $address; $(nproc) cores"
"$build/bench/leakd_serve_bench" --brokers="$address" --seconds=10 "$@"
