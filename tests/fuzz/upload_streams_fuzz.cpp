// UploadStreams: a sequence of chunk deliveries and expiries driven by the
// input, with few keys, a small open-upload cap and a simulated clock.
// Checked: every upload closes exactly once; the cap holds; every finding is
// the text of its own upload at its offset (or, decoded, spans an encoded form
// of it), at the line and column that text gives.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/sha256.h"
#include "fuzz_support.h"
#include "fuzz_text.h"
#include "ingest/upload_streams.h"

using leakd::UploadStreams;
using Kind = UploadStreams::ChunkOutcome::Kind;

namespace {

struct Model {
  std::map<uint64_t, std::string> bytes;  // per tag: the stream as the upload saw it
  std::map<uint64_t, std::string> repo;   // per tag: its label
  std::set<uint64_t> open, closed;
};

// A decoded finding spans the encoded form of its secret (scan/decoded_scan.h):
// a base64 run, or string literals, which hold an escape or a literal's
// boundary.
bool IsEncodedSpan(std::string_view span) {
  if (span.find_first_of("\\\"'`") != std::string_view::npos) return true;
  return span.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
         std::string_view::npos;
}

void CheckFindings(const Model& m, const std::vector<leakd::LocatedStreamFinding>& findings) {
  for (const auto& lf : findings) {
    const auto it = m.bytes.find(lf.tag);
    FUZZ_CHECK(it != m.bytes.end(), "finding for an unknown upload");
    const std::string& text = it->second;
    const auto& f = lf.finding;
    FUZZ_CHECK(f.offset + f.length <= text.size(), "finding past the upload's end");
    FUZZ_CHECK(f.fingerprint == leakd::Sha256Hex(f.secret), "fingerprint of another secret");
    const std::string_view span = std::string_view(text).substr(f.offset, f.length);
    FUZZ_CHECK(span == f.secret || IsEncodedSpan(span), "secret is not the upload's text");
    FUZZ_CHECK(lf.label.repo == m.repo.at(lf.tag), "label of another upload");
    const auto before = text.begin() + static_cast<std::ptrdiff_t>(f.offset);
    const uint64_t line = 1 + static_cast<uint64_t>(std::count(text.begin(), before, '\n'));
    const size_t nl = f.offset == 0 ? std::string::npos : text.rfind('\n', f.offset - 1);
    const uint64_t column = f.offset - (nl == std::string::npos ? 0 : nl + 1) + 1;
    FUZZ_CHECK(lf.position.line == line && lf.position.column == column,
               "position " + std::to_string(lf.position.line) + ":" +
                   std::to_string(lf.position.column) + ", expected " + std::to_string(line) + ":" +
                   std::to_string(column) + " (offset " + std::to_string(f.offset) + ")");
  }
}

void CheckClosed(Model& m, const std::vector<leakd::ClosedUpload>& closed) {
  for (const auto& c : closed) {
    FUZZ_CHECK(m.open.erase(c.tag) == 1,
               "closed an upload that is not open: " + std::to_string(c.tag));
    FUZZ_CHECK(m.closed.insert(c.tag).second, "closed twice");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto db = leakd::fuzz::SharedDatabase();
  static leakd::Scanner scanner(db);
  FuzzedDataProvider in(data, size);

  leakd::UploadLimits limits;
  limits.max_open = in.ConsumeIntegralInRange<size_t>(1, 4);
  limits.idle_timeout = std::chrono::milliseconds(100);
  UploadStreams streams(db, limits);
  auto now = UploadStreams::Clock::time_point() + std::chrono::hours(1);
  Model m;
  uint64_t next_tag = 1;
  const char* const keys[] = {"a", "b", "c", "d", "e"};

  for (int op = 0; op < 64 && in.remaining_bytes() > 0; ++op) {
    now += std::chrono::milliseconds(in.ConsumeIntegralInRange<int>(0, 150));
    if (in.ConsumeIntegralInRange<int>(0, 7) == 0) {
      const auto outcome = streams.Expire(scanner, now);
      CheckFindings(m, outcome.findings);
      CheckClosed(m, outcome.closed);
    } else {
      const std::string key = in.PickValueInArray(keys);
      const uint64_t chunk = in.ConsumeIntegralInRange<uint64_t>(0, 4);
      const bool final = in.ConsumeBool();
      const std::string bytes = leakd::fuzz::ExpandText(*db, in.ConsumeRandomLengthString(512));
      const uint64_t tag = next_tag++;
      const leakd::UploadLabel label{"repo-" + std::to_string(tag), key};
      // Register the tag first: findings of this very call may belong to it.
      m.repo[tag] = label.repo;
      m.bytes[tag];
      const auto outcome = streams.Feed(scanner, key, label, chunk, final, bytes, tag, now);
      if (outcome.kind == Kind::kScanned || outcome.kind == Kind::kFinished) {
        FUZZ_CHECK(outcome.tag != 0, "a scanned chunk without its upload");
        if (outcome.tag == tag) {
          FUZZ_CHECK(m.open.insert(tag).second, "tag reused");
        } else {
          FUZZ_CHECK(m.open.count(outcome.tag) == 1, "chunk joined an upload that is not open");
          FUZZ_CHECK(!outcome.orphan, "orphan flag on a continuing upload");
        }
        m.bytes[outcome.tag] += bytes;
      }
      if (outcome.tag != tag) {
        m.bytes.erase(tag);
        m.repo.erase(tag);
      }
      // Findings of closes come before this chunk's upload could be looked up:
      // check after the bytes are in.
      CheckFindings(m, outcome.findings);
      CheckClosed(m, outcome.closed);
      if (outcome.kind == Kind::kFinished) {
        FUZZ_CHECK(m.closed.count(outcome.tag) == 1, "finished but not closed");
      }
      if (outcome.kind == Kind::kDuplicate) {
        FUZZ_CHECK(outcome.findings.empty() && outcome.closed.empty(), "a duplicate did something");
      }
    }
    FUZZ_CHECK(streams.open_uploads() <= limits.max_open, "open-upload cap");
    FUZZ_CHECK(streams.open_uploads() == m.open.size(), "open count");
  }
  const auto rest = streams.Expire(scanner, now + std::chrono::hours(1));
  CheckFindings(m, rest.findings);
  CheckClosed(m, rest.closed);
  FUZZ_CHECK(streams.open_uploads() == 0 && m.open.empty(), "uploads left open");
  return 0;
}
