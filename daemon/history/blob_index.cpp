#include "history/blob_index.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "history/git_repo.h"
#include "history/oid_map.h"

namespace leakd {
namespace {

using TreePtr = GitPtr<git_tree>;

class Introductions {
 public:
  Introductions(git_repository* repo, HistoryIndex* index) : repo_(repo), index_(index) {}

  void Commit(uint32_t commit_index) {
    const CommitNode& node = index_->graph.commits[commit_index];
    TreePtr tree = Lookup(node.tree);
    if (!tree) return;
    std::vector<TreePtr> parents;
    for (uint32_t p : node.parents) parents.push_back(Lookup(index_->graph.commits[p].tree));
    std::string prefix;
    Compare(tree.get(), parents, &prefix, commit_index);
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
  TreePtr Lookup(const git_oid& id) {
    git_tree* raw = nullptr;
    const int rc = git_tree_lookup(&raw, repo_, &id);
    if (rc == GIT_ENOTFOUND) {
      index_->missing.push_back("tree " + OidHex(id));
      return nullptr;
    }
    GitCheck(rc, ("reading tree " + OidHex(id)).c_str());
    return TreePtr(raw);
  }

  void Compare(const git_tree* tree, const std::vector<TreePtr>& parents, std::string* prefix,
               uint32_t commit) {
    const size_t count = git_tree_entrycount(tree);
    for (size_t i = 0; i < count; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      const git_oid* id = git_tree_entry_id(entry);
      const char* name = git_tree_entry_name(entry);
      const git_object_t type = git_tree_entry_type(entry);
      std::vector<TreePtr> same_name;  // the parents' subtrees of this name
      bool unchanged = false;
      for (const TreePtr& parent : parents) {
        if (!parent) continue;
        const git_tree_entry* old = git_tree_entry_byname(parent.get(), name);
        if (!old) continue;
        if (git_oid_equal(git_tree_entry_id(old), id) && git_tree_entry_type(old) == type) {
          unchanged = true;
          break;
        }
        if (type == GIT_OBJECT_TREE && git_tree_entry_type(old) == GIT_OBJECT_TREE) {
          same_name.push_back(Lookup(*git_tree_entry_id(old)));
        }
      }
      if (unchanged) continue;
      const size_t length = prefix->size();
      prefix->append(name);
      if (type == GIT_OBJECT_BLOB) {
        Record(*id, *prefix, commit);
      } else if (type == GIT_OBJECT_COMMIT) {
        ++index_->gitlinks;
      } else if (type == GIT_OBJECT_TREE) {
        if (TreePtr sub = Lookup(*id)) {
          prefix->push_back('/');
          Compare(sub.get(), same_name, prefix, commit);
        }
      }
      prefix->resize(length);
    }
  }

  void Record(const git_oid& blob, const std::string& path, uint32_t commit) {
    auto [path_it, new_path] = path_ids_.emplace(path, static_cast<uint32_t>(index_->paths.size()));
    if (new_path) index_->paths.push_back(path);
    auto [blob_it, new_blob] = blob_ids_.emplace(blob, occurrences_.size());
    if (new_blob) {
      occurrences_.emplace_back();
      index_->blobs.push_back(BlobOrigin{blob});
    }
    occurrences_[blob_it->second].emplace_back(commit, path_it->second);
  }

  git_repository* repo_;
  HistoryIndex* index_;
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
  Introductions introductions(repo, &index);
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
