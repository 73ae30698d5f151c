// Benchmark: CPU-bound speed-up of ThreadPoolExecutor(2) over ThreadPoolExecutor(1), with the
// emulated GIL off (real parallelism) and on (Python's threads: no speed-up).
// The work is count_primes over [0, kLimit) in kChunks chunks (balanced between workers).
// Machine-readable lines: "figure <name> <value> <unit>" (medians of kRuns runs).
#include "bench_support.hpp"
#include "core/gil.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/workloads.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

using pp_bench::median;

constexpr std::int64_t kLimit = 1'500'000;
constexpr int kChunks = 32;
constexpr int kRuns = 5;

// Many chunks, each taken by whichever worker is free, keep both workers busy to the end.
std::vector<std::pair<std::int64_t, std::int64_t>> chunks() {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    const std::int64_t step = kLimit / kChunks;
    for (int i = 0; i < kChunks; ++i) out.push_back({i * step, i == kChunks - 1 ? kLimit : (i + 1) * step});
    return out;
}

double seconds_with_workers(std::size_t workers, std::int64_t* total_out) {
    pp::ThreadPoolExecutor pool(workers);
    const auto start = std::chrono::steady_clock::now();
    std::int64_t total = 0;
    for (std::int64_t count : pool.map([](const std::pair<std::int64_t, std::int64_t>& r) {
             return pp::count_primes(r.first, r.second);
         }, chunks()))
        total += count;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    *total_out = total;
    return seconds;
}

// Runs alternate 1 and 2 workers, so both see the same machine load.
double speedup(bool gil_on) {
    pp::gil::set_enabled(gil_on);
    std::vector<double> ratios;
    std::int64_t expected = -1;
    for (int run = 0; run < kRuns; ++run) {
        std::int64_t one_total = 0, two_total = 0;
        const double one = seconds_with_workers(1, &one_total);
        const double two = seconds_with_workers(2, &two_total);
        if (expected < 0) expected = one_total;
        if (one_total != expected || two_total != expected) {
            std::fprintf(stderr, "cpu_speedup_threads: wrong prime count\n");
            std::exit(1);
        }
        ratios.push_back(one / two);
    }
    pp::gil::set_enabled(false);
    return median(ratios);
}

} // namespace

int main() {
    const double off = speedup(false);
    const double on = speedup(true);
    std::printf("count_primes(0, %lld) in %d chunks, ThreadPoolExecutor(1) time / ThreadPoolExecutor(2) time,"
                " median of %d runs, %u hardware threads\n",
                static_cast<long long>(kLimit), kChunks, kRuns, std::thread::hardware_concurrency());
    std::printf("  GIL off: %.2fx\n  GIL on:  %.2fx\n", off, on);
    std::printf("figure cpu_speedup_threads_gil_off_2w %.2f x\n", off);
    std::printf("figure cpu_speedup_threads_gil_on_2w %.2f x\n", on);
    return 0;
}
