// IgnoreList: what is not reported, read from ignore files: for `leakd scan`,
// .leakdignore at a scan root and --ignore-file F; for `leakd serve`, the
// `ignore_file` setting (paths are then the file's path in its repository). One entry a line; '#'
// starts a comment line:
//   - a fingerprint: the SHA-256 hex of a secret as `leakd scan` prints it,
//     whole (64 hex digits) or its first 16+ digits (the text format's
//     "sha256:0123456789abcdef"), optionally with the "sha256:" prefix;
//   - otherwise a path glob, read as .gitignore reads it (scan/path_glob.h).
// A path made only of hex digits must be written "/name" to be read as a path.
// Built once before scanning, then read-only: any thread may query it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakd {

class IgnoreList {
 public:
  // Adds the entries of an ignore file's text.
  void AddLines(std::string_view text);
  // Reads `path` and adds its entries. False (with `error` set) if it cannot be read.
  bool AddFile(const std::string& path, std::string* error);
  void Merge(const IgnoreList& other);

  // `relative_path`: from the scan root, '/'-separated.
  bool IgnoresPath(std::string_view relative_path) const;
  bool IgnoresFingerprint(std::string_view fingerprint) const;
  bool empty() const { return globs_.empty() && fingerprints_.empty(); }

 private:
  std::vector<std::string> globs_;
  std::vector<std::string> fingerprints_;  // lowercase hex, 16 to 64 digits
};

}  // namespace leakd
