/*******************************************************************************************
 *
 *   Parallel Playground - What is Multiprocessing?
 *
 *   Two processes, each with its own memory, run square() and cube() at the same time.
 *   Their prints interleave by time: square every second, cube every 1.5 seconds.
 *
 *******************************************************************************************/
#include "core/print.hpp"
#include "core/process.hpp"
#include "core/process_registry.hpp"
#include "core/task_registry.hpp"
#include "core/workloads.hpp"
#include "lessons/lesson.hpp"

#include <string>

namespace pp::lessons {
namespace {

// [LESSON CODE]
// Both run in child processes. They share no memory with this program, but they print to its
// console, as a Python child prints to its parent's terminal: each line is sent the moment it is printed.
void square(double sleep_seconds) {
    for (int i = 0; i < 5; ++i) {
        pp::print(std::to_string(i * i));
        pp::publish_variable("i", i);  // its own i, live in the Processes tab
        pp::sleep(sleep_seconds);      // time.sleep(1)
    }
}

void cube(double sleep_seconds) {
    for (int i = 0; i < 5; ++i) {
        pp::print(std::to_string(i * i * i));
        pp::publish_variable("i", i);
        pp::sleep(1.5 * sleep_seconds);  // time.sleep(1.5)
    }
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
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kMultiprocessingLesson{
    {6, "multiprocessing", "What is Multiprocessing?",
     "Multiprocessing runs several processes in parallel, each with its own memory, on several CPU cores: "
     "best for CPU-bound work. Here two processes run square() and cube(); their prints interleave by time, and "
     "the run takes cube's 7.5 tutorial seconds, not 12.5. The children share no memory with this program, but "
     "they share its terminal (a Python child inherits its parent's stdout): each line is sent to the parent the "
     "moment it is printed, and marked on the child's timeline lane.",
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
     uses_settings("scale", "sleep"), LessonParams(), true},
    &main_program,
    "multiprocessing.cpp",
    // cube: 5 sleeps of 1.5
    [](const LessonParams& p) { return 5 * 1.5 * p.sleep * p.time_scale + 0.5; },
};

}  // namespace pp::lessons
