// Structured logs: one JSON object per line on stderr, with a level filter.
// Callers pass fingerprints and redacted forms, never secrets: nothing here
// can tell a secret from other text, so the rule is enforced at call sites
// (and checked by the tests that plant secrets and read the logs).
// Thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakd {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
bool ParseLogLevel(const std::string& text, LogLevel* out);
void SetLogLevel(LogLevel level);
// True if a line at `level` would be written: callers that log on a hot path
// check it before they build the fields.
bool LogEnabled(LogLevel level);

// Writes {"ts":…, "level":…, "event":…, …fields} if `level` passes the filter.
void Log(LogLevel level, const std::string& event,
         nlohmann::json fields = nlohmann::json::object());

// A log line's fields, each written as JSON when added (common/json_text.h):
// for hot paths, where building a nlohmann::json first costs more than the
// line. Keys are string literals, distinct, none of ts, level or event.
class LogFields {
 public:
  LogFields() { members_.reserve(12); }  // an alert line has nine
  LogFields& Add(std::string_view key, std::string_view value);
  LogFields& Add(std::string_view key, uint64_t value);

 private:
  friend void LogLine(LogLevel, std::string_view, const LogFields&);
  std::vector<std::pair<std::string_view, std::string>> members_;  // key, JSON value
};

// The same line Log(level, event, fields) writes, byte for byte.
void LogLine(LogLevel level, std::string_view event, const LogFields& fields);

}  // namespace leakd
