#include "history/tree_cache.h"

#include <algorithm>
#include <cstring>

namespace leakd {
namespace {

constexpr uint32_t kTypeMask = 0170000, kDirectory = 0040000, kGitlink = 0160000;

git_object_t TypeOf(uint32_t mode) {
  if ((mode & kTypeMask) == kGitlink) return GIT_OBJECT_COMMIT;  // as git_tree_entry_type
  if ((mode & kTypeMask) == kDirectory) return GIT_OBJECT_TREE;
  return GIT_OBJECT_BLOB;
}

bool ByteLess(std::string_view a, std::string_view b) {
  return a < b;
}

}  // namespace

const TreeEntry* Tree::Find(std::string_view name) const {
  if (by_name_.empty()) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const TreeEntry& e, std::string_view n) { return e.Name() < n; });
    return it != entries_.end() && it->Name() == name ? &*it : nullptr;
  }
  auto it =
      std::lower_bound(by_name_.begin(), by_name_.end(), name,
                       [&](uint32_t i, std::string_view n) { return entries_[i].Name() < n; });
  return it != by_name_.end() && entries_[*it].Name() == name ? &entries_[*it] : nullptr;
}

// "<octal mode> <name>\0<20-byte id>", repeated.
bool Tree::Parse(GitPtr<git_odb_object> raw) {
  raw_ = std::move(raw);
  const char* p = static_cast<const char*>(git_odb_object_data(raw_.get()));
  const char* end = p + git_odb_object_size(raw_.get());
  bool sorted = true;
  entries_.reserve(static_cast<size_t>(end - p) / 28);  // an entry takes 28 bytes or more
  while (p < end) {
    uint32_t mode = 0;
    const char* digits = p;
    for (; p < end && *p >= '0' && *p <= '7' && p - digits < 7; ++p) mode = mode * 8 + (*p - '0');
    if (p == digits || p == end || *p != ' ') return false;
    const char* name = ++p;
    const void* nul = std::memchr(name, '\0', static_cast<size_t>(end - name));
    if (nul == nullptr || nul == name) return false;
    p = static_cast<const char*>(nul) + 1;
    if (end - p < GIT_OID_RAWSZ) return false;
    const TreeEntry entry{name, static_cast<uint32_t>(static_cast<const char*>(nul) - name),
                          TypeOf(mode), reinterpret_cast<const git_oid*>(p)};
    p += GIT_OID_RAWSZ;
    if (!entries_.empty() && !ByteLess(entries_.back().Name(), entry.Name())) sorted = false;
    entries_.push_back(entry);
  }
  if (!sorted) {  // git orders a tree "a" as "a/": after a file "a.b"
    by_name_.resize(entries_.size());
    for (uint32_t i = 0; i < by_name_.size(); ++i) by_name_[i] = i;
    std::stable_sort(by_name_.begin(), by_name_.end(), [&](uint32_t a, uint32_t b) {
      return ByteLess(entries_[a].Name(), entries_[b].Name());
    });
  }
  return true;
}

size_t Tree::Bytes() const {
  return sizeof(Tree) + git_odb_object_size(raw_.get()) + entries_.capacity() * sizeof(TreeEntry) +
         by_name_.size() * sizeof(uint32_t);
}

const Tree* TreeCache::Get(const git_oid& id) {
  auto found = trees_.find(id);
  if (found != trees_.end()) return found->second.get();
  git_odb_object* raw = nullptr;
  const int rc = git_odb_read(&raw, odb_, &id);
  GitPtr<git_odb_object> object(raw);
  std::unique_ptr<Tree> tree;
  if (rc != GIT_ENOTFOUND) {
    GitCheck(rc, ("reading tree " + OidHex(id)).c_str());
    if (git_odb_object_type(raw) == GIT_OBJECT_TREE) {
      tree = std::make_unique<Tree>();
      if (!tree->Parse(std::move(object)))
        throw GitError("reading tree " + OidHex(id) + ": malformed");
      bytes_ += tree->Bytes();
    }
  }
  bytes_ += sizeof(git_oid) + sizeof(void*);
  return trees_.emplace(id, std::move(tree)).first->second.get();
}

void TreeCache::Trim() {
  if (bytes_ <= budget_) return;
  trees_.clear();
  bytes_ = 0;
}

}  // namespace leakd
