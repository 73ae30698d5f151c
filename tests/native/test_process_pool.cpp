// pp::ProcessPoolExecutor over the fork server: results, order, errors, cancellation, shutdown,
// isolation, crashes (no hang, no zombie), threads at creation time, tutorial timings, traces.
//
// Index of this file
// [SECTION] Helpers
// [SECTION] Results, order, exceptions
// [SECTION] Cancellation and shutdown
// [SECTION] Isolation and real processes
// [SECTION] Crashes: the pool breaks, nothing hangs, nothing is left unreaped
// [SECTION] Threads running while the pool is created
// [SECTION] Task names checked at run time
// [SECTION] A pool inside a pool's task
// [SECTION] Tutorial timings
// [SECTION] Traces from the children
#include "../core/test_support.hpp"
#include "process_test_tasks.hpp"

#include <doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace pp_test;

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------
namespace {

std::string joined(const std::vector<int>& pids) {
    std::string text;
    for (int pid : pids) text += std::to_string(pid) + " ";
    return text;
}

pp::ProcessPoolOptions options(int workers, int in_flight = 8, std::chrono::milliseconds grace = 5000ms) {
    pp::ProcessPoolOptions o;
    o.max_workers = workers;
    o.tasks_in_flight_per_worker = in_flight;
    o.shutdown_grace = grace;
    return o;
}

// The message of the BrokenProcessPool a future failed with ("" if it failed otherwise or not at all).
template <class T>
std::string broken_message(const pp::Future<T>& future) {
    REQUIRE(future.wait_for(20s));
    try {
        future.result();
    } catch (const pp::BrokenProcessPool& error) {
        return error.what();
    } catch (const std::exception& error) {
        FAIL("expected BrokenProcessPool, got: " << error.what());
    }
    return "";
}

// Runs `crash_task` in a 2-worker pool next to a long task and a queued one, and checks the
// whole story: the crashed future, the other pending ones, later submits, reaping.
template <class Crash>
void check_crash_breaks_pool(Crash crash_task, const std::string& expected_how) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<int> pids;
    {
        pp::ProcessPoolExecutor pool(options(2, 1));
        pids = pool.worker_pids();
        auto crashing = pool.submit(crash_task, 200);                  // crashes after the submits below
        auto running = pool.submit(sleep_then_return_task, 30000, 1);  // on the other worker
        auto queued = pool.submit(square_task, 3);                     // waits in the parent

        const std::string message = broken_message(crashing);
        INFO("message: " << message);
        CHECK(message.find(expected_how) != std::string::npos);
        CHECK(message.find("worker pid ") != std::string::npos);
        const bool names_a_worker =
            message.find(std::to_string(pids[0])) != std::string::npos || message.find(std::to_string(pids[1])) != std::string::npos;
        CHECK(names_a_worker);
        CHECK(!broken_message(running).empty());
        CHECK(!broken_message(queued).empty());
        CHECK(pool.broken());
        CHECK_THROWS_AS((void)pool.submit(square_task, 2), pp::BrokenProcessPool);
    }
    CHECK(seconds_since(start) < 10.0);  // not the 30 s the sleeping task asked for
    CHECK(zombies_of_this_test().empty());
    for (int pid : pids) CHECK_MESSAGE(!process_exists(pid), "worker " << pid << " still exists");
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Results, order, exceptions
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.SubmitReturnsResults.2procs") {
    pp::ProcessPoolExecutor pool(2);
    auto squared = pool.submit(square_task, 7);
    auto greeting = pool.submit(greet_task, std::string("ada"), 2);
    auto total = pool.submit(sum_vector_task, std::vector<int>{1, 2, 3, 4});
    CHECK(squared.result(20s) == 49);
    CHECK(greeting.result(20s) == "hello ada;hello ada;");
    CHECK(total.result(20s) == 10);
    // By name, with the types spelled at the call.
    CHECK(pool.submit<int>("cube", 3).result(20s) == 27);
}

