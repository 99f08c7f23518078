#!/usr/bin/env bash
# Fetches Apache Kafka's broker jars (KRaft mode) from Maven Central into
# $LEAKD_TEST_KAFKA_LIBS (default ~/.cache/leakd/kafka-libs), once; later runs reuse
# them (and Maven's own ~/.m2 cache). Prints the folder. Needs JDK 17 + Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
libs=${LEAKD_TEST_KAFKA_LIBS:-$HOME/.cache/leakd/kafka-libs}
stamp="$libs/.complete-$(sha256sum tests/kafka/pom.xml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  command -v mvn >/dev/null || { echo "fetch-kafka: mvn not found" >&2; exit 1; }
  rm -rf "$libs" && mkdir -p "$libs"
  mvn -q -B -f tests/kafka/pom.xml dependency:copy-dependencies \
      -DoutputDirectory="$libs" -DincludeScope=runtime >&2
  touch "$stamp"
fi
echo "$libs"
