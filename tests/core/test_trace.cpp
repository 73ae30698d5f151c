// The trace recorder: complete, well-nested spans per lane, task order, and the Chrome JSON export.
#include "core/sync.hpp"
#include "core/thread.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"

#include "test_support.hpp"

#include <doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

// A busy little scene: a pool with the GIL on (sleeps, CPU work, a failing task), a pp::Thread
// joined by the main thread, and a named task. Returns the snapshot.
std::vector<pp::TraceEvent> record_scene() {
    pp_test::ScopedGil gil(true, 1ms);
    {
        pp::ThreadPoolExecutor pool(3, "Scene");
        std::vector<pp::Future<std::int64_t>> futures;
        for (int i = 0; i < 6; ++i)
            futures.push_back(pool.submit([i] {
                if (i % 2 == 0) pp::sleep_for(std::chrono::milliseconds(5 + i));
                return pp::count_primes(0, 150000 + 1000 * i);  // ~5 ms each: the workers contend for the GIL
            }));
        auto failing = pool.submit_named("failing", []() -> int { throw std::runtime_error("traced failure"); });
        pp::Thread t("helper", [] {
            pp::sleep_for(3ms);
            (void)pp::count_primes(0, 150000);
        });
        t.start();
        t.join();
        for (auto& f : futures) f.result();
        CHECK_THROWS_AS(failing.result(), std::runtime_error);
    }
    return pp::trace::snapshot();
}

}  // namespace

TEST_CASE("Trace.OffRecordsNothing.1thread") {
    pp::trace::set_enabled(false);
    pp::trace::clear();
    pp::trace::instant(pp::TraceKind::TaskSubmitted, "ignored");
    { pp::TraceSpan span(pp::TraceKind::Sleep, "ignored"); }
    pp::sleep_for(1ms);
    CHECK(pp::trace::snapshot().empty());
}

TEST_CASE("Trace.SpanIsRecordedOnlyWhenComplete.1thread") {
    pp_test::ScopedTrace trace;
    {
        pp::TraceSpan span(pp::TraceKind::IoWait, "fetch", 42, "detail");
        pp::sync::this_thread::sleep_for(2ms);
        CHECK(pp::trace::snapshot().empty());  // an open span is not in the trace yet
    }
    const auto events = pp::trace::snapshot();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == pp::TraceKind::IoWait);
    CHECK(events[0].name == "fetch");
    CHECK(events[0].args == "detail");
    CHECK(events[0].task_id == 42);
    CHECK(events[0].end_ns - events[0].begin_ns >= 1'500'000);
    CHECK(events[0].lane.name == pp::trace::current_lane().name);
    CHECK(events[0].lane.tid == pp::trace::current_lane().tid);
    pp::trace::clear();
    CHECK(pp::trace::snapshot().empty());
}

TEST_CASE("Trace.ThreadsJoinedOneAfterAnotherKeepTheirOwnLanes.2threads") {
    // The C++ runtime recycles std::thread::id (and pthread_t) once a thread is joined, so an id
    // derived from it put both threads on one lane.
    pp_test::ScopedTrace trace;
    for (const char* name : {"first", "second"}) {
        pp::sync::thread t([name] {
            pp::trace::set_lane_name(name);
            pp::trace::instant(pp::TraceKind::ThreadStart, "thread start");
        });
        t.join();
    }
    std::map<std::string, pp_test::LaneKey> lanes;
    for (const auto& e : pp::trace::snapshot()) lanes[e.lane.name] = pp_test::lane_of(e);
    REQUIRE(lanes.count("first") == 1);
    REQUIRE(lanes.count("second") == 1);
    CHECK(lanes["first"] != lanes["second"]);
    CHECK(pp::trace::to_chrome_trace_json().find("\"second\"") != std::string::npos);
}