TEST_CASE("ProcessPool.MapKeepsInputOrder.3procs") {
    pp::ProcessPoolExecutor pool(options(3, 1));
    // Later inputs finish first: order must come from the inputs, not from completion.
    const std::vector<int> sleeps{400, 300, 200, 100, 0, 0};
    const std::vector<int> values{0, 1, 2, 3, 4, 5};
    CHECK(pool.map(sleep_then_return_task, sleeps, values) == values);

    std::vector<int> many(2000);
    for (int i = 0; i < 2000; ++i) many[static_cast<std::size_t>(i)] = i;
    const std::vector<int> squares = pool.map(square_task, many);
    REQUIRE(squares.size() == many.size());
    for (int i = 0; i < 2000; ++i) CHECK(squares[static_cast<std::size_t>(i)] == i * i);
}

TEST_CASE("ProcessPool.PipelinedTasksAllComplete.2procs") {
    pp::ProcessPoolExecutor pool(options(2, 16));
    std::vector<int> inputs(20000);
    for (int i = 0; i < 20000; ++i) inputs[static_cast<std::size_t>(i)] = i;
    const std::vector<int> results = pool.map(identity_task, inputs);
    CHECK(results == inputs);
    CHECK(pool.pending_tasks() == 0);
}

TEST_CASE("ProcessPool.LargeArgumentsAndResultsRoundTrip.2procs") {
    // Megabytes per message: far more than a socket buffer holds, so sends go out in pieces
    // (the parent never blocks on a full socket) and frames arrive in many reads.
    pp::ProcessPoolExecutor pool(options(2, 4));
    std::vector<int> big(3000000);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<int>(i % 1000);
    std::vector<pp::Future<std::vector<int>>> futures;
    for (int i = 0; i < 4; ++i) futures.push_back(pool.submit(reversed_task, big));
    auto total = pool.submit(sum_vector_task, big);
    std::vector<int> expected(big.rbegin(), big.rend());
    for (auto& f : futures) CHECK(f.result(60s) == expected);
    CHECK(total.result(60s) == 3000000LL / 1000 * (999 * 1000 / 2));
}

TEST_CASE("ProcessPool.AsCompletedYieldsInFinishOrder.3procs") {
    // Gates (files) set the finish order: 2 first, 1 once as_completed() yielded 2, 0 last. The
    // next one yielded is always the only one that can have finished, however loaded the machine.
    pp::ProcessPoolExecutor pool(options(3, 1));
    FileGate gates[3];
    std::vector<pp::Future<int>> futures;
    for (int i = 0; i < 3; ++i) futures.push_back(pool.submit(wait_for_file_then_return_task, gates[i].path(), i));
    gates[2].open();
    std::vector<int> order;
    for (pp::Future<int>& f : pp::as_completed(futures, 30s)) {
        order.push_back(f.result());
        if (order.size() == 1) gates[1].open();
        if (order.size() == 2) gates[0].open();
    }
    CHECK(order == std::vector<int>{2, 1, 0});
}

TEST_CASE("ProcessPool.ResultItsSerializerRejectsFailsOnlyItsFuture.1proc") {
    // Serializer<Percent>::read throws its own exception type for 150: that future fails with
    // it, and the pool, its transport thread and the next task carry on.
    pp::ProcessPoolExecutor pool(options(1));
    auto rejected = pool.submit(percent_task, 150);
    CHECK_THROWS_WITH_AS(rejected.result(20s), "not a percentage: 150", std::out_of_range);
    CHECK(pool.submit(percent_task, 42).result(20s).value == 42);
    CHECK_FALSE(pool.broken());
}

TEST_CASE("ProcessPool.TaskExceptionBecomesRemoteTaskError.2procs") {
    pp::ProcessPoolExecutor pool(2);
    auto failing = pool.submit(fail_with_task, std::string("boom in the child"));
    REQUIRE(failing.wait_for(20s));
    try {
        failing.result();
        FAIL("expected RemoteTaskError");
    } catch (const pp::RemoteTaskError& error) {
        CHECK(error.message() == "boom in the child");
        CHECK(error.type_name() == "std::invalid_argument");
        CHECK(error.task_name() == "fail_with");
        const std::vector<int> pids = pool.worker_pids();
        CHECK(std::find(pids.begin(), pids.end(), error.worker_pid()) != pids.end());
        CHECK(std::string(error.what()).find("boom in the child") != std::string::npos);
    }
    // An exception is not a crash: the pool keeps working, with the same workers.
    CHECK_FALSE(pool.broken());
    CHECK(pool.submit(square_task, 5).result(20s) == 25);
    // map rethrows the first failure.
    CHECK_THROWS_AS(pool.map(fail_with_task, std::vector<std::string>{"a", "b"}), pp::RemoteTaskError);
}

