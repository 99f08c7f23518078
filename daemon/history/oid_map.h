// Hashing for git object ids, for unordered containers keyed by git_oid.
#pragma once

#include <git2.h>

#include <cstring>

namespace leakd {

struct OidHash {
  size_t operator()(const git_oid& oid) const {
    size_t h;
    std::memcpy(&h, oid.id, sizeof h);  // ids are uniformly distributed
    return h;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const {
    return std::memcmp(a.id, b.id, GIT_OID_RAWSZ) == 0;  // inlined, unlike git_oid_equal
  }
};

}  // namespace leakd
