// ProcessPanel.*: what the process panel shows natively comes from real fork()ed children (real
// pids, their own memory), and its Kill / Crash buttons (ProcessRegistry::kill / crash) end a real
// child: the pool breaks with BrokenProcessPool, the child is reaped, a new pool works.
#include "core/process_registry.hpp"
#include "process_test_tasks.hpp"

#include <doctest.h>

#include <fstream>
#include <string>

using namespace std::chrono_literals;
using namespace pp_test;

namespace {

// Each process has its own copy: the parent's stays 0 whatever the children do.
int g_panel_counter = 0;
int add_publish_and_sleep(int amount, int sleep_ms) {
    // The default action, as in a build without sanitizers: under ASan/TSan their handler would
    // turn the Crash button's SIGSEGV into "exited with code 66".
    ::signal(SIGSEGV, SIG_DFL);
    g_panel_counter += amount;
    pp::publish_variable("g_panel_counter", g_panel_counter, &g_panel_counter);
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    return g_panel_counter;
}
PP_REGISTER_TASK(add_publish_and_sleep);

const pp::ProcessInfo* row_of(const std::vector<pp::ProcessInfo>& rows, int pid) {
    for (const pp::ProcessInfo& row : rows)
        if (row.pid == pid && !row.is_this_process) return &row;
    return nullptr;
}

// Polls the registry until `pid`'s row satisfies `ok` (or 10 s pass).
template <class Predicate>
pp::ProcessInfo wait_for_row(int pid, Predicate ok) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        const auto rows = pp::ProcessRegistry::instance().snapshot();
        const pp::ProcessInfo* row = row_of(rows, pid);
        if (row && ok(*row)) return *row;
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the registry never showed the expected row for pid " << pid);
        std::this_thread::sleep_for(10ms);
    }
}

// The parent pid of a live process, from /proc.
int parent_of(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "PPid:") {
            int ppid = 0;
            status >> ppid;
            return ppid;
        }
        std::getline(status, key);
    }
    return 0;
}

pp::ProcessPoolOptions one_task_each(int workers) {
    pp::ProcessPoolOptions options;
    options.max_workers = workers;
    options.tasks_in_flight_per_worker = 1;
    return options;
}

// Runs a long task on each of 2 workers, ends one with `deed` from the panel, and checks what a
// student should see: the pool breaks naming the signal, the row says how, nothing is left behind.
void end_one_worker_from_the_panel(bool crash, const char* signal_text, pp::ProcessState expected_state) {
    std::vector<int> pids;
    {
        pp::ProcessPoolExecutor pool(one_task_each(2));
        pids = pool.worker_pids();
        auto first = pool.submit(add_publish_and_sleep_task, 1, 20000);
        auto second = pool.submit(add_publish_and_sleep_task, 1, 20000);
        // Both running, and each has published its own copy.
        for (int pid : pids)
            wait_for_row(pid, [](const pp::ProcessInfo& row) { return row.state == pp::ProcessState::Running && !row.variables.empty(); });
        REQUIRE(parent_of(pids[0]) == pp::ForkServer::instance().pid());  // a real child of the fork server

        auto& registry = pp::ProcessRegistry::instance();
        CHECK(crash ? registry.crash(pids[0]) : registry.kill(pids[0]));
        REQUIRE(first.wait_for(20s));
        std::string message;
        try {
            first.result();
        } catch (const pp::BrokenProcessPool& error) {
            message = error.what();
        }
        CHECK_MESSAGE(message.find("worker pid " + std::to_string(pids[0])) != std::string::npos, message);
        CHECK_MESSAGE(message.find(signal_text) != std::string::npos, message);
        CHECK_THROWS_AS(second.result(), pp::BrokenProcessPool);  // the pool is broken as a whole

        const pp::ProcessInfo row = wait_for_row(pids[0], [](const pp::ProcessInfo& r) { return pp::has_ended(r.state); });
        CHECK(row.state == expected_state);
        CHECK_MESSAGE(row.how.find(signal_text) != std::string::npos, row.how);
        CHECK_FALSE(row.can_control);
        CHECK_FALSE(registry.kill(pids[0]));  // a reaped pid is never signalled again
    }
    for (int pid : pids) CHECK_FALSE(process_exists(pid));  // reaped, not zombies
    CHECK(zombies_of_this_test().empty());
    pp::ProcessPoolExecutor fresh(2);
    CHECK(fresh.submit(square_task, 9).result() == 81);
}

}  // namespace

