#include "history/history_scan.h"

#include <algorithm>
#include <tuple>

namespace leakd {

std::vector<HistoryFinding> ScanHistory(const HistoryScanOptions& options, DatabaseFuture db,
                                        ScanObserver& observer, HistoryReport* report) {
  std::vector<HistoryFinding> findings = options.range.empty()
                                             ? ScanBlobs(options, db, observer, report)
                                             : ScanRange(options, db, observer, report);
  std::sort(findings.begin(), findings.end(), [](const HistoryFinding& a, const HistoryFinding& b) {
    return std::tie(a.commit_time, a.commit, a.path, a.position.line, a.position.column,
                    a.finding.offset) < std::tie(b.commit_time, b.commit, b.path, b.position.line,
                                                 b.position.column, b.finding.offset);
  });
  std::sort(report->missing.begin(), report->missing.end());
  report->missing.erase(std::unique(report->missing.begin(), report->missing.end()),
                        report->missing.end());
  return findings;
}

}  // namespace leakd
