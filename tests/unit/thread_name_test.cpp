#include "common/thread_name.h"

#include <pthread.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>

using namespace leakd;

namespace {
std::string NameOfThread(const char* name) {
  std::string seen;
  std::thread([&] {
    NameThisThread(name);
    char buf[32] = {};
    pthread_getname_np(pthread_self(), buf, sizeof buf);
    seen = buf;
  }).join();
  return seen;
}
}  // namespace

TEST_CASE("a thread is named, and a long name is cut to Linux's 15 bytes", "[thread_name]") {
  CHECK(NameOfThread("leakd-worker") == "leakd-worker");
  CHECK(NameOfThread("leakd-a-very-long-thread-name") == "leakd-a-very-lo");
}
