/*******************************************************************************************
 *
 *   Parallel Playground - Key Takeaways
 *
 *   The tutorial's summary, each line backed by a small measurement made right now:
 *   threads overlap waiting; CPU work runs in parallel on C++ threads and on processes,
 *   not on threads holding a GIL.
 *
 *******************************************************************************************/
#include "core/gil.hpp"
#include "core/process_pool_executor.hpp"
#include "core/sync.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/workloads.hpp"
#include "lessons/lesson.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace pp::lessons {
namespace {

std::string seconds(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f s", s);
    return text;
}

// [LESSON CODE]
// The CPU-bound work, as a task a worker process finds by name (like pickle).
std::int64_t primes_below(std::int64_t hi) { return pp::count_primes(0, hi); }
PP_REGISTER_TASK_AS(primes_below, "takeaways.primes_below");

// Wall time of `tasks` calls of `work`, on a pool of `workers` threads.
template <class Work>
double time_pool(int workers, int tasks, Work work) {
    const auto start = pp::sync::clock::now();  // steady_clock (virtual time in the single-threaded page)
    pp::ThreadPoolExecutor pool(workers);
    std::vector<pp::Future<void>> futures;
    for (int i = 0; i < tasks; ++i) futures.push_back(pool.submit(work));
    for (auto& f : futures) f.result();
    return std::chrono::duration<double>(pp::sync::clock::now() - start).count();
}

void main_program(LessonContext& ctx) {
    ctx.print("Program -> set of instructions.");
    ctx.print("Process -> executing program with its own memory.");
    ctx.print("Thread  -> execution unit inside a process.");

    // I/O-bound: four waits of half a (tutorial) second each.
    auto wait_for_io = [&] { ctx.sleep(0.5); };
    const double io_one = time_pool(1, 4, wait_for_io), io_four = time_pool(4, 4, wait_for_io);
    ctx.print("Multithreading -> concurrency for I/O tasks: 4 waits took " + seconds(io_one) + " on 1 thread, " +
              seconds(io_four) + " on 4 threads.");

    // CPU-bound: counting primes, with and without the emulated GIL.
    auto compute = [] { pp::count_primes(0, 600000); };
    pp::gil::set_enabled(false);  // C++ threads: each runs on its own core
    const double cpu_one = time_pool(1, 2, compute);
    const double cpu_two = time_pool(2, 2, compute);
    pp::gil::set_enabled(true);   // as in CPython: one thread at a time runs Python code
    const double cpu_two_gil = time_pool(2, 2, compute);
    pp::gil::set_enabled(false);
    // The same two counts in two processes: each has its own interpreter (and GIL) in Python.
    double cpu_two_processes = 0;
    {
        pp::ProcessPoolExecutor pool(2);
        (void)pool.map(primes_below_task, std::vector<std::int64_t>{10, 10});  // both started before the clock
        const auto start = pp::sync::clock::now();
        (void)pool.map(primes_below_task, std::vector<std::int64_t>{600000, 600000});
        cpu_two_processes = std::chrono::duration<double>(pp::sync::clock::now() - start).count();
    }
    ctx.print("Multiprocessing -> parallelism for CPU tasks: 2 prime counts took " + seconds(cpu_one) +
              " on 1 thread, " + seconds(cpu_two) + " on 2 C++ threads, " + seconds(cpu_two_gil) +
              " on 2 threads holding a GIL, " + seconds(cpu_two_processes) +
              " in 2 processes (why Python uses processes).");
    ctx.print("ThreadPoolExecutor  -> easy multithreading.");
    ctx.print("ProcessPoolExecutor -> easy multiprocessing.");
}
// [END LESSON CODE]

} // namespace

extern const Lesson kTakeawaysLesson{
    {10, "takeaways", "Key Takeaways",
     "The tutorial's summary, measured on this machine as you watch. Threads overlap waiting, so I/O-bound "
     "work speeds up with more threads. For CPU-bound work, C++ threads run in parallel on several cores; "
     "Python's threads cannot, because the global interpreter lock lets one thread at a time run Python "
     "code. That is why the tutorial says: processes for CPU-bound work.",
     R"py(# The tutorial's summary:
# Program  -> set of instructions.
# Process  -> executing program with its own memory.
# Thread   -> execution unit inside a process.
# Multithreading  -> concurrency for I/O tasks.
# Multiprocessing -> parallelism for CPU tasks.
# ThreadPoolExecutor  -> easy multithreading.
# ProcessPoolExecutor -> easy multiprocessing.)py",
     kUsesTimeScale,
     LessonParams{},
     /*creates_processes=*/true},
    &main_program,
    "takeaways.cpp",
};

} // namespace pp::lessons
