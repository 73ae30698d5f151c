// Schedule.*: the schedule controller (core/schedule.hpp). One thread moves at a time, a blocked
// thread cannot be chosen, a schedule replays to the same run, and explore counts interleavings.
// Portable: natively and in the page these are real threads, in the fallback fibers.
#include "core/schedule.hpp"
#include "core/sync.hpp"
#include "core/thread.hpp"
#include "lessons/lesson.hpp"
#include "lessons/lesson_runner.hpp"

#include <doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace schedule = pp::schedule;

namespace {

const pp::lessons::Lesson& thread_lesson() { return *pp::lessons::find_lesson("thread"); }

pp::lessons::LessonParams race(int workers, int increments, int lock) {
    pp::lessons::LessonParams params = thread_lesson().info.defaults;
    params.workers = workers;
    params.increments = increments;
    params.lock = lock;
    return params;
}

// The run's console, with memory addresses blanked: a replay repeats the steps, not the addresses
// the system hands out (they differ from run to run, and between builds).
std::vector<std::string> console_of(const pp::lessons::LessonRunner::Snapshot& snapshot) {
    std::vector<std::string> lines;
    for (const auto& line : snapshot.console) lines.push_back(std::regex_replace(line.text, std::regex("0x[0-9a-f]+"), "ADDR"));
    return lines;
}

// The trace's events, in order, without timestamps or thread ids: (lane name, kind, name, args).
std::vector<std::string> events_of_run() {
    std::vector<std::string> out;
    for (const pp::TraceEvent& e : pp::trace::snapshot())
        out.push_back(e.lane.name + "|" + pp::to_string(e.kind) + "|" + e.name + "|" +
                      std::regex_replace(e.args, std::regex("0x[0-9a-f]+"), "ADDR"));
    return out;
}

pp::lessons::LessonRunner::Snapshot run_stepped(pp::lessons::LessonRunner& runner, const pp::lessons::LessonParams& params,
                                                pp::lessons::StepOptions step) {
    step.on = true;
    REQUIRE(runner.start(thread_lesson(), params, step));
    REQUIRE(runner.wait(60s));
    return runner.snapshot();
}

}  // namespace

TEST_CASE("Schedule.ExploreCountsTheCounterRace.2threads") {
    pp::lessons::LessonRunner runner;
    REQUIRE(runner.explore(thread_lesson(), race(2, 1, pp::lessons::kWithoutLock)));
    REQUIRE(runner.wait(60s));
    const auto result = *runner.snapshot().explored;
    CHECK(result.complete);
    CHECK(result.schedules == 6);  // the interleavings of two (load, store) pairs: 4! / (2! 2!)
    std::map<std::string, std::size_t> counts;
    for (const auto& outcome : result.outcomes) counts[outcome.text] = outcome.count;
    CHECK(counts == std::map<std::string, std::size_t>{{"counter = 1", 4}, {"counter = 2", 2}});
    CHECK(result.fewest_steps_to_note > 0);

    REQUIRE(runner.explore(thread_lesson(), race(2, 1, pp::lessons::kWithLock)));
    REQUIRE(runner.wait(60s));
    const auto locked = *runner.snapshot().explored;
    CHECK(locked.schedules == 2);  // who takes the lock first; the other cannot move until it is free
    REQUIRE(locked.outcomes.size() == 1);
    CHECK(locked.outcomes[0].text == "counter = 2");
    CHECK(locked.fewest_steps_to_note == -1);  // nothing lost, ever
}

