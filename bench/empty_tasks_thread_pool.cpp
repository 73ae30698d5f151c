// Benchmark: 100k empty tasks on pp::ThreadPoolExecutor(2), submit all then get all.
// Prints the median microseconds per task, with tracing off and on: wall time (the figure)
// and process CPU time (all threads), which a machine shared with other work disturbs less.
//
// Two more measurements explain the tracing overhead:
// - a control: tracing off, but the benchmark makes the two clock reads that tracing cannot do
//   without (one as each task is submitted, one as it ends) and records nothing. If the control
//   costs about what tracing costs, the overhead is the price of those reads in this pool, not
//   of the recorder.
// - a floor (x86-64 only): tracing off, and each task reads the CPU's time-stamp counter once
//   (rdtsc, about half the cost of a clock read, and no timestamp can be cheaper). What one such
//   read costs in this pool is the least any tracing that timestamps each task could cost.
// - the same on/off pair for tasks of about 1 us of arithmetic, a size where tracing is a small
//   part of the work.
// Machine-readable lines: "figure <name> <value> <unit>".
#include "bench_support.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#if defined(__x86_64__)
#include <x86intrin.h>
#define PP_BENCH_HAS_TSC 1
#endif

namespace {

using pp_bench::keep;
using pp_bench::median;

constexpr int kTasks = 100000;
constexpr int kRuns = 11;

double process_cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

// Arithmetic the compiler cannot fold away, with no memory traffic and no clock reads.
void busy_work(int iterations) {
    std::uint64_t x = 1;
    for (int i = 0; i < iterations; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    keep(x);
}

// Iterations of busy_work that take about one microsecond on this machine (median of 5 timings).
int iterations_per_microsecond() {
    constexpr int kProbe = 10'000'000;
    std::vector<double> ns_per_iteration;
    for (int i = 0; i < 5; ++i) {
        const auto start = std::chrono::steady_clock::now();
        busy_work(kProbe);
        ns_per_iteration.push_back(
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / kProbe);
    }
    return std::max(1, static_cast<int>(1000.0 / median(ns_per_iteration)));
}

enum class Tasks {
    Empty,
    EmptyWithClockReads, // the control: the submit loop and each task read the trace clock once
#ifdef PP_BENCH_HAS_TSC
    EmptyWithOneTscRead, // the floor: each task reads the time-stamp counter once
#endif
    OneMicrosecond,      // busy_work for about 1 us
};

struct Batch {
    double wall_us_per_task;
    double cpu_us_per_task;
};

Batch one_batch(pp::ThreadPoolExecutor& pool, Tasks tasks, int work_iterations = 0) {
    std::vector<pp::Future<void>> futures;
    futures.reserve(kTasks);
    const double cpu_start = process_cpu_us();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kTasks; ++i) {
        switch (tasks) {
        case Tasks::Empty: futures.push_back(pool.submit([] {})); break;
        case Tasks::EmptyWithClockReads:
            keep(pp::trace::now_ns()); // where tracing stamps the submission
            futures.push_back(pool.submit([] { keep(pp::trace::now_ns()); })); // where it stamps the end
            break;
#ifdef PP_BENCH_HAS_TSC
        case Tasks::EmptyWithOneTscRead:
            futures.push_back(pool.submit([] { keep(__rdtsc()); }));
            break;
#endif
        case Tasks::OneMicrosecond:
            futures.push_back(pool.submit([work_iterations] { busy_work(work_iterations); }));
            break;
        }
    }
    for (auto& f : futures) f.result();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return {std::chrono::duration<double, std::micro>(elapsed).count() / kTasks,
            (process_cpu_us() - cpu_start) / kTasks};
}

Batch traced_batch(pp::ThreadPoolExecutor& pool, Tasks tasks, int work_iterations = 0) {
    pp::trace::clear();
    pp::trace::set_enabled(true);
    const Batch b = one_batch(pool, tasks, work_iterations);
    pp::trace::set_enabled(false);
    pp::trace::clear();
    return b;
}

// Runs alternate between the variants, so all see the same machine load; an overhead is the
// median of the per-round ratios, which a load change between rounds does not skew.
struct Figures {
    double base_us, variant_us, overhead_pct;
};

Figures summarize(const std::vector<double>& base, const std::vector<double>& variant) {
    std::vector<double> ratios;
    for (std::size_t run = 0; run < base.size(); ++run) ratios.push_back(variant[run] / base[run]);
    return {median(base), median(variant), (median(ratios) - 1.0) * 100.0};
}

struct Measured {
    Figures traced_wall, traced_cpu; // empty tasks, tracing on vs off
    Figures clock_reads;             // empty tasks, the control vs off
    Figures one_tsc_read;            // empty tasks, the floor vs off (x86-64 only)
    Figures traced_1us;              // 1 us tasks, tracing on vs off
};

Measured measure() {
    Measured m{};
    pp::ThreadPoolExecutor pool(2);
    (void)one_batch(pool, Tasks::Empty); // warm-up: starts the workers, grows the allocator
    std::vector<double> off, on, off_cpu, on_cpu, control, tsc_floor;
    for (int run = 0; run < kRuns; ++run) {
        Batch b = one_batch(pool, Tasks::Empty);
        off.push_back(b.wall_us_per_task);
        off_cpu.push_back(b.cpu_us_per_task);
        b = traced_batch(pool, Tasks::Empty);
        on.push_back(b.wall_us_per_task);
        on_cpu.push_back(b.cpu_us_per_task);
        control.push_back(one_batch(pool, Tasks::EmptyWithClockReads).wall_us_per_task);
#ifdef PP_BENCH_HAS_TSC
        tsc_floor.push_back(one_batch(pool, Tasks::EmptyWithOneTscRead).wall_us_per_task);
#endif
    }
    m.traced_wall = summarize(off, on);
    m.traced_cpu = summarize(off_cpu, on_cpu);
    m.clock_reads = summarize(off, control);
#ifdef PP_BENCH_HAS_TSC
    m.one_tsc_read = summarize(off, tsc_floor);
#endif

    const int iterations = iterations_per_microsecond();
    std::vector<double> off_1us, on_1us;
    for (int run = 0; run < kRuns; ++run) {
        off_1us.push_back(one_batch(pool, Tasks::OneMicrosecond, iterations).wall_us_per_task);
        on_1us.push_back(traced_batch(pool, Tasks::OneMicrosecond, iterations).wall_us_per_task);
    }
    m.traced_1us = summarize(off_1us, on_1us);
    return m;
}

// What tracing adds to each pool task, timed on its own: the submitter's clock read and
// TaskSubmitted instant, the worker's end-of-task clock read and TaskRun span (a worker going
// straight on reuses that end as the next begin). Divided by 10% it is the shortest task that
// tracing would slow by at most 10% if nothing else changed. Timed on one thread: in the pool,
// spinning idle workers make CPU-time differences say more about scheduling than about the trace.
double trace_work_ns_per_task() {
    constexpr int kEvents = 100000;
    std::vector<double> runs;
    pp::trace::set_enabled(true);
    for (int run = 0; run < kRuns; ++run) {
        pp::trace::clear();
        const auto start = std::chrono::steady_clock::now();
        std::int64_t begin_ns = pp::trace::now_ns();
        for (int i = 0; i < kEvents; ++i) {
            const std::uint64_t id = pp::trace::next_task_id();
            const std::int64_t submitted_ns = pp::trace::now_ns();
            pp::trace::span(pp::TraceKind::TaskSubmitted, "task", submitted_ns, submitted_ns, id);
            const std::int64_t end_ns = pp::trace::now_ns();
            pp::trace::span(pp::TraceKind::TaskRun, "task", begin_ns, end_ns, id);
            begin_ns = end_ns;
        }
        runs.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / kEvents);
    }
    pp::trace::set_enabled(false);
    pp::trace::clear();
    return median(runs);
}

} // namespace

