// pp::Process (multiprocessing.Process): start, join, exitcode (negative for signals), result,
// isolation, destructor cleanup.
#include "../core/test_support.hpp"
#include "process_test_tasks.hpp"

#include <doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <type_traits>

using namespace std::chrono_literals;
using namespace pp_test;

TEST_CASE("Process.StartJoinExitcodeZero.1proc") {
    pp::Process process(square_task, 7);
    CHECK_FALSE(process.pid().has_value());
    CHECK_THROWS_AS(process.join(), pp::InvalidStateError);  // Python: "can only join a started process"
    process.start();
    REQUIRE(process.pid().has_value());
    CHECK(*process.pid() != ::getpid());
    CHECK(process.join(20s));
    CHECK(process.exitcode() == 0);
    CHECK_FALSE(process.is_alive());
    CHECK(process.result() == 49);
    static_assert(std::is_same_v<decltype(process.result()), int>, "the task's return type, deduced");
    CHECK_THROWS_AS(process.start(), pp::InvalidStateError);  // cannot start a process twice
}

TEST_CASE("Process.TaskThatThrowsExitsWithCode1.1proc") {
    pp::Process process(fail_with_task, std::string("nope"));
    process.start();
    REQUIRE(process.join(20s));
    CHECK(process.exitcode() == 1);
    try {
        process.result();
        FAIL("expected RemoteTaskError");
    } catch (const pp::RemoteTaskError& error) {
        CHECK(error.message() == "nope");
        CHECK(error.worker_pid() == *process.pid());
    }
}

TEST_CASE("Process.ExitcodeIsMinusSignalOrExitCode.1proc") {
    SUBCASE("SIGSEGV") {
        pp::Process process(crash_with_segv_task, 0);
        process.start();
        REQUIRE(process.join(20s));
        CHECK(process.exitcode() == -SIGSEGV);
        CHECK_THROWS_AS(process.result(), pp::InvalidStateError);  // died without answering
    }
    SUBCASE("abort") {
        pp::Process process(crash_with_abort_task, 0);
        process.start();
        REQUIRE(process.join(20s));
        CHECK(process.exitcode() == -SIGABRT);
    }
    SUBCASE("_exit(3)") {
        pp::Process process(crash_with_exit3_task, 0);
        process.start();
        REQUIRE(process.join(20s));
        CHECK(process.exitcode() == 3);
    }
    SUBCASE("kill()") {
        pp::Process process(spin_forever_task, 0);
        process.start();
        CHECK_FALSE(process.join(100ms));  // still spinning
        CHECK(process.is_alive());
        CHECK_FALSE(process.exitcode().has_value());
        process.kill();
        REQUIRE(process.join(20s));
        CHECK(process.exitcode() == -SIGKILL);
    }
    SUBCASE("terminate()") {
        pp::Process process(spin_forever_task, 0);
        process.start();
        process.terminate();
        REQUIRE(process.join(20s));
        CHECK(process.exitcode() == -SIGTERM);
    }
    CHECK(zombies_of_this_test().empty());
}

TEST_CASE("Process.ChildChangesToGlobalsStayInChild.1proc") {
    g_counter = 100;  // after the fork server started: the child does not see this either
    pp::Process process(increment_counter_task, 1);
    process.start();
    REQUIRE(process.join(20s));
    CHECK(process.result() == 1);  // the child's copy started at 0
    CHECK(g_counter == 100);
}

TEST_CASE("Process.DestructorEndsRunningChild.1proc") {
    int pid = 0;
    const auto start = std::chrono::steady_clock::now();
    {
        pp::Process process(spin_forever_task, 0);
        process.start();
        pid = *process.pid();
        std::this_thread::sleep_for(50ms);
        CHECK(process_exists(pid));
    }
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK_FALSE(process_exists(pid));
    CHECK(zombies_of_this_test().empty());
}

TEST_CASE("Process.ManyRunAtOnce.4procs") {
    // Two at a time would take 4 x 300 ms; four overlapping take about 300 ms.
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<pp::Process<int>>> processes;
    for (int i = 0; i < 4; ++i) {
        processes.push_back(std::make_unique<pp::Process<int>>(sleep_then_return_task, 300, i));
        processes.back()->start();
    }
    for (int i = 0; i < 4; ++i) {
        REQUIRE(processes[static_cast<std::size_t>(i)]->join(20s));
        CHECK(processes[static_cast<std::size_t>(i)]->result() == i);
    }
    CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("Process.JoinReleasesTheGil.2threads") {
    // Like Thread::join, Process::join is a blocking wait: another "Python" thread runs meanwhile.
    pp_test::ScopedGil gil(true);
    pp::Process process(sleep_then_return_task, 1000, 1);
    const double other_done_s = other_thread_done_s_while([&] {
        process.start();
        process.join();
    });
    CHECK(process.exitcode() == 0);
    CHECK(other_done_s < 0.7);  // not held up until the 1 s child ended
}
