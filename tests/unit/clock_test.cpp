#include "common/clock.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <regex>

using namespace leakd;

namespace {
int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Milliseconds since the epoch that an RFC 3339 text names.
int64_t ParseMs(const std::string& text) {
  std::tm tm{};
  REQUIRE(strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) != nullptr);
  return static_cast<int64_t>(timegm(&tm)) * 1000 + std::stoi(text.substr(20, 3));
}
}  // namespace

TEST_CASE("NowRfc3339 names the current time, also after the second changes", "[clock]") {
  // The seconds part is kept between calls: every text must still name the
  // moment it was asked at, on both sides of several second boundaries.
  const std::regex shape(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  int boundaries = 0;
  std::string last;
  while (boundaries < 2) {
    const int64_t before = NowMs();
    const std::string text = NowRfc3339();
    const int64_t after = NowMs();
    REQUIRE(std::regex_match(text, shape));
    const int64_t named = ParseMs(text);
    REQUIRE(named >= before);
    REQUIRE(named <= after);
    if (!last.empty() && text.compare(0, 19, last, 0, 19) != 0) ++boundaries;
    last = text;
  }
}
