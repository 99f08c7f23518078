// A single-node Apache Kafka (KRaft) broker on loopback for bench/serve_kafka.sh:
// the integration tests' KraftCluster (tests/support/kraft_cluster.h: the
// same server.properties), from the jars scripts/fetch-kafka.sh fetched
// (LEAKD_TEST_KAFKA_LIBS). The JVM runs with the options Kafka's own
// kafka-server-start.sh uses (1 GiB heap, G1), or with --test-jvm the tests'
// (small heap, serial GC, C1 only: quick to start, slower to run). Prints
// "ready HOST:PORT" once a produce is acknowledged, then runs until
// SIGTERM/SIGINT or until its stdin closes (the script that started it is
// gone), and then kills and deletes the broker.
//   leakd_kraft_broker [--test-jvm]
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>

#include "kraft_cluster.h"

namespace {
volatile sig_atomic_t stop = 0;
void OnSignal(int) {
  stop = 1;
}
}  // namespace

int main(int argc, char** argv) {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);  // handlers do not survive exec: the JVM keeps its own
  sigaction(SIGINT, &sa, nullptr);
  try {
    const bool test_jvm = argc > 1 && std::strcmp(argv[1], "--test-jvm") == 0;
    leakd::testing::KraftCluster cluster(
        1, test_jvm ? leakd::testing::TestJvmOptions() : leakd::testing::ProductionJvmOptions());
    std::printf("ready %s\n", cluster.bootstraps().c_str());
    std::fflush(stdout);
    while (!stop) {
      pollfd in{0, POLLIN, 0};
      if (::poll(&in, 1, 200) > 0) {
        char buf[256];
        if (::read(0, buf, sizeof buf) <= 0) break;  // EOF or error: nobody is left
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "kraft_broker: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
