// Benchmark: CPU-bound speed-up of ThreadPoolExecutor(2) over ThreadPoolExecutor(1), with the
// emulated GIL off (real parallelism) and on (Python's threads: no speed-up).
// The work is count_primes over [0, kLimit) in kChunks chunks (balanced between workers).
// Figures: the median of the repetitions' speed-ups (each times 1 worker, then 2).
#include "bench_support.hpp"
#include "core/gil.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/workloads.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace {

constexpr std::int64_t kLimit = 1'500'000;
constexpr std::int64_t kPrimes = 114155;  // below kLimit
constexpr int kChunks = 32;
constexpr int kRuns = 5;

// Many chunks, each taken by whichever worker is free, keep both workers busy to the end.
std::vector<std::pair<std::int64_t, std::int64_t>> chunks() {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    const std::int64_t step = kLimit / kChunks;
    for (int i = 0; i < kChunks; ++i) out.push_back({i * step, i == kChunks - 1 ? kLimit : (i + 1) * step});
    return out;
}

pp_bench::Seconds count_primes_with(std::size_t workers, bool gil_on) {
    pp::gil::set_enabled(gil_on);
    pp_bench::Seconds s{};
    {
        pp::ThreadPoolExecutor pool(workers);
        s = pp_bench::timed([&] {
            std::int64_t total = 0;
            for (std::int64_t count :
                 pool.map([](const std::pair<std::int64_t, std::int64_t>& r) { return pp::count_primes(r.first, r.second); }, chunks()))
                total += count;
            pp_bench::check(total == kPrimes, "cpu_speedup_threads: wrong prime count");
        });
    }
    pp::gil::set_enabled(false);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    for (const bool gil_on : {false, true})
        pp_bench::versus(
            gil_on ? "gil_on/2_workers_vs_1" : "gil_off/2_workers_vs_1", kRuns, [=] { return count_primes_with(1, gil_on); },
            [=] { return count_primes_with(2, gil_on); });

    pp_bench::Medians m;
    if (!pp_bench::run(argc, argv, m)) return 1;
    pp_bench::figure("cpu_speedup_threads_gil_off_2w", 1.0 / m.at("gil_off/2_workers_vs_1").counter("ratio"), "x", 2);
    pp_bench::figure("cpu_speedup_threads_gil_on_2w", 1.0 / m.at("gil_on/2_workers_vs_1").counter("ratio"), "x", 2);
    return 0;
}