// clear() only marks another thread's buffer (its owner appends without a lock); the owner
// drops the marked events at its next append and keeps what it records after the clear.
TEST_CASE("Trace.EventsRecordedAfterClearAreKeptAndNoOthers.2threads") {
    pp_test::ScopedTrace trace;
    std::atomic<int> stage{0};
    const auto wait_for_stage = [&stage](int wanted) {
        while (stage.load() < wanted) pp::sync::this_thread::sleep_for(1ms);
    };
    pp::sync::thread recorder([&] {
        pp::trace::set_lane_name("recorder");
        for (int i = 1; i <= 5; ++i) pp::trace::span(pp::TraceKind::TaskRun, "task", i, i, i);
        stage = 1;
        wait_for_stage(2);                                                    // the main thread clears
        pp::trace::span(pp::TraceKind::TaskRun, "task", 10, 11, 10);          // the name it used before
        pp::trace::span(pp::TraceKind::TaskRun, "other", 12, 13, 11, "x=1");  // new text after the clear
        pp::trace::span(pp::TraceKind::TaskRun, "task", 14, 15, 12);
        stage = 3;
        wait_for_stage(4);
    });
    wait_for_stage(1);
    CHECK(pp::trace::snapshot().size() == 5);
    pp::trace::clear();
    CHECK(pp::trace::snapshot().empty());
    stage = 2;
    wait_for_stage(3);
    auto events = pp::trace::snapshot();
    stage = 4;
    recorder.join();
    REQUIRE(events.size() == 3);
    CHECK(events[0].name == "task");
    CHECK(events[0].task_id == 10);
    CHECK(events[1].name == "other");
    CHECK(events[1].args == "x=1");
    CHECK(events[2].name == "task");
    CHECK(events[2].task_id == 12);
    for (const auto& e : events) CHECK(e.lane.name == "recorder");
}

TEST_CASE("Trace.ManyEventsAcrossChunksAndClears.1thread") {
    pp_test::ScopedTrace trace;
    for (int round = 0; round < 3; ++round) {
        const int count = 2500 + round;  // more than two chunks of events
        for (int i = 0; i < count; ++i) pp::trace::span(pp::TraceKind::TaskRun, i % 1000 == 0 ? "marker" : "task", i, i + 1, i + 1);
        const auto events = pp::trace::snapshot();
        REQUIRE(events.size() == static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            CHECK(events[i].task_id == static_cast<std::uint64_t>(i + 1));
            CHECK(events[i].name == (i % 1000 == 0 ? "marker" : "task"));
        }
        pp::trace::clear();
    }
}

TEST_CASE("Trace.SpansAreCompleteAndNestedPerLane.4threads") {
    pp_test::ScopedTrace trace;
    const auto events = record_scene();
    REQUIRE_FALSE(events.empty());
    CHECK(pp_test::nesting_violation(events) == "");

    // Every kind the scene exercises is there.
    std::set<pp::TraceKind> kinds;
    for (const auto& e : events) kinds.insert(e.kind);
    for (auto kind : {pp::TraceKind::TaskSubmitted, pp::TraceKind::TaskRun, pp::TraceKind::Sleep, pp::TraceKind::GilWait,
                      pp::TraceKind::JoinBlocked, pp::TraceKind::ThreadStart, pp::TraceKind::ThreadEnd})
        CHECK_MESSAGE(kinds.count(kind) == 1, "missing kind ", std::string(pp::to_string(kind)));

    // Thread lanes open with ThreadStart and close with ThreadEnd; every span lies between them.
    for (auto& [lane, list] : pp_test::by_lane(events)) {
        if (lane == pp_test::lane_of_this_thread()) continue;  // the test's own lane has no start marker
        if (pp::is_gil_lane(list.front().lane)) continue;      // the GIL's lane is not a thread (test_gil_lane.cpp)
        const std::string lane_name = list.front().lane.name;  // (clang 14 cannot capture a binding)
        INFO("lane ", lane_name);
        std::int64_t start = -1, end = -1;
        for (const auto& e : list) {
            if (e.kind == pp::TraceKind::ThreadStart) start = e.begin_ns;
            if (e.kind == pp::TraceKind::ThreadEnd) end = e.begin_ns;
        }
        REQUIRE(start >= 0);
        REQUIRE(end >= start);
        for (const auto& e : list) {
            CHECK(e.begin_ns >= start);
            CHECK(e.end_ns <= end);
        }
    }

    // Lanes carry the names Python would show.
    std::set<std::string> lane_names;
    for (const auto& e : events) lane_names.insert(e.lane.name);
    CHECK(lane_names.count(pp::trace::current_lane().name) == 1);  // "MainThread" natively
    CHECK(lane_names.count("helper") == 1);
    CHECK(lane_names.count("Scene_0") == 1);
}