TEST_CASE("Schedule.ExploreMatchesAModelOfThreeThreads.3threads") {
    // By hand: three threads each load then store; 6! / (2! 2! 2!) = 90 interleavings. The final
    // counter of each, from a model that knows nothing of threads: a store writes (its load + 1).
    std::map<int, std::size_t> model;
    std::vector<int> order{0, 0, 1, 1, 2, 2};
    do {
        int counter = 0, step[3] = {0, 0, 0}, loaded[3] = {0, 0, 0};
        for (int t : order) {
            if (step[t]++ == 0)
                loaded[t] = counter;
            else
                counter = loaded[t] + 1;
        }
        ++model[counter];
    } while (std::next_permutation(order.begin(), order.end()));

    pp::lessons::LessonRunner runner;
    REQUIRE(runner.explore(thread_lesson(), race(3, 1, pp::lessons::kWithoutLock)));
    REQUIRE(runner.wait(120s));
    const auto result = *runner.snapshot().explored;
    CHECK(result.schedules == 90);
    std::map<int, std::size_t> counted;
    for (const auto& outcome : result.outcomes) counted[std::stoi(outcome.text.substr(outcome.text.find('=') + 2))] = outcome.count;
    CHECK(counted == model);  // {1: 48, 2: 36, 3: 6}
}

TEST_CASE("Schedule.ReplayGivesTheSameRunEveryTime.2threads") {
    pp::lessons::LessonRunner runner;
    REQUIRE(runner.explore(thread_lesson(), race(2, 1, pp::lessons::kWithoutLock)));
    REQUIRE(runner.wait(60s));
    const auto explored = *runner.snapshot().explored;
    for (const auto& outcome : explored.outcomes) {
        CAPTURE(outcome.schedule);
        pp::lessons::StepOptions step;
        step.schedule = outcome.schedule;
        step.then = schedule::Policy::RoundRobin;
        const auto first = run_stepped(runner, race(2, 1, pp::lessons::kWithoutLock), step);
        const auto first_events = events_of_run();
        const schedule::View first_view = schedule::view();
        const auto second = run_stepped(runner, race(2, 1, pp::lessons::kWithoutLock), step);
        CHECK(first.state == pp::lessons::LessonRunner::State::Done);
        CHECK(first_view.error.empty());
        CHECK(first_view.schedule == outcome.schedule);  // it took exactly these choices
        CHECK(console_of(second) == console_of(first));
        CHECK(events_of_run() == first_events);
        CHECK(schedule::view().shared == first_view.shared);
        CHECK(outcome.text == "counter = " + std::to_string(first_view.shared.at(0).second));
    }
}

TEST_CASE("Schedule.StudentStepsIntoALostUpdate.2threads") {
    // The student's seat: every step waits for a click. Bring both threads to their load, then
    // Thread-1 loads and adds, Thread-2 loads, adds and stores, and Thread-1's store overwrites it.
    pp::lessons::LessonRunner runner;
    pp::lessons::StepOptions step;
    step.on = true;
    REQUIRE(runner.start(thread_lesson(), race(2, 1, pp::lessons::kWithoutLock), step));
    const auto wait_for_student = [&] {
        for (int i = 0; i < 20000; ++i) {
            const schedule::View v = schedule::view();
            if (v.on && v.waiting_for_student) return v;
            if (runner.wait(0ms)) return v;  // the run has ended
            pp::sync::this_thread::sleep_for(1ms);
        }
        FAIL("the run never waited for the student");
        return schedule::View{};
    };
    const auto number_of = [](const schedule::View& v, const std::string& name) {
        for (const auto& t : v.threads)
            if (t.name == name) return t.number;
        return -1;
    };
    const auto next_of = [](const schedule::View& v, int number) {
        return number < 0 ? std::string() : v.threads[static_cast<std::size_t>(number)].next;
    };
    // Any thread that is not yet at its load moves, lowest number first.
    for (int guard = 0;; ++guard) {
        REQUIRE(guard < 200);
        const schedule::View v = wait_for_student();
        REQUIRE(v.on);
        const int t1 = number_of(v, "Thread-1"), t2 = number_of(v, "Thread-2");
        if (next_of(v, t1).rfind("load", 0) == 0 && next_of(v, t2).rfind("load", 0) == 0) break;
        // Blocked threads cannot be chosen: step() says so, and nothing moves.
        for (const auto& t : v.threads)
            if (t.state == schedule::ThreadView::State::Blocked) CHECK_FALSE(schedule::step(t.number));
        const auto mover = std::find_if(v.threads.begin(), v.threads.end(),
                                        [](const schedule::ThreadView& t) { return t.can_move && t.next.rfind("load", 0) != 0; });
        REQUIRE(mover != v.threads.end());
        CHECK(schedule::step(mover->number));
    }
    const schedule::View at_loads = wait_for_student();
    const int t1 = number_of(at_loads, "Thread-1"), t2 = number_of(at_loads, "Thread-2");
    for (const int mover : {t1, t1, t2, t2, t2, t1}) {  // load, add; load, add, store; store
        wait_for_student();
        CHECK(schedule::step(mover));
    }
    const schedule::View after = wait_for_student();
    REQUIRE(after.notes.size() == 1);
    CHECK(after.notes[0] == "Thread-1 stored 1 over Thread-2's 1: one increment lost");
    CHECK(after.steps_at_first_note > 0);
    schedule::finish(schedule::Policy::RoundRobin);
    REQUIRE(runner.wait(60s));
    const auto done = runner.snapshot();
    CHECK(done.console.back().text == "Without a lock: 1 of 2 increments counted (1 lost)");
    // The lost update is marked on Thread-1's timeline lane.
    const auto events = pp::trace::snapshot();
    CHECK(std::any_of(events.begin(), events.end(), [](const pp::TraceEvent& e) {
        return e.kind == pp::TraceKind::Note && e.lane.name == "Thread-1" && e.args.find("one increment lost") != std::string::npos;
    }));
}

