// Errors of process pools and processes: a dead worker, a task that threw in another process.
#pragma once

#include "core/errors.hpp"

#include <string>

namespace pp {

// A worker process died (crash, abort(), _exit, SIGKILL) or could not be started: every pending
// future fails with this, and so does every later submit. The message says which pid died and how:
// "worker pid 1234 was killed by signal 9 (SIGKILL) ...". Python: concurrent.futures.process.BrokenProcessPool.
class BrokenProcessPool : public BrokenExecutor {
public:
    explicit BrokenProcessPool(const std::string& what) : BrokenExecutor(what) {}
};

// A task threw in a worker process. The exception object itself cannot cross the process
// boundary, so this carries its type name and message; the pool stays usable (like a Python
// exception re-raised by Future.result()).
class RemoteTaskError : public std::runtime_error {
public:
    RemoteTaskError(std::string type_name, std::string message, std::string task_name, int worker_pid)
        : std::runtime_error(type_name + ": " + message + " (raised by process task '" + task_name + "' in worker pid " +
                             std::to_string(worker_pid) + ")"),
          type_name_(std::move(type_name)), message_(std::move(message)), task_name_(std::move(task_name)), worker_pid_(worker_pid) {}

    const std::string& type_name() const noexcept { return type_name_; }  // "std::runtime_error"
    const std::string& message() const noexcept { return message_; }      // the original what()
    const std::string& task_name() const noexcept { return task_name_; }
    int worker_pid() const noexcept { return worker_pid_; }

private:
    std::string type_name_;
    std::string message_;
    std::string task_name_;
    int worker_pid_;
};

}  // namespace pp
