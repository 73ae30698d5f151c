// Benchmark: CPU-bound speedup of 2 worker processes over one, counting primes below 5,000,000
// in 40 interleaved chunks (so both workers get equal work). Serial = the same chunks one after
// the other in this process. Figure: the median of the repetitions' speed-ups (each times serial,
// then 2 worker processes).
// Only meaningful on an idle machine (Google Benchmark prints the load average first).
#include "bench_support.hpp"
#include "core/process_pool_executor.hpp"
#include "core/workloads.hpp"
#include "platform/posix/fork_server.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace {

// Every `stride`-th block of 1000 numbers starting at block `first`, below `limit`.
std::int64_t count_primes_strided(std::int64_t first, std::int64_t stride, std::int64_t limit) {
    std::int64_t count = 0;
    for (std::int64_t block = first; block * 1000 < limit; block += stride)
        count += pp::count_primes(block * 1000, std::min(limit, block * 1000 + 1000));
    return count;
}
PP_REGISTER_TASK(count_primes_strided);

constexpr std::int64_t kLimit = 5000000;
constexpr std::int64_t kPrimes = 348513;  // below kLimit
constexpr std::int64_t kChunks = 40;
constexpr int kRuns = 7;

}  // namespace

int main(int argc, char** argv) {
    pp::ForkServer::start_early();
    pp::ProcessPoolOptions options;
    options.max_workers = 2;
    options.tasks_in_flight_per_worker = 1;  // hand out chunks as workers free up: balances load
    pp::ProcessPoolExecutor pool(options);

    std::vector<std::int64_t> firsts, strides, limits;
    for (std::int64_t c = 0; c < kChunks; ++c) {
        firsts.push_back(c);
        strides.push_back(kChunks);
        limits.push_back(kLimit);
    }
    const auto serial = [] {
        return pp_bench::timed([] {
            std::int64_t total = 0;
            for (std::int64_t c = 0; c < kChunks; ++c) total += count_primes_strided(c, kChunks, kLimit);
            pp_bench::check(total == kPrimes, "cpu_speedup_fork_pool: wrong prime count, serial");
        });
    };
    const auto two_processes = [&] {
        return pp_bench::timed([&] {
            std::int64_t total = 0;
            for (std::int64_t part : pool.map(count_primes_strided_task, firsts, strides, limits)) total += part;
            pp_bench::check(total == kPrimes, "cpu_speedup_fork_pool: wrong prime count, 2 processes");
        });
    };
    pp_bench::versus("count_primes/2_processes_vs_serial", kRuns, serial, two_processes);

    pp_bench::Medians m;
    if (!pp_bench::run(argc, argv, m)) return 1;
    pp_bench::figure("cpu_speedup_processes_2w", 1.0 / m.at("count_primes/2_processes_vs_serial").counter("ratio"), "x", 2);
    return 0;
}
