// What each thread of a history scan owns, and the loop that gives every
// thread one. A libgit2 repository handle is not shared between threads, and
// a Scanner holds its thread's Hyperscan scratch, so each worker opens its
// own; the database is waited for only when the first worker is made (it
// compiles while the history is walked). Workers are kept after the loop for
// what each one collected.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "history/git_repo.h"
#include "history/history_scan.h"
#include "history/parallel_for.h"
#include "scan/scanner.h"

namespace leakd {

struct ScanWorker {
  ScanWorker(const std::string& path, std::shared_ptr<const PatternDatabase> db)
      : repo(path), scanner(std::move(db)) {}
  Repository repo;
  Scanner scanner;
  std::vector<Finding> findings;  // reused for each blob
};

// ParallelFor(threads, n, …, body) with a `Worker` (a ScanWorker with what it
// collects) made for each thread and appended to `workers`.
template <typename Worker, typename Body>
void ParallelScan(unsigned threads, size_t n, const std::string& path, const DatabaseFuture& db,
                  std::vector<std::unique_ptr<Worker>>* workers, Body body) {
  std::mutex mu;
  ParallelFor(
      threads, n,
      [&] {
        auto w = std::make_unique<Worker>(path, db.get());
        std::lock_guard<std::mutex> lock(mu);
        workers->push_back(std::move(w));
        return workers->back().get();
      },
      body);
}

}  // namespace leakd