//-----------------------------------------------------------------------------
// [SECTION] Cancellation and shutdown
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.CancelOnlyQueuedTasks.1proc") {
    // One task in flight per worker: the second and third wait in the parent, cancellable.
    pp::ProcessPoolExecutor pool(options(1, 1));
    auto running = pool.submit(sleep_then_return_task, 400, 1);
    auto queued = pool.submit(sleep_then_return_task, 0, 2);
    auto kept = pool.submit(sleep_then_return_task, 0, 3);
    CHECK(running.running());
    CHECK_FALSE(running.cancel());  // already sent to a worker
    CHECK(queued.cancel());
    CHECK(queued.cancelled());
    CHECK_THROWS_AS(queued.result(), pp::CancelledError);
    CHECK(running.result(20s) == 1);
    CHECK(kept.result(20s) == 3);
    CHECK(pool.pending_tasks() == 0);
}

TEST_CASE("ProcessPool.ShutdownCancelFuturesCancelsQueuedOnly.1proc") {
    pp::ProcessPoolExecutor pool(options(1, 1));
    auto running = pool.submit(sleep_then_return_task, 300, 1);
    std::vector<pp::Future<int>> queued;
    for (int i = 0; i < 5; ++i) queued.push_back(pool.submit(square_task, i));
    pool.shutdown(true, true);
    CHECK(running.result(1s) == 1);  // running tasks finish
    for (auto& f : queued) CHECK(f.cancelled());
    CHECK_THROWS_AS((void)pool.submit(square_task, 1), pp::ExecutorShutdownError);
    CHECK(zombies_of_this_test().empty());
}

TEST_CASE("ProcessPool.ShutdownWaitRunsEverythingQueued.2procs") {
    std::vector<pp::Future<int>> futures;
    std::vector<int> pids;
    {
        pp::ProcessPoolExecutor pool(options(2, 1));
        pids = pool.worker_pids();
        for (int i = 0; i < 6; ++i) futures.push_back(pool.submit(sleep_then_return_task, 50, i));
        pool.shutdown(true, false);
        for (auto& f : futures) CHECK(f.done());  // shutdown(wait=true) returned after all of them
        pool.shutdown();                          // twice is fine
    }
    for (int i = 0; i < 6; ++i) CHECK(futures[static_cast<std::size_t>(i)].result() == i);
    for (int pid : pids) CHECK(!process_exists(pid));
    CHECK(zombies_of_this_test().empty());
}

TEST_CASE("ProcessPool.ShutdownWaitsForABacklogLongerThanTheGrace.1proc") {
    // The grace bounds how long shutdown waits with no task finishing, not the whole backlog:
    // four 250 ms tasks on one worker take about 1 s, well past a 400 ms grace, and all succeed.
    std::vector<pp::Future<int>> futures;
    {
        pp::ProcessPoolExecutor pool(options(1, 1, 400ms));
        for (int i = 0; i < 4; ++i) futures.push_back(pool.submit(sleep_then_return_task, 250, i));
        pool.shutdown(true, false);
    }
    for (int i = 0; i < 4; ++i) CHECK(futures[static_cast<std::size_t>(i)].result(0s) == i);
    CHECK(zombies_of_this_test().empty());
}

TEST_CASE("ProcessPool.ShutdownReleasesTheGil.2threads") {
    // Shutting down waits for a 1 s task; another "Python" thread keeps running meanwhile.
    pp_test::ScopedGil gil(true);
    pp::ProcessPoolExecutor pool(options(1, 1));
    auto slow = pool.submit(sleep_then_return_task, 1000, 1);
    const double other_done_s = other_thread_done_s_while([&] { pool.shutdown(); });
    CHECK(slow.result(0s) == 1);
    CHECK(other_done_s < 0.7);  // not held up until the 1 s task ended
}

