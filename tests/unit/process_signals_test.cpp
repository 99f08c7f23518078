#include <catch2/catch.hpp>
#include <csignal>

#include "common/process_signals.h"

using namespace leakd;

TEST_CASE("SIGTERM and SIGINT ask to stop, SIGHUP to reload, and none kills the process",
          "[signals]") {
  struct sigaction saved[3];
  const int signals[3] = {SIGTERM, SIGINT, SIGHUP};
  for (int i = 0; i < 3; ++i) sigaction(signals[i], nullptr, &saved[i]);

  ProcessSignals& flags = InstallProcessSignals();
  CHECK(&flags == &InstallProcessSignals());  // one set of flags per process
  flags.stop = flags.reload = false;
  std::raise(SIGHUP);
  CHECK(flags.reload);
  CHECK_FALSE(flags.stop);
  std::raise(SIGINT);
  CHECK(flags.stop);
  flags.stop = false;
  std::raise(SIGTERM);
  CHECK(flags.stop);

  for (int i = 0; i < 3; ++i) sigaction(signals[i], &saved[i], nullptr);
}
