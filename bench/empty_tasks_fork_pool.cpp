// Benchmark: pp::ProcessPoolExecutor(2) map() of 10k empty tasks, one task per message (no
// chunking), several tasks pipelined per worker. Figure: the median microseconds per task.
#include "bench_support.hpp"
#include "core/process_pool_executor.hpp"
#include "platform/posix/fork_server.hpp"

#include <numeric>
#include <vector>

namespace {

int empty_task(int x) { return x; }
PP_REGISTER_TASK(empty_task);

constexpr int kTasks = 10000;
constexpr int kRuns = 9;
constexpr int kInFlight = 64;  // tasks sent ahead to each worker: hides the round trip

}  // namespace

int main(int argc, char** argv) {
    pp::ForkServer::start_early();
    pp::ProcessPoolOptions options;
    options.max_workers = 2;
    options.tasks_in_flight_per_worker = kInFlight;
    pp::ProcessPoolExecutor pool(options);

    std::vector<int> inputs(kTasks);
    std::iota(inputs.begin(), inputs.end(), 0);
    (void)pool.map(empty_task_task, inputs);  // warm-up: page faults, allocator growth
    pp_bench::repeat(benchmark::RegisterBenchmark("fork_pool_map_empty_tasks",
                                                  [&](benchmark::State& state) {
                                                      for (auto _ : state)
                                                          pp_bench::check(pool.map(empty_task_task, inputs) == inputs,
                                                                          "empty_tasks_fork_pool: wrong results");
                                                  }),
                     kRuns);

    pp_bench::Medians m;
    if (!pp_bench::run(argc, argv, m)) return 1;
    pp_bench::figure("fork_pool_empty_task_us", m.at("fork_pool_map_empty_tasks").wall_s / kTasks * 1e6, "us/task", 3);
    return 0;
}
