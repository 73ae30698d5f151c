// Statistics for measurements: median, spread, speedup ranges, the flag above the core count,
// and the warm-up-then-repeat protocol every plotted figure follows.
#include "core/stats.hpp"

#include <doctest.h>

#include <vector>

TEST_CASE("Stats.MedianOfOddAndEvenCounts.1thread") {
    CHECK(pp::Samples({3.0, 1.0, 2.0}).median() == 2.0);
    CHECK(pp::Samples({4.0, 1.0, 3.0, 2.0}).median() == 2.5);  // the mean of the middle two
    CHECK(pp::Samples({7.0}).median() == 7.0);
    CHECK(pp::Samples().median() == 0.0);
    // An outlier moves the mean, not the median: why the plots show medians.
    CHECK(pp::Samples({1.0, 1.1, 9.0}).median() == doctest::Approx(1.1));
}

TEST_CASE("Stats.SpreadIsMinToMax.1thread") {
    const pp::Samples runs({0.52, 0.48, 0.61, 0.50});
    CHECK(runs.min() == 0.48);
    CHECK(runs.max() == 0.61);
    CHECK(runs.count() == 4);
    CHECK(pp::Samples().min() == 0.0);
    CHECK(pp::Samples().max() == 0.0);
}

TEST_CASE("Stats.SpeedupIsTheRatioOfMediansWithTheWidestRange.1thread") {
    const pp::Samples one_worker({2.0, 2.2, 1.8}), two_workers({1.0, 1.1, 0.9});
    const pp::Speedup s = pp::speedup(one_worker, two_workers);
    CHECK(s.median == doctest::Approx(2.0));      // 2.0 / 1.0
    CHECK(s.low == doctest::Approx(1.8 / 1.1));   // fastest baseline over slowest run
    CHECK(s.high == doctest::Approx(2.2 / 0.9));  // slowest baseline over fastest run
    CHECK(s.low <= s.median);
    CHECK(s.median <= s.high);
    // Nothing measured, or a zero time: no speedup rather than a division by zero.
    CHECK(pp::speedup(pp::Samples(), two_workers).median == 0.0);
    CHECK(pp::speedup(one_worker, pp::Samples({0.0, 1.0, 1.0})).median == 0.0);
}

TEST_CASE("Stats.CpuSpeedupAboveTheCoreCountIsFlagged.1thread") {
    // The case: 2.49x on a 2-core machine cannot be real for CPU-bound work.
    CHECK(pp::exceeds_cores(pp::Speedup{2.49, 2.1, 2.9}, 2));
    CHECK_FALSE(pp::exceeds_cores(pp::Speedup{1.95, 1.7, 2.2}, 2));  // a range past 2 alone is noise, not flagged
    CHECK_FALSE(pp::exceeds_cores(pp::Speedup{2.0, 2.0, 2.0}, 2));   // exactly the cores: possible
    CHECK(pp::exceeds_cores(pp::Speedup{1.2, 1.0, 1.4}, 1));
    CHECK_FALSE(pp::exceeds_cores(pp::Speedup{9.0, 9.0, 9.0}, 0));  // cores unknown: say nothing
}

TEST_CASE("Stats.MeasureRepeatedWarmsUpOnceThenKeepsEveryTimedRun.1thread") {
    std::vector<pp::RunKind> calls;
    double next = 1.0;
    const pp::Samples samples = pp::measure_repeated(3, [&](pp::RunKind kind) {
        calls.push_back(kind);
        return kind == pp::RunKind::WarmUp ? 100.0 : next++;  // a cold first run: dropped
    });
    CHECK(calls == std::vector<pp::RunKind>{pp::RunKind::WarmUp, pp::RunKind::Timed, pp::RunKind::Timed, pp::RunKind::Timed});
    CHECK(samples.values() == std::vector<double>{1.0, 2.0, 3.0});
    CHECK(samples.median() == 2.0);
    // At least one timed run, whatever is asked.
    CHECK(pp::measure_repeated(0, [](pp::RunKind) { return 1.0; }).count() == 1);
}

TEST_CASE("Stats.MeasureRepeatedStopsWhenToldTo.1thread") {
    int runs = 0;
    const pp::Samples samples = pp::measure_repeated(
        3, [&](pp::RunKind) { return ++runs; }, [&] { return runs < 2; });
    CHECK(runs == 2);  // the warm-up, one timed run, then Stop
    CHECK(samples.count() == 1);
    int never = 0;
    CHECK(pp::measure_repeated(
              3, [&](pp::RunKind) { return ++never; }, [] { return false; })
              .empty());
    CHECK(never == 0);
}

TEST_CASE("Stats.TimeOnceMeasuresTheCall.1thread") {
    const double seconds = pp::time_once([] {
        volatile double x = 0;
        for (int i = 0; i < 1000; ++i) x = x + i;
    });
    CHECK(seconds >= 0.0);
    CHECK(seconds < 5.0);
}

TEST_CASE("Stats.PredictionIsWorkOverParallelPlusMessages.1thread") {
    // 0.2 s of work on 2 that run at once, 20000 messages of 10 us: 0.1 + 0.2 = 0.3 s.
    CHECK(pp::predicted_seconds(0.2, 2, 20000, 10e-6) == doctest::Approx(0.3));
    // Big tasks: the messages vanish and the speedup nears the parallel workers.
    CHECK(0.2 / pp::predicted_seconds(0.2, 2, 2, 10e-6) == doctest::Approx(2.0).epsilon(0.001));
    // Threads holding a GIL run one at a time: no better than one thread, plus their overhead.
    CHECK(pp::predicted_seconds(0.2, 1, 2000, 1e-6) == doctest::Approx(0.202));
    // Chunks of 100: a hundredth of the messages.
    CHECK(pp::predicted_seconds(0.2, 2, 20000.0 / 100, 10e-6) == doctest::Approx(0.102));
    CHECK(pp::predicted_seconds(0.2, 0, -5, -1) == doctest::Approx(0.2));  // nonsense in: no nonsense out
}