TEST_CASE("Schedule.OneThreadMovesAtATime.4threads") {
    // Threads that check in and out around every step: with the controller on, never two at once.
    std::atomic<int> moving{0}, most{0};
    const auto step_many = [&] {
        for (int i = 0; i < 20; ++i) {
            schedule::checkpoint({schedule::ActionKind::Load, "step", true});
            const int now = moving.fetch_add(1) + 1;
            most.store(std::max(most.load(), now));
            pp::sync::this_thread::yield();
            moving.fetch_sub(1);
        }
    };
    {
        schedule::Session session(schedule::make_chooser(schedule::Policy::Random, 7));
        std::vector<pp::Thread> threads;
        for (int t = 0; t < 4; ++t) threads.emplace_back(step_many);
        for (auto& t : threads) t.start();
        for (auto& t : threads) t.join();
    }
    CHECK(most.load() == 1);
    CHECK(schedule::view().steps > 80);
}

TEST_CASE("Schedule.StringsAreChecked.1thread") {
    CHECK(schedule::check_schedule("0112az").empty());
    CHECK(schedule::check_schedule("01-2") == "'-' at position 3 is not a thread of a schedule (0-9, then a-z)");
    CHECK(schedule::schedule_char(11) == 'b');
    CHECK(schedule::schedule_number('b') == 11);
    CHECK_THROWS_AS(schedule::make_replay("0A", nullptr), std::invalid_argument);
}

TEST_CASE("Schedule.StopEndsAStepRunAtOnce.2threads") {
    // The student walks away mid-step: Stop lets every parked thread go, and the run ends.
    pp::lessons::LessonRunner runner;
    pp::lessons::StepOptions step;
    step.on = true;
    REQUIRE(runner.start(thread_lesson(), race(2, 1, pp::lessons::kWithoutLock), step));
    bool waiting = false;
    for (int i = 0; i < 20000 && !waiting; ++i) {
        waiting = schedule::view().on && schedule::view().waiting_for_student;
        if (!waiting) pp::sync::this_thread::sleep_for(1ms);
    }
    REQUIRE(waiting);
    runner.stop();
    REQUIRE(runner.wait(20s));
    CHECK(runner.snapshot().state == pp::lessons::LessonRunner::State::Stopped);
    CHECK_FALSE(schedule::view().on);
}
