// pp::ThreadPoolExecutor: submit, map, cancellation, shutdown, timing of the tutorial's example.
#include "core/sync.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/workloads.hpp"
#include "test_support.hpp"

#include <doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {
double seconds_since(pp::sync::clock::time_point start) { return std::chrono::duration<double>(pp::sync::clock::now() - start).count(); }

// Holds every worker of a pool busy until release() (so later tasks stay queued).
struct Gate {
    std::atomic<bool> open{false};
    void wait() const {
        while (!open.load()) pp::sync::this_thread::sleep_for(1ms);
    }
    void release() { open.store(true); }
};
}  // namespace

TEST_CASE("ThreadPool.SubmitReturnsResultsAndArgsAreCopied.2threads") {
    pp::ThreadPoolExecutor pool(2);
    std::string text = "abc";
    auto length = pool.submit([](const std::string& s, int extra) { return s.size() + extra; }, text, 10);
    text = "changed after submit";
    CHECK(length.result() == 13);
    auto nothing = pool.submit([] {});
    nothing.result();
    CHECK(nothing.done());
}

TEST_CASE("ThreadPool.MaxWorkersValidationAndDefault.1thread") {
    CHECK_THROWS_AS(pp::ThreadPoolExecutor(0), std::invalid_argument);
    CHECK_THROWS_AS(pp::ThreadPoolExecutor(static_cast<std::size_t>(-1)), std::invalid_argument);
    pp::ThreadPoolExecutor default_pool;
    const std::size_t expected = std::min<std::size_t>(32, std::max(1u, pp::sync::thread::hardware_concurrency()) + 4);
    CHECK(default_pool.max_workers() == expected);
    CHECK(default_pool.worker_count() == 0);  // lazy: no task, no worker
}

TEST_CASE("ThreadPool.WorkersStartLazilyUpToMax.3threads") {
    pp::ThreadPoolExecutor pool(3);
    std::vector<pp::Future<pp::sync::thread::id>> futures;
    for (int i = 0; i < 12; ++i)
        futures.push_back(pool.submit([] {
            pp::sync::this_thread::sleep_for(10ms);
            return pp::sync::this_thread::get_id();
        }));
    std::set<pp::sync::thread::id> ids;
    for (auto& f : futures) ids.insert(f.result());
    CHECK(pool.worker_count() == 3);
    CHECK(ids.size() == 3);
}

TEST_CASE("ThreadPool.MapKeepsInputOrder.3threads") {
    pp::ThreadPoolExecutor pool(3);
    // Later inputs finish first: the results still come back in input order.
    const std::vector<int> inputs = {5, 4, 3, 2, 1, 0};
    std::vector<int> finish_order;
    std::mutex finish_mutex;
    auto results = pool.map(
        [&](int n) {
            pp::sync::this_thread::sleep_for(std::chrono::milliseconds(15 * n));
            std::lock_guard<std::mutex> lock(finish_mutex);
            finish_order.push_back(n);
            return n * n;
        },
        inputs);
    std::vector<int> got;
    for (int r : results) got.push_back(r);
    CHECK(got == std::vector<int>{25, 16, 9, 4, 1, 0});
    CHECK(finish_order != inputs);  // they really did finish out of order
}

TEST_CASE("ThreadPool.MapRethrowsAtTheFailingElement.2threads") {
    pp::ThreadPoolExecutor pool(2);
    auto results = pool.map(
        [](int n) {
            if (n == 2) throw std::domain_error("no twos");
            return n * 10;
        },
        std::vector<int>{0, 1, 2, 3});
    CHECK(results.next() == 0);
    CHECK(results.next() == 10);
    CHECK_THROWS_WITH_AS(results.next(), "no twos", std::domain_error);
    CHECK(results.next() == 30);  // later elements are still there
    CHECK_FALSE(results.has_next());
}

TEST_CASE("ThreadPool.MapTimeoutThrowsTimeoutError.2threads") {
    pp::ThreadPoolExecutor pool(2);
    auto results = pool.map(
        [](int ms) {
            pp::sync::this_thread::sleep_for(std::chrono::milliseconds(ms));
            return ms;
        },
        std::vector<int>{0, 400}, 100ms);
    CHECK(results.next() == 0);
    CHECK_THROWS_AS(results.next(), pp::TimeoutError);
}

