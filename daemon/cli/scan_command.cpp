#include "cli/scan_command.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <thread>

#include "cli/file_walker.h"
#include "cli/progress.h"
#include "common/mapped_file.h"
#include "scan/decoded_scan.h"
#include "scan/fixture_path.h"
#include "scan/ignore_list.h"
#include "scan/scanner.h"

namespace leakd {
namespace {

// Bytes read to decide whether a file is binary (as git does: a NUL byte).
constexpr size_t kBinarySniff = 8000;

enum class ReadOutcome { kOk, kSkippedLarge, kSkippedBinary, kError };

// Fills `view` with the input's bytes: stdin is read into `stdin_buffer`,
// files are memory-mapped into `mapped`.
ReadOutcome ReadInput(const std::string& path, uint64_t max_size, MappedFile* mapped,
                      std::string* stdin_buffer, std::string_view* view, std::string* error) {
  if (path == "-") {
    stdin_buffer->assign(std::istreambuf_iterator<char>(std::cin),
                         std::istreambuf_iterator<char>());
    *view = *stdin_buffer;
    return ReadOutcome::kOk;  // stdin is scanned whatever it holds
  }
  // Mapping is lazy (no byte is read yet), so the size check can follow it.
  if (!mapped->Open(path, error)) return ReadOutcome::kError;
  if (mapped->size() > max_size) return ReadOutcome::kSkippedLarge;
  *view = mapped->data();
  // An empty file maps to no memory: memchr may not be given its null pointer.
  if (!view->empty() &&
      std::memchr(view->data(), '\0', std::min(view->size(), kBinarySniff)) != nullptr) {
    return ReadOutcome::kSkippedBinary;
  }
  return ReadOutcome::kOk;
}

constexpr char kIgnoreFileName[] = ".leakdignore";

// The files to scan, each with the ignore list of the argument it came from.
struct ScanInputs {
  std::vector<std::string> files;
  std::vector<std::string> relative;  // per file: from its scan root ("" for stdin)
  std::vector<size_t> root;           // per file: index into lists
  std::vector<IgnoreList> lists;
  std::vector<std::string> errors;
  uint64_t skipped_symlinks = 0;
  uint64_t ignored_files = 0;
};

// Walks each argument; drops the files its ignore list names by path.
bool CollectInputs(const ScanOptions& options, ScanInputs* inputs, std::string* error) {
  namespace fs = std::filesystem;
  IgnoreList shared;
  if (!options.ignore_file.empty() && !shared.AddFile(options.ignore_file, error)) return false;
  for (const std::string& path : options.paths) {
    IgnoreList list = shared;
    std::error_code ec;
    const bool is_directory = path != "-" && fs::is_directory(path, ec);
    const fs::path own = fs::path(path) / kIgnoreFileName;
    if (is_directory && fs::is_regular_file(own, ec) && !list.AddFile(own.string(), error)) {
      return false;
    }
    WalkResult walk = WalkPaths({path});
    inputs->errors.insert(inputs->errors.end(), walk.errors.begin(), walk.errors.end());
    inputs->skipped_symlinks += walk.skipped_symlinks;
    for (std::string& file : walk.files) {
      const std::string relative =
          is_directory ? fs::path(file).lexically_relative(path).generic_string() : file;
      if (file != "-" && list.IgnoresPath(relative)) {
        ++inputs->ignored_files;
        continue;
      }
      inputs->relative.push_back(file == "-" ? "" : relative);
      inputs->files.push_back(std::move(file));
      inputs->root.push_back(inputs->lists.size());
    }
    inputs->lists.push_back(std::move(list));
  }
  return true;
}

// What the scan threads gather; guarded by `mu` where shared.
struct ScanResults {
  std::vector<std::vector<LocatedFinding>> per_file;
  std::vector<std::string> errors;
  std::mutex mu;  // guards errors
  std::atomic<uint64_t> skipped_large{0}, skipped_binary{0}, ignored_findings{0};
  void Error(std::string e) {
    std::lock_guard<std::mutex> lock(mu);
    errors.push_back(std::move(e));
  }
};

// One thread's state: its scanner (Hyperscan scratch) and read buffers.
struct ScanThread {
  explicit ScanThread(std::shared_ptr<const PatternDatabase> db) : scanner(std::move(db)) {}
  Scanner scanner;
  MappedFile mapped;
  std::string stdin_buffer;
  std::vector<Finding> findings;
};

void ScanOneFile(size_t i, const ScanInputs& walk, const ScanOptions& options, ScanThread* t,
                 Progress* progress, ScanResults* results) {
  std::string error;
  std::string_view content;
  switch (ReadInput(walk.files[i], options.max_file_size, &t->mapped, &t->stdin_buffer, &content,
                    &error)) {
    case ReadOutcome::kSkippedLarge:
      ++results->skipped_large;
      return;
    case ReadOutcome::kSkippedBinary:
      ++results->skipped_binary;
      return;
    case ReadOutcome::kError:
      return results->Error(error);
    case ReadOutcome::kOk:
      break;
  }
  t->findings.clear();
  try {
    ScanWithDecoding(t->scanner, content, &t->findings);
  } catch (const std::exception& e) {
    return results->Error(walk.files[i] + ": " + e.what());
  }
  const IgnoreList& ignore = walk.lists[walk.root[i]];
  const size_t before = t->findings.size();
  t->findings.erase(
      std::remove_if(t->findings.begin(), t->findings.end(),
                     [&](const Finding& f) { return ignore.IgnoresFingerprint(f.fingerprint); }),
      t->findings.end());
  results->ignored_findings += before - t->findings.size();
  progress->FileDone(content.size(), t->findings.size());
  const bool fixture_path = IsFixturePath(walk.relative[i]);
  LineIndex lines(content);
  for (auto& f : t->findings) {
    f.fixture |= fixture_path;
    results->per_file[i].push_back({walk.files[i], lines.At(f.offset), std::move(f), std::nullopt});
  }
}

// Scans every input on `options.threads` threads (files are taken in turn).
void ScanAll(const std::shared_ptr<const PatternDatabase>& db, const ScanInputs& walk,
             const ScanOptions& options, ScanResults* results) {
  results->per_file.resize(walk.files.size());
  results->errors = walk.errors;
  std::atomic<size_t> next{0};
  Progress progress(walk.files.size(), Progress::TerminalAttached());
  auto worker = [&]() {
    ScanThread t(db);
    for (size_t i = next++; i < walk.files.size(); i = next++) {
      ScanOneFile(i, walk, options, &t, &progress, results);
    }
  };
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(walk.files.size())));
  std::vector<std::thread> pool;
  try {
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
  } catch (const std::exception& e) {
    results->Error(std::string("scan worker failed: ") + e.what());
  }
  for (auto& t : pool) t.join();
  progress.Finish();
}

