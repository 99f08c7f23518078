// Runs a shell command from a test: its exit status and standard output.
#pragma once

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <utility>

namespace leakd::testing {

// Exit status and standard output of `sh -c cmd`.
inline std::pair<int, std::string> Shell(const std::string& cmd) {
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  return {WEXITSTATUS(pclose(pipe)), out};
}

}  // namespace leakd::testing
