// The commits reachable from a set of tips, parents before children, read
// once each. A commit that is missing (a partial or damaged clone) is named in
// `missing` and its history is not followed; its children are kept and simply
// have one parent fewer.
#pragma once

#include <git2.h>

#include <cstdint>
#include <string>
#include <vector>

namespace leakd {

struct CommitNode {
  git_oid id;
  git_oid tree;
  std::vector<uint32_t> parents;  // indexes into CommitGraph::commits
  int64_t time = 0;               // committer time, seconds since the epoch
  int64_t author_time = 0;
  int author_offset = 0;  // minutes east of UTC
};

struct CommitGraph {
  std::vector<CommitNode> commits;   // topological: every parent before its children
  std::vector<std::string> missing;  // "commit <id>"
};

// The tips: every ref peeled to a commit (and a detached HEAD), or only the
// given revisions ("main", "v1.0", a commit id) when `revisions` is not empty.
// Refs that peel to no commit (a tag of a tree or blob) are counted in
// `skipped_refs`; refs whose object is missing are named in `missing`. Throws
// GitError when a given revision does not resolve, or a ref cannot be read.
std::vector<git_oid> TipCommits(git_repository* repo, const std::vector<std::string>& revisions,
                                uint64_t* skipped_refs, std::vector<std::string>* missing);

// Throws GitError on a read error other than a missing object.
CommitGraph CollectCommits(git_repository* repo, const std::vector<git_oid>& tips);

}  // namespace leakd