TEST_CASE("Trace.EachTaskIsSubmittedThenStartedThenFinished.4threads") {
    pp_test::ScopedTrace trace;
    const auto events = record_scene();
    std::map<std::uint64_t, std::vector<pp::TraceEvent>> submitted, ran;
    for (const auto& e : events) {
        if (e.kind == pp::TraceKind::TaskSubmitted) submitted[e.task_id].push_back(e);
        if (e.kind == pp::TraceKind::TaskRun) ran[e.task_id].push_back(e);
    }
    CHECK(submitted.size() == 7);  // 6 + the failing one
    CHECK(ran.size() == 8);        // ... + the pp::Thread's target
    for (auto& [id, subs] : submitted) {
        const std::uint64_t task_id = id;  // (clang 14 cannot capture a binding)
        INFO("task ", task_id);
        CHECK(id != 0);
        REQUIRE(subs.size() == 1);
        REQUIRE(ran.count(id) == 1);
        REQUIRE(ran[id].size() == 1);
        const auto& run = ran[id][0];
        CHECK(subs[0].begin_ns <= run.begin_ns);  // submitted before started
        CHECK(run.begin_ns <= run.end_ns);        // started before finished
        CHECK(pp_test::lane_of(subs[0]) == pp_test::lane_of_this_thread());
        CHECK(run.lane.name.rfind("Scene_", 0) == 0);
        CHECK(subs[0].name == run.name);
    }
    bool failing_traced = false;
    for (auto& [id, runs] : ran) failing_traced = failing_traced || runs[0].name == "failing";
    CHECK(failing_traced);  // a task that throws still closes its span
}

// A timeline drawn during a run shows what each thread is doing now: the spans still open, each
// ending at the snapshot. What was recorded (snapshot()) has only finished spans.
TEST_CASE("Trace.LiveSnapshotShowsSpansInProgress.1thread") {
    pp_test::ScopedTrace trace;
    {
        pp::TraceSpan outer(pp::TraceKind::IoWait, "fetch", 42, "detail");
        pp::TraceSpan inner(pp::TraceKind::Sleep, "sleep");
        pp::sync::this_thread::sleep_for(2ms);
        const auto live = pp::trace::snapshot_live();
        REQUIRE(live.size() == 2);
        CHECK(live[0].kind == pp::TraceKind::IoWait);  // the enclosing span first
        CHECK(live[0].name == "fetch");
        CHECK(live[0].args == "detail");
        CHECK(live[0].task_id == 42);
        CHECK(live[1].kind == pp::TraceKind::Sleep);
        CHECK(live[0].end_ns - live[0].begin_ns >= 1'500'000);  // it lasts until the snapshot
        CHECK(live[1].begin_ns >= live[0].begin_ns);
        CHECK(live[1].end_ns <= live[0].end_ns);
        CHECK(live[0].in_progress);
        CHECK(live[1].in_progress);
        CHECK(pp_test::lane_of(live[0]) == pp_test::lane_of_this_thread());
        CHECK(pp::trace::snapshot().empty());
        inner.end();
        const auto one_open = pp::trace::snapshot_live();
        REQUIRE(one_open.size() == 2);  // the closed inner span, recorded, and the open outer one
        CHECK(one_open[0].in_progress);
        CHECK_FALSE(one_open[1].in_progress);
        CHECK(pp::trace::snapshot().size() == 1);
    }
    const auto recorded = pp::trace::snapshot();
    const auto live = pp::trace::snapshot_live();
    REQUIRE(recorded.size() == 2);
    REQUIRE(live.size() == 2);  // nothing open is left
    for (std::size_t i = 0; i < live.size(); ++i) {
        CHECK(live[i].kind == recorded[i].kind);
        CHECK(live[i].begin_ns == recorded[i].begin_ns);
        CHECK(live[i].end_ns == recorded[i].end_ns);
        CHECK_FALSE(live[i].in_progress);
    }
}

