#include "history/git_repo.h"

#include <cstdio>
#include <ctime>

namespace leakd {
namespace {

// Objects are not re-hashed on read (as `git cat-file` does not): a damaged
// pack still fails in zlib or in delta application, and the hash costs as much
// as the inflate. Tree objects are cached (libgit2's default), blobs are not.
struct LibraryInit {
  LibraryInit() {
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  }
};

}  // namespace

void GitCheck(int rc, const char* what) {
  if (rc == 0) return;
  const git_error* e = git_error_last();
  throw GitError(std::string(what) + ": " + (e && e->message ? e->message : "libgit2 error") +
                 " (code " + std::to_string(rc) + ")");
}

Repository::Repository(const std::string& path) {
  static LibraryInit init;
  git_repository* repo = nullptr;
  GitCheck(git_repository_open_ext(&repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
           ("not a git repository: " + path).c_str());
  repo_.reset(repo);
  git_odb* odb = nullptr;
  GitCheck(git_repository_odb(&odb, repo), ("cannot open the objects of " + path).c_str());
  odb_.reset(odb);
}

std::string OidHex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

std::string GitTimeRfc3339(int64_t seconds, int offset_minutes) {
  const std::time_t local = static_cast<std::time_t>(seconds + offset_minutes * 60LL);
  std::tm tm{};
  gmtime_r(&local, &tm);
  char text[96];
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return text;
}

}  // namespace leakd
