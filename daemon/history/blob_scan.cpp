// Whole-history mode of ScanHistory: walk the history (history/blob_index.h)
// while the rules load, then read and scan each blob once, in pack order
// (history/pack_order.h), on the worker threads.
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>

#include "history/blob_index.h"
#include "history/git_repo.h"
#include "history/history_scan.h"
#include "history/pack_order.h"
#include "history/parallel_for.h"
#include "scan/fixture_path.h"
#include "scan/scanner.h"

namespace leakd {
namespace {

constexpr size_t kBinarySniff = 8000;  // as the file mode and git: a NUL byte

struct BlobJob {
  uint32_t slot;
  git_oid blob;
  std::string path;
};

struct Found {
  uint32_t slot;           // in HistoryIndex::blobs
  HistoryFinding finding;  // position and finding; provenance comes from the slot
};

struct Counters {
  std::atomic<uint64_t> scanned{0}, bytes{0}, read{0}, skipped_large{0}, skipped_binary{0};
};

struct BlobWorker {
  BlobWorker(const std::string& path, std::shared_ptr<const PatternDatabase> db)
      : repo(path), scanner(std::move(db)) {}
  Repository repo;
  Scanner scanner;
  std::vector<Finding> findings;
  std::vector<Found> out;
  std::vector<std::string> missing, errors;
};

class BlobReader {
 public:
  BlobReader(const HistoryScanOptions& options, ScanObserver& observer)
      : options_(options), observer_(observer) {}

  void One(BlobWorker* w, const BlobJob& job) {
    size_t size = 0;
    git_object_t type;
    int rc = git_odb_read_header(&size, &type, w->repo.odb(), &job.blob);
    git_odb_object* raw = nullptr;
    if (rc == 0 && size <= options_.max_blob_size)
      rc = git_odb_read(&raw, w->repo.odb(), &job.blob);
    GitPtr<git_odb_object> object(raw);
    if (rc == GIT_ENOTFOUND) {
      w->missing.push_back("blob " + OidHex(job.blob) + " (" + job.path + ")");
    } else if (rc != 0) {
      const git_error* e = git_error_last();
      w->errors.push_back("reading blob " + OidHex(job.blob) + " (" + job.path +
                          "): " + (e && e->message ? e->message : "libgit2 error"));
    } else if (!object) {
      ++counters_.skipped_large;
    } else {
      counters_.read += git_odb_object_size(object.get());
      Scan(w, job,
           std::string_view(static_cast<const char*>(git_odb_object_data(object.get())),
                            git_odb_object_size(object.get())));
      return;
    }
    observer_.Done(0, 0);
  }

  void Report(HistoryReport* report) const {
    report->scanned = counters_.scanned;
    report->bytes = counters_.bytes;
    report->bytes_read = counters_.read;
    report->skipped_large = counters_.skipped_large;
    report->skipped_binary = counters_.skipped_binary;
  }

 private:
  void Scan(BlobWorker* w, const BlobJob& job, std::string_view content) {
    if (!content.empty() &&
        std::memchr(content.data(), '\0', std::min(content.size(), kBinarySniff)) != nullptr) {
      ++counters_.skipped_binary;
      observer_.Done(0, 0);
      return;
    }
    w->findings.clear();
    try {
      w->scanner.Scan(content, &w->findings);
    } catch (const std::exception& e) {
      w->errors.push_back("scanning blob " + OidHex(job.blob) + ": " + e.what());
      observer_.Done(0, 0);
      return;
    }
    ++counters_.scanned;
    counters_.bytes += content.size();
    observer_.Done(content.size(), w->findings.size());
    if (w->findings.empty()) return;
    const bool fixture = IsFixturePath(job.path);
    LineIndex lines(content);
    for (Finding& f : w->findings) {
      f.fixture |= fixture;
      Found found{job.slot, {}};
      found.finding.position = lines.At(f.offset);
      found.finding.finding = std::move(f);
      w->out.push_back(std::move(found));
    }
  }

  const HistoryScanOptions& options_;
  ScanObserver& observer_;
  Counters counters_;
};

// Fills in where each finding's blob comes from, now that the walk is done.
HistoryFinding WithProvenance(Found found, const HistoryIndex& index) {
  const BlobOrigin& origin = index.blobs[found.slot];
  const CommitNode& commit = index.graph.commits[origin.commit];
  HistoryFinding h = std::move(found.finding);
  h.commit = OidHex(commit.id);
  h.path = index.paths[origin.path];
  h.blob = OidHex(origin.blob);
  h.author_date = GitTimeRfc3339(commit.author_time, commit.author_offset);
  h.commit_time = commit.time;
  h.other_commits = origin.commits - 1;
  h.other_paths = origin.paths - 1;
  return h;
}

}  // namespace

std::vector<HistoryFinding> ScanBlobs(const HistoryScanOptions& options, DatabaseFuture db,
                                      ScanObserver& observer, HistoryReport* report) {
  HistoryIndex index;
  std::vector<uint32_t> order;
  {
    const auto start = std::chrono::steady_clock::now();
    Repository repo(options.path);
    index = BuildHistoryIndex(repo.get(), IndexOptions{options.revisions, options.since});
    std::vector<git_oid> ids;
    for (const BlobOrigin& b : index.blobs) ids.push_back(b.blob);
    order = PackOrder(repo.get(), ids);
    report->index_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  observer.Total(index.blobs.size());
  BlobReader reader(options, observer);
  std::mutex mu;
  std::vector<std::unique_ptr<BlobWorker>> workers;
  ParallelFor(
      options.threads, order.size(),
      [&] {
        auto w = std::make_unique<BlobWorker>(options.path, db.get());
        std::lock_guard<std::mutex> lock(mu);
        workers.push_back(std::move(w));
        return workers.back().get();
      },
      [&](BlobWorker* w, size_t i) {
        const uint32_t slot = order[i];
        const BlobOrigin& origin = index.blobs[slot];
        reader.One(w, BlobJob{slot, origin.blob, index.paths[origin.path]});
      });
  reader.Report(report);
  report->commits = index.commits_considered;
  report->blobs = index.blobs.size();
  report->gitlinks = index.gitlinks;
  report->skipped_refs = index.skipped_refs;
  report->missing = index.missing;
  std::vector<HistoryFinding> all;
  for (auto& w : workers) {
    for (Found& found : w->out) all.push_back(WithProvenance(std::move(found), index));
    report->missing.insert(report->missing.end(), w->missing.begin(), w->missing.end());
    report->errors.insert(report->errors.end(), w->errors.begin(), w->errors.end());
  }
  return all;
}

}  // namespace leakd
