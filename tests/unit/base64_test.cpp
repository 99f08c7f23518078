#include "common/base64.h"

#include <catch2/catch.hpp>

using leakd::DecodeBase64;
using leakd::DecodeBase64Url;

TEST_CASE("base64 decodes RFC 4648 test vectors", "[base64]") {
  CHECK(DecodeBase64("") == std::string());
  CHECK(DecodeBase64("Zg==") == std::string("f"));
  CHECK(DecodeBase64("Zm8=") == std::string("fo"));
  CHECK(DecodeBase64("Zm9v") == std::string("foo"));
  CHECK(DecodeBase64("Zm9vYg==") == std::string("foob"));
  CHECK(DecodeBase64("Zm9vYmFy") == std::string("foobar"));
}

TEST_CASE("base64 skips line breaks and accepts missing padding", "[base64]") {
  CHECK(DecodeBase64("Zm9v\nYmFy\r\n") == std::string("foobar"));
  CHECK(DecodeBase64("Zm8") == std::string("fo"));
}

TEST_CASE("base64 rejects hostile input instead of guessing", "[base64]") {
  CHECK_FALSE(DecodeBase64("Zm9v!").has_value());
  CHECK_FALSE(DecodeBase64("Z").has_value());         // dangling 6 bits
  CHECK_FALSE(DecodeBase64("Zg==Zg==").has_value());  // data after padding
  CHECK_FALSE(DecodeBase64("Zg===").has_value());     // too much padding
  CHECK_FALSE(DecodeBase64(std::string("Zm\0v", 4)).has_value());
  CHECK_FALSE(DecodeBase64("-_").has_value());  // URL alphabet is not standard
}

TEST_CASE("base64url uses - and _", "[base64]") {
  CHECK(DecodeBase64Url("-_8") == std::string("\xfb\xff"));
  CHECK_FALSE(DecodeBase64Url("+/").has_value());
}

TEST_CASE("base64 encoding round-trips every length", "[base64]") {
  CHECK(leakd::EncodeBase64("") == "");
  CHECK(leakd::EncodeBase64("f") == "Zg==");
  CHECK(leakd::EncodeBase64("fo") == "Zm8=");
  CHECK(leakd::EncodeBase64("foobar") == "Zm9vYmFy");
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    CHECK(DecodeBase64(leakd::EncodeBase64(bytes)) == bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
}
