#include "scan/re2_dialect.h"

#include <re2/re2.h>

#include <catch2/catch.hpp>

using leakd::Re2Dialect;

TEST_CASE("Re2Dialect: \\s and \\S take the vertical tab, in and out of classes", "[re2-dialect]") {
  CHECK(Re2Dialect(R"(a\sb)") == "a[[:space:]]b");
  CHECK(Re2Dialect(R"(a\Sb)") == "a[^[:space:]]b");
  CHECK(Re2Dialect(R"([^\s"'])") == R"([^[:space:]"'])");
  CHECK(Re2Dialect(R"([\S,])") == R"([[:^space:],])");
  // A class that opens with `]`, a POSIX class inside one: still one class.
  CHECK(Re2Dialect(R"([]\s]\s)") == "[][:space:]][[:space:]]");
  CHECK(Re2Dialect(R"([[:alpha:]\s]\s)") == "[[:alpha:][:space:]][[:space:]]");
  // An escaped backslash before `s`, other escapes and quoted text stay.
  CHECK(Re2Dialect(R"(\\s\d\w\b\x22)") == R"(\\s\d\w\b\x22)");
  CHECK(Re2Dialect(R"(\Q\s\E\s)") == R"(\Q\s\E[[:space:]])");
  CHECK(Re2Dialect(R"((?i)key\s{0,3}=)") == "(?i)key[[:space:]]{0,3}=");
}

TEST_CASE("Re2Dialect: RE2 then stops a value at a vertical tab, as Hyperscan does",
          "[re2-dialect]") {
  const std::string pattern = R"(--token\s([^\s"']{8,128}))";
  RE2::Options latin1;
  latin1.set_encoding(RE2::Options::EncodingLatin1);
  const RE2 plain(pattern, latin1), dialect(Re2Dialect(pattern), latin1);
  std::string value;
  REQUIRE(RE2::PartialMatch("--token Rk7vLq2pX9wZ\vrest", plain, &value));
  CHECK(value == "Rk7vLq2pX9wZ\vrest");  // RE2's own \s: the \v is part of the value
  REQUIRE(RE2::PartialMatch("--token Rk7vLq2pX9wZ\vrest", dialect, &value));
  CHECK(value == "Rk7vLq2pX9wZ");
  REQUIRE(RE2::PartialMatch("--token\vRk7vLq2pX9wZ", dialect, &value));
  CHECK(value == "Rk7vLq2pX9wZ");
}
