/*******************************************************************************************
 *
 *   Parallel Playground - What is a Thread?
 *
 *   Threads of one process share its code, data and heap, but each has its own stack and
 *   registers. Shared data is convenient and dangerous: "counter += 1" from several threads
 *   at once loses updates, unless a lock makes each read-and-write indivisible.
 *
 *******************************************************************************************/
#include "core/thread.hpp"
#include "core/barrier.hpp"
#include "core/process_registry.hpp"
#include "core/shared_counter.hpp"
#include "core/trace.hpp"
#include "lessons/lesson.hpp"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace pp::lessons {
namespace {

std::string address_of(const void* p) {
    char text[32];
    std::snprintf(text, sizeof text, "%p", p);
    return text;
}

// [LESSON CODE]
int g_data_segment_value = 42;  // data segment: one copy, shared by every thread

void main_program(LessonContext& ctx) {
    auto counter = std::make_shared<pp::SharedCounter>();  // heap: shared as well [py:4]
    const int increments = ctx.params().increments;        // [py:5]

    pp::Barrier all_started(ctx.params().workers);  // threading.Barrier: count at the same time [py:7]

    auto count = [&](bool with_lock) {  // [py:9]
        int my_increments = 0;          // stack: every thread has its own
        ctx.print(pp::trace::current_lane().name + ": my stack variable is at " + address_of(&my_increments) + ", the shared counter at " +
                  address_of(counter.get()) + ", the global at " + address_of(&g_data_segment_value));
        all_started.wait();                                         // [py:11]
        for (int i = 0; i < increments && ctx.keep_going(); ++i) {  // [py:12]
            if (with_lock)
                counter->increment_with_mutex();  // with lock: counter += 1 [py:15]
            else
                counter->increment_unsynchronized();  // counter += 1: load, add, store [py:17]
            if (++my_increments % 1000 == 0) {        // live in the Processes tab: my own count, and the one counter
                pp::publish_variable("counter", counter->value(), counter.get());
                pp::publish_variable("my_increments", my_increments, &my_increments);
            }
        }
    };

    for (bool with_lock : {false, true}) {  // [py:19]
        if (ctx.params().lock != (with_lock ? kWithLock : kWithoutLock) && ctx.params().lock != kBothLocks) continue;
        counter->reset();  // [py:20]
        std::vector<pp::Thread> threads;
        for (int t = 0; t < ctx.params().workers; ++t) threads.emplace_back([&, with_lock] { count(with_lock); });  // [py:21]
        for (pp::Thread& thread : threads) thread.start();                                                          // [py:23]
        for (pp::Thread& thread : threads) thread.join();                                                           // [py:24]

        const long long expected = 1LL * increments * ctx.params().workers;
        ctx.print(std::string(with_lock ? "With a lock:    " : "Without a lock: ") + std::to_string(counter->value()) +  // [py:25]
                  " of " + std::to_string(expected) + " increments counted (" + std::to_string(expected - counter->value()) + " lost)");
    }
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kThreadLesson{
    {3, "thread", "What is a Thread?",
     "A thread is the smallest unit of execution inside a process. Threads of one process share its code, "
     "its data segment and its heap; each has its own stack and registers. Run this: every thread prints "
     "where its stack variable lives (all different) and where the shared counter and global live (all the "
     "same). Then they all add 1 to the shared counter many times. Without a lock, two threads load the "
     "same old value and both store old+1, so updates are lost; with a lock none are. With the GIL on, few or "
     "none are lost: like CPython's, it hands over only every 5 ms, longer than each thread's whole loop, so "
     "the race is still there but rarely shows. The timeline's GIL lane shows who holds it; a shorter switch "
     "interval (Python's sys.setswitchinterval) gives more hand-overs and shorter bursts, for about the same "
     "total time. Tick 'step' to be the scheduler yourself: one thread moves at "
     "a time, the one you click, so you can lose an update on purpose and see exactly how.",
     R"py(# Not code from the tutorial: the idea in Python.
import threading

counter = 0                 # shared by every thread
increments = 20000
lock = threading.Lock()
all_started = threading.Barrier(3)

def count(with_lock):
    global counter
    all_started.wait()
    for _ in range(increments):
        if with_lock:
            with lock:
                counter += 1
        else:
            counter += 1    # load, add, store: not atomic

for with_lock in (False, True):    # the lock setting: one, or both
    counter = 0
    threads = [threading.Thread(target=count, args=(with_lock,))
               for _ in range(3)]
    for t in threads: t.start()
    for t in threads: t.join()
    print(counter, "of", 3 * increments))py",
     uses_settings("workers", "gil", "switch", "increments", "lock"), LessonParams(),
     /*creates_processes=*/false,
     /*measures=*/false,
     /*steppable=*/true},
    &main_program,
    "thread.cpp",
    // one or two short counting races
    [](const LessonParams& p) { return 0.2 + 0.3 * p.workers * p.increments / 20000.0; },
};

}  // namespace pp::lessons
