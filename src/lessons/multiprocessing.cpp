/*******************************************************************************************
 *
 *   Parallel Playground - What is Multiprocessing?
 *
 *   Two processes, each with its own memory, run square() and cube() at the same time.
 *   Their prints interleave by time: square every second, cube every 1.5 seconds.
 *
 *******************************************************************************************/
#include "core/process.hpp"
#include "core/process_registry.hpp"
#include "core/task_registry.hpp"
#include "core/workloads.hpp"
#include "lessons/child_output.hpp"
#include "lessons/lesson.hpp"

#include <chrono>
#include <string>

namespace pp::lessons {
namespace {

std::chrono::nanoseconds seconds(double s) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

// [LESSON CODE]
// Both run in child processes. A child cannot write to this page's console (no shared memory),
// so it sends back what it printed, and when.
PrintedLines square(double sleep_seconds) {
    ChildOutput out;
    for (int i = 0; i < 5; ++i) {
        out.print(std::to_string(i * i));
        pp::publish_variable("i", i);                 // its own i, live in the Processes tab
        pp::sleep_for(seconds(sleep_seconds));        // time.sleep(1)
    }
    return out.lines;
}

PrintedLines cube(double sleep_seconds) {
    ChildOutput out;
    for (int i = 0; i < 5; ++i) {
        out.print(std::to_string(i * i * i));
        pp::publish_variable("i", i);
        pp::sleep_for(seconds(1.5 * sleep_seconds));  // time.sleep(1.5)
    }
    return out.lines;
}
PP_REGISTER_TASK_AS(square, "multiprocessing.square");
PP_REGISTER_TASK_AS(cube, "multiprocessing.cube");

void main_program(LessonContext& ctx) {
    pp::Process p1(square_task, ctx.scaled(ctx.params().sleep));
    pp::Process p2(cube_task, ctx.scaled(ctx.params().sleep));
    p1.start();  // two real processes now run at once
    p2.start();
    p1.join();
    p2.join();
    ctx.print_from_process(p1.result<PrintedLines>(), p1.name());
    ctx.print_from_process(p2.result<PrintedLines>(), p2.name());
}
// [END LESSON CODE]

} // namespace

extern const Lesson kMultiprocessingLesson{
    {6, "multiprocessing", "What is Multiprocessing?",
     "Multiprocessing runs several processes in parallel, each with its own memory, on several CPU cores. "
     "It is best for CPU-bound work (heavy computation). Here two processes run square() and cube(); their "
     "prints interleave by time. The whole run takes as long as cube's 7.5 tutorial seconds, not the "
     "12.5 the two would take one after the other.",
     R"py(import multiprocessing
import time

def square():
    for i in range(5):
        print(i*i)
        time.sleep(1)

def cube():
    for i in range(5):
        print(i*i*i)
        time.sleep(1.5)

if __name__ == "__main__":
    p1 = multiprocessing.Process(target=square)
    p2 = multiprocessing.Process(target=cube)
    p1.start()
    p2.start()
    p1.join()
    p2.join())py",
     kUsesTimeScale | kUsesSleep,
     LessonParams{3, 5, 1.0, 1.0, false},
     true},
    &main_program,
    "multiprocessing.cpp",
};

} // namespace pp::lessons
