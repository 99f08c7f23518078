// `leakd scan PATH…`: scans files, directories and stdin in parallel and prints
// findings. Skips the paths and findings that ignore files name: a directory
// argument's own .leakdignore, and --ignore-file for every argument. Returns the process exit
// status: 0 no findings, 1 findings, 2 error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/output.h"
#include "scan/engine_config.h"

namespace leakd {

struct ScanOptions {
  std::vector<std::string> paths;
  EngineConfig engine;
  OutputFormat format = OutputFormat::kText;
  bool reveal = false;
  unsigned threads = 0;                  // 0 = all cores
  uint64_t max_file_size = 25ull << 20;  // larger files are skipped
  std::string output_path;               // "" = stdout
  // Also read this ignore file (scan/ignore_list.h) besides each directory
  // root's .leakdignore. "" = none.
  std::string ignore_file;
};

int RunScan(const ScanOptions& options);

}  // namespace leakd
