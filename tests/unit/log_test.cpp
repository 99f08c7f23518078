#include "common/log.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

using namespace leakd;

namespace {

// What the calls in `body` write to stderr.
template <typename Body>
std::string Stderr(Body body) {
  std::fflush(stderr);
  char path[] = "/tmp/leakd-log-test-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  const int saved = dup(STDERR_FILENO);
  dup2(fd, STDERR_FILENO);
  body();
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(fd);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  unlink(path);
  return text.str();
}

std::string WithoutTime(const std::string& line) {
  return std::regex_replace(line, std::regex(R"("ts":"[^"]*")"), R"("ts":"T")");
}

}  // namespace

TEST_CASE("a LogFields line is the line Log writes, byte for byte", "[log]") {
  SetLogLevel(LogLevel::kInfo);
  const std::string hostile = "a\"b\\c\n\x01 caf\xC3\xA9 bad\xFF";
  const std::string by_json = Stderr([&] {
    Log(LogLevel::kWarn, "alert",
        {{"rule", hostile}, {"zeta", 18446744073709551615u}, {"path", ""}, {"origin", "t/1/2"}});
  });
  const std::string by_fields = Stderr([&] {
    LogLine(LogLevel::kWarn, "alert",
            LogFields()
                .Add("rule", hostile)
                .Add("zeta", uint64_t{18446744073709551615u})
                .Add("path", "")
                .Add("origin", "t/1/2"));
  });
  REQUIRE_FALSE(by_json.empty());
  CHECK(WithoutTime(by_fields) == WithoutTime(by_json));
}

TEST_CASE("lines below the level are not written", "[log]") {
  SetLogLevel(LogLevel::kError);
  CHECK_FALSE(LogEnabled(LogLevel::kInfo));
  CHECK(LogEnabled(LogLevel::kError));
  const std::string written = Stderr([] {
    Log(LogLevel::kInfo, "alert", {{"a", 1}});
    LogLine(LogLevel::kWarn, "alert", LogFields().Add("a", "b"));
  });
  CHECK(written.empty());
  SetLogLevel(LogLevel::kInfo);
}
