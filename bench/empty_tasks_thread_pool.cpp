// Benchmark: 100k empty tasks on pp::ThreadPoolExecutor(2), submit all then get all.
// Prints the median microseconds per task, with tracing off and on: wall time (the figure)
// and process CPU time (all threads), which a machine shared with other work disturbs less.
// Machine-readable lines: "figure <name> <value> <unit>".
#include "bench_support.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

namespace {

using pp_bench::median;

constexpr int kTasks = 100000;
constexpr int kRuns = 11;

double process_cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

struct Batch {
    double wall_us_per_task;
    double cpu_us_per_task;
};

Batch one_batch(pp::ThreadPoolExecutor& pool) {
    std::vector<pp::Future<void>> futures;
    futures.reserve(kTasks);
    const double cpu_start = process_cpu_us();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kTasks; ++i) futures.push_back(pool.submit([] {}));
    for (auto& f : futures) f.result();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return {std::chrono::duration<double, std::micro>(elapsed).count() / kTasks,
            (process_cpu_us() - cpu_start) / kTasks};
}

// Runs alternate between tracing off and on, so both see the same machine load; the overhead is
// the median of the per-pair ratios, which a load change between pairs does not skew.
struct Figures {
    double off_us, on_us, overhead_pct;
};

Figures summarize(const std::vector<double>& off, const std::vector<double>& on) {
    std::vector<double> ratios;
    for (std::size_t run = 0; run < off.size(); ++run) ratios.push_back(on[run] / off[run]);
    return {median(off), median(on), (median(ratios) - 1.0) * 100.0};
}

void measure(Figures* wall, Figures* cpu) {
    pp::ThreadPoolExecutor pool(2);
    (void)one_batch(pool); // warm-up: starts the workers, grows the allocator
    std::vector<double> off, on, off_cpu, on_cpu;
    for (int run = 0; run < kRuns; ++run) {
        pp::trace::set_enabled(false);
        Batch b = one_batch(pool);
        off.push_back(b.wall_us_per_task);
        off_cpu.push_back(b.cpu_us_per_task);
        pp::trace::clear();
        pp::trace::set_enabled(true);
        b = one_batch(pool);
        on.push_back(b.wall_us_per_task);
        on_cpu.push_back(b.cpu_us_per_task);
        pp::trace::set_enabled(false);
        pp::trace::clear();
    }
    *wall = summarize(off, on);
    *cpu = summarize(off_cpu, on_cpu);
}

// What tracing adds to each pool task, timed on its own: the submitter's clock read and
// TaskSubmitted instant, the worker's end-of-task clock read and TaskRun span (a worker going
// straight on reuses that end as the next begin). Divided by 10% it is the shortest task that
// tracing slows by at most 10%. Timed on one thread: in the pool, spinning idle workers make
// CPU-time differences say more about scheduling than about the trace.
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
    Figures wall{}, cpu{};
    measure(&wall, &cpu);
    std::printf("ThreadPoolExecutor(2), %d empty tasks, submit all then result all, median of %d runs\n", kTasks, kRuns);
    std::printf("  tracing off: %.3f us/task wall, %.3f us/task CPU\n", wall.off_us, cpu.off_us);
    std::printf("  tracing on:  %.3f us/task wall (%+.1f%%), %.3f us/task CPU (%+.1f%%)\n", wall.on_us,
                wall.overhead_pct, cpu.on_us, cpu.overhead_pct);
    std::printf("figure thread_pool_empty_task_us %.3f us/task\n", wall.off_us);
    std::printf("figure thread_pool_empty_task_traced_us %.3f us/task\n", wall.on_us);
    std::printf("figure trace_overhead_pct %.1f percent\n", wall.overhead_pct);
    std::printf("figure thread_pool_empty_task_cpu_us %.3f us/task\n", cpu.off_us);
    std::printf("figure thread_pool_empty_task_traced_cpu_us %.3f us/task\n", cpu.on_us);
    std::printf("figure trace_overhead_cpu_pct %.1f percent\n", cpu.overhead_pct);
    const double cost_ns = trace_work_ns_per_task();
    std::printf("  the trace work itself: %.0f ns per task, on one thread\n", cost_ns);
    std::printf("figure trace_cost_ns_per_task %.0f ns\n", cost_ns);
    std::printf("figure trace_under_10pct_for_tasks_from_us %.2f us\n", cost_ns * 10.0 / 1000.0);
    return 0;
}
