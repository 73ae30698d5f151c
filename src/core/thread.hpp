// pp::Thread: Python's threading.Thread (start, join with timeout, is_alive, name).
#pragma once

#include "core/future.hpp"  // pp::Timeout
#include "core/sync.hpp"

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
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
    // An empty name becomes "Thread-N", numbered like Python's. restart_numbering(): the next is
    // Thread-1 again (a lesson run is a fresh program; its replays name their threads alike).
    static void restart_numbering();
    Thread(std::string name, std::function<void()> target);
    explicit Thread(std::function<void()> target) : Thread(std::string(), std::move(target)) {}
    // A started thread that was never joined is joined here (it cannot be abandoned safely), so
    // destroying a Thread whose target never returns hangs.
    ~Thread();
    // Movable, so that a list of threads is a std::vector<pp::Thread>; the running thread does not
    // move (it keeps its state on the heap). Assigning over a started Thread joins it first, as its
    // destructor would. A moved-from Thread may only be destroyed or assigned to: its other calls
    // throw std::logic_error.
    Thread(Thread&& other) noexcept;
    Thread& operator=(Thread&& other) noexcept;
    Thread(const Thread&) = delete;
    Thread& operator=(const Thread&) = delete;

    // Starts the thread. A second call throws std::logic_error("threads can only be started once").
    // `source_line`: the caller's, for the step view (core/schedule.hpp).
    void start(int source_line = __builtin_LINE());

    // Waits until the thread ends, or until `timeout` passes; returns whether it ended (Python's
    // join returns None: check is_alive() there). Records a JoinBlocked span on the caller's lane
    // and releases the emulated GIL while waiting. Throws std::logic_error before start() or when
    // a thread joins itself (that would wait forever).
    bool join(Timeout timeout = std::nullopt, int source_line = __builtin_LINE());

    bool is_alive() const;
    const std::string& name() const;
    // pp::current_tid() of the running thread (its trace lane id; see core/ids.hpp for when it can
    // be reused); 0 before start().
    std::uint64_t native_id() const;
    // What the target threw, or nullptr; meaningful once the thread has ended.
    std::exception_ptr exception() const;

private:
    struct State;
    State& state() const;  // throws std::logic_error for a moved-from Thread
    void join_if_started();

    std::unique_ptr<State> state_;
};

}  // namespace pp
