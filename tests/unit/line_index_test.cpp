#include "common/line_index.h"

#include <catch2/catch.hpp>

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
