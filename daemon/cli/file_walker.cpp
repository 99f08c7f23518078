#include "cli/file_walker.h"

#include <filesystem>

namespace leakd {
namespace fs = std::filesystem;

namespace {

bool IsWithin(const fs::path& root, const fs::path& candidate) {
  auto r = root.begin();
  auto c = candidate.begin();
  for (; r != root.end(); ++r, ++c) {
    if (c == candidate.end() || *r != *c) return false;
  }
  return true;
}

void Walk(const fs::path& root, WalkResult* result) {
  std::error_code ec;
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec) {
    result->errors.push_back(root.string() + ": " + ec.message());
    return;
  }
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    result->errors.push_back(root.string() + ": " + ec.message());
    return;
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      result->errors.push_back(it->path().string() + ": " + ec.message());
      ec.clear();
      continue;
    }
    const fs::directory_entry& entry = *it;
    if (entry.is_symlink(ec)) {
      const fs::path target = fs::canonical(entry.path(), ec);
      if (!ec && fs::is_regular_file(target, ec) && IsWithin(canonical_root, target)) {
        result->files.push_back(entry.path().string());
      } else {
        ++result->skipped_symlinks;
      }
      ec.clear();
      continue;
    }
    if (entry.is_directory(ec) && entry.path().filename() == ".git") {
      it.disable_recursion_pending();  // object store: compressed, not text
      continue;
    }
    if (entry.is_regular_file(ec)) result->files.push_back(entry.path().string());
  }
}

}  // namespace

WalkResult WalkPaths(const std::vector<std::string>& paths) {
  WalkResult result;
  for (const auto& p : paths) {
    if (p == "-") {
      result.files.push_back(p);
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (ec) {
      result.errors.push_back(p + ": " + ec.message());
    } else if (fs::is_directory(status)) {
      Walk(p, &result);
    } else if (fs::is_regular_file(status)) {
      result.files.push_back(p);
    } else {
      result.errors.push_back(p + ": not a regular file or directory");
    }
  }
  return result;
}

}  // namespace leakd
