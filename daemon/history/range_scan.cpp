// Range mode of ScanHistory: each commit of "A..B" as the daemon scans a
// push, its patch against the first parent through ingest's AddedLines.
#include <atomic>
#include <mutex>

#include "history/git_repo.h"
#include "history/history_scan.h"
#include "history/scan_worker.h"
#include "ingest/unified_diff.h"
#include "scan/decoded_scan.h"
#include "scan/fixture_path.h"
#include "scan/scanner.h"

namespace leakd {
namespace {

struct RangeWorker : ScanWorker {
  using ScanWorker::ScanWorker;
  std::vector<HistoryFinding> out;
  std::vector<std::string> missing, errors;
  uint64_t files = 0, scanned = 0, bytes = 0, skipped_large = 0, skipped_binary = 0;
};

std::vector<git_oid> CommitsInRange(git_repository* repo, const std::string& range) {
  git_revwalk* raw = nullptr;
  GitCheck(git_revwalk_new(&raw, repo), "revwalk");
  GitPtr<git_revwalk> walk(raw);
  GitCheck(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE), "revwalk");
  GitCheck(git_revwalk_push_range(walk.get(), range.c_str()), ("--range " + range).c_str());
  std::vector<git_oid> commits;
  git_oid id;
  int rc;
  while ((rc = git_revwalk_next(&id, walk.get())) == 0) commits.push_back(id);
  if (rc != GIT_ITEROVER) GitCheck(rc, ("--range " + range).c_str());
  return commits;
}

// The commit's diff against its first parent (the empty tree for a root), renames found.
GitPtr<git_diff> FirstParentDiff(git_repository* repo, git_commit* commit) {
  git_tree *raw_new = nullptr, *raw_old = nullptr;
  GitCheck(git_commit_tree(&raw_new, commit), "reading tree");
  GitPtr<git_tree> new_tree(raw_new), old_tree;
  if (git_commit_parentcount(commit) > 0) {
    git_commit* parent = nullptr;
    GitCheck(git_commit_parent(&parent, commit, 0), "reading parent");
    GitPtr<git_commit> owned(parent);
    GitCheck(git_commit_tree(&raw_old, parent), "reading parent tree");
    old_tree.reset(raw_old);
  }
  git_diff* raw_diff = nullptr;
  GitCheck(git_diff_tree_to_tree(&raw_diff, repo, old_tree.get(), new_tree.get(), nullptr), "diff");
  GitPtr<git_diff> diff(raw_diff);
  git_diff_find_options find;
  GitCheck(git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION), "diff options");
  find.flags = GIT_DIFF_FIND_RENAMES;
  GitCheck(git_diff_find_similar(diff.get(), &find), "finding renames");
  return diff;
}

void ScanPatch(RangeWorker* w, git_patch* patch, const HistoryFinding& where) {
  git_buf buf = GIT_BUF_INIT;
  GitCheck(git_patch_to_buf(&buf, patch), "patch text");
  const AddedLines added = AddedLines::FromPatch(std::string_view(buf.ptr, buf.size));
  git_buf_dispose(&buf);
  if (added.malformed()) throw GitError("unreadable patch of " + where.path);
  w->findings.clear();
  ScanWithDecoding(w->scanner, added.text(), &w->findings);
  ++w->scanned;
  w->bytes += added.text().size();
  const bool fixture = IsFixturePath(where.path);
  for (Finding& f : w->findings) {
    HistoryFinding h = where;
    f.fixture |= fixture;
    h.position = added.PositionOf(f.offset);
    h.finding = std::move(f);
    w->out.push_back(std::move(h));
  }
}

void ScanCommit(RangeWorker* w, const git_oid& id, const HistoryScanOptions& options) {
  git_commit* raw = nullptr;
  const int rc = git_commit_lookup(&raw, w->repo.get(), &id);
  if (rc == GIT_ENOTFOUND) return w->missing.push_back("commit " + OidHex(id));
  GitCheck(rc, "reading commit");
  GitPtr<git_commit> commit(raw);
  if (git_commit_time(raw) < options.since) return;
  HistoryFinding where;
  where.commit = OidHex(id);
  where.commit_time = git_commit_time(raw);
  const git_signature* author = git_commit_author(raw);
  where.author_date = GitTimeRfc3339(author->when.time, author->when.offset);
  GitPtr<git_diff> diff = FirstParentDiff(w->repo.get(), raw);
  for (size_t d = 0; d < git_diff_num_deltas(diff.get()); ++d) {
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), d);
    if (delta->status == GIT_DELTA_DELETED) continue;
    ++w->files;
    where.path = delta->new_file.path;
    where.blob = OidHex(delta->new_file.id);
    if (delta->new_file.size > options.max_blob_size) {
      ++w->skipped_large;
      continue;
    }
    git_patch* raw_patch = nullptr;
    const int prc = git_patch_from_diff(&raw_patch, diff.get(), d);
    if (prc == GIT_ENOTFOUND) {
      w->missing.push_back("blob " + where.blob + " (" + where.path + ")");
      continue;
    }
    GitCheck(prc, ("patch of " + where.path).c_str());
    GitPtr<git_patch> patch(raw_patch);
    if (git_patch_get_delta(raw_patch)->flags & GIT_DIFF_FLAG_BINARY) {
      ++w->skipped_binary;
      continue;
    }
    ScanPatch(w, raw_patch, where);
  }
}

}  // namespace

std::vector<HistoryFinding> ScanRange(const HistoryScanOptions& options, DatabaseFuture db,
                                      ScanObserver& observer, HistoryReport* report) {
  std::vector<git_oid> commits;
  {
    Repository repo(options.path);
    commits = CommitsInRange(repo.get(), options.range);
  }
  report->commits = commits.size();
  observer.Total(commits.size());
  std::vector<std::unique_ptr<RangeWorker>> workers;
  ParallelScan(options.threads, commits.size(), options.path, db, &workers,
               [&](RangeWorker* w, size_t i) {
                 const uint64_t bytes = w->bytes;
                 const size_t found = w->out.size();
                 try {
                   ScanCommit(w, commits[i], options);
                 } catch (const std::exception& e) {
                   w->errors.push_back("commit " + OidHex(commits[i]) + ": " + e.what());
                 }
                 observer.Done(w->bytes - bytes, w->out.size() - found);
               });
  std::vector<HistoryFinding> all;
  for (auto& w : workers) {
    std::move(w->out.begin(), w->out.end(), std::back_inserter(all));
    report->missing.insert(report->missing.end(), w->missing.begin(), w->missing.end());
    report->errors.insert(report->errors.end(), w->errors.begin(), w->errors.end());
    report->blobs += w->files;
    report->scanned += w->scanned;
    report->bytes += w->bytes;
    report->skipped_large += w->skipped_large;
    report->skipped_binary += w->skipped_binary;
  }
  return all;
}

}  // namespace leakd
