// The cost of parallelism, measured: see granularity.hpp.
//
// Index of this file
// [SECTION] Tasks the worker processes run
// [SECTION] Overheads: starting a pool, a round trip, a task in a batch
// [SECTION] One point: a model at one task size
// [SECTION] The experiment
#include "lessons/granularity.hpp"

#include "core/gil.hpp"
#include "core/process_pool_executor.hpp"
#include "core/stats.hpp"
#include "core/task_registry.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"
#include "lessons/use_cases.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace pp::lessons {

//-----------------------------------------------------------------------------
// [SECTION] Tasks the worker processes run
//-----------------------------------------------------------------------------
namespace {

std::uint64_t granularity_spin(std::uint64_t iterations) { return spin(iterations); }
PP_REGISTER_TASK_AS(granularity_spin, "granularity.spin");

int granularity_nothing(int x) { return x; }  // an empty task: what a task costs beyond its work
PP_REGISTER_TASK_AS(granularity_nothing, "granularity.nothing");

constexpr int kRepeats = 3;
constexpr int kBatch = 1000;      // empty tasks per "task in a batch" measurement
constexpr int kRoundTrips = 100;  // sequential round trips per "one task's round trip"

// Iterations of pp::spin() per second on this machine: the fastest of three warm runs.
double spin_rate() {
    Samples runs;
    constexpr std::uint64_t kIterations = 2'000'000;
    for (int i = 0; i < 4; ++i) runs.add(wall_time_once([] { (void)spin(kIterations); }));
    return static_cast<double>(kIterations) / std::max(runs.min(), 1e-9);
}

std::string size_text(double seconds) {
    char text[32];
    if (seconds < 1e-3)
        std::snprintf(text, sizeof text, "%.0f us", seconds * 1e6);
    else if (seconds < 1)
        std::snprintf(text, sizeof text, "%.0f ms", seconds * 1e3);
    else
        std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
}

//-----------------------------------------------------------------------------
// [SECTION] Overheads: starting a pool, a round trip, a task in a batch
//-----------------------------------------------------------------------------
struct Overheads {
    double thread_task = 0, thread_task_gil = 0, process_task = 0;  // seconds per task in a batch
};

Samples measured(LessonContext& ctx, const std::function<double()>& once) {
    return measure_repeated(
        kRepeats, [&](RunKind) { return once(); }, [&] { return ctx.keep_going(); });
}

void record_overhead(LessonContext& ctx, const std::string& what, const Samples& seconds) {
    ctx.measure(kOverheadPrefix + what, 0, seconds);
    char line[160];
    std::snprintf(line, sizeof line, "  %-52s %9.1f us  (%.1f to %.1f)", what.c_str(), seconds.median() * 1e6, seconds.min() * 1e6,
                  seconds.max() * 1e6);
    ctx.print(line);
}

Overheads measure_overheads(LessonContext& ctx, int workers) {
    Overheads out;
    ctx.print("Overheads, measured now (median of 3 after a warm-up):");
    record_overhead(ctx, "start a pool: threads", measured(ctx, [&] {
                        return wall_time_once([&] {
                            ThreadPoolExecutor pool(workers);
                            (void)pool.submit([] { return 0; }).result();
                        });
                    }));
    record_overhead(ctx, "start a pool: processes", measured(ctx, [&] {
                        return wall_time_once([&] {
                            ProcessPoolExecutor pool(workers);
                            (void)pool.submit(granularity_nothing_task, 0).result();
                        });
                    }));
    {
        ThreadPoolExecutor pool(workers);
        record_overhead(ctx, "one task's round trip: threads", measured(ctx, [&] {
                            return wall_time_once([&] {
                                       for (int i = 0; i < kRoundTrips; ++i) (void)pool.submit([] { return 0; }).result();
                                   }) /
                                   kRoundTrips;
                        }));
        const auto batch = [&] {
            return wall_time_once([&] {
                       std::vector<Future<int>> tasks;
                       for (int i = 0; i < kBatch; ++i) tasks.push_back(pool.submit([] { return 0; }));
                       for (auto& t : tasks) (void)t.result();
                   }) /
                   kBatch;
        };
        const Samples free_threads = measured(ctx, batch);
        record_overhead(ctx, std::string("a task in a batch: ") + kThreadsWithoutGil, free_threads);
        gil::set_enabled(true);
        const Samples gil_threads = measured(ctx, batch);
        gil::set_enabled(false);
        record_overhead(ctx, std::string("a task in a batch: ") + kThreadsWithGil, gil_threads);
        out.thread_task = free_threads.median();
        out.thread_task_gil = gil_threads.median();
    }
    {
        ProcessPoolExecutor pool(workers);
        record_overhead(ctx, "one task's round trip: processes", measured(ctx, [&] {
                            return wall_time_once([&] {
                                       for (int i = 0; i < kRoundTrips; ++i) (void)pool.submit(granularity_nothing_task, i).result();
                                   }) /
                                   kRoundTrips;
                        }));
        const Samples processes = measured(
            ctx, [&] { return wall_time_once([&] { (void)pool.map(granularity_nothing_task, std::vector<int>(kBatch, 0)); }) / kBatch; });
        record_overhead(ctx, "a task in a batch: processes", processes);
        out.process_task = processes.median();
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] One point: a model at one task size
//-----------------------------------------------------------------------------
struct Point {
    std::string model;
    int can_run_at_once = 1;    // at most this speedup: the cores, or 1 for threads that hold a GIL
    std::size_t chunksize = 0;  // processes only
    Samples seconds;
    double predicted_speedup = 0;
};

void report(LessonContext& ctx, double task_s, std::size_t tasks, const Samples& serial, const Point& point) {
    const std::string series = kGranularityPrefix + point.model;
    ctx.measure(series, task_s, point.seconds);
    ctx.predict(series, task_s, point.predicted_speedup);
    const Speedup s = speedup(serial, point.seconds);
    char line[240];
    std::snprintf(line, sizeof line, "%6s x %-6zu %-52s %7.3f s  speedup %5.2fx (%.2f-%.2f), predicted %5.2fx%s", size_text(task_s).c_str(),
                  tasks, point.model.c_str(), point.seconds.median(), s.median, s.low, s.high, point.predicted_speedup,
                  exceeds_cores(s, point.can_run_at_once) ? "  !" : "");
    ctx.print(line);
    if (exceeds_cores(s, point.can_run_at_once))
        ctx.print("  ! more than " + std::to_string(point.can_run_at_once) + (point.can_run_at_once == 1 ? " thread" : " cores") +
                  " can give: noise (a slow one-thread run, or a busy machine), not an effect");
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The experiment
//-----------------------------------------------------------------------------
double granularity_work_seconds(const LessonParams& params) { return 0.4 * params.time_scale; }

// [LESSON CODE]
void run_granularity(LessonContext& ctx) {
    const int workers = ctx.params().workers;
    const int cores = std::max(hardware_core_count(), 1);
    const double work_s = granularity_work_seconds(ctx.params());
    // In the single-threaded page threads share one core, and their time is virtual: only the
    // processes (real Web Workers) can be weighed against one thread's real time there.
    const bool threads_are_real = !trace::clock_is_virtual();
    const double rate = spin_rate();
    char line[200];
    std::snprintf(line, sizeof line,
                  "%.0f ms of CPU work, cut into tasks of 10 us to 100 ms, on %d workers (%d cores here). Speedup: "
                  "one thread alone, no pool, over each model.",
                  work_s * 1000, workers, cores);
    ctx.print(line);
    if (!threads_are_real) ctx.print("(This page's threads are simulated on one core: only the processes are measured here.)");
    const Overheads overheads = measure_overheads(ctx, workers);
    const int parallel = std::min(workers, cores);

    std::vector<std::pair<std::string, double>> break_even;  // model -> smallest task size that paid off
    for (const double task_s : kGranularityTaskSeconds) {
        const std::size_t tasks = static_cast<std::size_t>(std::llround(work_s / task_s));
        if (tasks < 1 || !ctx.keep_going()) continue;
        const std::uint64_t iterations = static_cast<std::uint64_t>(task_s * rate);
        const std::vector<std::uint64_t> inputs(tasks, iterations);
        const auto warm_or_all = [&](RunKind kind) { return kind == RunKind::WarmUp ? std::min<std::size_t>(tasks, workers) : tasks; };

        // The baseline: one thread does it all, no pool, no messages.
        const Samples serial = measure_repeated(
            kRepeats,
            [&](RunKind kind) {
                return wall_time_once([&] {
                    for (std::size_t i = 0, n = warm_or_all(kind); i < n; ++i) (void)spin(iterations);
                });
            },
            [&] { return ctx.keep_going(); });
        if (!ctx.keep_going()) break;
        ctx.measure(kGranularityBaseline, task_s, serial);
        const double work = serial.median();

        std::vector<Point> points;
        if (threads_are_real) {
            for (const bool gil_on : {true, false}) {
                gil::set_enabled(gil_on);
                ThreadPoolExecutor pool(workers);
                Point point;
                point.model = gil_on ? kThreadsWithGil : kThreadsWithoutGil;
                point.can_run_at_once = gil_on ? 1 : parallel;
                point.seconds = measure_repeated(
                    kRepeats,
                    [&](RunKind kind) {
                        return time_once([&] {
                            std::vector<Future<std::uint64_t>> done;
                            for (std::size_t i = 0, n = warm_or_all(kind); i < n; ++i) done.push_back(pool.submit(spin, iterations));
                            for (auto& d : done) (void)d.result();
                        });
                    },
                    [&] { return ctx.keep_going(); });
                pool.shutdown();
                gil::set_enabled(false);
                point.predicted_speedup = work / predicted_seconds(work, gil_on ? 1 : parallel, static_cast<double>(tasks),
                                                                   gil_on ? overheads.thread_task_gil : overheads.thread_task);
                points.push_back(std::move(point));
            }
        }
        // Processes: each task in a message of its own, then in chunks (four per worker, as a rule of thumb).
        const std::size_t chunked = std::max<std::size_t>(1, tasks / (4 * static_cast<std::size_t>(workers)));
        std::vector<std::size_t> chunksizes{1};
        if (chunked > 1) chunksizes.push_back(chunked);  // too few tasks for chunks: the first run again
        for (const std::size_t chunksize : chunksizes) {
            ProcessPoolExecutor pool(workers);
            Point point;
            point.model = chunksize == 1 ? "processes, chunksize 1" : "processes, in chunks";
            point.can_run_at_once = parallel;
            point.chunksize = chunksize;
            point.seconds = measure_repeated(
                kRepeats,
                [&](RunKind kind) {
                    const std::vector<std::uint64_t> some(warm_or_all(kind), iterations);
                    return wall_time_once([&] { (void)pool.map(granularity_spin_task, Chunksize{chunksize}, some); });
                },
                [&] { return ctx.keep_going(); });
            pool.shutdown();
            const double messages = std::ceil(static_cast<double>(tasks) / static_cast<double>(chunksize));
            point.predicted_speedup = work / predicted_seconds(work, parallel, messages, overheads.process_task);
            points.push_back(std::move(point));
        }
        if (!ctx.keep_going()) break;
        for (const Point& point : points) {
            report(ctx, task_s, tasks, serial, point);
            auto known = std::find_if(break_even.begin(), break_even.end(), [&](const auto& b) { return b.first == point.model; });
            if (known == break_even.end()) known = break_even.insert(break_even.end(), {point.model, 0});
            // A model that runs one task at a time (threads holding a GIL) cannot pay off on CPU work:
            // its 1x or more is noise (flagged above), not where it starts to pay.
            const bool can_pay_off = point.can_run_at_once > 1;
            if (known->second == 0 && can_pay_off && speedup(serial, point.seconds).median >= 1) known->second = task_s;
        }
        if (chunked > 1) {
            std::snprintf(line, sizeof line, "  (in chunks: %zu tasks a message)", chunked);
            ctx.print(line);
        }
    }
    ctx.print("Where each model pays off (a speedup of 1x or more), by task size:");
    for (const auto& [model, task_s] : break_even)
        ctx.print("  " + model + ": " + (task_s > 0 ? "from tasks of " + size_text(task_s) : std::string("not at these sizes")));
}
// [END LESSON CODE]

double estimate_granularity_seconds(const LessonParams& params) {
    const double work = granularity_work_seconds(params);
    // Per size: the baseline and four models, each a warm-up and three runs; plus the overheads.
    return static_cast<double>(kGranularityTaskSeconds.size()) * 5 * kRepeats * work + 3;
}

}  // namespace pp::lessons
