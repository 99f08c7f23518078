// The order in which to read blobs: by position in their pack file. Reading a
// pack front to back keeps each delta's base in libgit2's delta-base cache
// (git writes bases before their deltas), where id order makes it inflate
// the same bases again and again (on psf/requests: 0.44 s instead of 0.67 s
// of CPU to read every blob). Objects in no pack (loose, or in an alternate)
// come last, in their given order.
#pragma once

#include <git2.h>

#include <cstdint>
#include <vector>

namespace leakd {

// Positions 0..ids.size()-1 of `ids`, ordered by pack and offset. Reads the
// pack indexes (*.idx, version 2) of the repository's own object directory;
// an index it cannot read only costs the order, never an object.
std::vector<uint32_t> PackOrder(git_repository* repo, const std::vector<git_oid>& ids);

// The blobs of the repository's own packs, by pack and offset: what can be
// read before the walk says what is reachable. The type comes from the pack's
// entry headers (a delta's from its base's), without inflating anything;
// an entry whose type cannot be told that way is listed too.
std::vector<git_oid> PackedObjects(git_repository* repo);

}  // namespace leakd
