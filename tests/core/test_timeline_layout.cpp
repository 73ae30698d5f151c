// Timeline.*: events become lanes, nested bars and markers; culling and merging keep frames cheap.
#include "core/timeline_layout.hpp"

#include "doctest.h"

#include <string>
#include <vector>

namespace {

using pp::TraceEvent;
using pp::TraceKind;

TraceEvent span(int pid, std::uint64_t tid, const char* lane, TraceKind kind, std::int64_t begin, std::int64_t end) {
    TraceEvent e;
    e.kind = kind;
    e.lane = {pid, tid, lane};
    e.name = pp::to_string(kind);
    e.begin_ns = begin;
    e.end_ns = end;
    return e;
}
TraceEvent instant(int pid, std::uint64_t tid, const char* lane, TraceKind kind, std::int64_t at) {
    return span(pid, tid, lane, kind, at, at);
}

}  // namespace

TEST_CASE("Timeline.LanesByProcessMainThreadFirst.1thread") {
    // Recorded out of order, across two processes; worker lanes appear before the main thread's.
    pp::TimelineIndex index({
        span(200, 7, "Process-200", TraceKind::TaskRun, 50, 60),
        span(100, 2, "ThreadPoolExecutor-0_0", TraceKind::TaskRun, 10, 20),
        span(100, 1, "MainThread", TraceKind::JoinBlocked, 30, 70),
        span(100, 3, "ThreadPoolExecutor-0_1", TraceKind::TaskRun, 15, 25),
    });
    const auto& lanes = index.lanes();
    REQUIRE(lanes.size() == 4);
    CHECK(lanes[0].name == "MainThread");
    CHECK(lanes[1].name == "ThreadPoolExecutor-0_0");
    CHECK(lanes[2].name == "ThreadPoolExecutor-0_1");
    CHECK(lanes[3].pid == 200);
    CHECK(index.begin_ns() == 10);
    CHECK(index.end_ns() == 70);
}

TEST_CASE("Timeline.ChildProcessesByPidWhateverTheirFirstEvent.1thread") {
    // Four worker processes started together: pid 4 happened to record before pid 3, and pid 2 last.
    pp::TimelineIndex index({
        span(1, 1, "MainThread", TraceKind::ResultWait, 0, 100),
        span(4, 1, "MainThread", TraceKind::TaskRun, 10, 20),
        span(3, 1, "MainThread", TraceKind::TaskRun, 12, 20),
        span(5, 1, "MainThread", TraceKind::TaskRun, 14, 20),
        span(2, 1, "MainThread", TraceKind::TaskRun, 16, 20),
        span(1, 2, "ThreadPoolExecutor-0_0", TraceKind::TaskRun, 18, 30),
    });
    const auto& lanes = index.lanes();
    REQUIRE(lanes.size() == 6);
    CHECK(lanes[0].pid == 1);  // the program that started them, on top
    CHECK(lanes[1].pid == 1);
    CHECK(lanes[1].name == "ThreadPoolExecutor-0_0");
    CHECK(lanes[2].pid == 2);
    CHECK(lanes[3].pid == 3);
    CHECK(lanes[4].pid == 4);
    CHECK(lanes[5].pid == 5);
}

TEST_CASE("Timeline.NestedSpansStackByDepth.1thread") {
    // A task that sleeps and then waits for the GIL: both inside its TaskRun bar.
    pp::TimelineIndex index({
        span(1, 1, "MainThread", TraceKind::GilWait, 600, 700), span(1, 1, "MainThread", TraceKind::TaskRun, 0, 1000),
        span(1, 1, "MainThread", TraceKind::Sleep, 100, 500),
        span(1, 1, "MainThread", TraceKind::TaskRun, 1000, 1200),  // a sibling that starts as the first ends
    });
    CHECK(index.depth_count(0) == 2);
    pp::TimelineLayout layout;
    pp::layout_timeline(index, {0, 2000, 2000.0f}, layout);
    REQUIRE(layout.bars.size() == 4);
    // Depth 0, left to right; then depth 1.
    CHECK(layout.bars[0].depth == 0);
    CHECK(layout.bars[0].x0 == doctest::Approx(0));
    CHECK(layout.bars[0].x1 == doctest::Approx(1000));
    CHECK(layout.bars[1].depth == 0);
    CHECK(layout.bars[1].x0 == doctest::Approx(1000));
    CHECK(layout.bars[2].kind == TraceKind::Sleep);
    CHECK(layout.bars[2].depth == 1);
    CHECK(layout.bars[3].kind == TraceKind::GilWait);
    CHECK(layout.bars[3].depth == 1);
    CHECK(layout.bars[3].x0 == doctest::Approx(600));
}

