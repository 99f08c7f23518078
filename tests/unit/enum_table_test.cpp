#include "common/enum_table.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "cli/output.h"
#include "common/log.h"
#include "ingest/decode_error.h"
#include "rules/rule.h"
#include "rules/validator_names.h"

using namespace leakd;

namespace {
enum class Color { kRed, kGreen, kBlue };
constexpr auto kColors = MakeEnumTable<Color>({{Color::kRed, "red"}, {Color::kGreen, "green"}});
static_assert(kColors.Name(Color::kGreen) == "green", "a constexpr lookup");
}  // namespace

TEST_CASE("an enum table reads both ways and never fails on a value it lacks", "[enum]") {
  Color c = Color::kBlue;
  CHECK(kColors.Parse("red", &c));
  CHECK(c == Color::kRed);
  CHECK_FALSE(kColors.Parse("Red", &c));  // exact, case-sensitive
  CHECK_FALSE(kColors.Parse("", &c));
  CHECK(kColors.Name(Color::kBlue) == "unknown");
  CHECK(kColors.Name(Color::kBlue, "other") == "other");
}

TEST_CASE("every table of the daemon round-trips its names", "[enum]") {
  for (Confidence c : {Confidence::kGeneric, Confidence::kHash, Confidence::kContext,
                       Confidence::kFormat, Confidence::kChecksum}) {
    Confidence back;
    REQUIRE(ParseConfidence(ConfidenceName(c), &back));
    CHECK(back == c);
  }
  for (const char* level : {"debug", "info", "warn", "error"}) {
    LogLevel l;
    CHECK(ParseLogLevel(level, &l));
  }
  for (const char* format : {"text", "json", "jsonl", "sarif"}) {
    OutputFormat f;
    CHECK(ParseOutputFormat(format, &f));
  }
  for (const char* name :
       {"github-crc32", "jwt", "basic-auth", "generic-secret", "literal-secret"}) {
    CHECK(IsKnownValidator(name));
  }
  CHECK_FALSE(IsKnownValidator(""));
  CHECK_FALSE(IsKnownValidator("crc32"));
  // Reason codes are a contract (the DLQ's leakd-error header): distinct, no "unknown".
  std::set<std::string> codes;
  for (int e = static_cast<int>(DecodeError::kNone); e <= static_cast<int>(kLastDecodeError); ++e) {
    const std::string code = DecodeErrorCode(static_cast<DecodeError>(e));
    CHECK(code != "unknown");
    CHECK(codes.insert(code).second);
  }
}
