// ChildProcess: a program the test starts (fork + exec) and stops with a
// signal, e.g. `leakd serve` to SIGKILL at the worst moment. The destructor
// SIGKILLs a child still running.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace leakd::testing {

class ChildProcess {
 public:
  // Runs args[0] (searched in PATH) with `args`. Its stderr, and stdout too
  // when `with_stdout`, go to `log_file` (truncated); "" = inherited.
  ChildProcess(std::vector<std::string> args, const std::string& log_file,
               bool with_stdout = false) {
    pid_ = fork();
    if (pid_ != 0) return;
    if (!log_file.empty()) {
      const int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (with_stdout) dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  ~ChildProcess() {
    if (pid_ > 0) Kill(SIGKILL);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Sends `signal` and waits; the exit status (or 128+signal).
  int Kill(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return ExitStatus(status);
  }

  // Sends `signal` (0: none, only waits) and waits at most `limit`: the exit
  // status, or -1 if it had not exited (the destructor SIGKILLs it then).
  int KillWithin(int signal, std::chrono::milliseconds limit,
                 std::chrono::milliseconds* took = nullptr) {
    const auto start = std::chrono::steady_clock::now();
    if (signal != 0) ::kill(pid_, signal);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() - start > limit) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (took) {
      *took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    }
    pid_ = -1;
    return ExitStatus(status);
  }

 private:
  static int ExitStatus(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  pid_t pid_ = -1;
};

}  // namespace leakd::testing
