// The problem the thread-pool benchmarks share, whatever runs the tasks: 100k tasks submitted to
// 2 workers, all submitted first, then every result taken; tasks empty, or about 1 us of
// arithmetic. One file per execution model (empty_tasks_<model>.cpp) times it the same way, so
// bench/run.sh can set our ThreadPoolExecutor (empty_tasks_thread_pool.cpp) against its C++
// peers in one run.
#pragma once

#include "bench_support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <vector>

namespace pp_bench::empty_tasks {

constexpr int kTasks = 100000;
constexpr int kRuns = 11;
constexpr int kWorkers = 2;

// Arithmetic the compiler cannot fold away, with no memory traffic and no clock reads.
inline void busy_work(int iterations) {
    std::uint64_t x = 1;
    for (int i = 0; i < iterations; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    benchmark::DoNotOptimize(x);
}

// Iterations of busy_work that take about one microsecond on this machine (median of 5 timings),
// measured once per program: every "1 us" workload in it then does the same work. bench/run.sh
// measures it once for the whole run (bench/support/busy_work_calibration.cpp) and passes it in
// PP_BENCH_BUSY_ITERATIONS_PER_US, so that programs compared with each other run the same work.
inline int iterations_per_microsecond() {
    static const int iterations = [] {
        if (const char* given = std::getenv("PP_BENCH_BUSY_ITERATIONS_PER_US")) {
            const int n = std::atoi(given);
            if (n > 0) return n;
            std::fprintf(stderr, "PP_BENCH_BUSY_ITERATIONS_PER_US=%s is not a positive number; calibrating here\n", given);
        }
        constexpr int kProbe = 10'000'000;
        std::vector<double> ns_per_iteration;
        for (int i = 0; i < 5; ++i) {
            const auto start = std::chrono::steady_clock::now();
            busy_work(kProbe);
            ns_per_iteration.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / kProbe);
        }
        std::sort(ns_per_iteration.begin(), ns_per_iteration.end());
        return std::max(1, static_cast<int>(1000.0 / ns_per_iteration[2]));
    }();
    return iterations;
}

// The task every peer runs: empty when iterations is 0 (one predictable branch more than `[] {}`).
inline auto task(int iterations) {
    return [iterations] {
        if (iterations) busy_work(iterations);
    };
}

// Waits for one task's result: a std::future's get(), or a pp::Future's result().
template <class F>
auto take(F& f) -> decltype(f.get(), void()) {
    f.get();
}
template <class F>
auto take(F& f) -> decltype(f.result(), void()) {
    f.result();
}

// A model's benchmarks. `submit(task)` hands one task to the model and returns its future (a
// std::future<void>, or our pp::Future<void>); a batch submits `tasks` tasks that each run
// busy_work(iterations) (0: an empty task), then takes every result. Registers
// "<model>/empty_tasks" and "<model>/1us_tasks" (one batch per repetition) after a warm-up batch;
// after run(), print_model_figures() prints "figure <model>_empty_task_us" and
// "figure <model>_1us_task_us" (medians, wall time per task). `tasks`: fewer for a model that
// starts a thread per task, whose cost per task does not depend on their number.
template <class Submit>
void register_model(const std::string& model, Submit submit, int tasks = kTasks) {
    const auto batch = [=](int iterations) {
        std::vector<decltype(submit(task(0)))> futures;
        futures.reserve(tasks);
        for (int i = 0; i < tasks; ++i) futures.push_back(submit(task(iterations)));
        for (auto& f : futures) take(f);
    };
    const int one_microsecond = iterations_per_microsecond();
    batch(0);  // warm-up: starts the workers, grows the allocator
    const auto timed_batches = [=](int iterations) {
        return [=](benchmark::State& state) {
            for (auto _ : state) batch(iterations);
        };
    };
    repeat(benchmark::RegisterBenchmark((model + "/empty_tasks").c_str(), timed_batches(0)), kRuns);
    repeat(benchmark::RegisterBenchmark((model + "/1us_tasks").c_str(), timed_batches(one_microsecond)), kRuns);
}

inline void print_model_figures(const std::string& model, const Medians& m, int tasks = kTasks) {
    figure((model + "_empty_task_us").c_str(), m.at(model + "/empty_tasks").wall_s / tasks * 1e6, "us/task", 3);
    figure((model + "_1us_task_us").c_str(), m.at(model + "/1us_tasks").wall_s / tasks * 1e6, "us/task", 3);
}

// A peer's whole benchmark program: register_model, run, print_model_figures.
template <class Submit>
int run_model(const std::string& model, int argc, char** argv, Submit submit, int tasks = kTasks) {
    register_model(model, submit, tasks);
    Medians m;
    if (!run(argc, argv, m)) return 1;
    print_model_figures(model, m, tasks);
    return 0;
}

}  // namespace pp_bench::empty_tasks
