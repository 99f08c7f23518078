#include "cli/file_walker.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace leakd;
namespace fs = std::filesystem;

namespace {

struct Tree {
  fs::path root = fs::temp_directory_path() / ("leakd-walk-" + std::to_string(::getpid()));
  Tree() {
    fs::remove_all(root);
    fs::create_directories(root / "src" / "deep");
    fs::create_directories(root / ".git" / "objects");
    fs::create_directories(root.string() + "-outside");
    Write("a.txt");
    Write("src/b.py");
    Write("src/deep/c.env");
    Write(".git/objects/packed");  // never walked into
    std::ofstream(root.string() + "-outside/secret.txt") << "x";
  }
  ~Tree() {
    fs::remove_all(root);
    fs::remove_all(root.string() + "-outside");
  }
  void Write(const std::string& rel) const { std::ofstream(root / rel) << "content\n"; }
  std::vector<std::string> Relative(const WalkResult& r) const {
    std::vector<std::string> out;
    for (const auto& f : r.files) out.push_back(fs::path(f).lexically_relative(root).string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

}  // namespace

TEST_CASE("a directory is walked recursively, without .git", "[walker]") {
  Tree t;
  const WalkResult r = WalkPaths({t.root.string()});
  CHECK(t.Relative(r) == std::vector<std::string>{"a.txt", "src/b.py", "src/deep/c.env"});
  CHECK(r.errors.empty());
  CHECK(r.skipped_symlinks == 0);
}

TEST_CASE("symlinks are followed only to files inside the tree", "[walker]") {
  Tree t;
  fs::create_symlink(t.root / "src" / "b.py", t.root / "inside-link.py");
  fs::create_symlink(t.root.string() + "-outside/secret.txt", t.root / "outside-link.txt");
  fs::create_directory_symlink(t.root / "src", t.root / "dir-link");  // a cycle risk
  fs::create_symlink(t.root / "missing", t.root / "dangling");
  const WalkResult r = WalkPaths({t.root.string()});
  CHECK(t.Relative(r) ==
        std::vector<std::string>{"a.txt", "inside-link.py", "src/b.py", "src/deep/c.env"});
  CHECK(r.skipped_symlinks == 3);
}

TEST_CASE("files, stdin and bad paths given on the command line", "[walker]") {
  Tree t;
  const WalkResult r = WalkPaths(
      {(t.root / "a.txt").string(), "-", (t.root / "no-such-file").string(), "/dev/null"});
  CHECK(r.files == std::vector<std::string>{(t.root / "a.txt").string(), "-"});
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].find("no-such-file") != std::string::npos);
  CHECK(r.errors[1] == "/dev/null: not a regular file or directory");
}
