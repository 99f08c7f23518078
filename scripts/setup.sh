#!/usr/bin/env bash
# Installs every Debian 12 package that leakd's build, tests and benchmarks need.
# Idempotent; run as root. Kafka jars and helm come from their own steps (see
# scripts/fetch-kafka.sh and scripts/fetch-helm.sh), which the test command calls.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates python3
  libhyperscan-dev libre2-dev librdkafka-dev libsimdjson-dev libyaml-cpp-dev
  libcli11-dev libsodium-dev zlib1g-dev libboost-dev libboost-system-dev
  prometheus-cpp-dev catch2 libbenchmark-dev nlohmann-json3-dev libgit2-dev
  kcat prometheus clang-format yamllint unzip linux-perf time
  openjdk-17-jre-headless maven python3-yaml
  libssl-dev python3-cryptography
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all Debian packages present"
fi
