// pp::Thread: Python's threading.Thread (start, join with timeout, is_alive, name).
#pragma once

#include "core/future.hpp" // pp::Timeout
#include "core/sync.hpp"

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace pp {

// The target runs holding the emulated GIL when it is enabled (it stands for Python code), traced
// as a TaskRun span on the thread's own lane, between ThreadStart and ThreadEnd markers.
// An exception escaping the target is printed to stderr (like threading.excepthook), ends the
// thread, and stays readable through exception().
class Thread {
public:
    // An empty name becomes "Thread-N", numbered like Python's.
    Thread(std::string name, std::function<void()> target);
    explicit Thread(std::function<void()> target) : Thread(std::string(), std::move(target)) {}
    // A started thread that was never joined is joined here (it cannot be abandoned safely), so
    // destroying a Thread whose target never returns hangs.
    ~Thread();
    Thread(const Thread&) = delete;
    Thread& operator=(const Thread&) = delete;

    // Starts the thread. A second call throws std::logic_error("threads can only be started once").
    void start();

    // Waits until the thread ends, or until `timeout` passes; returns whether it ended (Python's
    // join returns None: check is_alive() there). Records a JoinBlocked span on the caller's lane
    // and releases the emulated GIL while waiting. Throws std::logic_error before start() or when
    // a thread joins itself (that would wait forever).
    bool join(Timeout timeout = std::nullopt);

    bool is_alive() const;
    const std::string& name() const noexcept { return name_; }
    // pp::current_tid() of the running thread (its trace lane id; see core/ids.hpp for when it can
    // be reused); 0 before start().
    std::uint64_t native_id() const;
    // What the target threw, or nullptr; meaningful once the thread has ended.
    std::exception_ptr exception() const;

private:
    void run();

    std::string name_;
    std::function<void()> target_;
    sync::thread thread_;

    mutable std::mutex mutex_;
    sync::condition_variable ended_cv_;
    bool started_ = false;
    bool ended_ = false;
    std::uint64_t native_id_ = 0;
    std::exception_ptr error_;
};

} // namespace pp
