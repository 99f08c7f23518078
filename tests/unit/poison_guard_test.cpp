// serve/inflight_journal, serve/strike_book, serve/poison_guard: what a killed
// process was processing is known to the next one; a message in flight at two
// deaths is poison, one in flight beside it is not; hostile state files never
// stop the daemon.
#include "serve/poison_guard.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "temp_dir.h"

using namespace leakd;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A state_dir for one test.
struct StateDir : leakd::testing::TempDir {
  StateDir() : TempDir("state") {}
};

const InflightEntry kPoison{"leakd.commits", 0, 41};
const InflightEntry kBystander{"leakd.uploads", 3, 7};

// Runs `body` in a child process, which must end by calling Die(): a process
// death at that point, with nothing cleaned up (a Pass still held stays in
// the journal).
[[noreturn]] void Die() {
  raise(SIGKILL);
  _exit(0);
}

template <typename Body>
void InChildThatDies(Body body) {
  const pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);  // body returned without dying: the parent's REQUIRE fails
  }
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
}

PoisonGuard::Options Options(const StateDir& dir, size_t workers = 2, unsigned after = 2) {
  return {dir.str(), "leakd", workers, after};
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

TEST_CASE("the journal shows what a killed process was processing, and only that", "[poison]") {
  StateDir dir;
  {
    auto journal = InflightJournal::Open(dir.str(), "g");
    CHECK(journal->recovered().empty());
    journal->Reset(3);
    InChildThatDies([&] {
      journal->Begin(0, kPoison);
      journal->Begin(1, kBystander);
      journal->Begin(2, {"t", 1, 2});
      journal->End(2);  // finished before the death
      Die();
    });
  }
  auto journal = InflightJournal::Open(dir.str(), "g");
  CHECK(journal->path() == dir.str() + "/g.0.inflight");
  REQUIRE(journal->recovered().size() == 2);
  CHECK(journal->recovered()[0] == kPoison);
  CHECK(journal->recovered()[1] == kBystander);
  journal->Reset(1);
  CHECK(journal->recovered().empty());
  journal.reset();
  CHECK(InflightJournal::Open(dir.str(), "g")->recovered().empty());  // Reset cleared the file
}

TEST_CASE("two live daemons never share a journal; a dead one's is taken over", "[poison]") {
  StateDir dir;
  auto first = InflightJournal::Open(dir.str(), "g");
  first->Reset(1);
  first->Begin(0, kPoison);
  auto second = InflightJournal::Open(dir.str(), "g");
  CHECK(second->path() == dir.str() + "/g.1.inflight");
  CHECK(second->recovered().empty());  // the live one's entry is not a suspect
  first.reset();                       // its lock dies with it; the entry stays
  auto third = InflightJournal::Open(dir.str(), "g");
  CHECK(third->path() == dir.str() + "/g.0.inflight");
  REQUIRE(third->recovered().size() == 1);
  CHECK(third->recovered()[0] == kPoison);
}

TEST_CASE("a group id cannot escape the state directory", "[poison]") {
  CHECK(JournalFileStem("../../etc/passwd") == "_._.._etc_passwd");
  CHECK(JournalFileStem("..") == "_.");
  CHECK(JournalFileStem("") == "leakd");
  CHECK(JournalFileStem("leakd-prod.eu_1") == "leakd-prod.eu_1");
  CHECK(JournalFileStem(std::string(1000, 'g')).size() == 128);
}

TEST_CASE("a torn or hostile journal reads as empty and is reused", "[poison]") {
  StateDir dir;
  auto journal = InflightJournal::Open(dir.str(), "g");
  journal->Reset(2);
  journal->Begin(0, kPoison);
  journal.reset();
  const fs::path path = dir.path / "g.0.inflight";
  std::string good;
  {
    std::ifstream in(path, std::ios::binary);
    good.assign(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(good.size() > 16);
  std::vector<std::string> hostile = {
      "",
      "LEAKD",
      good.substr(0, good.size() - 1),                               // torn
      good + "x",                                                    // longer than its header says
      "XEAKDJ01" + good.substr(8),                                   // wrong magic
      std::string(good.size(), '\xff'),                              // noise of the right size
      std::string(8u << 20, '\0'),                                   // far larger than any journal
      good.substr(0, 8) + std::string(8, '\xff') + good.substr(16),  // slot count 2^32-1
  };
  std::string long_topic = good;
  long_topic[16 + 4] = '\x7f';  // topic_len of slot 0 becomes 0x7f7f: out of range
  long_topic[16 + 5] = '\x7f';
  hostile.push_back(long_topic);
  for (const std::string& bytes : hostile) {
    WriteFile(path, bytes);
    auto again = InflightJournal::Open(dir.str(), "g");
    CHECK(again->path() == path.string());
    CHECK(again->recovered().empty());
    again->Reset(2);  // and it works as a journal again
    again->Begin(1, kBystander);
  }
  CHECK(InflightJournal::Open(dir.str(), "g")->recovered().size() == 1);
}

TEST_CASE("strikes survive a restart, clear, and stay bounded", "[poison]") {
  StateDir dir;
  fs::create_directories(dir.path);
  const std::string path = (dir.path / "g.0.strikes").string();
  StrikeBook book(path);
  book.Load();  // no file yet
  CHECK(book.size() == 0);
  book.Strike({kPoison, kBystander});
  book.Strike({kPoison});
  book.Save();
  StrikeBook read(path);
  read.Load();
  CHECK(read.Count(kPoison) == 2);
  CHECK(read.Count(kBystander) == 1);
  CHECK(read.Count({"leakd.commits", 0, 42}) == 0);
  CHECK(read.Clear(kBystander));
  CHECK_FALSE(read.Clear(kBystander));
  read.Save();
  StrikeBook again(path);
  again.Load();
  CHECK(again.size() == 1);

  SECTION("bad lines are skipped, good ones kept") {
    WriteFile(path,
              "2\t0\t41\tleakd.commits\n"
              "x\t0\t1\tt\n-1\t0\t1\tt\n1\t-4\t1\tt\n1\t0\t-1\tt\n1\t0\t1\t\n"
              "1\t0\t1\ta\tb\n" +
                  std::string(100000, '9') + "\n" + std::string(3000, '\0') + "\n" +
                  "1\t3\t7\tleakd.uploads");
    StrikeBook hostile(path);
    hostile.Load();
    CHECK(hostile.size() == 2);
    CHECK(hostile.Count(kPoison) == 2);
    CHECK(hostile.Count(kBystander) == 1);
    WriteFile(path, "2\t0\t41\tleakd.commits\n" + std::string(3u << 20, 'x'));
    hostile.Load();  // past any book's size: read as empty, not held
    CHECK(hostile.size() == 0);
  }
  SECTION("the weakest entries go first past the bound") {
    std::vector<InflightEntry> many;
    for (int64_t i = 0; i < 2000; ++i) many.push_back({"t", 0, i});
    book.Strike(many);
    CHECK(book.size() == StrikeBook::kMaxEntries);
    CHECK(book.Count(kPoison) == 2);  // the only entry with two strikes stays
    CHECK(book.Count({"t", 0, 1999}) == 1);
    CHECK(book.Count({"t", 0, 0}) == 0);
  }
  SECTION("a book that cannot be written says where") {
    WriteFile(dir.path / "a-file", "x");  // no directory can be made under it
    StrikeBook nowhere((dir.path / "a-file" / "x.strikes").string());
    nowhere.Strike({kPoison});
    CHECK_THROWS_WITH(nowhere.Save(), Catch::Contains("a-file/x.strikes"));
  }
}

TEST_CASE("a message in flight at two deaths is poison; one beside it is cleared", "[poison]") {
  StateDir dir;
  {
    PoisonGuard first(Options(dir));
    CHECK(first.recovered().empty());
    InChildThatDies([&] {  // the poison and a bystander are processed together
      auto a = first.Enter(0, kPoison);
      auto b = first.Enter(1, kBystander);
      Die();
    });
  }
  {
    PoisonGuard second(Options(dir));
    CHECK(second.recovered().size() == 2);
    {
      auto bystander = second.Enter(1, kBystander);
      CHECK(bystander.alone());
      CHECK(bystander.strikes() == 1);
    }  // its solo run returned: cleared
    InChildThatDies([&] {
      auto poison = second.Enter(0, kPoison);
      Die();
    });
  }
  PoisonGuard third(Options(dir));
  REQUIRE(third.recovered().size() == 1);  // alone, so only it was in flight
  CHECK(third.recovered()[0] == kPoison);
  auto bystander = third.Enter(1, kBystander);
  CHECK_FALSE(bystander.alone());
  CHECK_FALSE(bystander.poison());
  auto poison = third.Enter(0, kPoison);
  CHECK(poison.poison());
  CHECK(poison.strikes() == 2);
}

TEST_CASE("a poison message stays poison until its strikes are gone; poison_after 1", "[poison]") {
  StateDir dir;
  {
    PoisonGuard guard(Options(dir, 1, 1));
    InChildThatDies([&] {
      auto pass = guard.Enter(0, kPoison);
      Die();
    });
  }
  for (int run = 0; run < 2; ++run) {
    PoisonGuard guard(Options(dir, 1, 1));
    CHECK(guard.Enter(0, kPoison).poison());  // dead-lettered: not in the journal
  }
  PoisonGuard guard(Options(dir, 1, 1));
  CHECK(guard.recovered().empty());
}

TEST_CASE("a suspect runs alone: it waits for running messages, others wait for it", "[poison]") {
  StateDir dir;
  {
    PoisonGuard first(Options(dir));
    InChildThatDies([&] {
      auto pass = first.Enter(0, kPoison);
      Die();
    });
  }
  PoisonGuard guard(Options(dir));
  std::atomic<int> step{0};
  auto other = std::make_unique<PoisonGuard::Pass>(guard.Enter(1, {"t", 0, 1}));
  std::thread suspect([&] {
    auto pass = guard.Enter(0, kPoison);
    step = 1;
    std::this_thread::sleep_for(300ms);
    step = 2;
  });
  std::this_thread::sleep_for(300ms);
  CHECK(step == 0);  // a message was running: the suspect waited
  other.reset();
  while (step == 0) std::this_thread::sleep_for(1ms);
  auto next = guard.Enter(1, {"t", 0, 2});  // waits for the suspect's run to end
  CHECK(step == 2);
  suspect.join();
}

TEST_CASE("an unusable state directory stops the start with its path", "[poison]") {
  StateDir dir;
  fs::create_directories(dir.path);
  WriteFile(dir.path / "file", "x");
  CHECK_THROWS_WITH(PoisonGuard({(dir.path / "file" / "sub").string(), "g", 1, 2}),
                    Catch::Contains("file/sub"));
}
