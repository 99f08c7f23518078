// `leakd scan --git PATH`: the secrets of a git history (history/history_scan.h)
// in every output format of the file mode, with its progress bar and summary,
// and with --publish, each one to the alert topic (history/alert_publish.h).
// Returns the process exit status: 0 no findings, 1 findings, 2 error (not a
// repository, a corrupt object, a bad option, or a publish that was not
// acknowledged in full). Missing objects are reported on stderr and skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/output.h"
#include "history/alert_publish.h"
#include "history/history_scan.h"
#include "scan/engine_config.h"

namespace leakd {

struct GitScanOptions {
  HistoryScanOptions history;
  std::string since;  // --since text (ParseSince); "" = all
  EngineConfig engine;
  OutputFormat format = OutputFormat::kText;
  bool reveal = false;
  std::string output_path;                 // "" = stdout
  std::optional<PublishSettings> publish;  // --publish
};

// "2024-01-31", "2024-01-31T12:00:00Z", "2024-01-31T12:00:00+02:00" or
// "@1706702400" (seconds); dates without an offset are UTC.
bool ParseSince(const std::string& text, int64_t* seconds);

int RunGitScan(GitScanOptions options);

}  // namespace leakd
