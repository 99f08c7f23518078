#include "common/thread_name.h"

#include <pthread.h>

#include <cstring>
#include <string>

namespace leakd {

void NameThisThread(const char* name) {
  // pthread_setname_np refuses names over 15 bytes instead of cutting them.
  const std::string cut(name, strnlen(name, 15));
  pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace leakd
