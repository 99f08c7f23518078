// GunzipBounded: hostile gzip streams (decompression bombs included) against
// an output bound chosen by the input. The first two bytes are the bound; the
// rest is the stream.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "ingest/gzip.h"

using leakd::DecodeError;

namespace {

constexpr size_t kLargeBound = 4u << 20;  // deflate expands at most ~1032:1; -max_len is 8K

bool Known(DecodeError e) {
  return e == DecodeError::kNone || e == DecodeError::kBadGzip ||
         e == DecodeError::kTruncatedGzip || e == DecodeError::kDecompressedTooLarge;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t bound = static_cast<size_t>(data[0]) << 8 | data[1];
  const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

  std::string out = "not cleared";
  const DecodeError e = leakd::GunzipBounded(input, bound, &out);
  FUZZ_CHECK(Known(e), "unexpected error code");
  FUZZ_CHECK(out.size() <= bound, "output over the bound");
  if (e != DecodeError::kNone) FUZZ_CHECK(out.empty(), "output kept after an error");

  // Under a larger bound the stream decodes the same way, unless it only
  // failed for its size.
  std::string large;
  const DecodeError e_large = leakd::GunzipBounded(input, kLargeBound, &large);
  FUZZ_CHECK(Known(e_large) && large.size() <= kLargeBound, "large bound");
  if (e == DecodeError::kDecompressedTooLarge) {
    FUZZ_CHECK(e_large != DecodeError::kNone || large.size() > bound, "too large, yet fits");
  } else {
    FUZZ_CHECK(e_large == e, "a larger bound changed the outcome");
    FUZZ_CHECK(large == out, "a larger bound changed the output");
  }
  if (e_large == DecodeError::kNone && large.size() <= bound) {
    FUZZ_CHECK(e == DecodeError::kNone, "fits the bound, yet refused");
  }

  // What decoded compresses and decodes back to itself.
  if (e == DecodeError::kNone) {
    std::string again;
    FUZZ_CHECK(
        leakd::GunzipBounded(leakd::GzipCompress(out), out.size(), &again) == DecodeError::kNone &&
            again == out,
        "recompressed output");
  }
  // The input itself, compressed, round-trips at exactly its size and no less.
  const std::string packed = leakd::GzipCompress(input);
  std::string unpacked;
  FUZZ_CHECK(leakd::GunzipBounded(packed, input.size(), &unpacked) == DecodeError::kNone &&
                 unpacked == input,
             "round trip");
  if (!input.empty()) {
    FUZZ_CHECK(leakd::GunzipBounded(packed, input.size() - 1, &unpacked) ==
                       DecodeError::kDecompressedTooLarge &&
                   unpacked.empty(),
               "one byte under the size");
  }
  return 0;
}