TEST_CASE("ThreadPool.MapTimeoutCancelsTheCallItGaveUpOn.1thread") {
    // As in Python's map: the call whose result timed out is cancelled if it has not started, and
    // closing the results cancels the rest, so none of them runs later.
    pp::ThreadPoolExecutor pool(1);
    Gate gate;
    auto blocker = pool.submit([&] { gate.wait(); });
    std::atomic<int> ran{0};
    std::vector<pp::Future<int>> futures;
    {
        auto results = pool.map(
            [&](int x) {
                ++ran;
                return x;
            },
            std::vector<int>{1, 2}, 50ms);
        futures = results.futures();
        CHECK_THROWS_AS(results.next(), pp::TimeoutError);
        CHECK(futures[0].cancelled());
        CHECK(results.has_next());  // the next call is still there to wait for
    }
    gate.release();
    blocker.result();
    pool.shutdown();
    CHECK(ran == 0);
    CHECK(futures[1].cancelled());
}

TEST_CASE("ThreadPool.TaskExceptionComesOutOfResult.2threads") {
    pp::ThreadPoolExecutor pool(2);
    auto failing = pool.submit([]() -> int { throw std::out_of_range("index 9"); });
    CHECK_THROWS_WITH_AS(failing.result(), "index 9", std::out_of_range);
    REQUIRE(failing.exception() != nullptr);
    CHECK_THROWS_AS(std::rethrow_exception(failing.exception()), std::out_of_range);
    CHECK(pool.submit([] { return 1; }).result() == 1);  // the worker survived
}

TEST_CASE("ThreadPool.AsCompletedFollowsFinishOrder.3threads") {
    // Gates set the finish order, not sleeps racing each other: 10 is let go first, 50 once
    // as_completed() has yielded 10, 90 once it has yielded 50. Whatever is yielded next is the
    // only one that can have finished, so another order is a bug, never a slow machine.
    pp::ThreadPoolExecutor pool(3);
    Gate gates[3];
    const int values[3] = {90, 10, 50};
    std::vector<pp::Future<int>> futures;
    for (int i = 0; i < 3; ++i)
        futures.push_back(pool.submit([&gates, i, value = values[i]] {
            gates[i].wait();
            return value;
        }));
    gates[1].release();
    std::vector<int> order;
    for (auto& f : pp::as_completed(futures, 20s)) {
        order.push_back(f.result());
        if (order.size() == 1) gates[2].release();
        if (order.size() == 2) gates[0].release();
    }
    CHECK(order == std::vector<int>{10, 50, 90});
}

TEST_CASE("ThreadPool.CancelPendingButNotRunning.1thread") {
    pp::ThreadPoolExecutor pool(1);
    Gate gate;
    std::atomic<bool> started{false};
    auto running = pool.submit([&] {
        started = true;
        gate.wait();
        return 1;
    });
    std::atomic<bool> queued_ran{false};
    auto queued = pool.submit([&] {
        queued_ran = true;
        return 2;
    });
    while (!started) pp::sync::this_thread::sleep_for(1ms);
    bool callback_saw_cancel = false;
    queued.add_done_callback([&](const pp::Future<int>& f) { callback_saw_cancel = f.cancelled(); });
    CHECK(queued.cancel());
    CHECK(callback_saw_cancel);
    CHECK_FALSE(running.cancel());
    gate.release();
    CHECK(running.result() == 1);
    CHECK_THROWS_AS(queued.result(), pp::CancelledError);
    pool.shutdown();
    CHECK_FALSE(queued_ran);        // the worker skipped it
    CHECK_FALSE(running.cancel());  // finished cannot be cancelled either
}

TEST_CASE("ThreadPool.ShutdownCancelFuturesCancelsPending.1thread") {
    pp::ThreadPoolExecutor pool(1);
    Gate gate;
    std::atomic<bool> started{false};
    auto running = pool.submit([&] {
        started = true;
        gate.wait();
        return 1;
    });
    std::vector<pp::Future<int>> pending;
    for (int i = 0; i < 4; ++i) pending.push_back(pool.submit([i] { return i; }));
    while (!started) pp::sync::this_thread::sleep_for(1ms);
    pool.shutdown(/*wait=*/false, /*cancel_futures=*/true);
    for (auto& f : pending) CHECK(f.cancelled());
    gate.release();
    CHECK(running.result() == 1);  // the running one finishes normally
    CHECK_THROWS_AS((void)pool.submit([] { return 0; }), pp::ExecutorShutdownError);
}

