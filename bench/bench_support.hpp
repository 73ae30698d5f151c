// What every benchmark here shares: Google Benchmark runs each one (one run of the problem per
// repetition) and reports medians, from which main() prints the lines bench/run.sh reads,
// "figure <name> <value> <unit>". Its flags apply (--help): --benchmark_out=FILE.json keeps every run.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pp_bench {

// One run of the problem per repetition, as the figures are defined; mean, median, spread shown.
inline benchmark::internal::Benchmark* repeat(benchmark::internal::Benchmark* b, int runs) {
    return b->Iterations(1)->Repetitions(runs)->DisplayAggregatesOnly()->Unit(benchmark::kMillisecond);
}

struct Seconds {
    double wall, cpu;  // cpu: the whole process's, all threads
};

template <class Work>
Seconds timed(Work&& work) {
    const auto cpu_s = [] {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return ts.tv_sec + ts.tv_nsec * 1e-9;
    };
    const double cpu_start = cpu_s();
    const auto start = std::chrono::steady_clock::now();
    work();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {wall, cpu_s() - cpu_start};
}

// A benchmark comparing two ways to do one job: each repetition runs base() and variant() (each
// times itself and returns its Seconds) back to back, so both see the same machine load, and
// records counters whose medians Google Benchmark reports: base_s, variant_s, base_cpu_s,
// variant_cpu_s, and ratio and cpu_ratio (variant / base). On a machine shared with other work
// the ratio of two separate benchmarks' medians swings far more: the load changes between them.
// Which of the two goes first alternates between repetitions: whatever the first batch leaves
// the second (a warm allocator, a cold cache, a worker just woken) is not charged to one side.
template <class Base, class Variant>
void versus(const char* name, int runs, Base base, Variant variant) {
    auto repetitions = std::make_shared<int>(0);  // this benchmark's own count
    repeat(benchmark::RegisterBenchmark(name,
                                        [=](benchmark::State& state) {
                                            for (auto _ : state) {
                                                Seconds b, v;
                                                if ((*repetitions)++ % 2 == 0) {
                                                    b = base();
                                                    v = variant();
                                                } else {
                                                    v = variant();
                                                    b = base();
                                                }
                                                state.counters["base_s"] = b.wall;
                                                state.counters["variant_s"] = v.wall;
                                                state.counters["base_cpu_s"] = b.cpu;
                                                state.counters["variant_cpu_s"] = v.cpu;
                                                state.counters["ratio"] = v.wall / b.wall;
                                                state.counters["cpu_ratio"] = v.cpu / b.cpu;
                                            }
                                        }),
           runs);
}

struct Median {
    double wall_s;  // per run, as Google Benchmark timed it
    double cpu_s;   // the same run's CPU time on the benchmark's thread: what a loaded machine disturbs least
    std::map<std::string, double> counters;
    double counter(const std::string& counter_name) const { return counters.at(counter_name); }
};

// The console's table, plus each benchmark's medians.
class Medians : public benchmark::ConsoleReporter {
public:
    Medians() : ConsoleReporter(OO_Tabular) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.run_type != Run::RT_Aggregate || run.aggregate_name != "median") continue;
            Median& m = medians_[run.run_name.function_name];
            m.wall_s = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
            m.cpu_s = run.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
            for (const auto& [counter_name, counter] : run.counters) m.counters[counter_name] = counter.value;
        }
    }

    const Median& at(const std::string& name) const {
        const auto found = medians_.find(name);
        if (found != medians_.end()) return found->second;
        std::fprintf(stderr, "no median for %s (filtered out?): no figures\n", name.c_str());
        std::exit(1);
    }

private:
    std::map<std::string, Median> medians_;
};

// Runs the registered benchmarks, their repetitions in random order so that all see the same
// machine load, into `medians`. Returns false for a bad flag.
inline bool run(int argc, char** argv, Medians& medians) {
    std::vector<char*> args{argv[0], const_cast<char*>("--benchmark_enable_random_interleaving=true")};
    args.insert(args.end(), argv + 1, argv + argc);  // the caller's flags win
    int count = static_cast<int>(args.size());
    benchmark::Initialize(&count, args.data());
    if (benchmark::ReportUnrecognizedArguments(count, args.data())) return false;
    benchmark::RunSpecifiedBenchmarks(&medians);
    benchmark::Shutdown();
    return true;
}

inline void figure(const char* name, double value, const char* unit, int decimals) {
    std::printf("figure %s %.*f %s\n", name, decimals, value, unit);
}

// A wrong result ends the benchmark: its figures would mean nothing.
inline void check(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "bench: %s\n", what);
    std::exit(1);
}

}  // namespace pp_bench
