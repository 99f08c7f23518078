#include "cli/git_scan_command.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>

#include "cli/progress.h"
#include "history/git_repo.h"
#include "scan/pattern_database.h"

namespace leakd {
namespace {

class ProgressObserver : public ScanObserver {
 public:
  explicit ProgressObserver(Progress& progress) : progress_(progress) {}
  void Total(size_t units) override { progress_.SetTotal(units); }
  void Done(uint64_t bytes, size_t findings) override { progress_.FileDone(bytes, findings); }

 private:
  Progress& progress_;
};

std::vector<LocatedFinding> Located(std::vector<HistoryFinding> findings) {
  std::vector<LocatedFinding> out;
  out.reserve(findings.size());
  for (HistoryFinding& h : findings) {
    GitProvenance git{h.commit, h.blob, h.author_date, h.other_commits, h.other_paths};
    out.push_back({std::move(h.path), h.position, std::move(h.finding), std::move(git)});
  }
  return out;
}

void PrintReport(const HistoryReport& r, bool range) {
  std::cerr << "leakd: " << r.commits << " commit(s), " << r.blobs
            << (range ? " changed file(s)" : " distinct blob(s)");
  if (!range) std::cerr << " (" << r.bytes_read / 1e6 << " MB read)";
  std::cerr << "; skipped " << r.skipped_large << " over the size limit, " << r.skipped_binary
            << " binary";
  if (!range) {
    std::cerr << ", " << r.gitlinks << " submodule entr(ies); history indexed in "
              << r.index_seconds << " s";
  }
  std::cerr << '\n';
  if (r.skipped_refs) std::cerr << "leakd: " << r.skipped_refs << " ref(s) name no commit\n";
  if (!r.missing.empty()) {
    std::cerr << "leakd: " << r.missing.size()
              << " object(s) missing (a partial or damaged clone), skipped:\n";
    for (const auto& m : r.missing) std::cerr << "leakd:   missing " << m << '\n';
  }
  for (const auto& e : r.errors) std::cerr << "leakd: " << e << '\n';
}

bool Write(const GitScanOptions& options, const std::vector<LocatedFinding>& all,
           const RuleSet& rules) {
  return WriteFindingsTo(options.output_path, options.format, all, rules, options.reveal);
}

bool Publish(HistoryPublisher& publisher, const std::string& topic,
             const std::vector<HistoryFinding>& findings) {
  const PublishResult r = publisher.Publish(findings);
  std::cerr << "leakd: published " << r.acked << " of " << findings.size() << " alert(s) to "
            << topic << " (" << r.rejected << " rejected, " << r.aborted
            << " not acknowledged in time)\n";
  for (const auto& reason : r.reasons) std::cerr << "leakd: publish: " << reason << '\n';
  return r.ok();
}

}  // namespace

bool ParseSince(const std::string& text, int64_t* seconds) {
  if (!text.empty() && text[0] == '@') {
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str() + 1, &end, 10);
    if (end == text.c_str() + 1 || *end) return false;
    *seconds = v;
    return true;
  }
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &consumed) !=
      3) {
    return false;
  }
  const char* rest = text.c_str() + consumed;
  int offset = 0;
  if (*rest == 'T' || *rest == ' ') {
    int used = 0;
    if (std::sscanf(rest + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 3)
      return false;
    rest += 1 + used;
    int oh = 0, om = 0;
    if (*rest == 'Z') {
      ++rest;
    } else if ((*rest == '+' || *rest == '-') && std::sscanf(rest + 1, "%2d:%2d", &oh, &om) == 2) {
      offset = (*rest == '-' ? -1 : 1) * (oh * 60 + om) * 60;
      rest += 6;
    }
  }
  if (*rest || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31) return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  *seconds = static_cast<int64_t>(timegm(&tm)) - offset;
  return true;
}

int RunGitScan(GitScanOptions options) {
  if (!options.since.empty() && !ParseSince(options.since, &options.history.since)) {
    std::cerr << "leakd: --since: not a date: " << options.since << '\n';
    return 2;
  }
  // The rules load while the history walk starts; the scan threads wait for them.
  DatabaseFuture db = std::async(std::launch::async, [engine = options.engine] {
                        return LoadEngine(engine);
                      }).share();
  // The producer first: its topic lookup runs during the scan, and a bad
  // property ends the command before it.
  std::unique_ptr<HistoryPublisher> publisher;
  if (options.publish) {
    try {
      publisher = std::make_unique<HistoryPublisher>(*options.publish);
    } catch (const std::exception& e) {
      std::cerr << "leakd: publish: " << e.what() << '\n';
      return 2;
    }
  }
  const bool range = !options.history.range.empty();
  Progress progress(0, Progress::TerminalAttached(), range ? "commits" : "blobs");
  ProgressObserver observer(progress);
  HistoryReport report;
  std::vector<HistoryFinding> findings;
  try {
    findings = ScanHistory(options.history, db, observer, &report);
  } catch (const std::exception& e) {  // not a repository, unreadable refs or trees, bad rules
    std::cerr << "leakd: " << e.what() << '\n';
    return 2;
  }
  progress.Finish();
  const bool published = !publisher || Publish(*publisher, options.publish->topic, findings);
  const size_t count = findings.size();
  if (!Write(options, Located(std::move(findings)), db.get()->rules())) return 2;
  PrintReport(report, range);
  if (!report.errors.empty() || !published) return 2;
  return count == 0 ? 0 : 1;
}

}  // namespace leakd
