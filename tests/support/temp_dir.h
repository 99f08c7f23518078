// TempDir: a directory under the system's temporary one, named for the test
// and the process, empty at the start and removed at the end.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace leakd::testing {

struct TempDir {
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("leakd-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path.string(); }

  std::filesystem::path path;
};

}  // namespace leakd::testing