TEST_CASE("ProcessPanel.ShowsRealPidsTasksAndEachProcessOwnCopy.2procs") {
    g_panel_counter = 0;
    pp::publish_variable("g_panel_counter", g_panel_counter, &g_panel_counter);
    std::vector<int> pids;
    {
        pp::ProcessPoolExecutor pool(one_task_each(2));
        pids = pool.worker_pids();
        std::vector<pp::Future<int>> futures;
        for (int i = 0; i < 4; ++i) futures.push_back(pool.submit(add_publish_and_sleep_task, 5, 30));
        for (auto& future : futures) CHECK(future.result() % 5 == 0);

        const auto rows = pp::ProcessRegistry::instance().snapshot();
        REQUIRE(rows.front().is_this_process);
        CHECK(rows.front().pid == static_cast<int>(::getpid()));
        std::uint64_t done = 0;
        for (int pid : pids) {
            const pp::ProcessInfo* row = row_of(rows, pid);
            REQUIRE_MESSAGE(row, "no row for worker pid " << pid);
            CHECK(parent_of(pid) == pp::ForkServer::instance().pid());  // real, live, forked
            CHECK(row->name.rfind("ForkProcess-", 0) == 0);
            CHECK(row->state == pp::ProcessState::Idle);
            CHECK(row->messages_sent == row->tasks_done);          // one request each, one result each ...
            CHECK(row->messages_received == 2 * row->tasks_done);  // ... plus one published value each
            CHECK(row->bytes_sent > 0);
            done += row->tasks_done;
            // Its own copy: 5 per task it ran, at the same address as the parent's (fork copies
            // the address space), which still holds 0.
            REQUIRE(row->variables.size() == 1);
            CHECK(row->variables[0].name == "g_panel_counter");
            CHECK(row->variables[0].value == 5 * static_cast<std::int64_t>(row->tasks_done));
            CHECK(row->variables[0].address == reinterpret_cast<std::uintptr_t>(&g_panel_counter));
        }
        CHECK(done == 4);
        REQUIRE(rows.front().variables.size() == 1);
        CHECK(rows.front().variables[0].value == 0);
    }
    for (int pid : pids) {
        const pp::ProcessInfo row = wait_for_row(pid, [](const pp::ProcessInfo& r) { return pp::has_ended(r.state); });
        CHECK(row.state == pp::ProcessState::Exited);
        CHECK(row.how == "exited with code 0");
    }
    CHECK(g_panel_counter == 0);
}

TEST_CASE("ProcessPanel.KillButtonBreaksThePoolAndTheChildIsReaped.2procs") {
    end_one_worker_from_the_panel(false, "signal 9", pp::ProcessState::Killed);
}

TEST_CASE("ProcessPanel.CrashButtonBreaksThePoolAndTheChildIsReaped.2procs") {
    end_one_worker_from_the_panel(true, "signal 11", pp::ProcessState::Crashed);
}

TEST_CASE("ProcessPanel.KillButtonEndsAProcess.1proc") {
    pp::Process child(add_publish_and_sleep_task, 1, 20000);
    child.start();
    const int pid = *child.pid();
    wait_for_row(pid, [](const pp::ProcessInfo& row) { return row.state == pp::ProcessState::Running; });
    CHECK(pp::ProcessRegistry::instance().kill(pid));
    REQUIRE(child.join(20s));
    CHECK(child.exitcode() == -9);
    CHECK_THROWS_AS(child.result(), pp::InvalidStateError);
    CHECK_FALSE(process_exists(pid));
    CHECK(zombies_of_this_test().empty());
}