// The recorder compares a name with the last one a word at a time (two overlapping loads for 4 to
// 8 bytes, bytes below 4, memcmp above 8), and copies an open span's name the same way: names of
// one length that differ in any single byte must come back as recorded, never as the last name.
TEST_CASE("Trace.NamesOfOneLengthDifferingInAnyByteStayApart.1thread") {
    pp_test::ScopedTrace trace;
    std::vector<std::string> names;
    for (std::size_t length = 1; length <= 40; ++length) {
        const std::string base(length, 'a');
        for (std::size_t at = 0; at < length; ++at) {
            names.push_back(base);
            std::string other = base;
            other[at] = 'b';
            names.push_back(other);  // right after the one it differs from in one byte
        }
    }
    names.push_back("");
    names.push_back("a");
    const std::int64_t now = pp::trace::now_ns();
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::uint64_t open = pp::trace::open_span(pp::TraceKind::TaskRun, names[i], i, now);
        const auto live = pp::trace::snapshot_live();
        REQUIRE(live.size() == i + 1);  // the spans recorded so far, and this open one
        const auto open_one = std::find_if(live.begin(), live.end(), [](const pp::TraceEvent& e) { return e.in_progress; });
        REQUIRE(open_one != live.end());
        CHECK(open_one->name == names[i].substr(0, 32));  // open spans keep 32 bytes of a name
        pp::trace::close_open_span(open);
        pp::trace::span(pp::TraceKind::TaskRun, names[i], now, now, i);
    }
    const auto recorded = pp::trace::snapshot();
    REQUIRE(recorded.size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(recorded[i].task_id == i);
        CHECK(recorded[i].name == names[i]);
    }
}

TEST_CASE("Trace.OpenSpansClosedOutOfOrderLeaveTheRest.1thread") {
    pp_test::ScopedTrace trace;
    const std::int64_t now = pp::trace::now_ns();
    const std::uint64_t outer = pp::trace::open_span(pp::TraceKind::TaskRun, "outer", 1, now);
    const std::string long_name = "a name longer than the thirty-two bytes kept";
    const std::uint64_t inner = pp::trace::open_span(pp::TraceKind::LockWait, long_name, 2, now + 5, "n=3");
    REQUIRE(pp::trace::snapshot_live().size() == 2);
    pp::trace::close_open_span(outer);
    const auto left = pp::trace::snapshot_live();
    REQUIRE(left.size() == 1);
    CHECK(left[0].kind == pp::TraceKind::LockWait);
    CHECK(left[0].task_id == 2);
    CHECK(left[0].name == long_name.substr(0, 32));  // its first 32 bytes while open
    CHECK(left[0].args == "n=3");
    pp::trace::close_open_span(inner);
    pp::trace::close_open_span(inner);  // twice: nothing left to close
    CHECK(pp::trace::snapshot_live().empty());
    CHECK(pp::trace::snapshot().empty());  // opening and closing records nothing by itself
}

