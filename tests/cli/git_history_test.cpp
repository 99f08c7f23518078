// `leakd scan --git` on repositories the tests make with the git CLI: every
// blob once, each finding's provenance (commit, path, author date, other
// commits and paths), renames, copies, merges, binary blobs, a tag-only
// commit, a submodule entry, --branch, --since, --range, a missing object, a
// corrupt pack, a bare clone, and the output formats.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "git_fixture.h"
#include "history/git_repo.h"
#include "history/pack_order.h"
#include "scan/fingerprint.h"
#include "test_support.h"

namespace fs = std::filesystem;
using leakd::testing::GithubToken;
using leakd::testing::GitRepo;
using leakd::testing::Shell;
using nlohmann::json;

namespace {

struct Result {
  int exit_code;
  std::string out, err;
  std::vector<json> findings;  // for -f jsonl
};

Result Leakd(const std::string& args) {
  const fs::path err = fs::temp_directory_path() / ("leakd-git-err-" + std::to_string(::getpid()));
  auto [status, out] = Shell(std::string(LEAKD_BINARY) + " scan --rules " + LEAKD_TEST_PATTERNS +
                             " " + args + " 2> " + err.string());
  std::stringstream err_text;
  err_text << std::ifstream(err).rdbuf();
  Result r{status, out, err_text.str(), {}};
  if (args.find("-f jsonl") != std::string::npos) {
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) r.findings.push_back(json::parse(line));
  }
  return r;
}

// The findings of `secret`, by fingerprint.
std::vector<json> Of(const Result& r, const std::string& secret) {
  std::vector<json> out;
  for (const json& f : r.findings) {
    if (f["fingerprint"] == leakd::Sha256Hex(secret)) out.push_back(f);
  }
  return out;
}

void CheckProvenance(const json& f, const std::string& commit, const std::string& path,
                     uint64_t line, const std::string& author_date, int other_commits,
                     int other_paths) {
  INFO(f.dump());
  CHECK(f["commit"] == commit);
  CHECK(f["path"] == path);
  CHECK(f["line"] == line);
  CHECK(f["author_date"] == author_date);
  CHECK(f["other_commits"] == other_commits);
  CHECK(f["other_paths"] == other_paths);
}

}  // namespace

TEST_CASE("removed, renamed and copied secrets: each blob once, from its first commit", "[git]") {
  GitRepo repo;
  const std::string removed = GithubToken("ghp_", 101), moved = GithubToken("ghp_", 102);
  repo.Write("config.py", "# settings\ntoken = '" + removed + "'\n");
  repo.Write("app.py", "KEY = '" + moved + "'\n");
  const std::string c1 = repo.Commit("add", "2021-01-01T10:00:00+02:00");
  repo.Write("config.py", "# settings\ntoken = None\n");
  const std::string c2 = repo.Commit("remove the token", "2021-02-01T00:00:00+00:00");
  fs::create_directories(repo.root() / "src");
  repo.Git("mv app.py src/app.py");
  const std::string c3 = repo.Commit("rename", "2021-03-01T00:00:00-05:00");
  fs::copy_file(repo.root() / "src/app.py", repo.root() / "src/app_copy.py");
  const std::string c4 = repo.Commit("copy", "2021-04-01T00:00:00+00:00");

  const Result r = Leakd("--git " + repo.root().string() + " -f jsonl");
  CHECK(r.exit_code == 1);
  REQUIRE(r.findings.size() == 2);  // the moved blob is one blob, scanned once
  REQUIRE(Of(r, removed).size() == 1);
  CheckProvenance(Of(r, removed)[0], c1, "config.py", 2, "2021-01-01T10:00:00+02:00", 0, 0);
  REQUIRE(Of(r, moved).size() == 1);
  // Introduced by c1 at app.py, again by the rename (c3) and the copy (c4).
  CheckProvenance(Of(r, moved)[0], c1, "app.py", 1, "2021-01-01T10:00:00+02:00", 2, 2);
  CHECK(Of(r, moved)[0]["rule"] == "github.pat");
  CHECK(r.err.find("4 commit(s), 3 distinct blob(s) (") != std::string::npos);

  SECTION("--since: only commits from that date introduce") {
    const Result since = Leakd("--git " + repo.root().string() + " -f jsonl --since 2021-02-15");
    CHECK(Of(since, removed).empty());
    REQUIRE(Of(since, moved).size() == 1);
    CheckProvenance(Of(since, moved)[0], c3, "src/app.py", 1, "2021-03-01T00:00:00-05:00", 1, 1);
    CHECK(Leakd("--git " + repo.root().string() + " --since yesterday").exit_code == 2);
  }
  SECTION("--range: added lines of each commit, as the daemon scans a push") {
    const Result range =
        Leakd("--git " + repo.root().string() + " -f jsonl --range " + c1 + ".." + c4);
    // c2 removes, c3 renames (no added line); c4's copy adds the whole file.
    REQUIRE(range.findings.size() == 1);
    CheckProvenance(range.findings[0], c4, "src/app_copy.py", 1, "2021-04-01T00:00:00+00:00", 0, 0);
    CHECK(Leakd("--git " + repo.root().string() + " -f jsonl --range " + c1 + ".." + c3)
              .findings.empty());
    (void)c2;
  }
  SECTION("a bare clone gives the same findings") {
    const fs::path bare = repo.root().string() + "-bare.git";
    fs::remove_all(bare);
    REQUIRE(Shell("git clone -q --bare " + repo.root().string() + " " + bare.string()).first == 0);
    const Result b = Leakd("--git " + bare.string() + " -f jsonl");
    fs::remove_all(bare);
    CHECK(b.findings == r.findings);
  }
}