// One worker takes tasks in the order they were submitted, also while the queue's storage grows
// (from 64 slots, doubling) with its oldest task not in its first slot.
TEST_CASE("ThreadPool.OneWorkerRunsTasksInSubmitOrder.1thread") {
    pp::ThreadPoolExecutor pool(1);
    std::mutex mutex;
    std::vector<int> order;
    const auto note = [&](int i) {
        std::lock_guard<std::mutex> lock(mutex);
        order.push_back(i);
    };
    std::vector<pp::Future<void>> done;
    for (int round = 0; round < 3; ++round) {  // each round leaves the queue's start further on
        Gate gate;
        std::atomic<bool> started{false};
        done.push_back(pool.submit([&] {
            started = true;
            gate.wait();
        }));
        while (!started) pp::sync::this_thread::sleep_for(1ms);
        const int first = static_cast<int>(order.size());
        for (int i = 0; i < 37 + 150 * round; ++i) done.push_back(pool.submit(note, first + i));
        gate.release();
        for (auto& f : done) f.result();
        done.clear();
        for (std::size_t i = 0; i < order.size(); ++i) REQUIRE(order[i] == static_cast<int>(i));
    }
    CHECK(order.size() == 37 + 187 + 337);
}

TEST_CASE("ThreadPool.SubmitAfterShutdownThrows.1thread") {
    pp::ThreadPoolExecutor pool(1);
    pool.shutdown();
    CHECK_THROWS_WITH_AS((void)pool.submit([] {}), "cannot schedule new futures after shutdown", pp::ExecutorShutdownError);
    CHECK_THROWS_AS(pool.detach([] {}), pp::ExecutorShutdownError);
    CHECK_THROWS_AS((void)pool.map([](int x) { return x; }, std::vector<int>{1}), pp::ExecutorShutdownError);
    pool.shutdown();  // a second call is fine
}

TEST_CASE("ThreadPool.DestructorWaitsForQueuedTasks.2threads") {
    std::atomic<int> finished{0};
    {
        pp::ThreadPoolExecutor pool(2);
        for (int i = 0; i < 6; ++i)
            pool.detach([&] {
                pp::sync::this_thread::sleep_for(10ms);
                ++finished;
            });
    }  // like leaving Python's `with` block
    CHECK(finished == 6);
}

TEST_CASE("ThreadPool.ShutdownFromOwnTaskIsRejected.1thread") {
    pp::ThreadPoolExecutor pool(1);
    auto attempt = pool.submit([&pool] { pool.shutdown(true); });
    CHECK_THROWS_AS(attempt.result(), std::logic_error);
}

namespace {
// True once every worker lane of the trace recorded its ThreadEnd: the pool's threads have ended.
bool every_worker_ended(std::size_t workers) {
    std::size_t ended = 0;
    for (const auto& e : pp::trace::snapshot())
        if (e.kind == pp::TraceKind::ThreadEnd && e.lane.name.rfind("destroyed-inside", 0) == 0) ++ended;
    return ended == workers;
}
bool wait_until_every_worker_ended(std::size_t workers) {
    const auto deadline = pp::sync::clock::now() + 20s;
    while (!every_worker_ended(workers)) {
        if (pp::sync::clock::now() > deadline) return false;
        pp::sync::this_thread::sleep_for(5ms);
    }
    return true;
}
}  // namespace

TEST_CASE("ThreadPool.DestroyedInItsOwnCallbackRunsWhatIsQueued.1thread") {
    // A done-callback runs on the worker that finished the task, which cannot join itself. The
    // pool shuts down without waiting: what was queued still runs (as Python's workers drain their
    // queue), then the worker ends by itself.
    pp_test::ScopedTrace trace;
    auto* pool = new pp::ThreadPoolExecutor(1, "destroyed-inside-callback");
    Gate gate;
    auto first = pool->submit([&] {
        gate.wait();
        return 1;
    });
    auto queued = pool->submit([] { return 2; });
    first.add_done_callback([pool](const pp::Future<int>&) { delete pool; });
    gate.release();
    CHECK(first.result(20s) == 1);
    CHECK(queued.result(20s) == 2);
    CHECK(wait_until_every_worker_ended(1));
}

TEST_CASE("ThreadPool.DestroyedByItsOwnTask.2threads") {
    pp_test::ScopedTrace trace;
    auto* pool = new pp::ThreadPoolExecutor(2, "destroyed-inside-task");
    Gate gate;
    auto other = pool->submit([&] {
        gate.wait();
        return 3;
    });
    auto destroyer = pool->submit([pool] {
        delete pool;
        return 4;
    });
    CHECK(destroyer.result(20s) == 4);
    gate.release();
    CHECK(other.result(20s) == 3);  // the other worker finishes its task
    CHECK(wait_until_every_worker_ended(2));
}