TEST_CASE("Trace.LiveSnapshotShowsAPoolTaskWhileItRuns.2threads") {
    pp_test::ScopedTrace trace;
    pp::ThreadPoolExecutor pool(2, "Live");
    std::atomic<bool> started{false}, release{false};
    auto blocked = pool.submit([&] {
        started.store(true);
        while (!release.load()) pp::sync::this_thread::sleep_for(1ms);  // (a fiber must yield in the single-threaded build)
        return 7;
    });
    while (!started.load()) pp::sync::this_thread::sleep_for(1ms);
    const auto runs = [](const std::vector<pp::TraceEvent>& events) { return pp_test::events_of_kind(events, pp::TraceKind::TaskRun); };
    const auto live = runs(pp::trace::snapshot_live());
    REQUIRE(live.size() == 1);
    CHECK(live[0].lane.name.rfind("Live_", 0) == 0);
    CHECK(live[0].end_ns > live[0].begin_ns);
    CHECK(runs(pp::trace::snapshot()).empty());  // not recorded before it ends
    release.store(true);
    CHECK(blocked.result() == 7);
    pool.shutdown();
    const auto recorded = runs(pp::trace::snapshot());
    REQUIRE(recorded.size() == 1);
    CHECK(recorded[0].task_id == live[0].task_id);
    CHECK(recorded[0].begin_ns == live[0].begin_ns);
    CHECK(recorded[0].end_ns >= live[0].end_ns);
    CHECK(runs(pp::trace::snapshot_live()).size() == 1);  // closed: recorded once, not also open
}

// A burst of tiny tasks keeps both workers busy back to back, so most TaskRun begins reuse the
// previous task's end instead of a clock read: that must never make a task start before its
// submission, nor overlap the previous task on its lane.
TEST_CASE("Trace.BackToBackTasksStartAfterSubmissionAndNeverOverlap.2threads") {
    pp_test::ScopedTrace trace;
    {
        pp::ThreadPoolExecutor pool(2, "Burst");
        std::vector<pp::Future<int>> futures;
        for (int i = 0; i < 2000; ++i) futures.push_back(pool.submit([i] { return i; }));
        for (int i = 0; i < 2000; ++i) REQUIRE(futures[i].result() == i);
    }
    const auto events = pp::trace::snapshot();
    std::map<std::uint64_t, std::int64_t> submitted_at;
    for (const auto& e : events)
        if (e.kind == pp::TraceKind::TaskSubmitted) submitted_at[e.task_id] = e.begin_ns;
    int runs = 0;
    for (const auto& e : events) {
        if (e.kind != pp::TraceKind::TaskRun) continue;
        ++runs;
        REQUIRE(submitted_at.count(e.task_id) == 1);
        CHECK(submitted_at[e.task_id] <= e.begin_ns);
        CHECK(e.begin_ns <= e.end_ns);
    }
    CHECK(runs == 2000);
    CHECK(pp_test::nesting_violation(events) == "");
}

TEST_CASE("Trace.ChromeJsonExportParses.4threads") {
    pp_test::ScopedTrace trace;
    auto events = record_scene();
    // Names that need escaping must not break the JSON.
    pp::TraceEvent odd = events.front();
    odd.name = "quote \" backslash \\ newline \n tab \t bell \x07";
    odd.args = "args \"too\"";
    events.push_back(odd);

    const std::string json = pp::trace::to_chrome_trace_json(events);
    const auto root = pp_test::Json::parse(json);
    REQUIRE((root != nullptr));
    REQUIRE(root->type == pp_test::Json::Type::Object);
    const pp_test::Json* list = root->get("traceEvents");
    REQUIRE(list != nullptr);
    REQUIRE(list->type == pp_test::Json::Type::Array);

    std::size_t complete = 0, instants = 0, metadata = 0;
    bool found_odd = false;
    for (const auto& item : list->items) {
        REQUIRE(item->type == pp_test::Json::Type::Object);
        const pp_test::Json* ph = item->get("ph");
        REQUIRE(ph != nullptr);
        REQUIRE(item->get("pid") != nullptr);
        REQUIRE(item->get("tid") != nullptr);
        if (ph->text == "X") {
            ++complete;
            REQUIRE(item->get("ts") != nullptr);
            REQUIRE(item->get("dur") != nullptr);
            CHECK(item->get("dur")->number() >= 0);  // every span has its end
        } else if (ph->text == "i") {
            ++instants;
        } else if (ph->text == "M") {
            ++metadata;
        } else {
            FAIL("unexpected phase ", ph->text);
        }
        const pp_test::Json* name = item->get("name");
        if (name && name->text == "quote \" backslash \\ newline \n tab \t bell \\u0007") found_odd = true;
    }
    std::size_t spans = 0;
    for (const auto& e : events) spans += pp::is_instant(e.kind) ? 0 : 1;
    CHECK(complete == spans);
    CHECK(instants == events.size() - spans);
    CHECK(metadata >= 3);
    CHECK(found_odd);
}