TEST_CASE("Timeline.CullsToViewAndClipsEdges.1thread") {
    std::vector<TraceEvent> events;
    for (int i = 0; i < 100; ++i) events.push_back(span(1, 1, "MainThread", TraceKind::TaskRun, i * 100, i * 100 + 90));
    pp::TimelineIndex index(events);
    pp::TimelineLayout layout;
    // Window 1050..1350 ns over 300 px: spans 10 (clipped), 11, 12 and 13 (clipped).
    pp::layout_timeline(index, {1050, 1350, 300.0f}, layout);
    REQUIRE(layout.bars.size() == 4);
    CHECK(index.events()[layout.bars[0].event].begin_ns == 1000);
    CHECK(layout.bars[0].x0 == doctest::Approx(0));
    CHECK(layout.bars[0].x1 == doctest::Approx(40));
    CHECK(layout.bars[3].x1 == doctest::Approx(300));
    // Nothing visible before or after the events, and an empty window shows nothing.
    pp::layout_timeline(index, {20000, 30000, 300.0f}, layout);
    CHECK(layout.bars.empty());
    pp::layout_timeline(index, {500, 500, 300.0f}, layout);
    CHECK(layout.bars.empty());
}

TEST_CASE("Timeline.MergesSubPixelBarsAndKeepsTheLongest.1thread") {
    // 10 000 spans of 1 us in 20 ms, on an 800 px timeline: far more spans than pixels.
    std::vector<TraceEvent> events;
    for (int i = 0; i < 10000; ++i) {
        const TraceKind kind = i == 5000 ? TraceKind::GilWait : TraceKind::TaskRun;
        const std::int64_t length = i == 5000 ? 1500 : 1000;
        events.push_back(span(1, 1, "MainThread", kind, i * 2000, i * 2000 + length));
    }
    pp::TimelineIndex index(events);
    pp::TimelineLayout layout;
    pp::layout_timeline(index, {0, 20'000'000, 800.0f}, layout);
    CHECK(layout.bars.size() <= 800);
    CHECK(layout.bars.size() >= 400);  // about one bar per pixel, not one per span
    std::uint32_t spans = 0;
    bool gil_bar = false;
    for (const auto& bar : layout.bars) {
        spans += bar.merged_count;
        CHECK(bar.x1 - bar.x0 < 2.5f);
        gil_bar = gil_bar || bar.kind == TraceKind::GilWait;
    }
    CHECK(spans == 10000);  // every span is accounted for in some bar
    CHECK(gil_bar);         // the longest member names the merged bar's kind
    // Zoomed in on one span, it is a bar of its own again.
    pp::layout_timeline(index, {10'000'000, 10'004'000, 800.0f}, layout);
    REQUIRE(layout.bars.size() == 2);
    CHECK(layout.bars[0].merged_count == 1);
    CHECK(layout.bars[0].kind == TraceKind::GilWait);
}

TEST_CASE("Timeline.MarkersForInstantsOnePerPixel.1thread") {
    std::vector<TraceEvent> events{instant(1, 1, "MainThread", TraceKind::ThreadStart, 0)};
    for (int i = 0; i < 1000; ++i) events.push_back(instant(1, 1, "MainThread", TraceKind::TaskSubmitted, 100 + i));
    events.push_back(instant(1, 1, "MainThread", TraceKind::ThreadEnd, 100000));
    pp::TimelineIndex index(events);
    CHECK(index.depth_count(0) == 0);
    pp::TimelineLayout layout;
    pp::layout_timeline(index, {0, 100000, 1000.0f}, layout);
    // The 1000 submits are 0.01 px apart over 10 px: one tick per pixel, between start and end.
    REQUIRE(layout.markers.size() == 12);
    CHECK(layout.markers[0].kind == TraceKind::ThreadStart);
    for (int i = 1; i <= 10; ++i) {
        CHECK(layout.markers[i].kind == TraceKind::TaskSubmitted);
        CHECK(layout.markers[i].x == doctest::Approx(i));
    }
    CHECK(layout.markers[11].kind == TraceKind::ThreadEnd);
    CHECK(layout.markers[11].x == doctest::Approx(1000));
}

TEST_CASE("Timeline.HundredThousandEventsBecomeAtMostOneBarPerPixel.1thread") {
    // What keeps a frame cheap with a long trace: the bars drawn are bounded by the pixels,
    // not by the events. (Its speed is measured in bench/, not asserted here.)
    std::vector<TraceEvent> events;
    events.reserve(100000);
    for (int lane = 0; lane < 4; ++lane)
        for (int i = 0; i < 25000; ++i)
            events.push_back(span(1, lane + 1, lane == 0 ? "MainThread" : "Worker", TraceKind::TaskRun, i * 1000, i * 1000 + 700));
    pp::TimelineIndex index(std::move(events));
    REQUIRE(index.lanes().size() == 4);
    pp::TimelineLayout layout;
    pp::layout_timeline(index, {0, 25'000'000, 1200.0f}, layout);
    CHECK(layout.bars.size() <= 4 * 1200);
    std::uint64_t spans = 0;
    for (const auto& bar : layout.bars) spans += bar.merged_count;
    CHECK(spans == 100000);
}