void PrintSummary(const ScanInputs& walk, const ScanResults& r) {
  for (const auto& e : r.errors) std::cerr << "leakd: " << e << '\n';
  if (r.skipped_large || r.skipped_binary || walk.skipped_symlinks) {
    std::cerr << "leakd: skipped " << r.skipped_large << " file(s) over the size limit, "
              << r.skipped_binary << " binary file(s), " << walk.skipped_symlinks
              << " symlink(s) leaving the tree\n";
  }
  if (walk.ignored_files || r.ignored_findings) {
    std::cerr << "leakd: ignored " << walk.ignored_files << " file(s) by path and "
              << r.ignored_findings << " finding(s) by fingerprint (ignore files)\n";
  }
}

}  // namespace

int RunScan(const ScanOptions& options) {
  std::shared_ptr<const PatternDatabase> db;
  try {
    db = LoadEngine(options.engine);
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    return 2;
  }
  ScanInputs walk;
  std::string ignore_error;
  if (!CollectInputs(options, &walk, &ignore_error)) {
    std::cerr << "leakd: " << ignore_error << '\n';
    return 2;
  }
  ScanResults results;
  ScanAll(db, walk, options, &results);
  std::vector<LocatedFinding> all;
  for (auto& file : results.per_file) std::move(file.begin(), file.end(), std::back_inserter(all));

  if (!WriteFindingsTo(options.output_path, options.format, all, db->rules(), options.reveal)) {
    return 2;
  }
  PrintSummary(walk, results);
  if (!results.errors.empty()) return 2;
  return all.empty() ? 0 : 1;
}

}  // namespace leakd
