/*******************************************************************************************
 *
 *   Parallel Playground - What is a Process?
 *
 *   A process is a running instance of a program, with its own id and its own memory.
 *   The child below starts as a copy of the program and changes its copy of a global
 *   counter; the parent's counter does not move.
 *
 *******************************************************************************************/
#include "core/process.hpp"
#include "core/ids.hpp"
#include "core/print.hpp"
#include "core/process_registry.hpp"
#include "core/task_registry.hpp"
#include "lessons/lesson.hpp"

#include <string>

namespace pp::lessons {
namespace {

// [LESSON CODE]
int g_counter = 0;  // a global: every process has its own copy

// Runs in the child process. Its print() reaches the parent's console at once: a child shares
// its parent's terminal, not its memory.
void add_to_counter(int amount) {
    g_counter += amount;                                       // changes the child's copy only
    pp::publish_variable("g_counter", g_counter, &g_counter);  // shown in the Processes tab
    pp::print("child:  I am process " + std::to_string(pp::current_pid()) + "; I added " + std::to_string(amount) +
              ", so my counter = " + std::to_string(g_counter));
}
PP_REGISTER_TASK_AS(add_to_counter, "process.add_to_counter");  // the child finds it by name

void main_program(LessonContext& ctx) {
    ctx.print("parent: I am process " + std::to_string(pp::current_pid()) + "; counter = " + std::to_string(g_counter));
    pp::publish_variable("g_counter", g_counter, &g_counter);  // the parent's copy, in the Processes tab

    pp::Process child(add_to_counter_task, 5);  // multiprocessing.Process(target=add_to_counter, args=(5,))
    child.start();
    child.join();

    ctx.print("parent: my counter is still " + std::to_string(g_counter) + ": separate memory");
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kProcessLesson{
    {2, "process", "What is a Process?",
     "A process is a running instance of a program. Each has its own separate memory and is identified by "
     "a PID (process ID). Run this: a child process starts with a copy of the program's memory and adds 5 "
     "to its copy of a global counter. The parent's counter stays 0. Nothing is shared unless it is sent "
     "as a message. The child does share the parent's terminal (in Python it inherits its standard "
     "output), so its print() shows up at once among the parent's lines: here the child sends the line "
     "to the parent as a message the moment it prints it.",
     R"py(# Not code from the tutorial: the idea in Python.
import multiprocessing, os

counter = 0                      # every process has its own copy

def add_to_counter(amount):
    global counter
    counter += amount            # changes the child's copy only
    print("child: pid", os.getpid(), "counter =", counter)

if __name__ == "__main__":
    print("parent: pid", os.getpid(), "counter =", counter)
    child = multiprocessing.Process(target=add_to_counter, args=(5,))
    child.start()
    child.join()
    print("parent: counter is still", counter))py",
     0, LessonParams(), true},
    &main_program,
    "process.cpp",
    // one process started and joined
    [](const LessonParams&) { return 0.5; },
};

}  // namespace pp::lessons
