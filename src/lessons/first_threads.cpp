#include "lessons/first_threads.hpp"

#include <chrono>
#include <cstdio>

#include "core/sync.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"

namespace pp::lessons {

using Clock = std::chrono::steady_clock;

static double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

bool FirstThreads::start(int thread_count, std::uint64_t limit) {
    if (thread_count < 1 || thread_count > kMaxThreads) return false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (state_.phase == FirstThreadsRun::Phase::Running) return false;
        state_ = FirstThreadsRun{};
        state_.phase = FirstThreadsRun::Phase::Running;
        state_.run_number = ++runs_started_;
        state_.limit = limit;
        state_.threads.resize(thread_count);
    }
    runner_.detach([this, thread_count, limit] { run(thread_count, limit); });
    return true;
}

void FirstThreads::run(int thread_count, std::uint64_t limit) {
    const auto run_start = Clock::now();
    std::vector<sync::thread> threads;  // std::thread, or a fiber in the single-threaded page
    threads.reserve(thread_count);
    for (int i = 0; i < thread_count; ++i) {
        const std::uint64_t begin = limit * i / thread_count, end = limit * (i + 1) / thread_count;
        // Each thread writes only its own report, under the lock, so the UI can read any time.
        threads.emplace_back([this, i, begin, end, run_start] {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                ThreadReport& report = state_.threads[i];
                report.index = i;
                report.thread_id = current_tid();
                report.range_begin = begin;
                report.range_end = end;
                report.started_ms = ms_since(run_start);
            }
            const std::uint64_t found = count_primes(begin, end);  // the real work, outside the lock
            std::lock_guard<std::mutex> lock(mutex_);
            ThreadReport& report = state_.threads[i];
            report.primes_found = found;
            report.finished_ms = ms_since(run_start);
            report.finished = true;
        });
    }
    for (auto& thread : threads) thread.join();  // blocks the runner, never the UI

    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& report : state_.threads) state_.total_primes += report.primes_found;
    state_.wall_ms = ms_since(run_start);
    state_.phase = FirstThreadsRun::Phase::Done;
}

FirstThreadsRun FirstThreads::snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_;
}

std::string FirstThreadsRun::to_json() const {
    static const char* const phase_names[] = {"idle", "running", "done"};
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, "{\"phase\":\"%s\",\"run\":%d,\"limit\":%llu,\"total_primes\":%llu,\"wall_ms\":%.2f,\"threads\":[",
                  phase_names[static_cast<int>(phase)], run_number, static_cast<unsigned long long>(limit),
                  static_cast<unsigned long long>(total_primes), wall_ms);
    std::string json = buffer;
    for (const auto& t : threads) {
        std::snprintf(buffer, sizeof buffer,
                      "%s{\"index\":%d,\"thread_id\":\"%llu\",\"begin\":%llu,\"end\":%llu,\"primes\":%llu,"
                      "\"started_ms\":%.2f,\"finished_ms\":%.2f,\"finished\":%s}",
                      &t == &threads.front() ? "" : ",", t.index, static_cast<unsigned long long>(t.thread_id),
                      static_cast<unsigned long long>(t.range_begin), static_cast<unsigned long long>(t.range_end),
                      static_cast<unsigned long long>(t.primes_found), t.started_ms, t.finished_ms, t.finished ? "true" : "false");
        json += buffer;
    }
    return json + "]}";
}

}  // namespace pp::lessons
