// Benchmark: 100k empty tasks on pp::ThreadPoolExecutor(2), submit all then get all.
// Prints the median microseconds per task, with tracing off and on.
// Machine-readable lines: "figure <name> <value> <unit>".
#include "core/thread_pool_executor.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

constexpr int kTasks = 100000;
constexpr int kRuns = 11;

double one_batch_us_per_task(pp::ThreadPoolExecutor& pool) {
    std::vector<pp::Future<void>> futures;
    futures.reserve(kTasks);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kTasks; ++i) futures.push_back(pool.submit([] {}));
    for (auto& f : futures) f.result();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return std::chrono::duration<double, std::micro>(elapsed).count() / kTasks;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Runs alternate between tracing off and on, so both see the same machine load; the overhead is
// the median of the per-pair ratios, which a load change between pairs does not skew.
void measure(double* off_us, double* on_us, double* overhead_pct) {
    pp::ThreadPoolExecutor pool(2);
    (void)one_batch_us_per_task(pool); // warm-up: starts the workers, grows the allocator
    std::vector<double> off, on;
    for (int run = 0; run < kRuns; ++run) {
        pp::trace::set_enabled(false);
        off.push_back(one_batch_us_per_task(pool));
        pp::trace::clear();
        pp::trace::set_enabled(true);
        on.push_back(one_batch_us_per_task(pool));
        pp::trace::set_enabled(false);
        pp::trace::clear();
    }
    *off_us = median(off);
    *on_us = median(on);
    std::vector<double> ratios;
    for (int run = 0; run < kRuns; ++run) ratios.push_back(on[run] / off[run]);
    *overhead_pct = (median(ratios) - 1.0) * 100.0;
}

} // namespace

int main() {
    double off_us = 0, on_us = 0, slowdown_percent = 0;
    measure(&off_us, &on_us, &slowdown_percent);
    std::printf("ThreadPoolExecutor(2), %d empty tasks, submit all then result all, median of %d runs (trace clock: %s)\n",
                kTasks, kRuns, pp::trace::clock_name());
    std::printf("  tracing off: %.3f us/task\n", off_us);
    std::printf("  tracing on:  %.3f us/task (%+.1f%%)\n", on_us, slowdown_percent);
    std::printf("figure thread_pool_empty_task_us %.3f us/task\n", off_us);
    std::printf("figure thread_pool_empty_task_traced_us %.3f us/task\n", on_us);
    std::printf("figure trace_overhead_pct %.1f percent\n", slowdown_percent);
    return 0;
}
