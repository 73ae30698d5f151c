// LessonRunner.*: what the command line, the page and the tests run a lesson with.
#include "core/sync.hpp"
#include "core/trace.hpp"
#include "lessons/lesson.hpp"
#include "lessons/lesson_runner.hpp"
#include "test_support.hpp"

#include <doctest.h>

#include <chrono>

using namespace std::chrono_literals;

TEST_CASE("LessonRunner.WaitingForARunLeavesNoLaneInItsTrace.2threads") {
    // A run's recording holds the lesson's threads. A thread that waits for the run to end (the
    // command line polls every 10 ms) watches it and is not one of them: its waits are not traced.
    // The lesson's own main program, blocked in map() for its results, is.
    const pp::lessons::Lesson& lesson = *pp::lessons::find_lesson("thread-pool");
    pp::lessons::LessonParams params = lesson.info.defaults;
    params.time_scale = 0.05;
    pp::lessons::LessonRunner runner;
    REQUIRE(runner.start(lesson, params));
    const auto give_up = pp::sync::clock::now() + 60s;
    int polls = 0;
    while (!runner.wait(1ms) && pp::sync::clock::now() < give_up) ++polls;
    REQUIRE(runner.snapshot().state == pp::lessons::LessonRunner::State::Done);
    CHECK(polls > 0);  // it did wait while the run was recorded
    const pp_test::LaneKey watcher = pp_test::lane_of_this_thread();
    const auto events = pp::trace::snapshot();
    for (const pp::TraceEvent& e : events)
        CHECK_MESSAGE(pp_test::lane_of(e) != watcher, "the watching thread recorded ", pp::to_string(e.kind), " ", e.name);
    bool main_waited_for_results = false;
    for (const pp::TraceEvent& e : pp_test::events_of_kind(events, pp::TraceKind::ResultWait))
        main_waited_for_results |= e.lane.name == "MainThread";
    CHECK(main_waited_for_results);
}
