// The emulated GIL: CPU-bound threads take turns with it on and overlap with it off; blocking
// calls release it; the switch interval sets how often a CPU-bound holder is made to let go.
#include "core/gil.hpp"
#include "core/sync.hpp"
#include "core/thread.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/workloads.hpp"

#include "test_support.hpp"

#include <doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct TwoThreadRun {
    double elapsed_s = 0;
    std::int64_t primes[2] = {0, 0};
    std::vector<pp::TraceEvent> events;
};

// Two pp::Threads each count the primes below `hi`, traced.
TwoThreadRun run_two_cpu_threads(std::int64_t hi) {
    TwoThreadRun out;
    pp_test::ScopedTrace trace;
    const auto start = pp::sync::clock::now();
    pp::Thread a("cpu-A", [&] { out.primes[0] = pp::count_primes(0, hi); });
    pp::Thread b("cpu-B", [&] { out.primes[1] = pp::count_primes(0, hi); });
    a.start();
    b.start();
    a.join();
    b.join();
    out.elapsed_s = pp_test::seconds_since(start);
    out.events = pp::trace::snapshot();
    return out;
}

// Per lane of a TaskRun span: the time it held the GIL, i.e. its TaskRun minus its GilWait spans.
std::map<pp_test::LaneKey, std::vector<pp_test::Interval>> gil_held_intervals(const std::vector<pp::TraceEvent>& events) {
    std::map<pp_test::LaneKey, std::vector<pp_test::Interval>> held;
    for (auto& [lane, list] : pp_test::by_lane(events)) {
        std::vector<pp_test::Interval> waits;
        for (const auto& e : list)
            if (e.kind == pp::TraceKind::GilWait) waits.push_back({e.begin_ns, e.end_ns});
        for (const auto& e : list)
            if (e.kind == pp::TraceKind::TaskRun)
                for (const auto& piece : pp_test::subtract({e.begin_ns, e.end_ns}, waits)) held[lane].push_back(piece);
    }
    return held;
}

double seconds_for_primes(std::int64_t hi) {
    const auto start = pp::sync::clock::now();
    (void)pp::count_primes(0, hi);
    return pp_test::seconds_since(start);
}

}  // namespace

TEST_CASE("Gil.OnTwoCpuThreadsTakeTurns.2threads") {
    const std::int64_t hi = pp_test::primes_limit_taking(80ms);
    const std::int64_t expected = pp::count_primes(0, hi);

    pp_test::ScopedGil gil(true);
    // One run on this thread, then two threads at once, three times over: the median ratio is
    // robust to a machine whose load changes while the test runs.
    std::vector<double> ratios;
    TwoThreadRun run;
    for (int round = 0; round < 3; ++round) {
        const double one = seconds_for_primes(hi);
        pp::gil::reset_stats();
        run = run_two_cpu_threads(hi);
        CHECK(run.primes[0] == expected);
        CHECK(run.primes[1] == expected);
        ratios.push_back(run.elapsed_s / one);
    }
    std::sort(ratios.begin(), ratios.end());
    MESSAGE("GIL on: two threads take " << ratios[1] << "x one run (2x expected: they take turns)");
    // Taking turns: about as long as running them one after the other (2x), never parallel (1x).
    // Only reported: on a machine whose load swings (CI, parallel builds) wall-clock ratios can
    // land anywhere. The property itself is checked exactly below, from the trace.
    WARN(ratios[1] >= 1.4);
    CHECK(ratios[1] < 8.0);

    // Both threads queued for the GIL, and holders were made to drop it at the switch interval.
    CHECK(pp_test::events_of_kind(run.events, pp::TraceKind::GilWait).size() >= 2);
    const pp::gil::Stats stats = pp::gil::stats();
    CHECK(stats.forced_switches >= 2);
    CHECK(stats.acquisitions >= stats.forced_switches);

    // The GIL's defining property: no two threads ever hold it at the same time.
    const auto held = gil_held_intervals(run.events);
    REQUIRE(held.size() == 2);
    CHECK(pp_test::overlap_ns(held.begin()->second, std::next(held.begin())->second) == 0);
    CHECK(pp_test::nesting_violation(run.events) == "");
}

