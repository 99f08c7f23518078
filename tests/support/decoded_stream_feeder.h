// DecodedStreamScan with what its caller keeps for it: the bytes before each
// piece (UploadStreams keeps them to locate findings), at most kWindow of
// them. For the unit tests and the decoded_stream fuzz target.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scan/decoded_stream_scan.h"

namespace leakd::testing {

struct DecodedStreamFeeder {
  DecodedStreamScan decoded;
  std::string seen;
  uint64_t seen_base = 0;

  // The next piece (it may be empty); `plain`: the plain scan's findings for it.
  void Feed(Scanner& scanner, std::string_view piece, bool last, const std::vector<Finding>& plain,
            std::vector<Finding>* out) {
    const size_t piece_at = seen.size();
    seen.append(piece.data(), piece.size());
    decoded.Feed(scanner, seen, seen_base, piece_at, last, plain, out);
    if (seen.size() > DecodedStreamScan::kWindow) {
      seen_base += seen.size() - DecodedStreamScan::kWindow;
      seen.erase(0, seen.size() - DecodedStreamScan::kWindow);
    }
  }
};

}  // namespace leakd::testing
