/*******************************************************************************************
 *
 *   Parallel Playground - What is Multithreading?
 *
 *   Two threads in one process: one prints numbers, the other letters, and both sleep
 *   between prints. While one sleeps the other runs, so the output interleaves and the
 *   whole program takes as long as the longer thread, not as long as both together.
 *
 *******************************************************************************************/
#include "core/thread.hpp"
#include "lessons/lesson.hpp"

#include <string>

namespace pp::lessons {
namespace {

// [LESSON CODE]
void print_numbers(LessonContext& ctx) {  // [py:4]
    for (int i = 0; i < 5; ++i) {         // [py:5]
        ctx.print(std::to_string(i));     // print(i) [py:6]
        ctx.sleep(ctx.params().sleep);    // time.sleep(2): this thread waits, the other one runs [py:7]
    }
}

void print_letters(LessonContext& ctx) {  // [py:9]
    for (char c : std::string("ABCD")) {  // [py:10]
        ctx.print(std::string(1, c));     // [py:11]
        ctx.sleep(ctx.params().sleep);    // [py:12]
    }
}

void main_program(LessonContext& ctx) {
    pp::Thread t1([&] { print_numbers(ctx); });  // [py:14]
    pp::Thread t2([&] { print_letters(ctx); });  // [py:15]
    t1.start();                                  // both threads now run on their own... [py:16]
    t2.start();                                  // [py:17]
    t1.join();                                   // ...while the main thread waits here for t1, [py:18]
    t2.join();                                   // and then for t2 [py:19]
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kMultithreadingLesson{
    {5, "multithreading", "What is Multithreading?",
     "Multithreading runs several threads inside one process. It is best for I/O-bound work: while one "
     "thread waits (a download, a database query, here a sleep), another runs. Press Run and watch the two "
     "threads take turns: the numbers and letters interleave, and the program ends after about 10 "
     "tutorial seconds, not the 18 it would take one after the other.",
     R"py(import threading
import time

def print_numbers():
    for i in range(5):
        print(i)
        time.sleep(2)

def print_letters():
    for c in "ABCD":
        print(c)
        time.sleep(2)

t1 = threading.Thread(target=print_numbers)
t2 = threading.Thread(target=print_letters)
t1.start()
t2.start()
t1.join()
t2.join())py",
     uses_settings("scale", "sleep", "gil", "switch"),
     [] {
         LessonParams defaults;
         defaults.sleep = 2.0;  // time.sleep(2)
         return defaults;
     }(),
     /*creates_processes=*/false,
     /*measures=*/false,
     /*steppable=*/true},
    &main_program,
    "multithreading.cpp",
    // print_numbers: 5 sleeps
    [](const LessonParams& p) { return 5 * p.sleep * p.time_scale; },
};

}  // namespace pp::lessons