TEST_CASE("Gil.OffTwoCpuThreadsRunTogether.2threads") {
    const std::int64_t hi = pp_test::primes_limit_taking(80ms);
    const std::int64_t expected = pp::count_primes(0, hi);
    const double one = seconds_for_primes(hi);

    pp_test::ScopedGil gil(false);
    const TwoThreadRun run = run_two_cpu_threads(hi);
    CHECK(run.primes[0] == expected);
    CHECK(run.primes[1] == expected);
    // Not asserted: the speed-up depends on free cores, which a test cannot count on.
    MESSAGE("GIL off: two threads take " << run.elapsed_s / one << "x one run (1x with 2 idle cores)");
    CHECK(pp_test::events_of_kind(run.events, pp::TraceKind::GilWait).empty());
    CHECK(pp::gil::stats().acquisitions == 0);

    // Both task bodies were running at the same time (on a loaded single core the OS still
    // interleaves them, so their spans overlap whatever the speed-up).
    const auto runs = pp_test::events_of_kind(run.events, pp::TraceKind::TaskRun);
    REQUIRE(runs.size() == 2);
    const std::int64_t overlap = std::min(runs[0].end_ns, runs[1].end_ns) - std::max(runs[0].begin_ns, runs[1].begin_ns);
    CHECK(overlap > 0);
}

TEST_CASE("Gil.SleepReleasesItSoIoThreadsOverlap.4threads") {
    pp_test::ScopedGil gil(true);
    pp_test::ScopedTrace trace;
    const auto start = pp::sync::clock::now();
    {
        std::vector<std::unique_ptr<pp::Thread>> threads;
        for (int i = 0; i < 4; ++i) threads.push_back(std::make_unique<pp::Thread>([] { pp::sleep_for(200ms); }));
        for (auto& t : threads) t->start();
        for (auto& t : threads) t->join();
    }
    CHECK(pp_test::seconds_since(start) >= 0.19);
    // All four were asleep at one instant: holding the GIL through a sleep would make them take
    // turns (the trace's Sleep spans one after another), however fast or slow the machine.
    CHECK(pp_test::most_at_once(pp_test::events_of_kind(pp::trace::snapshot(), pp::TraceKind::Sleep)) == 4);
}

TEST_CASE("Gil.SimulatedDownloadsOverlapWithGilOn.3threads") {
    pp_test::ScopedGil gil(true);
    pp_test::ScopedTrace trace;
    pp::ThreadPoolExecutor pool(3);
    const auto start = pp::sync::clock::now();
    std::vector<pp::Future<pp::DownloadResult>> downloads;
    for (std::uint64_t seed = 0; seed < 3; ++seed)
        downloads.push_back(pool.submit(pp::simulated_download, std::chrono::nanoseconds(200ms), std::size_t(4096), seed));
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
        const pp::DownloadResult r = downloads[seed].result();
        CHECK(r.bytes == 4096);
        CHECK(r.checksum == pp::download_checksum(4096, seed));
    }
    CHECK(pp_test::seconds_since(start) >= 0.19);
    // The three waits overlapped (from the trace, not a wall-clock upper bound that a busy machine breaks).
    CHECK(pp_test::most_at_once(pp_test::events_of_kind(pp::trace::snapshot(), pp::TraceKind::IoWait)) == 3);
}

