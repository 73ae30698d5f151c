// Benchmark: pp::ProcessPoolExecutor(2) map() of 10k empty tasks, one task per message (no
// chunking), several tasks pipelined per worker. Prints the median microseconds per task.
// Machine-readable line: "figure fork_pool_empty_task_us <value> us/task".
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

constexpr int kTasks = 10000;
constexpr int kRuns = 9;
constexpr int kInFlight = 64;  // tasks sent ahead to each worker: hides the round trip

} // namespace

int main() {
    pp::ForkServer::start_early();
    pp::ProcessPoolOptions options;
    options.max_workers = 2;
    options.tasks_in_flight_per_worker = kInFlight;
    pp::ProcessPoolExecutor pool(options);

    std::vector<int> inputs(kTasks);
    for (int i = 0; i < kTasks; ++i) inputs[static_cast<std::size_t>(i)] = i;
    (void)pool.map(empty_task_task, inputs);  // warm-up: page faults, allocator growth

    std::vector<double> runs;
    for (int run = 0; run < kRuns; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const std::vector<int> results = pool.map(empty_task_task, inputs);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        if (results != inputs) {
            std::fprintf(stderr, "wrong results\n");
            return 1;
        }
        runs.push_back(std::chrono::duration<double, std::micro>(elapsed).count() / kTasks);
    }
    std::printf("ProcessPoolExecutor(2), map of %d empty tasks, %d in flight per worker, median of %d runs\n",
                kTasks, kInFlight, kRuns);
    std::printf("figure fork_pool_empty_task_us %.3f us/task\n", median(runs));
    return 0;
}
