#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "common/clock.h"
#include "common/enum_table.h"

namespace leakd {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_write;
constexpr auto kLogLevels = MakeEnumTable<LogLevel>({{LogLevel::kDebug, "debug"},
                                                     {LogLevel::kInfo, "info"},
                                                     {LogLevel::kWarn, "warn"},
                                                     {LogLevel::kError, "error"}});
}  // namespace

bool ParseLogLevel(const std::string& text, LogLevel* out) {
  return kLogLevels.Parse(text, out);
}

void SetLogLevel(LogLevel level) {
  g_level = static_cast<int>(level);
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void Log(LogLevel level, const std::string& event, nlohmann::json fields) {
  if (!LogEnabled(level)) return;
  nlohmann::json line = {
      {"ts", NowRfc3339()}, {"level", kLogLevels.Name(level, "info")}, {"event", event}};
  line.update(fields);
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(g_write);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace leakd
