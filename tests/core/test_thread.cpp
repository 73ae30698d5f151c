// pp::Thread: start/join like threading.Thread, join timeouts, and misuse errors.
#include "core/barrier.hpp"
#include "core/ids.hpp"
#include "core/sync.hpp"
#include "core/thread.hpp"

#include "test_support.hpp"

#include <doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("Thread.StartRunsTargetAndJoinWaits.2threads") {
    std::atomic<bool> ran{false};
    std::uint64_t seen_tid = 0;
    pp::Thread t("worker", [&] {
        pp::sync::this_thread::sleep_for(30ms);
        seen_tid = pp::current_tid();
        ran = true;
    });
    CHECK(t.name() == "worker");
    CHECK_FALSE(t.is_alive());  // not started yet
    CHECK(t.native_id() == 0);
    t.start();
    CHECK(t.is_alive());
    CHECK(t.join());
    CHECK(ran);
    CHECK_FALSE(t.is_alive());
    CHECK(t.native_id() == seen_tid);  // the id the thread saw for itself
    CHECK(seen_tid != pp::current_tid());
    CHECK(t.exception() == nullptr);
    CHECK(t.join());  // joining an ended thread again returns at once
}

TEST_CASE("Thread.JoinTimeoutReturnsFalseWhileRunning.2threads") {
    std::atomic<bool> release{false};
    pp::Thread t([&] {
        while (!release) pp::sync::this_thread::sleep_for(1ms);
    });
    t.start();
    const auto start = pp::sync::clock::now();
    CHECK_FALSE(t.join(50ms));
    const double waited = pp_test::seconds_since(start);
    CHECK(waited >= 0.045);
    CHECK(waited < 2.0);
    CHECK(t.is_alive());
    release = true;
    CHECK(t.join(10s));
    CHECK_FALSE(t.is_alive());
}

TEST_CASE("Thread.JoinBeforeStartThrows.1thread") {
    pp::Thread t([] {});
    CHECK_THROWS_WITH_AS(t.join(), "cannot join thread before it is started", std::logic_error);
    CHECK_THROWS_AS(t.join(10ms), std::logic_error);
    // Still usable afterwards, and the destructor of an unstarted thread does not block.
    t.start();
    CHECK(t.join());
}

TEST_CASE("Thread.StartTwiceThrows.2threads") {
    std::atomic<int> runs{0};
    pp::Thread t([&] { ++runs; });
    t.start();
    CHECK_THROWS_WITH_AS(t.start(), "threads can only be started once", std::logic_error);
    CHECK(t.join());
    CHECK_THROWS_AS(t.start(), std::logic_error);  // nor after it ended
    CHECK(runs == 1);
}

TEST_CASE("Thread.JoinItselfThrows.2threads") {
    std::atomic<bool> threw_logic_error{false};
    pp::Thread* self = nullptr;
    pp::Thread t([&] {
        try {
            self->join();
        } catch (const std::logic_error&) {
            threw_logic_error = true;
        }
    });
    self = &t;
    t.start();
    REQUIRE(t.join(10s));
    CHECK(threw_logic_error);
}

TEST_CASE("Thread.TargetExceptionIsKeptAndThreadEnds.2threads") {
    pp::Thread t("failing", [] { throw std::runtime_error("target failed"); });
    t.start();
    CHECK(t.join(10s));  // the exception ends the thread; join does not rethrow (like Python)
    REQUIRE(t.exception() != nullptr);
    CHECK_THROWS_WITH_AS(std::rethrow_exception(t.exception()), "target failed", std::runtime_error);
}

TEST_CASE("Thread.DefaultNamesAreNumbered.1thread") {
    pp::Thread a([] {}), b([] {});
    CHECK(a.name().rfind("Thread-", 0) == 0);
    CHECK(b.name().rfind("Thread-", 0) == 0);
    CHECK(a.name() != b.name());
}

TEST_CASE("Thread.DestructorJoinsAStartedThread.2threads") {
    std::atomic<bool> finished{false};
    {
        pp::Thread t([&] {
            pp::sync::this_thread::sleep_for(30ms);
            finished = true;
        });
        t.start();
    }  // no join: the destructor waits instead of abandoning the thread
    CHECK(finished);
}

TEST_CASE("Thread.TutorialSquareAndCubeOverlap.3threads") {
    // calc_square and calc_cube each "work" 150 ms per number (a sleep, like the tutorial's
    // time.sleep(0.2)); in two threads the total is one list's worth, not two.
    pp_test::ScopedTrace trace;
    const std::vector<int> numbers = {2, 3, 8, 9};
    std::vector<int> squares, cubes;
    const auto start = pp::sync::clock::now();
    pp::Thread square("calc_square", [&] {
        for (int n : numbers) {
            pp::sleep_for(150ms);
            squares.push_back(n * n);
        }
    });
    pp::Thread cube("calc_cube", [&] {
        for (int n : numbers) {
            pp::sleep_for(150ms);
            cubes.push_back(n * n * n);
        }
    });
    square.start();
    cube.start();
    square.join();
    cube.join();
    const double elapsed = pp_test::seconds_since(start);
    CHECK(squares == std::vector<int>{4, 9, 64, 81});
    CHECK(cubes == std::vector<int>{8, 27, 512, 729});
    CHECK(elapsed >= 0.58);
    // The two threads slept at the same time (one after the other, their Sleep spans would never
    // overlap): a fact from the trace, where a wall-clock upper bound races a loaded machine.
    CHECK(pp_test::most_at_once(pp_test::events_of_kind(pp::trace::snapshot(), pp::TraceKind::Sleep)) == 2);
}

TEST_CASE("Thread.MovesWhileRunningAndJoinsFromItsNewPlace.4threads") {
    // A std::vector<pp::Thread> reallocates as it grows: the running threads must not notice.
    std::atomic<int> done{0};
    pp::Barrier all_running(4);
    std::vector<pp::Thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            all_running.wait();
            done.fetch_add(1);
        });
        threads.back().start();  // started before the next emplace_back moves it
    }
    for (pp::Thread& thread : threads) CHECK(thread.join(std::chrono::seconds(20)));
    CHECK(done.load() == 4);
    pp::Thread moved = std::move(threads.front());
    CHECK(moved.name().rfind("Thread-", 0) == 0);
    CHECK_THROWS_AS(threads.front().start(), std::logic_error);  // the moved-from one
    pp::Thread later([] {});
    later.start();
    later = pp::Thread([] {});  // assigning over a started thread joins it first
    later.start();
    CHECK(later.join(std::chrono::seconds(20)));
}
