// Owning handles for Hyperscan's C objects, so that every path out of a
// constructor or function (an exception, an early return) frees them.
//
// A stream handle frees itself without reporting end-of-stream matches; to
// report them, release() it and pass it to hs_close_stream with a scratch and
// a callback (StreamScan::Finish).
#pragma once

#include <hs/hs.h>

#include <memory>

namespace leakd {

struct HsFree {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
  void operator()(hs_stream_t* stream) const { hs_close_stream(stream, nullptr, nullptr, nullptr); }
};

using HsDatabase = std::unique_ptr<hs_database_t, HsFree>;
using HsScratch = std::unique_ptr<hs_scratch_t, HsFree>;
using HsStream = std::unique_ptr<hs_stream_t, HsFree>;

// Scratch space large enough for each non-null database. nullptr on failure
// (whatever was allocated is freed).
inline HsScratch AllocScratch(const hs_database_t* a, const hs_database_t* b = nullptr) {
  hs_scratch_t* raw = nullptr;
  if (hs_alloc_scratch(a, &raw) != HS_SUCCESS) return nullptr;
  HsScratch scratch(raw);
  if (b) {
    // Grows the scratch in place or replaces it (freeing the old one) on
    // success; on failure the old one stays valid and `scratch` frees it.
    hs_scratch_t* grown = scratch.get();
    if (hs_alloc_scratch(b, &grown) != HS_SUCCESS) return nullptr;
    scratch.release();
    scratch.reset(grown);
  }
  return scratch;
}

}  // namespace leakd
