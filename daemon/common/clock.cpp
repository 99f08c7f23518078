#include "common/clock.h"

#include <chrono>
#include <ctime>
#include <limits>

namespace leakd {

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  // Every alert and log line asks; gmtime_r and strftime are most of the
  // cost, and the seconds part changes once a second.
  thread_local std::time_t cached_second = std::numeric_limits<std::time_t>::min();  // none yet
  thread_local char cached[32];
  if (seconds != cached_second) {
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = seconds;
  }
  std::string out(cached);
  out += '.';
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
  return out;
}

}  // namespace leakd
