/*******************************************************************************************
 *
 *   Parallel Playground - ThreadPoolExecutor
 *
 *   A pool of worker threads runs print_number over [1..5], max_workers=3 at a time.
 *   Each call sleeps one second, so three run at once and the five take about two
 *   seconds; map() still hands the results back in input order.
 *
 *******************************************************************************************/
#include "core/thread_pool_executor.hpp"
#include "lessons/lesson.hpp"

#include <numeric>
#include <string>
#include <vector>

namespace pp::lessons {
namespace {

// [LESSON CODE]
void main_program(LessonContext& ctx) {
    auto print_number = [&](int n) {            // [py:4]
        ctx.sleep(ctx.params().sleep);          // time.sleep(1): the worker thread waits, as for a download [py:5]
        return "Number: " + std::to_string(n);  // [py:6]
    };

    std::vector<int> numbers(ctx.params().tasks);  // [1, 2, 3, 4, 5] [py:8]
    std::iota(numbers.begin(), numbers.end(), 1);
    std::vector<std::string> results;
    {
        pp::ThreadPoolExecutor executor(ctx.params().workers);      // max_workers=3 [py:9]
        results = executor.map(print_number, numbers).to_vector();  // in input order [py:10]
    }                                                               // leaving the block shuts the pool down, like leaving Python's `with`

    for (const std::string& r : results) ctx.print(r);  // [py:12]
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kThreadPoolLesson{
    {7, "thread-pool", "ThreadPoolExecutor",
     "A ThreadPoolExecutor keeps a few worker threads and hands them tasks, so you do not create threads "
     "one by one. Give it a function and a list of inputs: while one worker waits, the others carry on. "
     "With 5 one-second tasks and 3 workers the work takes about 2 seconds, not 5, and map() still returns "
     "the results in the order of the inputs.",
     R"py(from concurrent.futures import ThreadPoolExecutor
import time

def print_number(n):
    time.sleep(1)
    return f"Number: {n}"

numbers = [1,2,3,4,5]
with ThreadPoolExecutor(max_workers=3) as executor:
    results = executor.map(print_number, numbers)

for r in results:
    print(r))py",
     uses_settings("workers", "tasks", "scale", "sleep", "gil", "switch"), LessonParams(),
     /*creates_processes=*/false,
     /*measures=*/false,
     /*steppable=*/true},
    &main_program,
    "thread_pool.cpp",
    [](const LessonParams& p) { return (p.tasks + p.workers - 1) / p.workers * p.sleep * p.time_scale; },
};

}  // namespace pp::lessons