TEST_CASE("--range reports new-file line numbers of added lines only", "[git]") {
  GitRepo repo;
  repo.Write("app.py", "a = 1\nb = 2\nc = 3\nd = 4\n");
  const std::string c1 = repo.Commit("start", "2022-01-01T00:00:00+00:00");
  const std::string token = GithubToken("ghp_", 111);
  repo.Write("app.py", "a = 1\nb = 2\nc = 3\nd = 4\nKEY = '" + token + "'\n");
  const std::string c2 = repo.Commit("add key", "2022-01-02T00:00:00+01:00");
  const Result r = Leakd("--git " + repo.root().string() + " -f jsonl --range " + c1 + ".." + c2);
  REQUIRE(r.findings.size() == 1);
  CheckProvenance(r.findings[0], c2, "app.py", 5, "2022-01-02T00:00:00+01:00", 0, 0);
  CHECK(r.findings[0]["column"] == 8);
  CHECK(Leakd("--git " + repo.root().string() + " --range nope..main").exit_code == 2);
}

TEST_CASE("a merge introduces only what it resolves differently from every parent", "[git]") {
  GitRepo repo;
  repo.Write("README", "base\n");
  repo.Commit("base", "2022-03-01T00:00:00+00:00");
  repo.Git("checkout -q -b feature");
  const std::string on_branch = GithubToken("ghp_", 121);
  repo.Write("feature.py", "T = '" + on_branch + "'\n");
  const std::string c_feature = repo.Commit("feature", "2022-03-02T00:00:00+00:00");
  repo.Git("checkout -q main");
  repo.Write("main.py", "x = 1\n");
  repo.Commit("main work", "2022-03-03T00:00:00+00:00");
  const std::string in_merge = GithubToken("ghp_", 122);
  repo.Git("merge -q --no-ff --no-commit feature");
  repo.Write("merged.py", "M = '" + in_merge + "'\n");
  const std::string c_merge = repo.Commit("merge feature", "2022-03-04T00:00:00+00:00");

  const Result r = Leakd("--git " + repo.root().string() + " -f jsonl");
  REQUIRE(r.findings.size() == 2);
  REQUIRE(Of(r, on_branch).size() == 1);
  CheckProvenance(Of(r, on_branch)[0], c_feature, "feature.py", 1, "2022-03-02T00:00:00+00:00", 0,
                  0);
  REQUIRE(Of(r, in_merge).size() == 1);
  CheckProvenance(Of(r, in_merge)[0], c_merge, "merged.py", 1, "2022-03-04T00:00:00+00:00", 0, 0);
}

