// Errors raised by futures and executors, named after Python's concurrent.futures.
#pragma once

#include <stdexcept>
#include <string>

namespace pp {

// result() / exception() on a future that was cancelled.
class CancelledError : public std::runtime_error {
public:
    CancelledError() : std::runtime_error("the future was cancelled") {}
    explicit CancelledError(const std::string& what) : std::runtime_error(what) {}
};

// A timed wait (result(timeout), exception(timeout), join(timeout), as_completed, map) ran out of time.
class TimeoutError : public std::runtime_error {
public:
    TimeoutError() : std::runtime_error("timed out") {}
    explicit TimeoutError(const std::string& what) : std::runtime_error(what) {}
};

// Promise used twice (set_value after set_value, ...): like Python's InvalidStateError.
class InvalidStateError : public std::runtime_error {
public:
    explicit InvalidStateError(const std::string& what) : std::runtime_error(what) {}
};

// An executor can no longer run work (a worker died). Base of the process pool's BrokenProcessPool.
class BrokenExecutor : public std::runtime_error {
public:
    explicit BrokenExecutor(const std::string& what) : std::runtime_error(what) {}
};

// submit()/detach()/map() after shutdown(): Python's "cannot schedule new futures after shutdown".
class ExecutorShutdownError : public std::runtime_error {
public:
    ExecutorShutdownError() : std::runtime_error("cannot schedule new futures after shutdown") {}
    explicit ExecutorShutdownError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace pp
