// Benchmark: pp::ThreadPoolExecutor(2) on the problem of empty_tasks_problem.hpp (100k tasks,
// submit all then get all, empty or about 1 us), timed by the same harness as its C++ peers'
// files: thread_pool_empty_task_us and thread_pool_1us_task_us, the figures bench/run.sh sets
// against theirs. Then tracing off against on: microseconds per task, wall time and process CPU
// time (all threads), which a machine shared with other work disturbs less.
//
// More variants explain the tracing overhead (each overhead is the median of the repetitions'
// ratios, each repetition timing the variant right after a batch with tracing off):
// - a control: tracing off, but the benchmark makes the two clock reads that tracing cannot do
//   without (one as each task is submitted, one as it ends) and records nothing. If the control
//   costs about what tracing costs, the overhead is the price of those reads in this pool, not
//   of the recorder.
// - a floor (x86-64 only): tracing off, and each task reads the CPU's time-stamp counter once
//   (rdtsc, about half the cost of a clock read, and no timestamp can be cheaper). What one such
//   read costs in this pool is the least any tracing that timestamps each task could cost.
// - the same on/off pair for tasks of about 1 us of arithmetic, a size where tracing is a small
//   part of the work.
// - the trace work itself, on one thread (trace_work below), and its two clock reads alone.
#include "core/thread_pool_executor.hpp"
#include "core/trace.hpp"
#include "empty_tasks_problem.hpp"

#include <cstdint>
#include <vector>

#if defined(__x86_64__)
#include <x86intrin.h>
#define PP_BENCH_HAS_TSC 1
#endif

namespace {

using pp_bench::empty_tasks::busy_work;
using pp_bench::empty_tasks::iterations_per_microsecond;
using pp_bench::empty_tasks::kRuns;
using pp_bench::empty_tasks::kTasks;

enum class Tasks {
    Empty,
    EmptyWithClockReads,  // the control: the submit loop and each task read the trace clock once
    EmptyWithOneTscRead,  // the floor: each task reads the time-stamp counter once
    OneMicrosecond,       // busy_work for about 1 us
};

// Submits every task into `futures`, then takes every result.
void submit_all_then_get_all(pp::ThreadPoolExecutor& pool, Tasks tasks, int work_iterations, std::vector<pp::Future<void>>& futures) {
    for (int i = 0; i < kTasks; ++i) {
        switch (tasks) {
        case Tasks::Empty: futures.push_back(pool.submit([] {})); break;
        case Tasks::EmptyWithClockReads:
            benchmark::DoNotOptimize(pp::trace::now_ns());                                          // where tracing stamps the submission
            futures.push_back(pool.submit([] { benchmark::DoNotOptimize(pp::trace::now_ns()); }));  // and the end
            break;
        case Tasks::EmptyWithOneTscRead:
#ifdef PP_BENCH_HAS_TSC
            futures.push_back(pool.submit([] { benchmark::DoNotOptimize(__rdtsc()); }));
#endif
            break;
        case Tasks::OneMicrosecond: futures.push_back(pool.submit([work_iterations] { busy_work(work_iterations); })); break;
        }
    }
    for (auto& f : futures) f.result();
}

// One batch, timed; tracing is switched and its buffers cleared outside the timing.
pp_bench::Seconds timed_batch(pp::ThreadPoolExecutor& pool, Tasks tasks, bool traced) {
    const int one_microsecond = iterations_per_microsecond();
    const int work_iterations = tasks == Tasks::OneMicrosecond ? one_microsecond : 0;
    std::vector<pp::Future<void>> futures;
    futures.reserve(kTasks);
    pp::trace::clear();
    pp::trace::set_enabled(traced);
    const pp_bench::Seconds s = pp_bench::timed([&] { submit_all_then_get_all(pool, tasks, work_iterations, futures); });
    pp::trace::set_enabled(false);
    pp::trace::clear();
    return s;
}

// What tracing adds to each pool task, timed on its own: the submitter's clock read and
// TaskSubmitted instant, the worker's end-of-task clock read and TaskRun span (a worker going
// straight on reuses that end as the next begin), and the open span that shows the task on a
// live timeline while it runs (trace::open_span, close_open_span). Divided by 10% it is the shortest task that
// tracing would slow by at most 10% if nothing else changed. Timed on one thread: in the pool,
// spinning idle workers make CPU-time differences say more about scheduling than about the trace.
// The task's id is not part of it: the pool numbers every task (trace::next_task_id(), an atomic
// increment of about 7 ns), traced or not.
constexpr int kEvents = 100000;

// Repetitions of each tracing on/off pair: one repetition's ratio swings by about 10 % on a
// 2-core machine (the submitter and both workers share its cores), so the median needs more of
// them than a plain timing does.
constexpr int kOverheadRuns = 21;

void trace_work(benchmark::State& state) {
    pp::trace::clear();
    pp::trace::set_enabled(true);
    for (auto _ : state) {
        std::int64_t begin_ns = pp::trace::now_ns();
        for (int i = 0; i < kEvents; ++i) {
            const auto id = static_cast<std::uint64_t>(i + 1);  // what the pool numbered the task
            const std::int64_t submitted_ns = pp::trace::now_ns();
            pp::trace::span(pp::TraceKind::TaskSubmitted, "task", submitted_ns, submitted_ns, id);
            const std::uint64_t open = pp::trace::open_span(pp::TraceKind::TaskRun, "task", id, begin_ns);  // for a live timeline
            const std::int64_t end_ns = pp::trace::now_ns();
            pp::trace::span(pp::TraceKind::TaskRun, "task", begin_ns, end_ns, id);
            pp::trace::close_open_span(open);
            begin_ns = end_ns;
        }
    }
    pp::trace::set_enabled(false);
    pp::trace::clear();
}

// The two trace-clock reads of trace_work alone, recording nothing: what this machine's clock
// costs (a vDSO clock_gettime, whose cost differs several-fold between machines), so that a
// trace cost can be read as the clock's share plus the recorder's.
void trace_clock_reads(benchmark::State& state) {
    for (auto _ : state)
        for (int i = 0; i < kEvents; ++i) {
            benchmark::DoNotOptimize(pp::trace::now_ns());  // the submission's stamp
            benchmark::DoNotOptimize(pp::trace::now_ns());  // the end's (the next begin reuses it)
        }
}

}  // namespace

