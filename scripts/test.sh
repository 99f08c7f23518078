#!/usr/bin/env bash
# The test command: installs what is missing (Debian packages; Kafka's broker
# jars from Maven Central), builds, and runs every test:
#   1. release build: unit, corpus, cli, daemon on the mock broker, daemon on real
#      Kafka, alerting rules (promtool), the Helm chart (helm lint/template, yamllint)
#   2. ASan + UBSan build: the same, except real Kafka (its JVMs dominate the time
#      and exercise no code path the mock tests do not), the labelled config
#      corpus and the peers' examples (rules checks: CLI runs on small texts, no
#      code path the cli test misses)
#   3. ThreadSanitizer build: leakd's own threaded code that runs without
#      librdkafka threads (offset tracker, queues, parallel `leakd scan`). Debian's
#      librdkafka starts threads with C11 thrd_create, which GCC 12's TSan does not
#      intercept: a process running them crashes under TSan (see README, Tests).
#   4. fuzzing, bounded: each libFuzzer harness of tests/fuzz for 5 seconds
#      (scripts/fuzz.sh; clang, ASan + UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
LEAKD_TEST_KAFKA_LIBS=$(bash scripts/fetch-kafka.sh)
LEAKD_TEST_HELM=$(bash scripts/fetch-helm.sh)
# Other scanners' examples are a measurement: without go or the module proxy
# the peer_examples test is skipped (exit 77), not the whole run failed.
if ! LEAKD_PEER_EXAMPLES=$(bash bench/peers/fetch-examples.sh); then
  echo "test.sh: peers' examples not fetched; peer_examples will be skipped" >&2
  LEAKD_PEER_EXAMPLES=/nonexistent
fi
export LEAKD_TEST_KAFKA_LIBS LEAKD_TEST_HELM LEAKD_PEER_EXAMPLES

jobs=$(nproc)
# Three tests per core: most of them wait on brokers, restarts and deadlines
# (daemon_faults: 180 s of wall clock, 17 s of CPU), so they are sharded
# (tests/CMakeLists.txt, leakd_add_shards) and run side by side. Of the tests
# that compute, unit runs as one shard per core and cli counts as two slots.
test_jobs=$((jobs * 3))
# The tests' leakd processes share the user's database cache (~/.cache/leakd),
# keyed by the rules and the daemon's code (common/build_id.h). Filled here,
# before ctest starts six of them at a time: six concurrent compiles (9 s
# each, 45 s under ASan) would outlast the daemon tests' readiness deadlines.
# The three builds share the entry (same code); each checks it before its
# ctest, since the tests' other rule sets may have pruned it (8 kept).
# (`serve --check-config` compiles both databases: block for scans, stream for uploads.)
warm_cache() { "$1/daemon/leakd" serve --check-config --set rules="$PWD/patterns" >/dev/null; }
echo "== release build"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$jobs"
warm_cache build/release
# The JVM-heavy real-Kafka tests are RUN_SERIAL (tests/CMakeLists.txt).
ctest --test-dir build/release --output-on-failure -j "$test_jobs"

echo "== ASan + UBSan build"
# -O1 -g1: a third less compile time than RelWithDebInfo's -O2 -g on this
# 2-core machine; sanitizer reports keep their file:line stacks.
sanitizer_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
  -DLEAKD_BUILD_BENCH=OFF)
cmake -S . -B build/asan -G Ninja "${sanitizer_flags[@]}" -DLEAKD_SANITIZE=address,undefined >/dev/null
cmake --build build/asan -j "$jobs"
warm_cache build/asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure -j "$test_jobs" \
  -E 'daemon_kafka|history_kafka|forward_kafka|forward_e2e|alert_rules|metric_references|helm_chart|leaked_configs|corpus|peer_examples'

echo "== ThreadSanitizer build (threaded parts)"
cmake -S . -B build/tsan -G Ninja "${sanitizer_flags[@]}" -DLEAKD_SANITIZE=thread >/dev/null
cmake --build build/tsan -j "$jobs" --target leakd leakd_unit_tests leakd_cli_tests
warm_cache build/tsan
# The unit tests of code that runs on several threads (the rest is
# single-threaded and ran under ASan), and the CLI's parallel scans.
TSAN_OPTIONS="halt_on_error=1" build/tsan/tests/leakd_unit_tests \
  "[queue],[offsets],[router],[reload],[http],[stall],[metrics],[poison]"
TSAN_OPTIONS="halt_on_error=1" ctest --test-dir build/tsan --output-on-failure -R '^cli$'

echo "== fuzzing (bounded)"
LEAKD_FUZZ_PARITY=report bash scripts/fuzz.sh 5
