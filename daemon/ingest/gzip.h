// Bounded gzip decompression: a decompression bomb stops at `max_output`
// bytes instead of exhausting memory. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "ingest/decode_error.h"

namespace leakd {

// Decompresses a gzip stream (RFC 1952; concatenated members are accepted).
DecodeError GunzipBounded(std::string_view input, size_t max_output, std::string* out);

// Compresses `data` as one gzip member (for producers, tests and the demo).
std::string GzipCompress(std::string_view data);

}  // namespace leakd
