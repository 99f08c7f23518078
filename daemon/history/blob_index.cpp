#include "history/blob_index.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "history/git_repo.h"
#include "history/oid_map.h"
#include "history/tree_cache.h"

namespace leakd {
namespace {

constexpr size_t kTreeCacheBudget = 64u << 20;

class Introductions {
 public:
  Introductions(git_odb* odb, HistoryIndex* index) : trees_(odb, kTreeCacheBudget), index_(index) {}

  void Commit(uint32_t commit_index) {
    trees_.Trim();
    const CommitNode& node = index_->graph.commits[commit_index];
    const Tree* tree = Lookup(node.tree);
    if (!tree) return;
    std::vector<const Tree*> parents;
    bool same_tree = false;  // as a parent's: introduces nothing
    for (uint32_t p : node.parents) {
      const git_oid& parent_tree = index_->graph.commits[p].tree;
      same_tree |= git_oid_equal(&parent_tree, &node.tree) != 0;
      if (const Tree* parent = Lookup(parent_tree)) parents.push_back(parent);
    }
    if (same_tree) return;
    prefix_.clear();
    Compare(*tree, parents, commit_index);
  }

  void Finish() {
    for (size_t i = 0; i < occurrences_.size(); ++i) {
      auto& occ = occurrences_[i];
      BlobOrigin& origin = index_->blobs[i];
      origin.commit = occ.front().first;
      origin.path = occ.front().second;
      origin.commits = Distinct(occ, [](const auto& o) { return o.first; });
      origin.paths = Distinct(occ, [](const auto& o) { return o.second; });
      std::vector<std::pair<uint32_t, uint32_t>>().swap(occ);
    }
  }

 private:
  template <typename Key>
  static uint32_t Distinct(const std::vector<std::pair<uint32_t, uint32_t>>& occ, Key key) {
    std::vector<uint32_t> keys;
    for (const auto& o : occ) keys.push_back(key(o));
    std::sort(keys.begin(), keys.end());
    return static_cast<uint32_t>(std::unique(keys.begin(), keys.end()) - keys.begin());
  }

  // Null when the tree is missing (named in `missing`).
  const Tree* Lookup(const git_oid& id) {
    const Tree* tree = trees_.Get(id);
    if (!tree) index_->missing.push_back("tree " + OidHex(id));
    return tree;
  }

  // What `tree` (at prefix_) holds that no parent holds at the same path.
  void Compare(const Tree& tree, const std::vector<const Tree*>& parents, uint32_t commit) {
    std::vector<const Tree*> same_name;  // the parents' subtrees of an entry's name
    for (const TreeEntry& entry : tree.entries()) {
      same_name.clear();
      bool unchanged = false;
      for (const Tree* parent : parents) {
        const TreeEntry* old = parent->Find(entry.Name());
        if (!old) continue;
        if (OidEqual()(*old->id, *entry.id) && old->type == entry.type) {
          unchanged = true;
          break;
        }
        if (entry.type == GIT_OBJECT_TREE && old->type == GIT_OBJECT_TREE) {
          if (const Tree* sub = Lookup(*old->id)) same_name.push_back(sub);
        }
      }
      if (unchanged) continue;
      const size_t length = prefix_.size();
      prefix_.append(entry.name, entry.name_size);
      if (entry.type == GIT_OBJECT_BLOB) {
        Record(*entry.id, commit);
      } else if (entry.type == GIT_OBJECT_COMMIT) {
        ++index_->gitlinks;
      } else if (const Tree* sub = Lookup(*entry.id)) {
        prefix_.push_back('/');
        Compare(*sub, same_name, commit);
      }
      prefix_.resize(length);
    }
  }

  void Record(const git_oid& blob, uint32_t commit) {
    auto path_it = path_ids_.find(prefix_);
    if (path_it == path_ids_.end()) {
      path_it = path_ids_.emplace(prefix_, static_cast<uint32_t>(index_->paths.size())).first;
      index_->paths.push_back(prefix_);
    }
    auto [blob_it, new_blob] = blob_ids_.emplace(blob, occurrences_.size());
    if (new_blob) {
      occurrences_.emplace_back();
      index_->blobs.push_back(BlobOrigin{blob});
    }
    occurrences_[blob_it->second].emplace_back(commit, path_it->second);
  }

  TreeCache trees_;
  HistoryIndex* index_;
  std::string prefix_;  // the path of the tree being compared, with a trailing '/'
  std::unordered_map<std::string, uint32_t> path_ids_;
  std::unordered_map<git_oid, size_t, OidHash, OidEqual> blob_ids_;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> occurrences_;
};

}  // namespace

HistoryIndex BuildHistoryIndex(git_repository* repo, const IndexOptions& options) {
  HistoryIndex index;
  std::vector<std::string> missing_tips;
  const std::vector<git_oid> tips =
      TipCommits(repo, options.revisions, &index.skipped_refs, &missing_tips);
  index.graph = CollectCommits(repo, tips);
  index.missing = index.graph.missing;
  index.missing.insert(index.missing.end(), missing_tips.begin(), missing_tips.end());
  // By commit time; the topological order breaks ties, so a parent comes first.
  const auto& commits = index.graph.commits;
  std::vector<uint32_t> order(commits.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return commits[a].time < commits[b].time; });
  git_odb* raw_odb = nullptr;
  GitCheck(git_repository_odb(&raw_odb, repo), "opening the object database");
  GitPtr<git_odb> odb(raw_odb);
  Introductions introductions(odb.get(), &index);
  for (uint32_t c : order) {
    if (commits[c].time < options.since) continue;
    ++index.commits_considered;
    introductions.Commit(c);
  }
  introductions.Finish();
  std::sort(index.missing.begin(), index.missing.end());
  index.missing.erase(std::unique(index.missing.begin(), index.missing.end()), index.missing.end());
  return index;
}

}  // namespace leakd
