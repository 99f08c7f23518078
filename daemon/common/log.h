// Structured logs: one JSON object per line on stderr, with a level filter.
// Callers pass fingerprints and redacted forms, never secrets: nothing here
// can tell a secret from other text, so the rule is enforced at call sites
// (and checked by the tests that plant secrets and read the logs).
// Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

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

}  // namespace leakd
