// A counter shared by threads: the race condition demo, and its two fixes.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace pp {

class SharedCounter {
public:
    // counter += 1 as Python runs it: read, (the interpreter may switch threads here), write.
    // Relaxed atomics make the race well-defined in C++ while still losing updates; a yield and a
    // GIL checkpoint between the read and the write widen the window, as the tutorial demos do.
    // In a stepped run (core/schedule.hpp) it is three steps: load, add, store; a store that
    // overwrites another thread's increment is noted ("one increment lost"). `source_line`: the
    // caller's, for the step view.
    void increment_unsynchronized(int source_line = __builtin_LINE());
    // with lock: counter += 1. Exact. A contended lock records a LockWait span and releases the GIL.
    // Stepped: lock, load, add, store, unlock.
    void increment_with_mutex(int source_line = __builtin_LINE());
    // One indivisible fetch_add. Exact, and no lock.
    void increment_atomic() { value_.fetch_add(1, std::memory_order_relaxed); }

    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }
    void reset();

private:
    // Stepped runs only: the three steps of counter += 1, and who stored last (for the lost-update note).
    void stepped_increment(int source_line);

    std::atomic<std::int64_t> value_{0};
    std::mutex mutex_;
    std::string last_writer_;  // stepped runs: who made value_ what it is
};

// The note of a stepped store that overwrites another's: `storer` loaded `read` and now stores
// read + 1 over `writer`'s `overwritten`. Above what it read, increments are lost; below it (a
// stale store lowered the counter meanwhile), lost increments come back.
std::string overwrite_note(const std::string& storer, std::int64_t read, const std::string& writer, std::int64_t overwritten);

}  // namespace pp
