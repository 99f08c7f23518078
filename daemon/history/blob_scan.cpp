// Whole-history mode of ScanHistory. Blobs are read in pack order
// (history/pack_order.h). With every ref and no --since, what is reachable is
// nearly everything packed, so the worker threads read and scan the packed
// blobs while one thread walks the history (history/blob_index.h); only what
// the walk reaches is reported, and reachable blobs outside the packs (loose
// objects) are scanned after it. With --branch or --since the walk comes
// first and only the blobs it reaches are read.
#include <atomic>
#include <chrono>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "history/blob_index.h"
#include "history/git_repo.h"
#include "history/history_scan.h"
#include "history/oid_map.h"
#include "history/pack_order.h"
#include "history/scan_worker.h"
#include "scan/decoded_scan.h"
#include "scan/fixture_path.h"
#include "scan/scanner.h"

namespace leakd {
namespace {

constexpr size_t kBinarySniff = 8000;  // as the file mode and git: a NUL byte

enum class Outcome : uint8_t { kPending, kNotBlob, kScanned, kBinary, kLarge, kMissing, kError };

struct Found {
  uint32_t key;            // index into the candidates
  HistoryFinding finding;  // position and finding; provenance comes later
};

struct BlobWorker : ScanWorker {
  using ScanWorker::ScanWorker;
  std::vector<Found> out;
  std::vector<std::pair<uint32_t, std::string>> errors;  // by key
};

// Reads and scans one object; records its outcome and size under its key.
class BlobReader {
 public:
  BlobReader(const HistoryScanOptions& options, ScanObserver& observer, size_t keys)
      : options_(options), observer_(observer), outcome_(keys), size_(keys) {}

  void One(BlobWorker* w, uint32_t key, const git_oid& id) {
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    int rc = git_odb_read_header(&size, &type, w->repo.odb(), &id);
    if (rc == 0 && type != GIT_OBJECT_BLOB) return Set(key, Outcome::kNotBlob, 0);
    git_odb_object* raw = nullptr;
    if (rc == 0 && size <= options_.max_blob_size) rc = git_odb_read(&raw, w->repo.odb(), &id);
    GitPtr<git_odb_object> object(raw);
    if (rc == GIT_ENOTFOUND) return Set(key, Outcome::kMissing, 0);
    if (rc != 0) {
      const git_error* e = git_error_last();
      w->errors.emplace_back(key, e && e->message ? e->message : "libgit2 error");
      return Set(key, Outcome::kError, 0);
    }
    if (!object) return Set(key, Outcome::kLarge, size);
    const std::string_view content(static_cast<const char*>(git_odb_object_data(object.get())),
                                   git_odb_object_size(object.get()));
    if (!content.empty() &&
        std::memchr(content.data(), '\0', std::min(content.size(), kBinarySniff)) != nullptr) {
      return Set(key, Outcome::kBinary, content.size());
    }
    w->findings.clear();
    try {
      ScanWithDecoding(w->scanner, content, &w->findings);
    } catch (const std::exception& e) {
      w->errors.emplace_back(key, std::string("scanning: ") + e.what());
      return Set(key, Outcome::kError, 0);
    }
    LineIndex lines(content);
    for (Finding& f : w->findings) {
      Found found{key, {}};
      found.finding.position = lines.At(f.offset);
      found.finding.finding = std::move(f);
      w->out.push_back(std::move(found));
    }
    Set(key, Outcome::kScanned, content.size(), w->findings.size());
  }

  Outcome outcome(uint32_t key) const { return outcome_[key]; }
  uint64_t size(uint32_t key) const { return size_[key]; }
  void Grow(size_t keys) {
    outcome_.resize(keys);
    size_.resize(keys);
  }

 private:
  void Set(uint32_t key, Outcome outcome, uint64_t size, size_t findings = 0) {
    outcome_[key] = outcome;  // each key is one thread's: no race
    size_[key] = size;
    if (outcome != Outcome::kNotBlob)
      observer_.Done(outcome == Outcome::kScanned ? size : 0, findings);
  }

