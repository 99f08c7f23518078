#include "common/line_index.h"

#include <catch2/catch.hpp>
#include <string>

using leakd::LineIndex;

TEST_CASE("line index gives 1-based lines and byte columns", "[line_index]") {
  LineIndex index("ab\ncd\n\nefg");
  CHECK(index.At(0).line == 1);
  CHECK(index.At(1).column == 2);
  CHECK(index.At(3).line == 2);
  CHECK(index.At(3).column == 1);
  CHECK(index.At(7).line == 4);
  CHECK(index.At(9).column == 3);
  CHECK(index.At(4).line == 2);     // asking backwards after scanning ahead works
  CHECK(index.At(1000).line == 4);  // clamped to the end
}

TEST_CASE("line index answers in any order as a naive count does", "[line_index]") {
  // Lines of every length around the 16-byte step, and \r that is no newline.
  std::string text;
  for (int i = 0; i < 400; ++i)
    text += std::string(static_cast<size_t>(i % 37), 'x') + (i % 5 ? "\n" : "\r\n");
  auto naive = [&](uint64_t offset) {
    leakd::TextPosition p;
    for (uint64_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++p.line;
        p.column = 1;
      } else {
        ++p.column;
      }
    }
    return p;
  };
  LineIndex forward(text), scattered(text);
  for (uint64_t offset = 0; offset <= text.size(); offset += 7) {
    CHECK(forward.At(offset).line == naive(offset).line);
    CHECK(forward.At(offset).column == naive(offset).column);
  }
  uint64_t offset = 12345;
  for (int i = 0; i < 300; ++i) {
    offset = (offset * 1103515245 + 12345) % (text.size() + 1);
    const auto got = scattered.At(offset);
    CHECK(got.line == naive(offset).line);
    CHECK(got.column == naive(offset).column);
  }
  CHECK(leakd::CountNewlines(text.data(), text.data() + text.size()) == 400);
}
