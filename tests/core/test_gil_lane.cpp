// GilLane.*: the timeline's "GIL" lane, one span per holding of the emulated GIL, named after its
// holder: the spans never overlap, the holder runs (does not wait for the GIL) during its span,
// and together they cover every moment some thread runs Python-emulated work. The switch
// interval (sys.setswitchinterval) sets how often the GIL changes hands.
#include "core/gil.hpp"
#include "core/thread.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"
#include "test_support.hpp"

#include <doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using pp_test::Interval;

namespace {

// Three threads of "Python": CPU work (with the interpreter's checkpoints) and a sleep each.
std::vector<pp::TraceEvent> traced_gil_run(std::chrono::nanoseconds switch_interval, std::int64_t primes_below) {
    pp::trace::clear();
    pp::trace::set_enabled(true);
    pp::gil::set_enabled(true);
    pp::gil::set_switch_interval(switch_interval);
    {
        std::vector<pp::Thread> threads;
        for (int i = 0; i < 3; ++i)
            threads.emplace_back([primes_below] {
                pp::count_primes(0, primes_below);
                pp::sleep_for(2ms);
                pp::count_primes(0, primes_below / 2);
            });
        pp::gil::ReleaseGuard main_waits;  // this thread does not run "Python" meanwhile
        for (auto& t : threads) t.start();
        for (auto& t : threads) t.join();
    }
    pp::gil::set_enabled(false);
    pp::gil::set_switch_interval(5ms);
    pp::trace::set_enabled(false);
    return pp::trace::snapshot();
}

std::vector<Interval> intervals(const std::vector<pp::TraceEvent>& events) {
    std::vector<Interval> out;
    for (const auto& e : events) out.push_back({e.begin_ns, e.end_ns});
    return out;
}

}  // namespace

TEST_CASE("GilLane.SpansNeverOverlapAndTheHolderRuns.3threads") {
    const auto events = traced_gil_run(1ms, pp_test::primes_limit_taking(30ms));
    auto held = pp_test::events_of_kind(events, pp::TraceKind::GilHeld);
    REQUIRE(held.size() >= 3);
    std::sort(held.begin(), held.end(), [](const auto& a, const auto& b) { return a.begin_ns < b.begin_ns; });
    for (std::size_t i = 1; i < held.size(); ++i)
        CHECK_MESSAGE(held[i].begin_ns >= held[i - 1].end_ns,
                      "two holdings of the GIL overlap: " << held[i - 1].name << " and " << held[i].name);
    for (const auto& span : held) {
        CHECK(pp::is_gil_lane(span.lane));
        CHECK(span.lane.name == "GIL");
        // Its holder is not waiting for the GIL during its holding.
        std::vector<Interval> holder_waits;
        for (const auto& e : events)
            if (e.kind == pp::TraceKind::GilWait && e.lane.name == span.name) holder_waits.push_back({e.begin_ns, e.end_ns});
        CHECK_MESSAGE(pp_test::overlap_ns({{span.begin_ns, span.end_ns}}, holder_waits) == 0,
                      span.name << " waited for the GIL while the lane says it held it");
    }
}

TEST_CASE("GilLane.SpansCoverAllPythonWork.3threads") {
    const auto events = traced_gil_run(1ms, pp_test::primes_limit_taking(30ms));
    const std::vector<Interval> held = intervals(pp_test::events_of_kind(events, pp::TraceKind::GilHeld));
    // Python work: each thread's run, minus its waits (for the GIL, a sleep, a join, a lock).
    std::int64_t python_ns = 0, uncovered_ns = 0;
    for (const auto& [lane, lane_events] : pp_test::by_lane(events)) {
        if (lane_events.front().lane.name.rfind("Thread-", 0) != 0) continue;
        std::vector<Interval> waits;
        for (const auto& e : lane_events)
            if (e.kind == pp::TraceKind::GilWait || e.kind == pp::TraceKind::Sleep || e.kind == pp::TraceKind::JoinBlocked ||
                e.kind == pp::TraceKind::LockWait || e.kind == pp::TraceKind::IoWait || e.kind == pp::TraceKind::ResultWait)
                waits.push_back({e.begin_ns, e.end_ns});
        for (const auto& run : lane_events) {
            if (run.kind != pp::TraceKind::TaskRun) continue;
            for (const Interval& python : pp_test::subtract({run.begin_ns, run.end_ns}, waits)) {
                python_ns += python.end - python.begin;
                std::int64_t covered = pp_test::overlap_ns({python}, held);
                uncovered_ns += (python.end - python.begin) - covered;
            }
        }
    }
    REQUIRE(python_ns > 0);
    // Between taking the GIL and opening a span lie a few instructions; nothing more may be missing.
    CHECK_MESSAGE(uncovered_ns < python_ns / 100, uncovered_ns << " ns of " << python_ns << " ns of Python work had no holder");
}

TEST_CASE("GilLane.ALongerSwitchIntervalMeansFewerHandOvers.3threads") {
    // Counted from the trace, per second of the GIL held (a busy machine stretches a run, not its
    // hand-overs per held second): at 0.5 ms a waiter asks a hundred times sooner than at 50 ms.
    const std::int64_t work = pp_test::primes_limit_taking(40ms);
    const auto hand_overs_per_second = [&](std::chrono::nanoseconds interval) {
        const auto held = pp_test::events_of_kind(traced_gil_run(interval, work), pp::TraceKind::GilHeld);
        std::int64_t held_ns = 0;
        for (const auto& e : held) held_ns += e.end_ns - e.begin_ns;
        return held_ns > 0 ? static_cast<double>(held.size()) * 1e9 / static_cast<double>(held_ns) : 0.0;
    };
    const double short_interval = hand_overs_per_second(500us), long_interval = hand_overs_per_second(50ms);
    CHECK_MESSAGE(short_interval > long_interval,
                  short_interval << " hand-overs per held second at 0.5 ms, " << long_interval << " at 50 ms");
}

TEST_CASE("GilLane.ChromeTraceHasAGilThread.3threads") {
    const auto events = traced_gil_run(1ms, pp_test::primes_limit_taking(5ms));
    const std::string json = pp::trace::to_chrome_trace_json(events);
    CHECK(json.find("\"name\":\"thread_name\"") != std::string::npos);
    CHECK(json.find("\"args\":{\"name\":\"GIL\"}") != std::string::npos);
    CHECK(json.find("\"cat\":\"GilHeld\"") != std::string::npos);
    CHECK(json.find("{\"name\":\"Thread-") != std::string::npos);  // spans named after their holder
}
