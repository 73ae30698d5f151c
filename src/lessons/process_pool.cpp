/*******************************************************************************************
 *
 *   Parallel Playground - ProcessPoolExecutor
 *
 *   A pool of worker processes squares [1..5], max_workers=3 at a time. Each task sleeps a
 *   second, so the five take about two; map() returns the results in input order. Every
 *   argument and result crosses the process boundary as bytes.
 *
 *******************************************************************************************/
#include "core/process_pool_executor.hpp"
#include "core/process_registry.hpp"
#include "core/task_registry.hpp"
#include "core/workloads.hpp"
#include "lessons/lesson.hpp"

#include <numeric>
#include <string>
#include <vector>

namespace pp::lessons {
namespace {

// [LESSON CODE]
int g_squared = 0;  // how many squares this process computed: every process has its own copy

// Runs in a worker process.
int square(int n, double sleep_seconds) {
    pp::publish_variable("g_squared", ++g_squared, &g_squared);  // live in the Processes tab
    pp::sleep(sleep_seconds);                                    // time.sleep(1)
    return n * n;
}
PP_REGISTER_TASK_AS(square, "process_pool.square");  // found by name, like pickle

void main_program(LessonContext& ctx) {
    pp::publish_variable("g_squared", g_squared, &g_squared);  // the parent's copy stays 0
    std::vector<int> numbers(ctx.params().tasks);              // [1, 2, 3, 4, 5]
    std::iota(numbers.begin(), numbers.end(), 1);
    const std::vector<double> sleeps(numbers.size(), ctx.scaled(ctx.params().sleep));

    std::vector<int> results;
    {
        pp::ProcessPoolExecutor executor(ctx.params().workers);  // max_workers=3
        results = executor.map(square_task, numbers, sleeps);    // in input order
    }                                                            // leaving the block shuts the pool down

    for (int r : results) ctx.print(std::to_string(r));
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kProcessPoolLesson{
    {8, "process-pool", "ProcessPoolExecutor",
     "A ProcessPoolExecutor manages a pool of worker processes, so you do not create them one by one. It "
     "runs each task in a separate process, across CPU cores: best for CPU-bound work such as heavy "
     "calculations or image and video processing. Arguments and results travel between processes as "
     "bytes. With 5 one-second tasks and 3 workers the run takes about 2 seconds, and map() keeps the "
     "input order.",
     R"py(from concurrent.futures import ProcessPoolExecutor
import time

def square(n):
    time.sleep(1)
    return n*n

if __name__ == "__main__":
    numbers = [1,2,3,4,5]
    with ProcessPoolExecutor(max_workers=3) as executor:
        results = executor.map(square, numbers)

for r in results:
    print(r))py",
     uses_settings("workers", "tasks", "scale", "sleep"), LessonParams(), true},
    &main_program,
    "process_pool.cpp",
    [](const LessonParams& p) { return (p.tasks + p.workers - 1) / p.workers * p.sleep * p.time_scale + 0.5; },
};

}  // namespace pp::lessons