// Git orders a directory "lib" as "lib/": after "lib-x" and "lib.py". The
// walk must still find each name in the parent's tree (a missed one would
// introduce lib/a.py and lib.py again). A commit whose author has no time
// zone is read as libgit2 reads it (offset 0).
TEST_CASE("trees in git's order and a commit with an unusual author line", "[git]") {
  GitRepo repo;
  const std::string in_dir = GithubToken("ghp_", 141), beside = GithubToken("ghp_", 142);
  repo.Write("lib/a.py", "A = '" + in_dir + "'\n");
  repo.Write("lib/b.py", "b = 1\n");
  repo.Write("lib.py", "B = '" + beside + "'\n");
  repo.Write("lib-x", "x\n");
  const std::string c1 = repo.Commit("start", "2024-01-01T00:00:00+01:00");
  repo.Write("lib/b.py", "b = 2\n");
  repo.Write("lib-x", "y\n");
  repo.Commit("change", "2024-01-02T00:00:00+00:00");

  const Result r = Leakd("--git " + repo.root().string() + " -f jsonl");
  REQUIRE(Of(r, in_dir).size() == 1);
  CheckProvenance(Of(r, in_dir)[0], c1, "lib/a.py", 1, "2024-01-01T00:00:00+01:00", 0, 0);
  REQUIRE(Of(r, beside).size() == 1);
  CheckProvenance(Of(r, beside)[0], c1, "lib.py", 1, "2024-01-01T00:00:00+01:00", 0, 0);

  // A root commit of c1's tree, older than c1 (committed 2020-09-13), its
  // author line without a time zone.
  const std::string raw = "tree " + repo.Git("rev-parse " + c1 + "^{tree}") +
                          "\nauthor Tester <tester@example.com> 1700000000\n"
                          "committer Tester <tester@example.com> 1600000000 +0000\n\nodd\n";
  const fs::path file = repo.root() / ".git" / "odd-commit";
  std::ofstream(file, std::ios::binary) << raw;
  const std::string odd = repo.Git("hash-object -t commit -w --literally " + file.string());
  repo.Git("update-ref refs/heads/odd " + odd);
  const Result with_odd = Leakd("--git " + repo.root().string() + " -f jsonl");
  REQUIRE(Of(with_odd, in_dir).size() == 1);
  CheckProvenance(Of(with_odd, in_dir)[0], odd, "lib/a.py", 1, "2023-11-14T22:13:20+00:00", 1, 0);
}

TEST_CASE("binary blobs, submodule entries and a commit only a tag reaches", "[git]") {
  GitRepo repo;
  const std::string in_binary = GithubToken("ghp_", 131), tagged = GithubToken("ghp_", 132),
                    on_main = GithubToken("ghp_", 133);
  repo.Write("model.bin", std::string("\x00\x01\x02", 3) + "K=" + in_binary + "\n");
  repo.Write("app.py", "K = '" + on_main + "'\n");
  fs::create_directories(repo.root() / "vendor/lib");  // an uninitialised submodule
  repo.Git(
      "update-index --add --cacheinfo 160000,0123456789abcdef0123456789abcdef01234567,vendor/lib");
  const std::string c1 = repo.Commit("start", "2023-01-01T00:00:00+00:00");
  repo.Git("checkout -q --detach");
  repo.Write("release.py", "K = '" + tagged + "'\n");
  const std::string c_tagged = repo.Commit("release only", "2023-02-01T00:00:00+00:00");
  repo.Git("tag -a v1-orphan -m release", "GIT_COMMITTER_DATE='2023-02-01T00:00:00+00:00'");
  repo.Git("checkout -q main");

  const Result r = Leakd("--git " + repo.root().string() + " -f jsonl");
  CHECK(r.exit_code == 1);
  CHECK(Of(r, in_binary).empty());
  REQUIRE(Of(r, on_main).size() == 1);
  CheckProvenance(Of(r, on_main)[0], c1, "app.py", 1, "2023-01-01T00:00:00+00:00", 0, 0);
  REQUIRE(Of(r, tagged).size() == 1);
  CheckProvenance(Of(r, tagged)[0], c_tagged, "release.py", 1, "2023-02-01T00:00:00+00:00", 0, 0);
  INFO(r.err);
  CHECK(r.err.find("1 binary, 1 submodule entr") != std::string::npos);

  // A blob over --max-file-size is never read whole: skipped and counted.
  const Result small = Leakd("--git " + repo.root().string() + " -f jsonl --max-file-size 20");
  CHECK(small.findings.empty());
  CHECK(small.err.find("skipped 3 over the size limit") != std::string::npos);

  const Result main_only = Leakd("--git " + repo.root().string() + " -f jsonl --branch main");
  CHECK(Of(main_only, tagged).empty());
  CHECK(Of(main_only, on_main).size() == 1);
  CHECK(Leakd("--git " + repo.root().string() + " --branch no-such-branch").exit_code == 2);
}

