#include "common/process_signals.h"

#include <csignal>
#include <initializer_list>

namespace leakd {
namespace {

ProcessSignals g_signals;

void OnSignal(int signal) {
  if (signal == SIGHUP) {
    g_signals.reload = true;
  } else {
    g_signals.stop = true;
  }
}

}  // namespace

ProcessSignals& InstallProcessSignals() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaction(signal, &action, nullptr);
  return g_signals;
}

}  // namespace leakd
