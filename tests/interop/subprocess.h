// Subprocess: a child program for the interop tests, with its stdout on a pipe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace tracewire::testing {

class Subprocess {
 public:
  // Starts `argv[0]` with `argv`, the parent's environment plus `env` (which wins), stdout on a
  // pipe and stderr inherited.
  static StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

  // SIGTERM, then waits; SIGKILL if it has not exited within 10 s.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // The next stdout line (without '\n'); DeadlineExceeded after `timeout`, NotFound at EOF.
  StatusOr<std::string> ReadLine(std::chrono::milliseconds timeout);
  // Waits for the exit and returns the exit code (128+signal when killed); stdout left unread
  // is discarded.
  int Wait();
  // SIGTERM, then Wait().
  int Terminate();
  // SIGKILL, then Wait().
  int Kill();
  pid_t pid() const { return pid_; }

 private:
  Subprocess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

  pid_t pid_;
  int stdout_fd_;
  std::string buffered_;
  bool exited_ = false;
  int exit_code_ = 0;
};

// A TCP port on 127.0.0.1 that was free a moment ago (for programs that need an explicit port).
uint16_t PickFreePort();

}  // namespace tracewire::testing
