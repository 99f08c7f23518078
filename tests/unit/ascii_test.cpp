#include "common/ascii.h"

#include <catch2/catch.hpp>

using namespace leakd;

TEST_CASE("case-insensitive search in bytes", "[ascii]") {
  CHECK(ContainsIgnoringCase("export GITHUB_TOKEN=x", "github"));
  CHECK(ContainsIgnoringCase("GitHub", "github"));
  CHECK(ContainsIgnoringCase("abc", ""));
  CHECK_FALSE(ContainsIgnoringCase("gith", "github"));  // needle longer than what is left
  CHECK_FALSE(ContainsIgnoringCase("", "a"));
  CHECK(ContainsIgnoringCase("aab", "ab"));  // a partial match restarts one byte later
  CHECK_FALSE(ContainsIgnoringCase("\xc3\x84PI", "api"));  // non-ASCII bytes are not letters
  CHECK(ContainsIgnoringCase(std::string_view("x\0API", 5), "api"));
  CHECK(AsciiLower("AbC-\xc3\x84Z") == "abc-\xc3\x84z");
}

TEST_CASE("identifier characters are ASCII letters, digits and underscore", "[ascii]") {
  for (char c : std::string("azAZ09_")) CHECK(IsAsciiIdentifierChar(c));
  for (char c : std::string(".-$ \t\n\"'/")) CHECK_FALSE(IsAsciiIdentifierChar(c));
  CHECK_FALSE(IsAsciiIdentifierChar(static_cast<char>(0xC3)));  // a UTF-8 lead byte (ä)
}

TEST_CASE("prefixes and suffixes, byte for byte", "[ascii]") {
  CHECK(StartsWith("password1", "password"));
  CHECK(EndsWith("nextpagetoken", "token"));
  CHECK(StartsWith("abc", ""));
  CHECK(EndsWith("abc", ""));
  CHECK(StartsWith("token", "token"));
  CHECK(EndsWith("token", "token"));
  CHECK_FALSE(StartsWith("tok", "token"));  // shorter than the part
  CHECK_FALSE(EndsWith("tok", "token"));
  CHECK_FALSE(EndsWith("Token", "token"));  // case counts
  CHECK_FALSE(StartsWith("xpassword", "password"));
}

TEST_CASE("hex digit values in either case, -1 for anything else", "[ascii]") {
  CHECK(AsciiHexValue('0') == 0);
  CHECK(AsciiHexValue('9') == 9);
  CHECK(AsciiHexValue('a') == 10);
  CHECK(AsciiHexValue('F') == 15);
  for (char c : std::string("gG/:@`%\0", 8)) CHECK(AsciiHexValue(c) == -1);
}
