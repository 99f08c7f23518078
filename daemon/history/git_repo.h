// Thin RAII over libgit2 for the history layer: library set-up, one
// repository handle per thread, owned objects, and errors as exceptions that
// say what failed. libgit2 objects are not shared between threads here: each
// worker opens its own Repository on the same path.
#pragma once

#include <git2.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace leakd {

// A libgit2 call failed for a reason other than a missing object: a corrupt
// pack, an unreadable file, not a repository. The message names the call.
class GitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws GitError unless `rc` is 0, with libgit2's last error text.
void GitCheck(int rc, const char* what);

struct GitDeleter {
  void operator()(git_repository* p) const { git_repository_free(p); }
  void operator()(git_odb* p) const { git_odb_free(p); }
  void operator()(git_odb_object* p) const { git_odb_object_free(p); }
  void operator()(git_commit* p) const { git_commit_free(p); }
  void operator()(git_tree* p) const { git_tree_free(p); }
  void operator()(git_object* p) const { git_object_free(p); }
  void operator()(git_reference* p) const { git_reference_free(p); }
  void operator()(git_reference_iterator* p) const { git_reference_iterator_free(p); }
  void operator()(git_revwalk* p) const { git_revwalk_free(p); }
  void operator()(git_diff* p) const { git_diff_free(p); }
  void operator()(git_patch* p) const { git_patch_free(p); }
};
template <typename T>
using GitPtr = std::unique_ptr<T, GitDeleter>;

// An open repository (bare or not) and its object database. Opening runs
// git_libgit2_init once per process.
class Repository {
 public:
  // Throws GitError when `path` is not a git repository (no search upwards:
  // the path must be the repository or its working tree).
  explicit Repository(const std::string& path);
  git_repository* get() const { return repo_.get(); }
  git_odb* odb() const { return odb_.get(); }

 private:
  GitPtr<git_repository> repo_;
  GitPtr<git_odb> odb_;
};

std::string OidHex(const git_oid& oid);

// Seconds since the epoch and minutes east of UTC as RFC 3339, e.g.
// 2023-05-01T12:00:00+02:00.
std::string GitTimeRfc3339(int64_t seconds, int offset_minutes);

}  // namespace leakd
