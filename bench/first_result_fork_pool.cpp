// Benchmark: from constructing pp::ProcessPoolExecutor(2) to the first task's result.
// The fork server is already running (started at the top of main, as an app would): a pool
// then costs two forks of that small server process, one thread and one round trip.
// Shutdown is not timed. Figures: the median milliseconds, and the slowest of the 31 runs.
#include "bench_support.hpp"
#include "core/process_pool_executor.hpp"
#include "platform/posix/fork_server.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

namespace {

int empty_task(int x) { return x; }
PP_REGISTER_TASK(empty_task);

constexpr int kRuns = 31;

double g_slowest_ms = 0;  // of every run: the target holds "every run", not only at the median

void first_result(benchmark::State& state) {
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        auto pool = std::make_unique<pp::ProcessPoolExecutor>(2);
        const int value = pool->submit(empty_task_task, 42).result();
        g_slowest_ms = std::max(g_slowest_ms, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        state.PauseTiming();
        pool.reset();
        state.ResumeTiming();
        pp_bench::check(value == 42, "first_result_fork_pool: wrong result");
    }
}

}  // namespace

int main(int argc, char** argv) {
    pp::ForkServer::start_early();
    pp::ProcessPoolExecutor(2).submit(empty_task_task, 42).result();  // warm-up
    pp_bench::repeat(benchmark::RegisterBenchmark("fork_pool_first_result", first_result), kRuns);

    pp_bench::Medians m;
    if (!pp_bench::run(argc, argv, m)) return 1;
    pp_bench::figure("fork_pool_first_result_ms", m.at("fork_pool_first_result").wall_s * 1e3, "ms", 3);
    pp_bench::figure("fork_pool_first_result_slowest_ms", g_slowest_ms, "ms", 3);
    return 0;
}