  const HistoryScanOptions& options_;
  ScanObserver& observer_;
  std::vector<Outcome> outcome_;
  std::vector<uint64_t> size_;
};

void ReadAll(const HistoryScanOptions& options, const DatabaseFuture& db,
             const std::vector<git_oid>& ids, size_t from, BlobReader* reader,
             std::vector<std::unique_ptr<BlobWorker>>* workers) {
  ParallelScan(options.threads, ids.size() - from, options.path, db, workers,
               [&](BlobWorker* w, size_t i) {
                 reader->One(w, static_cast<uint32_t>(from + i), ids[from + i]);
               });
}

// Where each finding's blob comes from, now that the walk is done.
HistoryFinding WithProvenance(HistoryFinding h, const HistoryIndex& index, uint32_t slot) {
  const BlobOrigin& origin = index.blobs[slot];
  const CommitNode& commit = index.graph.commits[origin.commit];
  h.commit = OidHex(commit.id);
  h.path = index.paths[origin.path];
  h.finding.fixture |= IsFixturePath(h.path);
  h.blob = OidHex(origin.blob);
  h.author_date = GitTimeRfc3339(commit.author_time, commit.author_offset);
  h.commit_time = commit.time;
  h.other_commits = origin.commits - 1;
  h.other_paths = origin.paths - 1;
  return h;
}

// Walks the history; with `ids` set to the packed objects, reads them meanwhile.
HistoryIndex Walk(const HistoryScanOptions& options, const DatabaseFuture& db,
                  const std::vector<git_oid>& ids, BlobReader* reader,
                  std::vector<std::unique_ptr<BlobWorker>>* workers, HistoryReport* report) {
  HistoryIndex index;
  std::exception_ptr walk_error;
  const auto start = std::chrono::steady_clock::now();
  std::thread walker([&] {
    try {
      Repository repo(options.path);
      index = BuildHistoryIndex(repo.get(), IndexOptions{options.revisions, options.since});
    } catch (...) {
      walk_error = std::current_exception();
    }
    report->index_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  try {
    ReadAll(options, db, ids, 0, reader, workers);
  } catch (...) {
    walker.join();
    throw;
  }
  walker.join();
  if (walk_error) std::rethrow_exception(walk_error);
  return index;
}

// The key of each reachable blob (by slot): where it was read already, or a
// new key at the end of `ids`, in pack order, for what is still to be read.
std::vector<uint32_t> KeysOf(const HistoryIndex& index, const HistoryScanOptions& options,
                             const BlobReader& reader, std::vector<git_oid>* ids) {
  constexpr uint32_t kNone = UINT32_MAX;
  std::unordered_map<git_oid, uint32_t, OidHash, OidEqual> key_of;
  for (uint32_t k = 0; k < ids->size(); ++k) {
    if (reader.outcome(k) != Outcome::kNotBlob) key_of.emplace((*ids)[k], k);
  }
  std::vector<uint32_t> slot_key(index.blobs.size(), kNone);
  std::vector<git_oid> rest;
  for (uint32_t s = 0; s < index.blobs.size(); ++s) {
    auto it = key_of.find(index.blobs[s].blob);
    if (it != key_of.end()) {
      slot_key[s] = it->second;
    } else {
      rest.push_back(index.blobs[s].blob);
    }
  }
  if (rest.empty()) return slot_key;
  key_of.clear();
  Repository repo(options.path);
  for (uint32_t i : PackOrder(repo.get(), rest)) {
    key_of.emplace(rest[i], static_cast<uint32_t>(ids->size()));
    ids->push_back(rest[i]);
  }
  for (uint32_t s = 0; s < index.blobs.size(); ++s) {
    if (slot_key[s] == kNone) slot_key[s] = key_of.at(index.blobs[s].blob);
  }
  return slot_key;
}

// Counts and missing objects over what the walk reached.
void Tally(const HistoryIndex& index, const BlobReader& reader,
           const std::vector<uint32_t>& slot_key, HistoryReport* report) {
  for (uint32_t s = 0; s < index.blobs.size(); ++s) {
    const uint32_t key = slot_key[s];
    switch (reader.outcome(key)) {
      case Outcome::kScanned:
        ++report->scanned;
        report->bytes += reader.size(key);
        report->bytes_read += reader.size(key);
        break;
      case Outcome::kBinary:
        ++report->skipped_binary;
        report->bytes_read += reader.size(key);
        break;
      case Outcome::kLarge:
        ++report->skipped_large;
        break;
      case Outcome::kMissing:
        report->missing.push_back("blob " + OidHex(index.blobs[s].blob) + " (" +
                                  index.paths[index.blobs[s].path] + ")");
        break;
      default:
        break;
    }
  }
  report->commits = index.commits_considered;
  report->blobs = index.blobs.size();
  report->gitlinks = index.gitlinks;
  report->skipped_refs = index.skipped_refs;
  report->missing.insert(report->missing.end(), index.missing.begin(), index.missing.end());
}

// The findings and read errors of reachable blobs, with their provenance.
std::vector<HistoryFinding> Collect(std::vector<std::unique_ptr<BlobWorker>>& workers,
                                    const HistoryIndex& index, const std::vector<int64_t>& key_slot,
                                    HistoryReport* report) {
  std::vector<HistoryFinding> all;
  for (auto& w : workers) {
    for (Found& found : w->out) {
      if (key_slot[found.key] < 0) continue;  // not reachable
      const auto slot = static_cast<uint32_t>(key_slot[found.key]);
      all.push_back(WithProvenance(std::move(found.finding), index, slot));
    }
    for (const auto& [key, error] : w->errors) {
      if (key_slot[key] < 0) continue;
      const BlobOrigin& origin = index.blobs[key_slot[key]];
      report->errors.push_back("reading blob " + OidHex(origin.blob) + " (" +
                               index.paths[origin.path] + "): " + error);
    }
  }
  return all;
}

}  // namespace

std::vector<HistoryFinding> ScanBlobs(const HistoryScanOptions& options, DatabaseFuture db,
                                      ScanObserver& observer, HistoryReport* report) {
  const bool everything = options.revisions.empty() && options.since == INT64_MIN;
  std::vector<git_oid> ids;  // what is read, by key
  {
    Repository repo(options.path);  // a non-repository throws here, before any thread
    if (everything) ids = PackedObjects(repo.get());
  }
  BlobReader reader(options, observer, ids.size());
  std::vector<std::unique_ptr<BlobWorker>> workers;
  const HistoryIndex index = Walk(options, db, ids, &reader, &workers, report);
  observer.Total(index.blobs.size());
  const size_t read = ids.size();
  const std::vector<uint32_t> slot_key = KeysOf(index, options, reader, &ids);
  if (ids.size() > read) {
    reader.Grow(ids.size());
    ReadAll(options, db, ids, read, &reader, &workers);
  }
  std::vector<int64_t> key_slot(ids.size(), -1);
  for (uint32_t s = 0; s < slot_key.size(); ++s) key_slot[slot_key[s]] = s;
  Tally(index, reader, slot_key, report);
  return Collect(workers, index, key_slot, report);
}

}  // namespace leakd
