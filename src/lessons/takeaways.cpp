/*******************************************************************************************
 *
 *   Parallel Playground - Key Takeaways
 *
 *   The tutorial's summary, each line backed by a small measurement made right now (the
 *   median of 3 runs after a warm-up, with the range):
 *   threads overlap waiting; CPU work runs in parallel on C++ threads and on processes,
 *   not on CPython threads that hold the GIL.
 *
 *******************************************************************************************/
#include "core/gil.hpp"
#include "core/process_pool_executor.hpp"
#include "core/stats.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/workloads.hpp"
#include "lessons/lesson.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace pp::lessons {
namespace {

constexpr int kRepeats = 3;  // timed runs of each claim, after a warm-up run

// "2.00 s (1.98-2.03)": the median, and the range of the runs.
std::string seconds(const pp::Samples& runs) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f s (%.2f-%.2f)", runs.median(), runs.min(), runs.max());
    return text;
}

// [LESSON CODE]
// The CPU-bound work, as a task a worker process finds by name (like pickle).
std::int64_t primes_below(std::int64_t hi) { return pp::count_primes(0, hi); }
PP_REGISTER_TASK_AS(primes_below, "takeaways.primes_below");

// Wall time of `tasks` calls of `work` on a pool of `workers` threads: a warm-up run (it starts
// the threads), then kRepeats timed runs on the same pool (one run alone is not a measurement).
template <class Work>
pp::Samples time_pool(LessonContext& ctx, int workers, int tasks, Work work) {
    pp::ThreadPoolExecutor pool(workers);
    const auto one_run = [&](pp::RunKind) {
        return pp::time_once([&] {  // on pp::sync::clock: virtual time in the single-threaded page
            std::vector<pp::Future<void>> futures;
            for (int i = 0; i < tasks; ++i) futures.push_back(pool.submit(work));
            for (auto& f : futures) f.result();
        });
    };
    return pp::measure_repeated(kRepeats, one_run, [&] { return ctx.keep_going(); });
}

void main_program(LessonContext& ctx) {
    ctx.print("Program -> set of instructions.");
    ctx.print("Process -> executing program with its own memory.");
    ctx.print("Thread  -> execution unit inside a process.");
    ctx.print("(Each time below: the median of 3 runs after a warm-up, with the fastest and slowest run.)");

    // I/O-bound: four waits of a quarter of a (tutorial) second each.
    auto wait_for_io = [&] { ctx.sleep(0.25); };
    const pp::Samples io_one = time_pool(ctx, 1, 4, wait_for_io), io_four = time_pool(ctx, 4, 4, wait_for_io);
    ctx.print("Multithreading -> concurrency for I/O tasks: 4 waits took " + seconds(io_one) + " on 1 thread, " + seconds(io_four) +
              " on 4 threads.");

    // CPU-bound: counting primes, with and without the emulated GIL.
    auto compute = [] { pp::count_primes(0, 600000); };
    pp::gil::set_enabled(false);  // C++ threads: each runs on its own core
    const pp::Samples cpu_one = time_pool(ctx, 1, 2, compute);
    const pp::Samples cpu_two = time_pool(ctx, 2, 2, compute);
    pp::gil::set_enabled(true);  // as in CPython: one thread at a time runs Python code
    const pp::Samples cpu_two_gil = time_pool(ctx, 2, 2, compute);
    pp::gil::set_enabled(false);
    // The same two counts in two processes: each has its own interpreter (and GIL) in Python.
    pp::ProcessPoolExecutor pool(2);
    const pp::Samples cpu_two_processes = pp::measure_repeated(
        kRepeats,
        [&](pp::RunKind) { return pp::time_once([&] {
                               (void)pool.map(primes_below_task, std::vector<std::int64_t>{600000, 600000});
                           }); },
        [&] { return ctx.keep_going(); });
    ctx.print("Multiprocessing -> parallelism for CPU tasks: 2 prime counts took " + seconds(cpu_one) + " on 1 thread, " +
              seconds(cpu_two) + " on 2 threads without a GIL (free-threaded CPython 3.13t/3.14t, or C++), " + seconds(cpu_two_gil) +
              " on 2 threads of CPython with the GIL (default build), " + seconds(cpu_two_processes) +
              " in 2 processes (why Python uses processes).");
    ctx.print("ThreadPoolExecutor  -> easy multithreading.");
    ctx.print("ProcessPoolExecutor -> easy multiprocessing.");
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kTakeawaysLesson{
    {10, "takeaways", "Key Takeaways",
     "The tutorial's summary, measured on this machine as you watch. Threads overlap waiting, so I/O-bound "
     "work speeds up with more threads. For CPU-bound work, C++ threads run in parallel on several cores; "
     "Python's threads cannot, because the global interpreter lock lets one thread at a time run Python "
     "code. That is why the tutorial says: processes for CPU-bound work. Since Python 3.13 an optional "
     "free-threaded build (python3.13t, officially supported since 3.14) runs threads without the GIL, "
     "in parallel like C++'s; the default build still has the GIL, and the tutorial's advice holds for it. "
     "(Python 3.14 also adds InterpreterPoolExecutor, not shown here.)",
     R"py(# The tutorial's summary:
# Program  -> set of instructions.
# Process  -> executing program with its own memory.
# Thread   -> execution unit inside a process.
# Multithreading  -> concurrency for I/O tasks.
# Multiprocessing -> parallelism for CPU tasks.
# ThreadPoolExecutor  -> easy multithreading.
# ProcessPoolExecutor -> easy multiprocessing.)py",
     uses_settings("scale"), LessonParams(),
     /*creates_processes=*/true,
     /*measures=*/false,
     /*steppable=*/false, kFreeThreadingDocs, "Python's docs: the free-threaded build"},
    &main_program,
    "takeaways.cpp",
    // I/O: 4 runs of 4 waits on 1 thread, then on 4; CPU work: a few seconds at most.
    [](const LessonParams& p) { return 4 * (4 + 1) * 0.25 * p.time_scale + 3.0; },
};

}  // namespace pp::lessons