TEST_CASE("Trace.JsonCheckerRejectsBrokenJson.1thread") {
    // The checker above must be able to fail.
    CHECK((pp_test::Json::parse(R"({"a":[1,2.5,-3e2,"x",true,null,{}]})") != nullptr));
    CHECK((pp_test::Json::parse(R"({"a":[1,2,]})") == nullptr));
    CHECK((pp_test::Json::parse(R"({"a":1,})") == nullptr));
    CHECK((pp_test::Json::parse("{\"a\":\"raw\nnewline\"}") == nullptr));
    CHECK((pp_test::Json::parse(R"({"a":01})") == nullptr));
    CHECK((pp_test::Json::parse(R"({"a":1} x)") == nullptr));
}

TEST_CASE("Trace.NestingCheckerCatchesOverlap.1thread") {
    pp::TraceEvent a, b;
    a.kind = b.kind = pp::TraceKind::TaskRun;
    a.begin_ns = 0, a.end_ns = 10, b.begin_ns = 5, b.end_ns = 15;
    CHECK(pp_test::nesting_violation({a, b}) != "");
    b.end_ns = 10;
    CHECK(pp_test::nesting_violation({a, b}) == "");
    b.begin_ns = 10, b.end_ns = 20;
    CHECK(pp_test::nesting_violation({a, b}) == "");
    b.lane.tid = 7, b.begin_ns = 5, b.end_ns = 15;  // another lane may overlap
    CHECK(pp_test::nesting_violation({a, b}) == "");
}

namespace {
std::int64_t g_fake_ns = 5'000'000'000;
std::int64_t fake_clock() { return g_fake_ns; }
}  // namespace

TEST_CASE("Trace.UseClockKeepsTimeContinuous.1thread") {
    // A platform clock replaces steady_clock without a jump: now_ns() carries on from where it was.
    const std::int64_t before = pp::trace::now_ns();
    pp::trace::use_clock(&fake_clock);
    const std::int64_t switched = pp::trace::now_ns();
    g_fake_ns += 1'000'000;  // the new clock moves 1 ms
    const std::int64_t later = pp::trace::now_ns();
    pp::trace::use_clock(nullptr);  // back to steady_clock for the other tests
    CHECK(switched >= before);
    CHECK(switched - before < 50'000'000);
    CHECK(later - switched == 1'000'000);
    CHECK(pp::trace::now_ns() >= before);
}

TEST_CASE("Trace.ClockKeepsStepWithSteadyClock.1thread") {
    // now_ns() may read the CPU's counter once calibrated (x86-64 Linux, after 200 ms of the
    // program): before and after, it must measure time as steady_clock does, and never go back.
    struct Pair {
        double steady_ns;
        std::int64_t trace_ns;
    };
    const auto steady = [] {
        return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now().time_since_epoch()).count();
    };
    const auto read_pair = [&] {  // both clocks at one moment: retried if preempted between the reads
        for (;;) {
            const double before = steady();
            const std::int64_t trace = pp::trace::now_ns();
            const double after = steady();
            if (after - before < 20e3) return Pair{(before + after) / 2, trace};
        }
    };
    const Pair first = read_pair();
    std::int64_t last = first.trace_ns;
    int went_back = 0;
    while (steady() - first.steady_ns < 350e6) {  // past the calibration, whenever this test runs
        const std::int64_t now = pp::trace::now_ns();
        went_back += now < last;
        last = now;
    }
    const Pair end = read_pair();
    CHECK(went_back == 0);
    // Over 350 ms the two clocks agree to 0.1 ms (a wrong rate would be off by milliseconds).
    CHECK(std::abs(static_cast<double>(end.trace_ns - first.trace_ns) - (end.steady_ns - first.steady_ns)) < 1e5);
}
