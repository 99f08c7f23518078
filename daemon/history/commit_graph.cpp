#include "history/commit_graph.h"

#include <cstring>
#include <string_view>
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

// "<prefix><40 hex>\n" at *p; advances past it.
bool IdLine(const char** p, const char* end, std::string_view prefix, git_oid* id) {
  const size_t size = prefix.size() + GIT_OID_HEXSZ + 1;
  if (static_cast<size_t>(end - *p) < size || std::string_view(*p, prefix.size()) != prefix ||
      (*p)[size - 1] != '\n' || git_oid_fromstrn(id, *p + prefix.size(), GIT_OID_HEXSZ) != 0) {
    return false;
  }
  *p += size;
  return true;
}

// "<prefix>Name <email> <seconds> <+|-><hhmm>\n" at *p; advances past it.
bool SignatureLine(const char** p, const char* end, std::string_view prefix, int64_t* time,
                   int* offset) {
  if (static_cast<size_t>(end - *p) < prefix.size() ||
      std::string_view(*p, prefix.size()) != prefix)
    return false;
  const char* eol = static_cast<const char*>(std::memchr(*p, '\n', static_cast<size_t>(end - *p)));
  if (!eol) return false;
  const std::string_view line(*p, static_cast<size_t>(eol - *p));
  const size_t gt = line.rfind('>');
  if (gt == std::string_view::npos || line.rfind('<') > gt || gt + 2 >= line.size() ||
      line[gt + 1] != ' ') {
    return false;
  }
  size_t i = gt + 2;
  int64_t seconds = 0;
  const size_t digits = i;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && i - digits < 18; ++i)
    seconds = seconds * 10 + (line[i] - '0');
  if (i == digits || line.size() != i + 6 || line[i] != ' ' ||
      (line[i + 1] != '+' && line[i + 1] != '-')) {
    return false;
  }
  int zone = 0;
  for (size_t k = i + 2; k < line.size(); ++k) {
    if (line[k] < '0' || line[k] > '9') return false;
    zone = zone * 10 + (line[k] - '0');
  }
  if (zone / 100 > 14 || zone % 100 > 59) return false;
  *time = seconds;
  *offset = (line[i + 1] == '-' ? -1 : 1) * (zone / 100 * 60 + zone % 100);
  *p = eol + 1;
  return true;
}

// The fields of a well-formed commit, read from its raw object without
// building a git_commit (no copies of names, e-mails and message). False
// when the object is anything else: ReadCommit then asks libgit2.
bool ParseRawCommit(git_odb_object* raw, Pending* out) {
  if (git_odb_object_type(raw) != GIT_OBJECT_COMMIT) return false;
  const char* p = static_cast<const char*>(git_odb_object_data(raw));
  const char* end = p + git_odb_object_size(raw);
  if (!IdLine(&p, end, "tree ", &out->node.tree)) return false;
  git_oid parent;
  while (IdLine(&p, end, "parent ", &parent)) out->parent_ids.push_back(parent);
  int committer_offset = 0;
  return SignatureLine(&p, end, "author ", &out->node.author_time, &out->node.author_offset) &&
         SignatureLine(&p, end, "committer ", &out->node.time, &committer_offset);
}

// Whether `id` names a commit that can be read (cheap: the object's header).
bool IsCommit(git_odb* odb, const git_oid* id) {
  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  return id != nullptr && git_odb_read_header(&size, &type, odb, id) == 0 &&
         type == GIT_OBJECT_COMMIT;
}

// Reads one commit through libgit2 (an unusual commit, or an error to report).
bool ReadCommitSlow(git_repository* repo, const git_oid& id, Pending* out) {
  git_commit* raw = nullptr;
  const int rc = git_commit_lookup(&raw, repo, &id);
  if (rc == GIT_ENOTFOUND) return false;
  GitCheck(rc, ("reading commit " + OidHex(id)).c_str());
  GitPtr<git_commit> commit(raw);
  out->node.tree = *git_commit_tree_id(raw);
  out->node.time = git_commit_time(raw);
  const git_signature* author = git_commit_author(raw);
  out->node.author_time = author->when.time;
  out->node.author_offset = author->when.offset;
  out->parent_ids.clear();
  for (unsigned i = 0; i < git_commit_parentcount(raw); ++i) {
    out->parent_ids.push_back(*git_commit_parent_id(raw, i));
  }
  return true;
}

// Reads one commit. False when it is missing; throws on other errors.
bool ReadCommit(git_repository* repo, git_odb* odb, const git_oid& id, Pending* out) {
  out->node.id = id;
  git_odb_object* raw = nullptr;
  if (git_odb_read(&raw, odb, &id) == 0) {
    GitPtr<git_odb_object> object(raw);
    if (ParseRawCommit(raw, out)) return true;
    out->parent_ids.clear();
  }
  return ReadCommitSlow(repo, id, out);
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
  git_odb* raw_odb = nullptr;
  GitCheck(git_repository_odb(&raw_odb, repo), "opening the object database");
  GitPtr<git_odb> odb(raw_odb);
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
    if (IsCommit(odb.get(), git_reference_target(raw_ref))) {  // most refs: no need to peel
      tips.push_back(*git_reference_target(raw_ref));
      continue;
    }
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
  git_odb* raw_odb = nullptr;
  GitCheck(git_repository_odb(&raw_odb, repo), "opening the object database");
  GitPtr<git_odb> odb(raw_odb);
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
    if (!ReadCommit(repo, odb.get(), frame.id, &p)) {
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
