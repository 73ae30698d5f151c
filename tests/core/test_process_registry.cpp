// ProcessRegistry: the rows the process panel shows, fed with the same frames a transport moves.
#include "core/process_protocol.hpp"
#include "core/process_registry.hpp"
#include "core/thread.hpp"

#include <doctest.h>

#include <string>
#include <vector>

namespace {

// A pid no real process of this test has (the registry is one per program).
int unused_pid() {
    static int next = 900000;
    return ++next;
}

const pp::ProcessInfo* row_of(const std::vector<pp::ProcessInfo>& rows, int pid) {
    for (const pp::ProcessInfo& row : rows)
        if (row.pid == pid && !row.is_this_process) return &row;
    return nullptr;
}

pp::Bytes request(pp::RequestKind kind, const std::string& task) {
    pp::ByteWriter out;
    pp::write_request_frame(out, kind, 0, 1, task, nullptr, 0);
    return out.take();
}

// A reply frame's payload (no length), as a worker writes it.
pp::Bytes reply_payload(const pp::Reply& reply) {
    pp::ByteWriter out;
    pp::write_value(out, reply);
    return out.take();
}

}  // namespace

TEST_CASE("ProcessRegistry.RowFollowsRequestsRepliesAndExit.1proc") {
    auto& registry = pp::ProcessRegistry::instance();
    const int pid = unused_pid();
    int kills = 0, crashes = 0;
    registry.spawned(pid, false, {[&] { ++kills; }, [&] { ++crashes; }});
    auto rows = registry.snapshot();
    REQUIRE(row_of(rows, pid));
    CHECK(row_of(rows, pid)->state == pp::ProcessState::Starting);
    registry.set_name(pid, "WebWorkerProcess-7");

    // Two tasks in one send (as a transport batches them), and a Stop that is no task.
    pp::Bytes frames = request(pp::RequestKind::RunTask, "square");
    const pp::Bytes second = request(pp::RequestKind::RunTask, "cube");
    frames.insert(frames.end(), second.begin(), second.end());
    registry.sent(pid, frames.data(), frames.size());
    rows = registry.snapshot();
    CHECK(row_of(rows, pid)->state == pp::ProcessState::Starting);  // still loading: not running yet
    registry.ready(pid);
    rows = registry.snapshot();
    CHECK(row_of(rows, pid)->state == pp::ProcessState::Running);
    CHECK(row_of(rows, pid)->task == "square");
    CHECK(row_of(rows, pid)->messages_sent == 2);
    CHECK(row_of(rows, pid)->bytes_sent == frames.size());

    pp::Reply variable;
    variable.kind = pp::ReplyKind::Variable;
    variable.variable_name = "g_counter";
    variable.variable_value = 5;
    variable.variable_address = 0x1234;
    const pp::Bytes shown = reply_payload(variable);
    registry.received(pid, shown.data(), shown.size());
    pp::Reply done;
    done.kind = pp::ReplyKind::Returned;
    const pp::Bytes returned = reply_payload(done);
    registry.received(pid, returned.data(), returned.size());
    rows = registry.snapshot();
    const pp::ProcessInfo* row = row_of(rows, pid);
    CHECK(row->name == "WebWorkerProcess-7");
    CHECK(row->state == pp::ProcessState::Running);
    CHECK(row->task == "cube");
    CHECK(row->tasks_done == 1);
    CHECK(row->messages_received == 2);
    REQUIRE(row->variables.size() == 1);
    CHECK(row->variables[0].name == "g_counter");
    CHECK(row->variables[0].value == 5);
    CHECK(row->variables[0].address == 0x1234);

    registry.received(pid, returned.data(), returned.size());
    rows = registry.snapshot();
    CHECK(row_of(rows, pid)->state == pp::ProcessState::Idle);
    CHECK(row_of(rows, pid)->task.empty());

    CHECK(registry.kill(pid));
    CHECK(registry.crash(pid));
    CHECK(kills == 1);
    CHECK(crashes == 1);
    pp::WorkerExit exit;
    exit.pid = pid;
    exit.signal = 11;
    exit.how = "was killed by signal 11 (SIGSEGV)";
    registry.ended(pid, exit);
    rows = registry.snapshot();
    CHECK(row_of(rows, pid)->state == pp::ProcessState::Crashed);
    CHECK(row_of(rows, pid)->how == exit.how);
    CHECK_FALSE(row_of(rows, pid)->can_control);
    CHECK_FALSE(registry.kill(pid));  // an ended process is never signalled again
    CHECK(kills == 1);

    registry.forget_ended();
    CHECK(row_of(registry.snapshot(), pid) == nullptr);
}

TEST_CASE("ProcessRegistry.EndsAreNamedByWhatEndedThem.3procs") {
    auto& registry = pp::ProcessRegistry::instance();
    const struct {
        int signal, code;
        pp::ProcessState state;
    } cases[] = {{0, 0, pp::ProcessState::Exited}, {9, 0, pp::ProcessState::Killed}, {6, 0, pp::ProcessState::Crashed}};
    for (const auto& c : cases) {
        const int pid = unused_pid();
        registry.spawned(pid, true, {});
        CHECK(row_of(registry.snapshot(), pid)->state == pp::ProcessState::Idle);
        CHECK_FALSE(row_of(registry.snapshot(), pid)->can_control);
        pp::WorkerExit exit;
        exit.pid = pid;
        exit.signal = c.signal;
        exit.exit_code = c.code;
        registry.ended(pid, exit);
        CHECK(row_of(registry.snapshot(), pid)->state == c.state);
    }
}

TEST_CASE("ProcessRegistry.ThreadsOfThisProgramShareOneCounter.3threads") {
    auto& registry = pp::ProcessRegistry::instance();
    registry.forget_ended();
    int shared = 0;
    std::vector<std::unique_ptr<pp::Thread>> threads;
    for (int t = 0; t < 3; ++t)
        threads.push_back(std::make_unique<pp::Thread>([&shared, t] {
            int mine = t;
            pp::publish_variable("mine", mine, &mine);
            pp::publish_variable("shared", 7, &shared);
        }));
    for (auto& thread : threads) thread->start();
    for (auto& thread : threads) thread->join();

    const auto rows = registry.snapshot();
    REQUIRE(rows.front().is_this_process);
    std::vector<std::string> threads_seen;
    std::vector<std::uint64_t> mine_addresses;
    for (const pp::ProcessVariable& variable : rows.front().variables) {
        if (variable.name == "shared") {
            CHECK(variable.address == reinterpret_cast<std::uintptr_t>(&shared));  // one counter for all
            threads_seen.push_back(variable.thread);
        } else {
            mine_addresses.push_back(variable.address);
        }
    }
    CHECK(threads_seen.size() == 3);
    REQUIRE(mine_addresses.size() == 3);
    CHECK(mine_addresses[0] != mine_addresses[1]);  // each thread's stack variable is its own
    CHECK(mine_addresses[1] != mine_addresses[2]);

    // The UI's read: nothing new, nothing copied.
    std::vector<pp::ProcessInfo> copy;
    std::uint64_t version = 0;
    CHECK(registry.try_snapshot(copy, version));
    CHECK_FALSE(registry.try_snapshot(copy, version));
    CHECK(copy.size() == rows.size());
}
