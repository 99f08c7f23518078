#include "history/commit_graph.h"

#include <unordered_map>

#include "history/git_repo.h"
#include "history/oid_map.h"

namespace leakd {
namespace {

constexpr int64_t kInProgress = -1;
constexpr int64_t kMissing = -2;

struct Frame {
  git_oid id;
  bool expanded;
};

struct Pending {
  CommitNode node;
  std::vector<git_oid> parent_ids;
};

// Reads one commit. False when it is missing; throws on other errors.
bool ReadCommit(git_repository* repo, const git_oid& id, Pending* out) {
  git_commit* raw = nullptr;
  const int rc = git_commit_lookup(&raw, repo, &id);
  if (rc == GIT_ENOTFOUND) return false;
  GitCheck(rc, ("reading commit " + OidHex(id)).c_str());
  GitPtr<git_commit> commit(raw);
  out->node.id = id;
  out->node.tree = *git_commit_tree_id(raw);
  out->node.time = git_commit_time(raw);
  const git_signature* author = git_commit_author(raw);
  out->node.author_time = author->when.time;
  out->node.author_offset = author->when.offset;
  for (unsigned i = 0; i < git_commit_parentcount(raw); ++i) {
    out->parent_ids.push_back(*git_commit_parent_id(raw, i));
  }
  return true;
}

}  // namespace

std::vector<git_oid> TipCommits(git_repository* repo, const std::vector<std::string>& revisions,
                                uint64_t* skipped_refs, std::vector<std::string>* missing) {
  std::vector<git_oid> tips;
  for (const std::string& rev : revisions) {
    git_object* raw = nullptr;
    GitCheck(git_revparse_single(&raw, repo, rev.c_str()), ("--branch " + rev).c_str());
    GitPtr<git_object> obj(raw);
    git_object* peeled = nullptr;
    GitCheck(git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT),
             ("--branch " + rev + ": not a commit").c_str());
    tips.push_back(*git_object_id(peeled));
    git_object_free(peeled);
  }
  if (!revisions.empty()) return tips;
  git_oid head;
  if (git_repository_head_detached(repo) == 1 &&
      git_reference_name_to_id(&head, repo, "HEAD") == 0) {
    tips.push_back(head);
  }
  git_reference_iterator* raw_iter = nullptr;
  GitCheck(git_reference_iterator_new(&raw_iter, repo), "listing refs");
  GitPtr<git_reference_iterator> iter(raw_iter);
  git_reference* raw_ref = nullptr;
  int rc;
  while ((rc = git_reference_next(&raw_ref, iter.get())) == 0) {
    GitPtr<git_reference> ref(raw_ref);
    if (git_reference_type(raw_ref) != GIT_REFERENCE_DIRECT) continue;  // its target is listed
    git_object* peeled = nullptr;
    const int peel = git_reference_peel(&peeled, raw_ref, GIT_OBJECT_COMMIT);
    if (peel == GIT_ENOTFOUND) {
      missing->push_back(std::string("object of ref ") + git_reference_name(raw_ref));
      continue;
    }
    if (peel == GIT_EPEEL || peel == GIT_EINVALIDSPEC) {  // a tag of a tree or a blob
      ++*skipped_refs;
      continue;
    }
    GitCheck(peel, (std::string("reading ref ") + git_reference_name(raw_ref)).c_str());
    tips.push_back(*git_object_id(peeled));
    git_object_free(peeled);
  }
  if (rc != GIT_ITEROVER) GitCheck(rc, "listing refs");
  return tips;
}

CommitGraph CollectCommits(git_repository* repo, const std::vector<git_oid>& tips) {
  CommitGraph graph;
  std::unordered_map<git_oid, int64_t, OidHash, OidEqual> state;
  std::unordered_map<git_oid, Pending, OidHash, OidEqual> pending;
  std::vector<Frame> stack;
  for (auto it = tips.rbegin(); it != tips.rend(); ++it) stack.push_back({*it, false});
  while (!stack.empty()) {
    const Frame frame = stack.back();
    stack.pop_back();
    if (frame.expanded) {
      Pending p = std::move(pending.at(frame.id));
      pending.erase(frame.id);
      for (const git_oid& parent : p.parent_ids) {
        const int64_t index = state.at(parent);
        if (index >= 0) p.node.parents.push_back(static_cast<uint32_t>(index));
      }
      state[frame.id] = static_cast<int64_t>(graph.commits.size());
      graph.commits.push_back(std::move(p.node));
      continue;
    }
    if (state.count(frame.id)) continue;
    Pending p;
    if (!ReadCommit(repo, frame.id, &p)) {
      state[frame.id] = kMissing;
      graph.missing.push_back("commit " + OidHex(frame.id));
      continue;
    }
    state[frame.id] = kInProgress;
    stack.push_back({frame.id, true});
    for (auto it = p.parent_ids.rbegin(); it != p.parent_ids.rend(); ++it) {
      if (!state.count(*it)) stack.push_back({*it, false});
    }
    pending.emplace(frame.id, std::move(p));
  }
  return graph;
}

}  // namespace leakd
