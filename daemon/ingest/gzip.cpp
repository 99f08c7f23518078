#include "ingest/gzip.h"

#include <zlib.h>

namespace leakd {

DecodeError GunzipBounded(std::string_view input, size_t max_output, std::string* out) {
  out->clear();
  z_stream zs{};
  // 16 + MAX_WBITS: gzip wrapper only (no raw deflate, no zlib).
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return DecodeError::kBadGzip;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  char buffer[64 * 1024];
  DecodeError result = DecodeError::kNone;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const size_t produced = sizeof buffer - zs.avail_out;
    if (out->size() + produced > max_output) {
      result = DecodeError::kDecompressedTooLarge;
      break;
    }
    out->append(buffer, produced);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      if (inflateReset(&zs) != Z_OK) {  // another gzip member follows
        result = DecodeError::kBadGzip;
        break;
      }
      continue;
    }
    if (rc == Z_BUF_ERROR || (rc == Z_OK && zs.avail_in == 0 && produced == 0)) {
      result = DecodeError::kTruncatedGzip;
      break;
    }
    if (rc != Z_OK) {
      result = DecodeError::kBadGzip;
      break;
    }
  }
  inflateEnd(&zs);
  if (result != DecodeError::kNone) out->clear();
  return result;
}

std::string GzipCompress(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace leakd