TEST_CASE("ProcessPool.DestroyedInItsOwnCallbackFailsWhatIsLeft.2procs") {
    // The destructor cannot wait on the thread that delivers replies: the running and the queued
    // task fail with BrokenProcessPool at once, and the workers are killed, none left a zombie.
    auto* pool = new pp::ProcessPoolExecutor(options(2, 1));
    const std::vector<int> pids = pool->worker_pids();
    auto first = pool->submit(sleep_then_return_task, 100, 1);
    auto running = pool->submit(sleep_then_return_task, 30000, 2);
    auto queued = pool->submit(square_task, 3);
    first.add_done_callback([pool](const pp::Future<int>&) { delete pool; });
    CHECK(first.result(20s) == 1);
    for (auto* future : {&running, &queued}) {
        const std::string message = broken_message(*future);
        INFO(message);
        CHECK(message.find("destroyed inside one of its own done-callbacks") != std::string::npos);
    }
    poll_until([&] { return std::none_of(pids.begin(), pids.end(), process_exists) && zombies_of_this_test().empty(); }, 10s, 20ms);
    for (int pid : pids) CHECK(!process_exists(pid));
    CHECK(zombies_of_this_test().empty());
    // The next pool frees what the destroyed one left behind (its transport), and works.
    pp::ProcessPoolExecutor next(options(1));
    CHECK(next.submit(square_task, 4).result(20s) == 16);
}

TEST_CASE("ProcessPool.ShutdownWithoutWaitReturnsAtOnce.2procs") {
    // The task cannot end before the test opens its gate, so shutdown(false) returning first
    // proves it did not wait (no wall-clock bound to race a loaded machine).
    pp::ProcessPoolExecutor pool(options(2, 1));
    FileGate gate;
    auto held = pool.submit(wait_for_file_then_return_task, gate.path(), 7);
    pool.shutdown(false);
    CHECK_FALSE(held.done());
    CHECK_THROWS_AS((void)pool.submit(square_task, 1), pp::ExecutorShutdownError);
    gate.open();
    CHECK(held.result(20s) == 7);  // still runs to completion
}

TEST_CASE("ProcessPool.DestructorEndsSpinningTask.2procs") {
    // Python would wait forever; this pool waits shutdown_grace, then terminates the worker.
    pp::Future<int> spinning;
    std::vector<int> pids;
    const auto start = std::chrono::steady_clock::now();
    {
        pp::ProcessPoolExecutor pool(options(2, 1, 300ms));
        pids = pool.worker_pids();
        spinning = pool.submit(spin_forever_task, 0);
        std::this_thread::sleep_for(100ms);
    }
    CHECK(seconds_since(start) < 5.0);
    const std::string message = broken_message(spinning);
    INFO(message);
    CHECK(message.find("SIGTERM") != std::string::npos);
    CHECK(message.find("shutdown()") != std::string::npos);
    for (int pid : pids) CHECK(!process_exists(pid));
    CHECK(zombies_of_this_test().empty());
}

//-----------------------------------------------------------------------------
// [SECTION] Isolation and real processes
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.ChildChangesToGlobalsStayInChild.1proc") {
    g_counter = 0;
    pp::ProcessPoolExecutor pool(options(1, 1));
    CHECK(pool.submit(increment_counter_task, 5).result(20s) == 5);
    CHECK(pool.submit(increment_counter_task, 5).result(20s) == 10);  // the same worker's own copy
    CHECK(g_counter == 0);                                            // the parent's is untouched
}

TEST_CASE("ProcessPool.WorkersAreDistinctRealProcesses.2procs") {
    pp::ProcessPoolExecutor pool(options(2, 1));
    const std::vector<int> pids = pool.worker_pids();
    REQUIRE(pids.size() == 2);
    INFO("workers: " << joined(pids) << " parent: " << ::getpid());
    CHECK(pids[0] != pids[1]);
    for (int pid : pids) {
        CHECK(pid != ::getpid());
        ProcStat stat;
        REQUIRE(read_proc_stat(pid, stat));
        CHECK(stat.ppid == pp::ForkServer::instance().pid());  // forked by the server, not by us
    }
    // Two tasks at once land on the two workers, and each reports its own getpid().
    auto pid_a = pool.submit(pid_after_sleep_task, 300);
    auto pid_b = pool.submit(pid_after_sleep_task, 300);
    std::set<int> seen{pid_a.result(20s), pid_b.result(20s)};
    CHECK(seen == std::set<int>(pids.begin(), pids.end()));
}

TEST_CASE("ProcessPool.DefaultWorkerCountIsCpuCount.Nprocs") {
    pp::ProcessPoolExecutor pool;
    const int cpus = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    CHECK(pool.max_workers() == cpus);
    CHECK(static_cast<int>(pool.worker_pids().size()) == cpus);
    CHECK(pool.submit(square_task, 4).result(20s) == 16);
}

