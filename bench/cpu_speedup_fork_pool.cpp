// Benchmark: CPU-bound speedup of 2 worker processes over one, counting primes below 5,000,000
// in 40 interleaved chunks (so both workers get equal work). Serial = the same chunks one after
// the other in this process. Machine-readable line: "figure cpu_speedup_processes_2w <value> x".
#include "bench_support.hpp"
#include "core/process_pool_executor.hpp"
#include "core/workloads.hpp"
#include "platform/posix/fork_server.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

using pp_bench::median;

// Every `stride`-th block of 1000 numbers starting at block `first`, below `limit`.
std::int64_t count_primes_strided(std::int64_t first, std::int64_t stride, std::int64_t limit) {
    std::int64_t count = 0;
    for (std::int64_t block = first; block * 1000 < limit; block += stride)
        count += pp::count_primes(block * 1000, std::min(limit, block * 1000 + 1000));
    return count;
}
PP_REGISTER_TASK(count_primes_strided);

constexpr std::int64_t kLimit = 5000000;
constexpr std::int64_t kChunks = 40;
constexpr int kRuns = 7;

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

} // namespace

// The 1-minute load average: on a 2-core machine shared with other work, the speedup means
// little when this is above ~0.5 (serial and parallel runs then compete for the cores).
double load_average() {
    double load = -1;
    if (std::FILE* file = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(file, "%lf", &load) != 1) load = -1;
        std::fclose(file);
    }
    return load;
}

int main() {
    pp::ForkServer::start_early();
    const double load_before = load_average();
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
    std::vector<double> serial_s, parallel_s, speedups;
    for (int run = 0; run < kRuns; ++run) {
        // Alternate serial and parallel, so both see the same machine load.
        auto start = std::chrono::steady_clock::now();
        std::int64_t serial_total = 0;
        for (std::int64_t c = 0; c < kChunks; ++c) serial_total += count_primes_strided(c, kChunks, kLimit);
        const double serial = seconds(std::chrono::steady_clock::now() - start);

        start = std::chrono::steady_clock::now();
        std::int64_t parallel_total = 0;
        for (std::int64_t part : pool.map(count_primes_strided_task, firsts, strides, limits)) parallel_total += part;
        const double parallel = seconds(std::chrono::steady_clock::now() - start);

        if (serial_total != 348513 || parallel_total != serial_total) {
            std::fprintf(stderr, "wrong prime counts: %lld, %lld\n", static_cast<long long>(serial_total),
                         static_cast<long long>(parallel_total));
            return 1;
        }
        serial_s.push_back(serial);
        parallel_s.push_back(parallel);
        speedups.push_back(serial / parallel);
    }
    std::printf("primes below %lld in %lld chunks: serial %.3f s, 2 worker processes %.3f s (medians of %d)\n",
                static_cast<long long>(kLimit), static_cast<long long>(kChunks), median(serial_s), median(parallel_s),
                kRuns);
    std::printf("  load average before: %.2f, after: %.2f (figures are only meaningful on an idle machine)\n",
                load_before, load_average());
    std::printf("figure cpu_speedup_processes_2w %.2f x\n", median(speedups));
    return 0;
}
