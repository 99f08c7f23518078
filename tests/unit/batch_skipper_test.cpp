// kafka/batch_skipper: a partition is moved past a record batch the client
// cannot decode, and every message after it is delivered once, in order,
// whatever the batch's length, the log's end or the messages around it.
#include "kafka/batch_skipper.h"

#include <catch2/catch.hpp>
#include <map>
#include <vector>

using namespace leakd;

namespace {

const PartitionKey kKey{"leakd.commits", 2};

// A partition as librdkafka shows it: offsets [bad_from, bad_to] are one batch
// it cannot decode, reported at bad_from whatever offset is fetched inside it;
// offsets up to `end` exist. Fetching returns the next message or error at or
// after the fetch position (one per call), as consume() does.
struct Partition {
  Partition(int64_t from, int64_t to, int64_t last) : bad_from(from), bad_to(to), end(last) {}
  int64_t bad_from, bad_to, end;
  int64_t position = 0;
  std::vector<int64_t> delivered;
  int undecodable_delivered = 0;
  int fetches = 0;

  // Runs consume() turns through the skipper until the log's end is read.
  void Drain(BatchSkipper& skipper) {
    while (position <= end && fetches < 10000) {
      ++fetches;
      BatchSkipper::Step step;
      if (position >= bad_from && position <= bad_to) {
        step = skipper.OnUndecodable(kKey, bad_from, end);
        if (step.deliver) ++undecodable_delivered;
        if (!step.seek) FAIL("an undecodable batch must move the fetch");
      } else {
        const int64_t offset = position++;
        step = skipper.OnMessage(kKey, offset);
        if (step.deliver) delivered.push_back(offset);
      }
      if (step.seek) position = *step.seek;
    }
  }
};

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t i = from; i <= to; ++i) out.push_back(i);
  return out;
}

}  // namespace

TEST_CASE("every message around an undecodable batch is delivered once, in order", "[skipper]") {
  for (int64_t before : {0, 1, 7}) {
    for (int64_t length : {1, 2, 3, 5, 8, 100, 1000, 65537}) {
      for (int64_t after : {0, 1, 2, 9, 200}) {
        INFO("before " << before << " length " << length << " after " << after);
        Partition p(before, before + length - 1, before + length - 1 + after);
        BatchSkipper skipper;
        p.Drain(skipper);
        std::vector<int64_t> expected = Range(0, before - 1);
        const auto tail = Range(before + length, p.end);
        expected.insert(expected.end(), tail.begin(), tail.end());
        // Its end is known even when it ends the log (the commit passes it).
        CHECK(p.position == p.end + 1);
        CHECK(p.delivered == expected);
        CHECK(p.undecodable_delivered == 1);
        CHECK_FALSE(skipper.skipping());
        // Probes: doubling, then bisecting: logarithmic in the batch's length.
        CHECK(p.fetches <= before + after + 4 * 20);
      }
    }
  }
}

TEST_CASE("a probe never goes past the log's end, nor far when the end is unknown", "[skipper]") {
  BatchSkipper skipper;
  // The end known: the first probe is one past the reported offset, later
  // ones double but stop at the last offset.
  auto step = skipper.OnUndecodable(kKey, 10, 12);
  CHECK(step.deliver);
  CHECK(step.seek == 11);
  step = skipper.OnUndecodable(kKey, 10, 12);
  CHECK_FALSE(step.deliver);
  CHECK(step.seek == 12);  // 13 would be the log's end
  step = skipper.OnUndecodable(kKey, 10, 12);
  CHECK(step.seek == 13);  // the batch holds the log's last offset: it ends with the log
  CHECK(step.ended == 13);
  CHECK_FALSE(skipper.skipping());
  // The end unknown: one step at a time.
  CHECK(skipper.OnUndecodable(kKey, 10, -1).seek == 11);
  CHECK(skipper.OnUndecodable(kKey, 10, -1).seek == 12);
  CHECK(skipper.OnUndecodable(kKey, 10, -1).seek == 13);
  // Another partition is untouched; a revoked one is forgotten.
  CHECK(skipper.OnMessage({"leakd.commits", 3}, 5).deliver);
  skipper.Forget(kKey);
  CHECK_FALSE(skipper.skipping());
  CHECK(skipper.OnMessage(kKey, 11).deliver);
}

TEST_CASE("a new undecodable batch after the first is reported too", "[skipper]") {
  BatchSkipper skipper;
  CHECK(skipper.OnUndecodable(kKey, 3, 20).deliver);
  auto step = skipper.OnMessage(kKey, 4);  // a single-record batch
  CHECK(step.deliver);
  CHECK(step.ended == 4);
  CHECK(skipper.OnUndecodable(kKey, 9, 20).deliver);
  CHECK(skipper.OnUndecodable(kKey, 9, 20).deliver == false);
}
