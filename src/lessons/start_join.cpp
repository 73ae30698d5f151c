/*******************************************************************************************
 *
 *   Parallel Playground - Execution Control: start() and join()
 *
 *   start() begins a thread and returns at once: the thread runs in the background.
 *   join() blocks the caller until that thread has finished. Watch the main thread's lane:
 *   it keeps going after start(), then waits (teal) inside join().
 *
 *******************************************************************************************/
#include "core/thread.hpp"
#include "lessons/lesson.hpp"

#include <cstdio>
#include <string>

namespace pp::lessons {
namespace {

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%g second%s", seconds, seconds == 1 ? "" : "s");
    return text;
}

// [LESSON CODE]
void worker(LessonContext& ctx) {                                                   // [py:4]
    ctx.print("worker: started; working for " + seconds_text(ctx.params().sleep));  // [py:5]
    ctx.sleep(ctx.params().sleep);                                                  // [py:6]
    ctx.print("worker: finished");                                                  // [py:7]
}

void main_program(LessonContext& ctx) {
    pp::Thread t([&] { worker(ctx); });                       // [py:9]
    ctx.print("main: calling start()");                       // [py:10]
    t.start();                                                // returns at once: the worker runs in the background [py:11]
    ctx.print("main: start() returned; main keeps running");  // [py:12]
    ctx.sleep(ctx.params().sleep / 4);                        // main's own work meanwhile: 0.5 s against the worker's 2 [py:13]
    ctx.print("main: calling join()");                        // [py:14]
    t.join();                                                 // blocks here until the worker has finished [py:15]
    ctx.print("main: join() returned; the worker is done");   // [py:16]
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kStartJoinLesson{
    {4, "start-join", "start() and join()",
     "start() begins the execution of a thread (or process); after it returns, the thread runs "
     "independently in the background. join() blocks the caller until that thread has completed, which "
     "is how the main program waits for results. In the timeline, the main thread keeps running after "
     "start() and is blocked (teal) inside join() until the worker ends.",
     R"py(# Not code from the tutorial: start() and join() in Python.
import threading, time

def worker():
    print("worker: started; working for 2 seconds")
    time.sleep(2)
    print("worker: finished")

t = threading.Thread(target=worker)
print("main: calling start()")
t.start()
print("main: start() returned; main keeps running")
time.sleep(0.5)
print("main: calling join()")
t.join()
print("main: join() returned; the worker is done"))py",
     uses_settings("scale", "sleep"),
     [] {
         LessonParams defaults;
         defaults.sleep = 2.0;  // time.sleep(2)
         return defaults;
     }(),
     /*creates_processes=*/false,
     /*measures=*/false,
     /*steppable=*/true},
    &main_program,
    "start_join.cpp",
    // the worker's one sleep
    [](const LessonParams& p) { return p.sleep * p.time_scale; },
};

}  // namespace pp::lessons
