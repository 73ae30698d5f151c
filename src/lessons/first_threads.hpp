/*******************************************************************************************
 *
 *   Parallel Playground - Your first threads
 *
 *   Press Start: N real std::threads each count the primes in one slice of [0, limit).
 *   In the browser every std::thread is a Web Worker sharing the page's memory; on the
 *   desktop it is an OS thread. Either way they run at the same time, on different cores.
 *
 *******************************************************************************************/
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/thread_pool_executor.hpp"

namespace pp::lessons {

// What one thread reported about its own slice of the work.
struct ThreadReport {
    int index = 0;                  // the order the threads were started in
    std::uint64_t thread_id = 0;    // pp::current_tid() as seen from inside the thread
    std::uint64_t range_begin = 0;  // it counted primes in [range_begin, range_end)
    std::uint64_t range_end = 0;
    std::uint64_t primes_found = 0;
    double started_ms = 0;  // since the run began
    double finished_ms = 0;
    bool finished = false;
};

struct FirstThreadsRun {
    enum class Phase { Idle, Running, Done };
    Phase phase = Phase::Idle;
    int run_number = 0;  // increments with every start(), so a UI can tell runs apart
    std::uint64_t limit = 0;
    std::vector<ThreadReport> threads;
    std::uint64_t total_primes = 0;  // sum over the threads, once all are joined
    double wall_ms = 0;              // start of the first thread to the last join

    std::string to_json() const;
};

class FirstThreads {
public:
    static constexpr int kMaxThreads = 16;
    static constexpr std::uint64_t kDefaultLimit = 3'000'000;

    // Starts `thread_count` std::threads (1..kMaxThreads) over [0, limit). Never blocks: the
    // threads are created and joined on a runner thread, because a join on the browser's main
    // thread would freeze the page. Returns false, and changes nothing, while a run is going.
    bool start(int thread_count, std::uint64_t limit = kDefaultLimit);

    // A copy of the current run, safe to call every frame from the UI thread.
    FirstThreadsRun snapshot() const;

private:
    void run(int thread_count, std::uint64_t limit);  // on the runner

    mutable std::mutex mutex_;  // guards state_; held only for copies, never during work
    FirstThreadsRun state_;
    int runs_started_ = 0;
    ThreadPoolExecutor runner_{1, "FirstThreadsRunner"};  // declared last: its destructor waits for a run in progress
};

}  // namespace pp::lessons