//-----------------------------------------------------------------------------
// [SECTION] Crashes: the pool breaks, nothing hangs, nothing is left unreaped
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.SegfaultBreaksPool.2procs") {
    check_crash_breaks_pool(crash_with_segv_task, "was killed by signal 11 (SIGSEGV) while running a task");
}

TEST_CASE("ProcessPool.AbortBreaksPool.2procs") {
    check_crash_breaks_pool(crash_with_abort_task, "was killed by signal 6 (SIGABRT) while running a task");
}

TEST_CASE("ProcessPool.ExitCode3BreaksPool.2procs") {
    check_crash_breaks_pool(crash_with_exit3_task, "exited with code 3 while running a task");
}

TEST_CASE("ProcessPool.ExternalSigkillBreaksPool.2procs") {
    std::vector<int> pids;
    {
        pp::ProcessPoolExecutor pool(options(2, 1));
        pids = pool.worker_pids();
        auto victim = pool.submit(sleep_then_return_task, 30000, 0);  // worker 0
        auto other = pool.submit(sleep_then_return_task, 30000, 1);   // worker 1
        auto queued = pool.submit(square_task, 2);
        std::this_thread::sleep_for(100ms);
        REQUIRE(::kill(pids[0], SIGKILL) == 0);
        const std::string message = broken_message(victim);
        INFO(message);
        CHECK(message.find("worker pid " + std::to_string(pids[0]) + " was killed by signal 9 (SIGKILL)") != std::string::npos);
        CHECK(!broken_message(other).empty());
        CHECK(!broken_message(queued).empty());
    }
    CHECK(zombies_of_this_test().empty());
    for (int pid : pids) CHECK(!process_exists(pid));
}

TEST_CASE("ProcessPool.IdleWorkerDeathBreaksPool.2procs") {
    // Python breaks the pool when any worker dies, busy or not.
    pp::ProcessPoolExecutor pool(options(2, 1));
    const int victim = pool.worker_pids()[1];
    REQUIRE(::kill(victim, SIGKILL) == 0);
    REQUIRE(poll_until([&] { return pool.broken(); }, 10s, 5ms));
    try {
        (void)pool.submit(square_task, 1);
        FAIL("submit on a broken pool must throw");
    } catch (const pp::BrokenProcessPool& error) {
        CHECK(std::string(error.what()).find(std::to_string(victim)) != std::string::npos);
        CHECK(std::string(error.what()).find("SIGKILL") != std::string::npos);
    }
}

TEST_CASE("ForkServer.DeathBreaksPoolsAndIsReaped.2procs") {
    const int old_server = pp::ForkServer::instance().pid();
    std::vector<int> pids;
    {
        pp::ProcessPoolExecutor pool(options(2, 1));
        pids = pool.worker_pids();
        auto running = pool.submit(sleep_then_return_task, 30000, 0);
        std::this_thread::sleep_for(100ms);
        REQUIRE(::kill(old_server, SIGKILL) == 0);
        const std::string message = broken_message(running);
        INFO(message);
        CHECK(message.find("fork server died") != std::string::npos);
    }
    // The transport reaped the dead server: not left as our zombie.
    CHECK(zombie_children_of(static_cast<int>(::getpid())).empty());
    CHECK_FALSE(process_exists(old_server));
    // Its workers died with it (PR_SET_PDEATHSIG); they are init's to reap now, so only check
    // that none still runs.
    for (int pid : pids) {
        ProcStat stat;
        poll_until([&] { return !read_proc_stat(pid, stat) || stat.state == 'Z'; }, 5s, 5ms);
        CHECK_MESSAGE((!read_proc_stat(pid, stat) || stat.state == 'Z'), "worker " << pid << " outlived the server");
    }
    // A new server starts on next use, and pools work again.
    pp::ProcessPoolExecutor pool(options(2, 1));
    CHECK(pool.submit(square_task, 12).result(20s) == 144);
    CHECK(pp::ForkServer::instance().pid() != old_server);
}