int main() {
    const Measured m = measure();
    const Figures& wall = m.traced_wall;
    const Figures& cpu = m.traced_cpu;
    std::printf("ThreadPoolExecutor(2), %d empty tasks, submit all then result all, median of %d runs\n", kTasks, kRuns);
    std::printf("  tracing off: %.3f us/task wall, %.3f us/task CPU\n", wall.base_us, cpu.base_us);
    std::printf("  tracing on:  %.3f us/task wall (%+.1f%%), %.3f us/task CPU (%+.1f%%)\n", wall.variant_us,
                wall.overhead_pct, cpu.variant_us, cpu.overhead_pct);
    std::printf("  control, tracing off but the same 2 clock reads per task: %.3f us/task wall (%+.1f%%)\n",
                m.clock_reads.variant_us, m.clock_reads.overhead_pct);
#ifdef PP_BENCH_HAS_TSC
    std::printf("  floor, tracing off but one rdtsc in each task: %.3f us/task wall (%+.1f%%)\n",
                m.one_tsc_read.variant_us, m.one_tsc_read.overhead_pct);
#endif
    std::printf("  tasks of about 1 us: %.3f us/task off, %.3f on (%+.1f%%)\n", m.traced_1us.base_us,
                m.traced_1us.variant_us, m.traced_1us.overhead_pct);
    std::printf("figure thread_pool_empty_task_us %.3f us/task\n", wall.base_us);
    std::printf("figure thread_pool_empty_task_traced_us %.3f us/task\n", wall.variant_us);
    std::printf("figure trace_overhead_pct %.1f percent\n", wall.overhead_pct);
    std::printf("figure clock_reads_only_overhead_pct %.1f percent\n", m.clock_reads.overhead_pct);
#ifdef PP_BENCH_HAS_TSC
    std::printf("figure one_tsc_read_overhead_pct %.1f percent\n", m.one_tsc_read.overhead_pct);
#endif
    std::printf("figure trace_overhead_1us_tasks_pct %.1f percent\n", m.traced_1us.overhead_pct);
    std::printf("figure thread_pool_empty_task_cpu_us %.3f us/task\n", cpu.base_us);
    std::printf("figure thread_pool_empty_task_traced_cpu_us %.3f us/task\n", cpu.variant_us);
    std::printf("figure trace_overhead_cpu_pct %.1f percent\n", cpu.overhead_pct);
    const double cost_ns = trace_work_ns_per_task();
    std::printf("  the trace work itself: %.0f ns per task, on one thread\n", cost_ns);
    std::printf("figure trace_cost_ns_per_task %.0f ns\n", cost_ns);
    std::printf("figure trace_under_10pct_for_tasks_from_us %.2f us\n", cost_ns * 10.0 / 1000.0);
    return 0;
}
