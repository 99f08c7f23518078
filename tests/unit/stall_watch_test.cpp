#include "serve/stall_watch.h"

#include <catch2/catch.hpp>

using namespace leakd;
using std::chrono::milliseconds;

TEST_CASE("a worker past the bound is stalled, counted once per stall", "[stall]") {
  StallWatch watch(milliseconds(1000));
  auto r = watch.Update({milliseconds(0), milliseconds(999)});
  CHECK(r.stalled == 0);
  CHECK(r.newly == 0);
  r = watch.Update({milliseconds(0), milliseconds(1001)});
  CHECK(r.stalled == 1);
  CHECK(r.newly == 1);
  r = watch.Update({milliseconds(5000), milliseconds(60000)});  // still the same stall
  CHECK(r.stalled == 2);
  CHECK(r.newly == 1);
  r = watch.Update({milliseconds(0), milliseconds(0)});  // both moved on
  CHECK(r.stalled == 0);
  r = watch.Update({milliseconds(0), milliseconds(2000)});  // a new stall counts again
  CHECK(r.newly == 1);
}