int main(int argc, char** argv) {
    pp::ThreadPoolExecutor pool(pp_bench::empty_tasks::kWorkers);
    // The figures set against the C++ peers: the same harness as theirs (empty_tasks_problem.hpp).
    pp_bench::empty_tasks::register_model("thread_pool", [&pool](auto task) { return pool.submit(task); });
    (void)timed_batch(pool, Tasks::Empty, false);  // warm-up: starts the workers, grows the allocator
    const auto batch = [&pool](Tasks tasks, bool traced) { return [=, &pool] { return timed_batch(pool, tasks, traced); }; };
    pp_bench::versus("empty_tasks/tracing_on_vs_off", kOverheadRuns, batch(Tasks::Empty, false), batch(Tasks::Empty, true));
    pp_bench::versus("empty_tasks/control_2_clock_reads_vs_off", kOverheadRuns, batch(Tasks::Empty, false),
                     batch(Tasks::EmptyWithClockReads, false));
#ifdef PP_BENCH_HAS_TSC
    pp_bench::versus("empty_tasks/floor_1_rdtsc_vs_off", kOverheadRuns, batch(Tasks::Empty, false),
                     batch(Tasks::EmptyWithOneTscRead, false));
#endif
    pp_bench::versus("1us_tasks/tracing_on_vs_off", kOverheadRuns, batch(Tasks::OneMicrosecond, false), batch(Tasks::OneMicrosecond, true));
    pp_bench::repeat(benchmark::RegisterBenchmark("trace_work_one_thread", trace_work), kRuns);
    pp_bench::repeat(benchmark::RegisterBenchmark("trace_clock_reads_one_thread", trace_clock_reads), kRuns);

    pp_bench::Medians m;
    if (!pp_bench::run(argc, argv, m)) return 1;
    using pp_bench::figure;
    const auto us = [](double seconds) { return seconds / kTasks * 1e6; };
    const auto pct = [](double ratio) { return (ratio - 1.0) * 100.0; };
    pp_bench::empty_tasks::print_model_figures("thread_pool", m);
    const pp_bench::Median& tracing = m.at("empty_tasks/tracing_on_vs_off");
    figure("thread_pool_empty_task_untraced_us", us(tracing.counter("base_s")), "us/task", 3);  // as timed beside the traced runs
    figure("thread_pool_empty_task_traced_us", us(tracing.counter("variant_s")), "us/task", 3);
    figure("trace_overhead_pct", pct(tracing.counter("ratio")), "percent", 1);
    figure("clock_reads_only_overhead_pct", pct(m.at("empty_tasks/control_2_clock_reads_vs_off").counter("ratio")), "percent", 1);
#ifdef PP_BENCH_HAS_TSC
    figure("one_tsc_read_overhead_pct", pct(m.at("empty_tasks/floor_1_rdtsc_vs_off").counter("ratio")), "percent", 1);
#endif
    figure("trace_overhead_1us_tasks_pct", pct(m.at("1us_tasks/tracing_on_vs_off").counter("ratio")), "percent", 1);
    figure("thread_pool_empty_task_cpu_us", us(tracing.counter("base_cpu_s")), "us/task", 3);
    figure("thread_pool_empty_task_traced_cpu_us", us(tracing.counter("variant_cpu_s")), "us/task", 3);
    figure("trace_overhead_cpu_pct", pct(tracing.counter("cpu_ratio")), "percent", 1);
    const double cost_ns = m.at("trace_work_one_thread").wall_s / kEvents * 1e9;
    figure("trace_cost_ns_per_task", cost_ns, "ns", 0);
    // One thread's work, so its CPU time is the cost without the waits a busy machine adds to the wall time.
    figure("trace_cost_cpu_ns_per_task", m.at("trace_work_one_thread").cpu_s / kEvents * 1e9, "ns", 0);
    figure("trace_under_10pct_for_tasks_from_us", cost_ns * 10.0 / 1000.0, "us", 2);
    figure("trace_clock_reads_ns_per_task", m.at("trace_clock_reads_one_thread").wall_s / kEvents * 1e9, "ns", 0);
    return 0;
}
