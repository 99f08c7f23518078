// DecodedStreamScan (scan/decoded_stream_scan.h) on hostile text delivered in
// pieces (empty ones too), often stretched into one line longer than its window, so that
// windows start inside literals and carry their state from piece to piece.
// Checked: every decoded finding lies in the input, has its secret's
// fingerprint, is not empty, and is reported once.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/sha256.h"
#include "decoded_stream_feeder.h"
#include "fuzz_support.h"
#include "fuzz_text.h"
#include "scan/decoded_stream_scan.h"

namespace {

constexpr size_t kMinPiece = 512;  // each piece decodes its 16 KiB window again
constexpr size_t kMaxText = 160 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using leakd::DecodedStreamScan;
  FuzzedDataProvider in(data, size);
  const size_t piece = in.ConsumeIntegralInRange<size_t>(kMinPiece, 3 * DecodedStreamScan::kWindow);
  const bool one_line = in.ConsumeBool();
  const bool empties = in.ConsumeBool();  // an empty piece before each one
  const size_t stretch = in.ConsumeIntegralInRange<size_t>(1, 8) * 8192;
  static leakd::Scanner scanner(leakd::fuzz::SharedDatabase());
  std::string unit =
      leakd::fuzz::ExpandText(scanner.database(), in.ConsumeRemainingBytesAsString());
  if (unit.empty()) return 0;
  if (one_line) std::replace(unit.begin(), unit.end(), '\n', ' ');
  std::string text;
  while (text.size() < stretch && text.size() + unit.size() <= kMaxText) text += unit;
  if (text.empty()) text = unit.substr(0, kMaxText);

  leakd::testing::DecodedStreamFeeder decoder;
  std::vector<leakd::Finding> found;
  for (size_t at = 0; at < text.size(); at += piece) {
    if (empties) decoder.Feed(scanner, {}, false, {}, &found);
    decoder.Feed(scanner, std::string_view(text).substr(at, piece), at + piece >= text.size(), {},
                 &found);
  }
  std::set<std::tuple<uint64_t, uint32_t, std::string>> reported;
  for (const auto& f : found) {
    FUZZ_CHECK(f.length > 0 && f.offset + f.length <= text.size(), "finding outside the input");
    FUZZ_CHECK(f.fingerprint == leakd::Sha256Hex(f.secret), "fingerprint of another secret");
    FUZZ_CHECK(reported.emplace(f.offset, f.length, f.fingerprint).second, "reported twice");
  }
  return 0;
}