TEST_CASE("a missing object is reported and skipped; a corrupt pack or non-repository is exit 2",
          "[git]") {
  GitRepo repo;
  const std::string kept = GithubToken("ghp_", 141), lost = GithubToken("ghp_", 142);
  repo.Write("kept.py", "K = '" + kept + "'\n");
  repo.Write("lost.py", "K = '" + lost + "'\n");
  repo.Commit("two files", "2023-05-01T00:00:00+00:00");
  const std::string lost_blob = repo.Git("rev-parse HEAD:lost.py");

  SECTION("missing blob") {
    fs::remove(repo.root() / ".git/objects" / lost_blob.substr(0, 2) / lost_blob.substr(2));
    const Result r = Leakd("--git " + repo.root().string() + " -f jsonl");
    CHECK(r.exit_code == 1);
    CHECK(Of(r, kept).size() == 1);
    CHECK(Of(r, lost).empty());
    CHECK(r.err.find("missing blob " + lost_blob + " (lost.py)") != std::string::npos);
  }
  SECTION("corrupt pack") {
    repo.Git("repack -adq");
    repo.Git("prune-packed");
    fs::path pack;
    for (const auto& e : fs::directory_iterator(repo.root() / ".git/objects/pack")) {
      if (e.path().extension() == ".pack") pack = e.path();
    }
    REQUIRE(!pack.empty());
    const auto size = fs::file_size(pack);
    fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
    {
      std::fstream f(pack, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(12);  // after the header: every object's bytes
      f << std::string(size - 32, '\x5a');
    }
    const Result r = Leakd("--git " + repo.root().string());
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
  }
  SECTION("not a repository") {
    const Result r = Leakd("--git " + (repo.root() / "no-such-dir").string());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("not a git repository") != std::string::npos);
    fs::create_directories(repo.root() / "plain");
    CHECK(Leakd("--git " + (repo.root() / "plain").string()).exit_code == 2);
  }
}

TEST_CASE("history findings in text, json and SARIF name their commit", "[git]") {
  GitRepo repo;
  const std::string token = GithubToken("ghp_", 151);
  repo.Write("src/config.py", "K = '" + token + "'\n");
  const std::string c1 = repo.Commit("add", "2024-01-01T00:00:00+00:00");
  const std::string blob = repo.Git("rev-parse HEAD:src/config.py");
  const std::string path = repo.root().string();

  const Result text = Leakd("--git " + path);
  CHECK(text.out.rfind(c1 + ":src/config.py:1:6: github.pat", 0) == 0);
  CHECK(text.out.find(token) == std::string::npos);  // redacted unless --reveal

  const json array = json::parse(Leakd("--git " + path + " -f json").out);
  REQUIRE(array.size() == 1);
  CHECK(array[0]["commit"] == c1);
  CHECK(array[0]["blob"] == blob);

  const json sarif = json::parse(Leakd("--git " + path + " -f sarif").out);
  const json& result = sarif["runs"][0]["results"][0];
  CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/config.py");
  CHECK(result["partialFingerprints"]["commitSha"] == c1);
  CHECK(result["properties"]["commit"] == c1);
  CHECK(result["properties"]["blob"] == blob);

  CHECK(Leakd("--git " + path + " " + path).exit_code == 2);  // --git takes no PATH
  CHECK(Leakd("--since 2020-01-01 " + path).exit_code == 2);  // --since needs --git
}

TEST_CASE("--publish exits 2 unless every alert is acknowledged", "[git]") {
  GitRepo repo;
  repo.Write("app.py", "K = '" + GithubToken("ghp_", 161) + "'\n");
  repo.Commit("add", "2024-02-01T00:00:00+00:00");
  const std::string path = repo.root().string();
  // Nothing listens on port 1: nothing is acknowledged before the timeout.
  const Result unreachable = Leakd("--git " + path + " --publish 127.0.0.1:1 --publish-timeout 2");
  CHECK(unreachable.exit_code == 2);
  CHECK(unreachable.err.find("published 0 of 1 alert(s)") != std::string::npos);
  // A record over the producer's size limit is rejected for good, at once.
  const Result rejected = Leakd("--git " + path +
                                " --publish 127.0.0.1:1 --set producer.message.max.bytes=1000"
                                " --set url_template=https://example.com/" +
                                std::string(1200, 'x') + " --publish-timeout 30");
  CHECK(rejected.exit_code == 2);
  CHECK(rejected.err.find("(1 rejected, 0 not acknowledged in time)") != std::string::npos);
  CHECK(Leakd("--git " + path + " --publish 127.0.0.1:1 --set bogus=1").exit_code == 2);
  // A property librdkafka refuses ends the command before the scan, not after it.
  const Result bad_property =
      Leakd("--git " + path + " --publish 127.0.0.1:1 --set producer.no.such.property=1");
  CHECK(bad_property.exit_code == 2);
  CHECK(bad_property.err.find("leakd: publish:") != std::string::npos);
  CHECK(bad_property.err.find("commit(s)") == std::string::npos);  // no scan report
}