TEST_CASE("ForkServer.PoolRightAfterItWasKilledWorks.1proc") {
    // A server killed a moment ago may not be a zombie yet, so it is not reaped and still looks
    // alive; its socket answers nothing. The next pool must not fail for that (found by pp_soak's
    // chaos runs). Several rounds: the moment of death varies.
    for (int round = 0; round < 20; ++round) {
        const int server = pp::ForkServer::instance().pid();
        REQUIRE(::kill(server, SIGKILL) == 0);
        pp::ProcessPoolExecutor pool(options(1));
        CHECK(pool.submit(square_task, round).result(20s) == round * round);
        CHECK(pp::ForkServer::instance().pid() != server);
    }
    CHECK(zombie_children_of(static_cast<int>(::getpid())).empty());
}

//-----------------------------------------------------------------------------
// [SECTION] Threads running while the pool is created
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.CreatedWhileOtherThreadsRun.4threads") {
    // Busy threads that hold malloc's and a mutex's locks most of the time: a pool that fork()ed
    // from here would copy those locks held, and its children would deadlock in allocate_strings.
    REQUIRE(pp::ForkServer::started());
    std::atomic<bool> stop{false};
    std::mutex shared;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            std::vector<std::string> junk;
            while (!stop.load()) {
                std::lock_guard<std::mutex> lock(shared);
                junk.push_back(std::string(200, 'y'));
                if (junk.size() > 1000) junk.clear();
            }
        });
    }
    std::vector<int> results;
    {
        for (int round = 0; round < 3; ++round) {
            pp::ProcessPoolExecutor pool(options(2, 4));
            std::vector<pp::Future<std::size_t>> futures;
            for (int i = 0; i < 20; ++i) futures.push_back(pool.submit(allocate_strings_task, 5000));
            for (auto& f : futures) CHECK(f.result(30s) == 5000u);
        }
    }
    stop.store(true);
    for (auto& thread : threads) thread.join();
    CHECK(zombies_of_this_test().empty());
}

//-----------------------------------------------------------------------------
// [SECTION] Task names checked at run time
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.UnknownTaskNameIsClearError.1proc") {
    pp::ProcessPoolExecutor pool(1);
    try {
        (void)pool.submit<int>("no_such_task", 1);
        FAIL("expected UnknownTaskError");
    } catch (const pp::UnknownTaskError& error) {
        const std::string what = error.what();
        CHECK(what.find("no_such_task") != std::string::npos);
        CHECK(what.find("PP_REGISTER_TASK") != std::string::npos);
    }
    CHECK_THROWS_AS((void)pool.submit_bytes("no_such_task", pp::Bytes{}), pp::UnknownTaskError);
    // Registered, but called with the wrong types.
    CHECK_THROWS_AS((void)pool.submit<std::string>("square", 1), pp::TaskSignatureError);
    CHECK_THROWS_AS(pp::find_task<int(std::string)>("square"), pp::TaskSignatureError);
    // Registering now would create a task the workers do not have: refused.
    CHECK_THROWS_AS(pp::register_task<int(int)>("too_late", [](int x) { return x; }), pp::TaskRegistrationError);
    // Bytes that do not decode as the task's arguments fail in the worker, not the pool.
    auto garbage = pool.submit_bytes("square", pp::Bytes{1, 2});
    CHECK_THROWS_AS(garbage.result(20s), pp::RemoteTaskError);
    CHECK(pool.submit(square_task, 9).result(20s) == 81);
}

//-----------------------------------------------------------------------------
// [SECTION] A pool inside a pool's task
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.TaskStartsAPoolOfItsOwn.2procs") {
    // Python prints 49: a worker may start a pool of its own. The worker was forked from a
    // server that inherited the parent's fork-server lock held, so its pool used to wait forever.
    int worker = 0;
    int nested_server = 0;
    {
        pp::ProcessPoolExecutor pool(options(1, 1));
        worker = pool.worker_pids()[0];
        CHECK(pool.submit(square_in_nested_pool_task, 7).result(30s) == 49);
        CHECK(pool.submit(square_in_nested_pool_task, 8).result(30s) == 64);  // its server, again
        nested_server = pool.submit(own_fork_server_pid_task, 0).result(30s);
        CHECK(nested_server > 0);
        CHECK(nested_server != pp::ForkServer::instance().pid());
        ProcStat stat;
        REQUIRE(read_proc_stat(nested_server, stat));
        CHECK(stat.ppid == worker);  // the worker's own child
    }
    // The worker stops and reaps its server when it exits: nothing is left behind.
    CHECK(poll_until([&] { return !process_exists(worker) && !process_exists(nested_server); }, 10s, 10ms));
    CHECK(zombies_of_this_test().empty());
    pp::ProcessPoolExecutor next(options(1));
    CHECK(next.submit(square_task, 5).result(20s) == 25);
}

