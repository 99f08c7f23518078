#include "scan/ignore_list.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "common/ascii.h"
#include "scan/path_glob.h"

namespace leakd {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsFingerprint(std::string_view s) {
  if (s.size() < 16 || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

void IgnoreList::AddLines(std::string_view text) {
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#') continue;
    std::string_view value = line;
    if (value.substr(0, 7) == "sha256:") value.remove_prefix(7);
    if (IsFingerprint(value)) {
      fingerprints_.push_back(AsciiLower(value));
    } else {
      globs_.emplace_back(line);
    }
  }
}

bool IgnoreList::AddFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    *error = path + ": cannot read the ignore file";
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  AddLines(text.str());
  return true;
}

void IgnoreList::Merge(const IgnoreList& other) {
  globs_.insert(globs_.end(), other.globs_.begin(), other.globs_.end());
  fingerprints_.insert(fingerprints_.end(), other.fingerprints_.begin(), other.fingerprints_.end());
}

bool IgnoreList::IgnoresPath(std::string_view relative_path) const {
  for (const auto& glob : globs_) {
    if (leakd::IgnoresPath(glob, relative_path)) return true;
  }
  return false;
}

bool IgnoreList::IgnoresFingerprint(std::string_view fingerprint) const {
  for (const auto& entry : fingerprints_) {
    if (fingerprint.size() >= entry.size() && fingerprint.substr(0, entry.size()) == entry) {
      return true;
    }
  }
  return false;
}

}  // namespace leakd