TEST_CASE("blobs are read in pack order: by offset, as git show-index lists them", "[git]") {
  GitRepo repo;
  for (int i = 0; i < 6; ++i) {
    repo.Write("f" + std::to_string(i % 3) + ".txt", std::string(200 + i, 'a' + i) + "\n");
    repo.Commit("c" + std::to_string(i), "2024-03-0" + std::to_string(i + 1) + "T00:00:00Z");
  }
  repo.Git("repack -adq");
  // git's own view: every object of the pack with its offset.
  const std::string listing =
      repo.Git("show-index < $(ls .git/objects/pack/*.idx) | sort -n | cut -d' ' -f2");
  std::vector<std::string> by_offset;
  std::istringstream lines(listing);
  for (std::string id; std::getline(lines, id);) by_offset.push_back(id);
  REQUIRE(by_offset.size() > 6);

  std::vector<git_oid> ids(by_offset.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    git_oid_fromstr(&ids[i], by_offset[by_offset.size() - 1 - i].c_str());  // reversed
  }
  leakd::Repository handle(repo.root().string());
  const std::vector<uint32_t> order = leakd::PackOrder(handle.get(), ids);
  REQUIRE(order.size() == ids.size());
  for (size_t i = 0; i < order.size(); ++i) {
    CHECK(leakd::OidHex(ids[order[i]]) == by_offset[i]);
  }
}

// PackedObjects tells blobs from commits, trees and tags by the pack's entry
// headers, following deltas to their base (by offset, or by id with
// --no-delta-base-offset): exactly git's blobs, in offset order.
TEST_CASE("the packed blobs are listed by offset, deltas by their base's type", "[git]") {
  GitRepo repo;
  std::string text;
  for (int i = 0; i < 300; ++i) text += "line " + std::to_string(i) + " of a long file\n";
  for (int i = 0; i < 8; ++i) {  // versions of one file and of trees: git stores deltas
    text += "change " + std::to_string(i) + "\n";
    repo.Write("dir/big.txt", text);
    repo.Write("dir/n" + std::to_string(i % 3) + ".txt", std::to_string(i) + "\n");
    repo.Commit("c" + std::to_string(i), "2024-05-0" + std::to_string(i + 1) + "T00:00:00Z");
  }
  repo.Git("tag -a v1 -m tagged");
  for (const char* repack : {"repack -adfq", "-c repack.useDeltaBaseOffset=false repack -adfq"}) {
    INFO(repack);
    repo.Git(std::string(repack));
    const std::string idx = "$(ls .git/objects/pack/*.idx)";
    CHECK(std::stoi(repo.Git("verify-pack -v " + idx + " | awk 'NF == 7' | wc -l")) > 0);
    const std::string blobs = repo.Git("show-index < " + idx +
                                       " | sort -n | cut -d' ' -f2 | "
                                       "git cat-file --batch-check='%(objectname) %(objecttype)' | "
                                       "awk '$2 == \"blob\" {print $1}'");
    std::string listed;
    leakd::Repository handle(repo.root().string());
    for (const git_oid& id : leakd::PackedObjects(handle.get())) {
      listed += (listed.empty() ? "" : "\n") + leakd::OidHex(id);
    }
    CHECK(listed == blobs);
  }
}

TEST_CASE("a packed blob no ref reaches is not reported; packed and loose blobs both are",
          "[git]") {
  GitRepo repo;
  const std::string kept = GithubToken("ghp_", 171), dropped = GithubToken("ghp_", 172),
                    loose = GithubToken("ghp_", 173);
  repo.Write("kept.py", "K = '" + kept + "'\n");
  const std::string c1 = repo.Commit("kept", "2024-04-01T00:00:00Z");
  repo.Write("dropped.py", "K = '" + dropped + "'\n");
  repo.Commit("dropped later", "2024-04-02T00:00:00Z");
  repo.Git("reset -q --hard HEAD~1");  // only the reflog still holds it
  repo.Git("repack -adq");             // the pack keeps what the reflog holds
  REQUIRE(repo.Git("cat-file -t $(git rev-parse HEAD@{1}:dropped.py)") == "blob");
  repo.Write("loose.py", "K = '" + loose + "'\n");
  const std::string c3 = repo.Commit("loose", "2024-04-03T00:00:00Z");

  const Result r = Leakd("--git " + repo.root().string() + " -f jsonl");
  CHECK(Of(r, dropped).empty());
  REQUIRE(Of(r, kept).size() == 1);
  CheckProvenance(Of(r, kept)[0], c1, "kept.py", 1, "2024-04-01T00:00:00+00:00", 0, 0);
  REQUIRE(Of(r, loose).size() == 1);
  CheckProvenance(Of(r, loose)[0], c3, "loose.py", 1, "2024-04-03T00:00:00+00:00", 0, 0);
  CHECK(r.err.find("2 commit(s), 2 distinct blob(s) (") != std::string::npos);
}
