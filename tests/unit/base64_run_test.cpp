// Base64RunFinder against the plain byte-by-byte search it replaces, on inputs
// made to put runs at every offset around its 64-byte blocks, with each way of
// classifying bytes (the CPU's widest vectors and SSE2).
#include "common/base64_run.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

bool InAlphabet(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Every run of at least `min` as (start, end) offsets: the reference.
std::vector<std::pair<size_t, size_t>> Slow(const std::string& s, size_t min) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !InAlphabet(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && InAlphabet(s[i])) ++i;
    if (i - start >= min) runs.emplace_back(start, i);
  }
  return runs;
}

using Lanes = leakd::Base64RunFinder::Lanes;

std::vector<std::pair<size_t, size_t>> Fast(const std::string& s, size_t min, Lanes lanes) {
  std::vector<std::pair<size_t, size_t>> runs;
  leakd::Base64RunFinder finder(s.data(), s.data() + s.size(), min, lanes);
  for (;;) {
    const char* stop = nullptr;
    const char* start = finder.Next(&stop);
    if (start == nullptr) {
      CHECK(stop == s.data() + s.size());
      break;
    }
    runs.emplace_back(start - s.data(), stop - s.data());
  }
  return runs;
}

}  // namespace

TEST_CASE("Base64RunFinder finds every run the byte-by-byte search finds", "[base64]") {
  // Bytes of every kind: the alphabet's edges, its neighbours ('*', ',', '.',
  // ':', '@', '[', '`', '{'), '=', NUL and bytes over 0x7f (negative chars).
  const std::string kinds = std::string("AZaz09+/MmQ5*,.:@[`{= \n", 24) + '\0' + "\x80\xff\xc3";
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    const size_t size = rng() % 300;
    while (s.size() < size) {  // stretches of alphabet and of anything, of random lengths
      const bool alphabet = rng() % 2 == 0;
      const size_t n = rng() % (rng() % 4 == 0 ? 90 : 20);
      for (size_t i = 0; i < n; ++i) {
        s += alphabet ? "ABYZabyz0189+/"[rng() % 14] : kinds[rng() % kinds.size()];
      }
    }
    for (size_t min : {1, 2, 4, 15, 16, 17, 31, 32, 33, 47, 48}) {
      INFO("round " << round << " min " << min);
      REQUIRE(Fast(s, min, Lanes::kWidest) == Slow(s, min));
      REQUIRE(Fast(s, min, Lanes::kSse2) == Slow(s, min));
    }
  }
}

TEST_CASE("Base64RunFinder: runs at the edges of the input and of its windows", "[base64]") {
  for (size_t before = 0; before < 140; ++before) {
    for (size_t length : {15, 16, 17, 63, 64, 65, 130}) {
      const std::string s = std::string(before, '.') + std::string(length, 'Q') + ",x";
      INFO("before " << before << " length " << length);
      const std::string at_end = std::string(before, '-') + std::string(length, '9');
      for (const Lanes lanes : {Lanes::kWidest, Lanes::kSse2}) {
        REQUIRE(Fast(s, 16, lanes) == Slow(s, 16));
        REQUIRE(Fast(at_end, 16, lanes) == Slow(at_end, 16));
      }
    }
  }
  const char* stop = nullptr;
  leakd::Base64RunFinder empty(nullptr, nullptr, 16);
  CHECK(empty.Next(&stop) == nullptr);
}
