#include "scan/path_glob.h"

#include <vector>

namespace leakd {

bool MatchesGlob(std::string_view glob, std::string_view path) {
  if (glob.empty()) return path.empty();
  if (glob.substr(0, 2) == "**") {
    std::string_view rest = glob.substr(2);
    // "**/" also matches no directory at all: "**/x" matches "x".
    if (rest.substr(0, 1) == "/" && MatchesGlob(rest.substr(1), path)) return true;
    for (size_t skip = 0; skip <= path.size(); ++skip) {
      if (MatchesGlob(rest, path.substr(skip))) return true;
    }
    return false;
  }
  if (glob[0] == '*') {
    for (size_t skip = 0; skip <= path.size(); ++skip) {
      if (MatchesGlob(glob.substr(1), path.substr(skip))) return true;
      if (skip < path.size() && path[skip] == '/') break;
    }
    return false;
  }
  if (path.empty()) return false;
  if (glob[0] == '?' ? path[0] == '/' : glob[0] != path[0]) return false;
  return MatchesGlob(glob.substr(1), path.substr(1));
}

bool IgnoresPath(std::string_view ignore_line, std::string_view relative_path) {
  std::string_view glob = ignore_line;
  bool directory_only = false;
  if (glob.size() > 1 && glob.back() == '/') {
    directory_only = true;
    glob.remove_suffix(1);
  }
  const bool anchored = glob.find('/') != std::string_view::npos;
  if (!glob.empty() && glob.front() == '/') glob.remove_prefix(1);
  while (relative_path.substr(0, 2) == "./") relative_path.remove_prefix(2);

  // Each directory on the path, then the file itself: "a", "a/b", "a/b/c.txt".
  std::vector<size_t> ends;
  for (size_t i = 0; i < relative_path.size(); ++i) {
    if (relative_path[i] == '/') ends.push_back(i);
  }
  ends.push_back(relative_path.size());
  size_t start = 0;
  for (size_t k = 0; k < ends.size(); ++k) {
    const bool is_file = k + 1 == ends.size();
    if (!(directory_only && is_file)) {
      const std::string_view candidate = anchored ? relative_path.substr(0, ends[k])
                                                  : relative_path.substr(start, ends[k] - start);
      if (MatchesGlob(glob, candidate)) return true;
    }
    start = ends[k] + 1;
  }
  return false;
}

}  // namespace leakd
