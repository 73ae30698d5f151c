// Peer: std::async(std::launch::async), the standard library's "run this on another thread",
// which starts a thread per task (libstdc++ has no pool behind it). The problem is
// empty_tasks_problem.hpp; 10k tasks, not 100k: each costs a thread's start and join, whatever
// their number.
#include "empty_tasks_problem.hpp"

#include <future>

int main(int argc, char** argv) {
    using namespace pp_bench::empty_tasks;
    const auto submit = [](auto task) { return std::async(std::launch::async, task); };
    return run_model("std_async", argc, argv, submit, kTasks / 10);
}
