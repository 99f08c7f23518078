// The trees of a history walk, parsed straight from their raw objects (no
// git_tree, no per-entry allocation) and kept while the walk goes on: a
// commit's trees are mostly its children's parents' trees, compared a moment
// later. Entries point into the raw object, which the tree holds.
#pragma once

#include <git2.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "history/git_repo.h"
#include "history/oid_map.h"

namespace leakd {

struct TreeEntry {
  const char* name;
  uint32_t name_size;
  git_object_t type;  // GIT_OBJECT_TREE, GIT_OBJECT_BLOB or GIT_OBJECT_COMMIT (a gitlink)
  const git_oid* id;  // into the raw object
  std::string_view Name() const { return {name, name_size}; }
};

class Tree {
 public:
  const std::vector<TreeEntry>& entries() const { return entries_; }
  // The entry of that name, or null.
  const TreeEntry* Find(std::string_view name) const;

 private:
  friend class TreeCache;
  // False when the object is not a well-formed tree.
  bool Parse(GitPtr<git_odb_object> raw);
  size_t Bytes() const;

  GitPtr<git_odb_object> raw_;
  std::vector<TreeEntry> entries_;
  std::vector<uint32_t> by_name_;  // entries in byte order of names; empty when they already are
};

class TreeCache {
 public:
  // Keeps trees until they hold `budget` bytes (raw objects and entries).
  TreeCache(git_odb* odb, size_t budget) : odb_(odb), budget_(budget) {}

  // Null when the tree is missing (or the id names another kind of object,
  // as git_tree_lookup does). Throws GitError on any other read error and on
  // a malformed tree. The tree stays valid until the next Trim().
  const Tree* Get(const git_oid& id);

  // Forgets every tree once the budget is exceeded; call it between commits.
  void Trim();

 private:
  git_odb* odb_;
  size_t budget_;
  size_t bytes_ = 0;
  std::unordered_map<git_oid, std::unique_ptr<Tree>, OidHash, OidEqual> trees_;
};

}  // namespace leakd
