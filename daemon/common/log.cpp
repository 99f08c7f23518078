#include "common/log.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>

#include "common/clock.h"
#include "common/enum_table.h"
#include "common/json_text.h"

namespace leakd {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_write;
constexpr auto kLogLevels = MakeEnumTable<LogLevel>({{LogLevel::kDebug, "debug"},
                                                     {LogLevel::kInfo, "info"},
                                                     {LogLevel::kWarn, "warn"},
                                                     {LogLevel::kError, "error"}});

void Write(const std::string& text) {
  std::lock_guard<std::mutex> lock(g_write);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

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
  Write(text);
}

LogFields& LogFields::Add(std::string_view key, std::string_view value) {
  members_.emplace_back(key, std::string());
  AppendJsonString(value, &members_.back().second);
  return *this;
}

LogFields& LogFields::Add(std::string_view key, uint64_t value) {
  members_.emplace_back(key, std::string());
  AppendJsonNumber(value, &members_.back().second);
  return *this;
}

void LogLine(LogLevel level, std::string_view event, const LogFields& fields) {
  if (!LogEnabled(level)) return;
  std::string event_json, level_json, ts_json;
  AppendJsonString(event, &event_json);
  AppendJsonString(kLogLevels.Name(level, "info"), &level_json);
  AppendJsonString(NowRfc3339(), &ts_json);
  std::vector<std::pair<std::string_view, std::string_view>> members(fields.members_.begin(),
                                                                     fields.members_.end());
  members.emplace_back("event", event_json);
  members.emplace_back("level", level_json);
  members.emplace_back("ts", ts_json);
  // In key order, as nlohmann::json (a std::map) writes an object.
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text = "{";
  for (const auto& [key, value] : members) {
    if (text.size() > 1) text.push_back(',');
    AppendJsonString(key, &text);
    text.push_back(':');
    text += value;
  }
  text += "}\n";
  Write(text);
}

}  // namespace leakd
