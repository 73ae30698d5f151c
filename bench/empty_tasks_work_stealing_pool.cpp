// Peer: thread_pool::ThreadPool from Debian's libthread-pool-dev (rvaser/thread_pool, header
// only): a queue per worker, submit tries each queue's lock in turn and workers steal from the
// others (Sean Parent's design), std::future results through std::packaged_task. (Debian has no
// BS::thread_pool package; this is the C++ pool it ships.) The problem is empty_tasks_problem.hpp.
#include "empty_tasks_problem.hpp"

#include <thread_pool/thread_pool.hpp>

#include <future>

int main(int argc, char** argv) {
    using namespace pp_bench::empty_tasks;
    thread_pool::ThreadPool pool(kWorkers);
    return run_model("work_stealing_pool", argc, argv, [&pool](auto task) { return pool.Submit(task); });
}
