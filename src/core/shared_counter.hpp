// A counter shared by threads: the race condition demo, and its two fixes.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

namespace pp {

class SharedCounter {
public:
    // counter += 1 as Python runs it: read, (the interpreter may switch threads here), write.
    // Relaxed atomics make the race well-defined in C++ while still losing updates; a yield and a
    // GIL checkpoint between the read and the write widen the window, as the tutorial demos do.
    void increment_unsynchronized();
    // with lock: counter += 1. Exact. A contended lock records a LockWait span and releases the GIL.
    void increment_with_mutex();
    // One indivisible fetch_add. Exact, and no lock.
    void increment_atomic() { value_.fetch_add(1, std::memory_order_relaxed); }

    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }
    void reset() { value_.store(0, std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> value_{0};
    std::mutex mutex_;
};

} // namespace pp
