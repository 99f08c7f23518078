// Where each blob of a history comes from. A commit introduces a blob at a
// path when its tree has the blob there and none of its parents has that blob
// at that path (a root commit introduces all it holds; a merge only what it
// resolved differently from every parent; a rename or copy introduces the
// same blob at the new path). Every blob reachable from the tips is listed
// once, with its first introduction by commit time (then parents before
// children) and how many distinct commits and paths introduce it.
// Submodule entries (gitlinks) point into other repositories: counted, not
// followed. A missing tree is named in `missing` and skipped.
#pragma once

#include <git2.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "history/commit_graph.h"

namespace leakd {

struct BlobOrigin {
  git_oid blob;
  uint32_t commit = 0;   // index into HistoryIndex::graph.commits: the first introduction
  uint32_t path = 0;     // index into HistoryIndex::paths
  uint32_t commits = 0;  // distinct commits that introduce the blob
  uint32_t paths = 0;    // distinct paths it is introduced at
};

struct HistoryIndex {
  CommitGraph graph;
  std::vector<std::string> paths;
  std::vector<BlobOrigin> blobs;     // in the order found
  std::vector<std::string> missing;  // "commit <id>", "tree <id>"
  uint64_t gitlinks = 0;             // submodule entries introduced
  uint64_t skipped_refs = 0;         // refs that peel to no commit
  uint64_t commits_considered = 0;   // commits whose introductions count (--since)
};

struct IndexOptions {
  std::vector<std::string> revisions;  // empty: every ref
  // Only commits with a committer time at or after this count as introducing.
  int64_t since = std::numeric_limits<int64_t>::min();
};

// Throws GitError on any read error other than a missing object.
HistoryIndex BuildHistoryIndex(git_repository* repo, const IndexOptions& options);

}  // namespace leakd
