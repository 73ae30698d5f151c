// Benchmark: from constructing pp::ProcessPoolExecutor(2) to the first task's result.
// The fork server is already running (started at the top of main, as an app would): a pool
// then costs two forks of that small server process, one thread and one round trip.
// Shutdown is not timed. Machine-readable line: "figure fork_pool_first_result_ms <value> ms".
#include "bench_support.hpp"
#include "core/process_pool_executor.hpp"
#include "platform/posix/fork_server.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace {

using pp_bench::median;

int empty_task(int x) { return x; }
PP_REGISTER_TASK(empty_task);

constexpr int kRuns = 31;

} // namespace

int main() {
    pp::ForkServer::start_early();
    std::vector<double> first_result_ms;
    std::vector<double> shutdown_ms;
    for (int run = 0; run < kRuns + 1; ++run) {
        const auto start = std::chrono::steady_clock::now();
        auto pool = std::make_unique<pp::ProcessPoolExecutor>(2);
        const int value = pool->submit(empty_task_task, 42).result();
        const auto got = std::chrono::steady_clock::now();
        pool.reset();
        const auto ended = std::chrono::steady_clock::now();
        if (value != 42) return 1;
        if (run == 0) continue;  // warm-up
        first_result_ms.push_back(std::chrono::duration<double, std::milli>(got - start).count());
        shutdown_ms.push_back(std::chrono::duration<double, std::milli>(ended - got).count());
    }
    std::printf("ProcessPoolExecutor(2): construction to first result, fork server already running, median of %d\n",
                kRuns);
    std::printf("  shutdown (not in the figure): %.3f ms\n", median(shutdown_ms));
    std::printf("figure fork_pool_first_result_ms %.3f ms\n", median(first_result_ms));
    return 0;
}
