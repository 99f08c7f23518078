// A git repository in a temporary directory for the tests of `leakd scan
// --git`, driven by the git CLI, with fixed dates so that provenance is
// predictable.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "shell.h"

namespace leakd::testing {

namespace fs = std::filesystem;

inline std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A repository made and changed with the git CLI; removed at the end.
class GitRepo {
 public:
  GitRepo()
      : root_(fs::temp_directory_path() /
              ("leakd-git-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    fs::remove_all(root_);
    fs::create_directories(root_);
    Git("init -q -b main .");
    Git("config user.name Tester");
    Git("config user.email tester@example.com");
    Git("config commit.gpgsign false");
    Git("config gc.auto 0");
  }
  ~GitRepo() { fs::remove_all(root_); }

  std::string Git(const std::string& args, const std::string& env = "") {
    auto [status, out] = Shell("cd " + root_.string() + " && " + env + " git " + args + " 2>&1");
    INFO("git " << args << ": " << out);
    REQUIRE(status == 0);
    return Trim(out);
  }
  void Write(const std::string& rel, const std::string& content) {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  // Commits everything with author and committer date `date`; returns the id.
  std::string Commit(const std::string& message, const std::string& date) {
    Git("add -A");
    const std::string env = "GIT_AUTHOR_DATE='" + date + "' GIT_COMMITTER_DATE='" + date + "'";
    Git("commit -q --allow-empty -m '" + message + "'", env);
    return Git("rev-parse HEAD");
  }
  const fs::path& root() const { return root_; }

 private:
  static inline int counter_ = 0;
  fs::path root_;
};

}  // namespace leakd::testing