TEST_CASE("ThreadPool.TutorialFiveSleepsOnThreeWorkers.3threads") {
    // print_number(n): sleep(1) then return "Number: n", scaled down to 200 ms.
    // 5 tasks on 3 workers run in two waves: ~2 sleeps, not 5.
    pp_test::ScopedTrace trace;
    const auto sleep = 200ms;
    const auto start = pp::sync::clock::now();
    std::vector<std::string> results;
    {
        pp::ThreadPoolExecutor pool(3);
        for (std::string& r : pool.map(
                 [&](int n) {
                     pp::sleep_for(sleep);
                     return "Number: " + std::to_string(n);
                 },
                 std::vector<int>{1, 2, 3, 4, 5}))
            results.push_back(r);
    }
    const double elapsed = seconds_since(start);
    CHECK(results == std::vector<std::string>{"Number: 1", "Number: 2", "Number: 3", "Number: 4", "Number: 5"});
    CHECK(elapsed >= 0.38);  // two waves at least: a lower bound no load can break
    // Three sleeps at once, never more, from the trace rather than a wall-clock upper bound.
    CHECK(pp_test::most_at_once(pp_test::events_of_kind(pp::trace::snapshot(), pp::TraceKind::Sleep)) == 3);
}

TEST_CASE("ThreadPool.ManySmallTasksAllComplete.2threads") {
    pp::ThreadPoolExecutor pool(2);
    std::vector<pp::Future<long>> futures;
    futures.reserve(20000);
    for (long i = 0; i < 20000; ++i) futures.push_back(pool.submit([i] { return i * 2; }));
    long sum = 0;
    for (auto& f : futures) sum += f.result();
    CHECK(sum == 20000L * 19999L);
}

TEST_CASE("ThreadPool.TutorialFiveOneSecondSleepsTakeTwoSeconds.3threads") {
    // The tutorial as written: 5 tasks that each time.sleep(1) on max_workers=3 run in two waves.
    const auto start = pp::sync::clock::now();
    std::vector<pp::Future<int>> futures;
    {
        pp::ThreadPoolExecutor pool(3);
        for (int n = 1; n <= 5; ++n)
            futures.push_back(pool.submit([n] {
                pp::sleep_for(1s);
                return n;
            }));
    }
    const double elapsed = seconds_since(start);
    for (int n = 1; n <= 5; ++n) CHECK(futures[n - 1].result() == n);
    CHECK(elapsed >= 1.8);
    CHECK(elapsed < 3.5);  // one worker would take 5 s
}

TEST_CASE("ThreadPool.DetachedExceptionDoesNotKillTheWorker.1thread") {
    pp::ThreadPoolExecutor pool(1);
    pool.detach([] { throw std::runtime_error("detached failure (expected in this test's output)"); });
    CHECK(pool.submit([] { return 5; }).result() == 5);
    CHECK(pool.worker_count() == 1);
}

TEST_CASE("ThreadPool.MapResultsDestroyedEarlyCancelsTheRest.1thread") {
    pp::ThreadPoolExecutor pool(1);
    std::atomic<int> ran{0};
    std::vector<pp::Future<int>> futures;
    Gate gate;
    auto blocker = pool.submit([&] { gate.wait(); });
    {
        auto results = pool.map(
            [&](int x) {
                ++ran;
                return x;
            },
            std::vector<int>{1, 2, 3, 4});
        futures = results.futures();
    }  // like closing Python's map generator: the queued calls are cancelled
    gate.release();
    blocker.result();
    pool.shutdown();
    CHECK(ran == 0);
    for (auto& f : futures) CHECK(f.cancelled());
}

namespace {
// Installs detail::g_before_worker_start for one test and always removes it (a failing CHECK
// must not leave it set for the next test in the same process).
struct ScopedStartHook {
    explicit ScopedStartHook(void (*hook)()) { pp::detail::g_before_worker_start = hook; }
    ~ScopedStartHook() { pp::detail::g_before_worker_start = nullptr; }
    ScopedStartHook(const ScopedStartHook&) = delete;
    ScopedStartHook& operator=(const ScopedStartHook&) = delete;
};
std::atomic<int> g_hook_calls{0};
std::atomic<bool> g_first_task_may_end{false};
std::atomic<bool> g_second_task_ran{false};
std::atomic<bool> g_second_ran_during_start{false};
}  // namespace