TEST_CASE("Gil.SwitchIntervalSetsHowOftenHoldersLetGo.2threads") {
    const std::int64_t hi = pp_test::primes_limit_taking(100ms);

    pp::gil::set_switch_interval(20ms);
    CHECK(pp::gil::switch_interval() == 20ms);
    pp::gil::set_switch_interval(0ms);  // a non-positive interval is clamped, not accepted
    CHECK(pp::gil::switch_interval() > 0ns);

    std::uint64_t switches_fast = 0, switches_slow = 0;
    double slow_elapsed_s = 0;
    {
        pp_test::ScopedGil gil(true, 1ms);
        run_two_cpu_threads(hi);
        switches_fast = pp::gil::stats().forced_switches;
    }
    {
        pp_test::ScopedGil gil(true, 50ms);
        slow_elapsed_s = run_two_cpu_threads(hi).elapsed_s;
        switches_slow = pp::gil::stats().forced_switches;
    }
    MESSAGE("forced switches: " << switches_fast << " at 1 ms, " << switches_slow << " at 50 ms in " << slow_elapsed_s << " s");
    // A waiter asks for the GIL only after a whole interval without a switch, so forced switches
    // are at least one interval apart: a hard upper bound, whatever the machine's load.
    CHECK(switches_slow <= slow_elapsed_s / 0.050 + 1);
    // ~200 ms of GIL-bound work: ideally ~200 switches at 1 ms. A loaded machine delays the
    // waiter's wake-ups and cuts that by up to ~10x, so the lower bound is loose.
    CHECK(switches_fast >= 6);
    CHECK(switches_fast > switches_slow);
    CHECK(pp::gil::switch_interval() == 5ms);  // ScopedGil put the default back
}

TEST_CASE("Gil.WaitingOnAFutureReleasesIt.2threads") {
    // A task holding the GIL waits for another task of the same pool, which needs the GIL to run.
    pp_test::ScopedGil gil(true);
    pp::ThreadPoolExecutor pool(2);
    auto outer = pool.submit([&pool] {
        auto inner = pool.submit([] { return pp::count_primes(0, 1000); });
        return inner.result() + 1;
    });
    CHECK(outer.result(20s) == 168 + 1);
}

TEST_CASE("Gil.HeldOnlyInsideHolders.2threads") {
    pp_test::ScopedGil gil(true);
    CHECK_FALSE(pp::gil::held_by_this_thread());
    {
        pp::gil::GilHolder holder;
        CHECK(pp::gil::held_by_this_thread());
        {
            pp::gil::GilHolder nested;  // nesting does not deadlock
            CHECK(pp::gil::held_by_this_thread());
            pp::gil::ReleaseGuard released;
            CHECK_FALSE(pp::gil::held_by_this_thread());
            // Another thread can take it while we are released.
            std::atomic<bool> other_got_it{false};
            pp::Thread other([&] { other_got_it = pp::gil::held_by_this_thread(); });
            other.start();
            REQUIRE(other.join(10s));
            CHECK(other_got_it);
        }
        CHECK(pp::gil::held_by_this_thread());
    }
    CHECK_FALSE(pp::gil::held_by_this_thread());
}

TEST_CASE("Gil.TwoShutdownsOfOnePoolBothReturn.3threads") {
    // The second shutdown() waits for the first one's joins; it must not hold the GIL meanwhile,
    // or the worker could never take it back after its sleep to finish its task.
    // Which of the two takes the join lock first does not matter (the other waits for its joins);
    // what matters is that both are called while the task still runs, and a gate ensures that:
    // the task sleeps its 300 ms (without the GIL) only once both have been called.
    pp_test::ScopedGil gil(true);
    pp::ThreadPoolExecutor pool(1);
    std::atomic<int> calling{0};
    auto sleeper = pool.submit([&] {
        while (calling.load() < 2) pp::sleep_for(1ms);
        pp::sleep_for(300ms);
    });
    std::atomic<int> returned{0};
    pp::Thread first("first-shutdown", [&] {
        ++calling;
        pool.shutdown();
        ++returned;
    });
    pp::Thread second("second-shutdown", [&] {
        ++calling;
        pool.shutdown();
        ++returned;
    });
    first.start();
    second.start();
    const bool both_returned = first.join(20s) && second.join(20s);
    if (!both_returned) {
        std::fprintf(stderr, "Gil.TwoShutdownsOfOnePoolBothReturn: deadlock, %d of 2 shutdowns returned\n", returned.load());
        std::abort();  // the threads cannot be joined: end here rather than in the test's timeout
    }
    CHECK(returned == 2);
    CHECK_NOTHROW(sleeper.result(0s));
}
