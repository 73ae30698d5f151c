// pp::print from a child process: each line reaches the parent's console the moment the child
// prints it (not when it ends), in order, stamped with when it was printed, and marked on the
// child's timeline lane, as a Python child's print reaches the terminal it shares with its parent.
#include "../core/test_support.hpp"
#include "process_test_tasks.hpp"

#include "core/print.hpp"

#include <doctest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace pp_test;

namespace {
void print_then_sleep(std::string text, int sleep_ms) {
    pp::print(text);
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
}
PP_REGISTER_TASK(print_then_sleep);

void print_numbered(int count) {
    for (int i = 0; i < count; ++i) pp::print("line " + std::to_string(i));
}
PP_REGISTER_TASK(print_numbered);

void print_twice_apart(int apart_ms) {
    pp::print("first");
    std::this_thread::sleep_for(std::chrono::milliseconds(apart_ms));
    pp::print("second");
}
PP_REGISTER_TASK(print_twice_apart);

// Collects what reaches the program's console, for one test.
class Console {
public:
    Console() {
        pp::set_print_handler([this](const pp::PrintedLine& line) {
            std::lock_guard<std::mutex> lock(mutex_);
            lines_.push_back(line);
        });
    }
    ~Console() { pp::set_print_handler(nullptr); }
    std::vector<pp::PrintedLine> lines() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<pp::PrintedLine> lines_;
};
}  // namespace

TEST_CASE("Print.ChildLineArrivesWhileTheChildStillRuns.1proc") {
    Console console;
    pp::Process child(print_then_sleep_task, std::string("hello from the child"), 20000);
    child.start();
    REQUIRE(poll_until([&] { return !console.lines().empty(); }, 15s, 2ms));
    CHECK(child.is_alive());  // it sleeps 20 s after printing: the line did not wait for its end
    const pp::PrintedLine line = console.lines().front();
    CHECK(line.text == "hello from the child");
    CHECK(line.lane.pid == *child.pid());
    CHECK(line.process == child.name());  // "Process-N": the console says who printed
    child.kill();
    CHECK(child.join(20s));
}

TEST_CASE("Print.ChildLinesArriveInOrderBeforeJoinReturns.1proc") {
    Console console;
    pp::Process child(print_numbered_task, 200);
    child.start();
    REQUIRE(child.join(20s));
    CHECK(child.exitcode() == 0);
    const auto lines = console.lines();  // read right after join(): nothing may still be on its way
    REQUIRE(lines.size() == 200);
    for (int i = 0; i < 200; ++i) CHECK(lines[static_cast<std::size_t>(i)].text == "line " + std::to_string(i));
}

TEST_CASE("Print.ChildLineIsStampedWhenPrinted.1proc") {
    Console console;
    pp::Process child(print_twice_apart_task, 300);
    child.start();
    REQUIRE(child.join(20s));
    const auto lines = console.lines();
    REQUIRE(lines.size() == 2);
    // The child's own clock reading (the trace clock, shared with the parent), not the arrival.
    CHECK(lines[1].at_ns - lines[0].at_ns >= 250'000'000);
    CHECK(lines[0].at_ns <= pp::trace::now_ns());
}

TEST_CASE("Print.PoolWorkersPrintLiveAndTheTimelineMarksEachLine.2procs") {
    Console console;
    pp::trace::clear();
    pp::trace::set_enabled(true);
    {
        pp::ProcessPoolExecutor pool(2);
        auto first = pool.submit(print_then_sleep_task, std::string("a"), 20000);
        auto second = pool.submit(print_then_sleep_task, std::string("b"), 20000);
        REQUIRE(poll_until([&] { return console.lines().size() == 2; }, 15s, 2ms));
        CHECK(pool.pending_tasks() == 2);  // both lines came while both tasks still run
        for (const pp::PrintedLine& line : console.lines()) CHECK(line.process.rfind("ForkProcess-", 0) == 0);
        // The marks are on the workers' lanes, with the printed text, while the tasks run.
        const auto marks = events_of_kind(pp::trace::snapshot(), pp::TraceKind::Print);
        REQUIRE(marks.size() == 2);
        const auto pids = pool.worker_pids();
        for (const pp::TraceEvent& mark : marks) {
            CHECK(std::find(pids.begin(), pids.end(), mark.lane.pid) != pids.end());
            CHECK((mark.args == "a" || mark.args == "b"));
        }
        pool.shutdown(false, true);
        for (int pid : pids) ::kill(pid, SIGKILL);
    }
    pp::trace::set_enabled(false);
    pp::trace::clear();
}

TEST_CASE("Print.ThisProgramsLinesGoToTheHandlerAndTheTimeline.1thread") {
    Console console;
    pp::trace::clear();
    pp::trace::set_enabled(true);
    pp::print("from the parent");
    pp::trace::set_enabled(false);
    const auto lines = console.lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text == "from the parent");
    CHECK(lines[0].process.empty());
    CHECK(lines[0].lane.pid == ::getpid());
    const auto marks = events_of_kind(pp::trace::snapshot(), pp::TraceKind::Print);
    REQUIRE(marks.size() == 1);
    CHECK(marks[0].args == "from the parent");
    CHECK(marks[0].begin_ns == lines[0].at_ns);
    pp::trace::clear();
}