TEST_CASE("ThreadPool.RunningWorkersTakeTasksWhileAWorkerStarts.2threads") {
    // Worker 1's creation stands for the browser's 50-100 ms thread start: it waits (up to 10 s)
    // for worker 0 to pick up the queued task. Had submit() held the pool's lock while creating
    // the thread, worker 0 could not take it and the wait would time out.
    g_hook_calls = 0;
    g_first_task_may_end = false;
    g_second_task_ran = false;
    g_second_ran_during_start = false;
    ScopedStartHook hook([] {
        if (g_hook_calls.fetch_add(1) != 1) return;  // worker 0 starts normally
        g_first_task_may_end = true;
        const auto deadline = pp::sync::clock::now() + 10s;
        while (!g_second_task_ran && pp::sync::clock::now() < deadline) pp::sync::this_thread::sleep_for(1ms);
        g_second_ran_during_start = g_second_task_ran.load();
    });
    pp::ThreadPoolExecutor pool(2);
    auto first = pool.submit([] {
        while (!g_first_task_may_end) pp::sync::this_thread::sleep_for(1ms);
    });
    auto second = pool.submit([] { g_second_task_ran = true; });  // queued: worker 0 is busy, so worker 1 starts
    first.result();
    second.result();
    CHECK(g_hook_calls == 2);
    CHECK(g_second_ran_during_start);
    CHECK(pool.worker_count() == 2);
}

TEST_CASE("ThreadPool.SubmitThrowsWhenNoWorkerCanStart.1thread") {
    pp::ThreadPoolExecutor pool(2);
    {
        ScopedStartHook hook([] { throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again)); });
        CHECK_THROWS_AS((void)pool.submit([] { return 1; }), std::system_error);
        CHECK(pool.pending_count() == 0);  // taken back: no worker would ever run it
        CHECK(pool.worker_count() == 0);
    }
    CHECK(pool.submit([] { return 2; }).result() == 2);  // creation works again
    {
        // With a worker running, a failed creation is not an error: that worker runs the task.
        ScopedStartHook hook([] { throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again)); });
        Gate gate;
        auto busy = pool.submit([&] { gate.wait(); });
        auto queued = pool.submit([] { return 3; });  // worker 0 busy: tries (and fails) to start worker 1
        gate.release();
        busy.result();
        CHECK(queued.result() == 3);
        CHECK(pool.worker_count() == 1);
    }
}

namespace {
std::atomic<bool> g_in_start{false};
std::atomic<bool> g_shutdown_begun{false};
}  // namespace

TEST_CASE("ThreadPool.ShutdownJoinsAWorkerBeingStarted.2threads") {
    // Shutdown begins while a submit() is still creating the only worker (gates, not sleeps, order
    // the two): shutdown(true) must wait for that worker and join it, so the task has run when it
    // returns, in whichever order the rest interleaves.
    g_in_start = false;
    g_shutdown_begun = false;
    ScopedStartHook hook([] {
        g_in_start = true;
        const auto deadline = pp::sync::clock::now() + 10s;
        while (!g_shutdown_begun && pp::sync::clock::now() < deadline) pp::sync::this_thread::sleep_for(1ms);
    });
    pp::ThreadPoolExecutor pool(1);
    std::atomic<bool> ran{false};
    pp::sync::thread submitter([&] { pool.detach([&] { ran = true; }); });
    while (!g_in_start) pp::sync::this_thread::sleep_for(1ms);
    pool.shutdown(false);  // the pool is shut down now, with its worker still being created
    g_shutdown_begun = true;
    pool.shutdown(true);
    CHECK(ran);
    CHECK(pool.worker_count() == 1);
    submitter.join();
}

TEST_CASE("ThreadPool.TracedTasksShowTheirArguments.2threads") {
    // The timeline's tooltip shows a task's arguments: map(f, [1, 2, 3]) runs f(1), f(2), f(3).
    pp_test::ScopedTrace trace;
    {
        pp::ThreadPoolExecutor pool(2);
        const std::vector<int> inputs{1, 2, 3};
        CHECK(pool.map([](int x) { return x * 10; }, inputs).to_vector() == std::vector<int>{10, 20, 30});
        pool.submit([](const std::string& s, double d) { return s.size() + d; }, std::string("cat"), 1.5).result();
    }
    std::multiset<std::string> args;
    for (const auto& e : pp::trace::snapshot())
        if (e.kind == pp::TraceKind::TaskRun) args.insert(e.args);
    CHECK(args == std::multiset<std::string>{"1", "2", "3", "\"cat\", 1.5"});
}
