// FileWalker: expands the PATH arguments of `leakd scan` into a list of regular
// files. Directories are walked recursively; symlinks are followed only when
// their target stays inside the tree being walked (and never into directories,
// which would allow cycles). Single-threaded; runs before scanning starts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace leakd {

struct WalkResult {
  std::vector<std::string> files;
  std::vector<std::string> errors;  // "path: reason"
  uint64_t skipped_symlinks = 0;
};

WalkResult WalkPaths(const std::vector<std::string>& paths);

}  // namespace leakd