//-----------------------------------------------------------------------------
// [SECTION] Tutorial timings
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.TutorialSquareAndCubeOverlap.2procs") {
    pp_test::ScopedTrace trace;  // the workers' TaskRun spans come back with their results
    pp::ProcessPoolExecutor pool(2);
    const auto start = std::chrono::steady_clock::now();
    auto squared = pool.submit(square_slowly_task, 4);
    auto cubed = pool.submit(cube_slowly_task, 4);
    CHECK(squared.result(20s) == 16);
    CHECK(cubed.result(20s) == 64);
    CHECK(seconds_since(start) >= 0.29);
    // The two ran at the same time, in two processes: their spans overlap (one after the other
    // they would not). From the trace, not a wall-clock upper bound that a busy machine breaks.
    std::vector<pp::TraceEvent> runs;
    for (const auto& e : pp_test::events_of_kind(pp::trace::snapshot(), pp::TraceKind::TaskRun))
        if (e.name == "square_slowly" || e.name == "cube_slowly") runs.push_back(e);
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].lane.pid != runs[1].lane.pid);
    CHECK(pp_test::most_at_once(runs) == 2);
}

TEST_CASE("ProcessPool.TutorialFiveOneSecondTasks.3procs") {
    pp::ProcessPoolExecutor pool(3);
    const auto start = std::chrono::steady_clock::now();
    std::vector<int> ids{0, 1, 2, 3, 4};
    const std::vector<int> results = pool.map(sleep_then_return_task, std::vector<int>(5, 1000), ids);
    const double elapsed = seconds_since(start);
    CHECK(results == ids);
    CHECK(elapsed >= 1.8);  // two rounds: 3 tasks, then 2
    CHECK(elapsed < 3.5);
}

//-----------------------------------------------------------------------------
// [SECTION] Traces from the children
//-----------------------------------------------------------------------------

TEST_CASE("ProcessPool.TraceEventsFromChildrenArrive.2procs") {
    pp::trace::clear();
    pp::trace::set_enabled(true);
    std::vector<int> pids;
    {
        pp::ProcessPoolExecutor pool(options(2, 1));
        pids = pool.worker_pids();
        std::vector<pp::Future<int>> futures;
        for (int i = 0; i < 6; ++i) futures.push_back(pool.submit(traced_work_task, i));
        for (int i = 0; i < 6; ++i) CHECK(futures[static_cast<std::size_t>(i)].result(20s) == i + 1);
    }
    pp::trace::set_enabled(false);
    const std::vector<pp::TraceEvent> events = pp::trace::snapshot();
    std::set<std::uint64_t> submitted;
    std::set<std::uint64_t> ran;
    std::set<int> run_pids;
    int child_spans = 0;
    for (const pp::TraceEvent& e : events) {
        if (e.kind == pp::TraceKind::TaskSubmitted && e.name == "traced_work") {
            CHECK(e.lane.pid == ::getpid());
            submitted.insert(e.task_id);
        }
        if (e.kind == pp::TraceKind::TaskRun && e.name == "traced_work") {
            ran.insert(e.task_id);
            run_pids.insert(e.lane.pid);
            CHECK(e.end_ns > e.begin_ns);
        }
        if (e.kind == pp::TraceKind::IoWait && e.name == "child_io") {
            ++child_spans;
            CHECK(std::find(pids.begin(), pids.end(), e.lane.pid) != pids.end());
        }
    }
    CHECK(submitted.size() == 6);
    CHECK(ran == submitted);  // every task's run span came back, with the parent's task id
    CHECK(child_spans == 6);
    for (int pid : run_pids) CHECK(std::find(pids.begin(), pids.end(), pid) != pids.end());
    CHECK(run_pids.size() == 2);  // one lane per worker process
    const std::string json = pp::trace::to_chrome_trace_json(events);
    CHECK(json.find("ForkProcess-") != std::string::npos);
    pp::trace::clear();
}
