// pp::Future / pp::Promise / as_completed / wait: concurrent.futures semantics.
#include "core/future.hpp"
#include "core/sync.hpp"
#include "test_support.hpp"

#include <doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("Future.ResultReturnsValueSetByAnotherThread.2threads") {
    pp::Promise<std::string> promise;
    pp::Future<std::string> future = promise.get_future();
    CHECK_FALSE(future.done());
    pp::sync::thread producer([promise]() mutable {
        pp::sync::this_thread::sleep_for(20ms);
        REQUIRE(promise.set_running_or_notify_cancel());
        promise.set_value("forty-two");
    });
    CHECK(future.result() == "forty-two");
    CHECK(future.result() == "forty-two");  // a second call sees the same value
    CHECK(future.done());
    CHECK_FALSE(future.cancelled());
    CHECK(future.exception() == nullptr);
    producer.join();
}

TEST_CASE("Future.ExceptionComesOutOfResultAndException.1thread") {
    pp::Promise<int> promise;
    auto future = promise.get_future();
    promise.set_running_or_notify_cancel();
    promise.set_exception(std::make_exception_ptr(std::runtime_error("disk on fire")));
    CHECK_THROWS_WITH_AS(future.result(), "disk on fire", std::runtime_error);
    std::exception_ptr error = future.exception();
    REQUIRE(error != nullptr);
    CHECK_THROWS_WITH_AS(std::rethrow_exception(error), "disk on fire", std::runtime_error);
}

TEST_CASE("Future.ResultTimeoutThrowsTimeoutError.1thread") {
    pp::Promise<int> promise;
    auto future = promise.get_future();
    const auto start = pp::sync::clock::now();
    CHECK_THROWS_AS(future.result(50ms), pp::TimeoutError);
    const auto waited = pp::sync::clock::now() - start;
    CHECK(waited >= 45ms);
    CHECK(waited < 2s);
    CHECK_THROWS_AS(future.exception(10ms), pp::TimeoutError);
    CHECK_FALSE(future.wait_for(1ms));
    promise.set_value(5);  // still usable after the timeouts
    CHECK(future.result(1s) == 5);
}

TEST_CASE("Future.CancelOnlyWhilePending.1thread") {
    pp::Promise<int> pending;
    auto f = pending.get_future();
    CHECK(f.cancel());
    CHECK(f.cancel());  // cancelling again still reports "cancelled"
    CHECK(f.cancelled());
    CHECK(f.done());
    CHECK_THROWS_AS(f.result(), pp::CancelledError);
    CHECK_THROWS_AS(f.exception(), pp::CancelledError);
    CHECK_FALSE(pending.set_running_or_notify_cancel());  // the executor must skip the task

    pp::Promise<int> running;
    auto r = running.get_future();
    REQUIRE(running.set_running_or_notify_cancel());
    CHECK(r.running());
    CHECK_FALSE(r.cancel());
    running.set_value(1);
    CHECK_FALSE(r.cancel());
    CHECK_FALSE(r.cancelled());
    CHECK(r.result() == 1);
}

TEST_CASE("Future.SecondResultIsInvalidState.1thread") {
    pp::Promise<void> promise;
    promise.set_running_or_notify_cancel();
    promise.set_value();
    CHECK_THROWS_AS(promise.set_value(), pp::InvalidStateError);
    CHECK_THROWS_AS(promise.set_exception(std::make_exception_ptr(std::runtime_error("x"))), pp::InvalidStateError);
    CHECK_THROWS_AS(promise.set_running_or_notify_cancel(), pp::InvalidStateError);
    CHECK_NOTHROW(promise.get_future().result());
    CHECK_THROWS_AS(pp::Future<int>().result(), pp::InvalidStateError);
}

TEST_CASE("Future.DoneCallbacksRunInOrderAndAtOnceWhenDone.2threads") {
    pp::Promise<int> promise;
    auto future = promise.get_future();
    std::vector<std::string> calls;
    pp::sync::thread::id completer_id;
    future.add_done_callback([&](const pp::Future<int>& f) { calls.push_back("first " + std::to_string(f.result())); });
    future.add_done_callback([&](const pp::Future<int>&) { throw std::runtime_error("a callback failing"); });
    future.add_done_callback([&](const pp::Future<int>& f) {
        calls.push_back("third " + std::to_string(f.result()));
        completer_id = pp::sync::this_thread::get_id();
    });
    CHECK(calls.empty());
    pp::sync::thread producer([&] {
        promise.set_running_or_notify_cancel();
        promise.set_value(7);
    });
    const pp::sync::thread::id producer_id = producer.get_id();
    producer.join();
    // Ran on the completing thread, in order; the throwing one did not stop the third.
    CHECK(calls == std::vector<std::string>{"first 7", "third 7"});
    CHECK((completer_id == producer_id));

    // Already done: runs at once, on this thread.
    future.add_done_callback([&](const pp::Future<int>& f) {
        calls.push_back("late " + std::to_string(f.result()));
        completer_id = pp::sync::this_thread::get_id();
    });
    CHECK(calls.back() == "late 7");
    CHECK((completer_id == pp::sync::this_thread::get_id()));
}

// A waiter and a callback register while another thread completes the future, in either order,
// many times over (completing takes the lock only when someone registered first). A lost wake-up
// shows as a wait that lasts until its timeout (the waiter then finds the future done and returns
// normally, so the wait's length is what tells); a callback lost or run twice, as a wrong count.
TEST_CASE("Future.RegisteringWhileCompletingLosesNoWakeUp.2threads") {
    constexpr int kRounds = 20000;
    std::vector<pp::Promise<int>> promises(kRounds);
    std::atomic<int> released{0};  // promises the producer may complete
    pp::sync::thread producer([&] {
        for (int i = 0; i < kRounds; ++i) {
            while (released.load(std::memory_order_acquire) <= i) pp::sync::this_thread::yield();
            promises[i].set_running_or_notify_cancel();
            promises[i].set_value(i);
        }
    });
    std::atomic<int> callbacks{0};
    int rounds_done = 0;
    for (int i = 0; i < kRounds; ++i) {
        pp::Future<int> future = promises[i].get_future();
        released.store(i + 1, std::memory_order_release);
        if (i % 2) future.add_done_callback([&](const pp::Future<int>&) { callbacks.fetch_add(1); });
        const auto waited_from = std::chrono::steady_clock::now();
        try {
            if (future.result(5s) != i) break;
        } catch (const pp::TimeoutError&) {
            break;
        }
        if (std::chrono::steady_clock::now() - waited_from > 4s) break;  // woken by the timeout, not the producer
        ++rounds_done;
    }
    released.store(kRounds);  // lets the producer finish even after a failed round
    producer.join();
    CHECK(rounds_done == kRounds);
    CHECK(callbacks.load() == kRounds / 2);
}

TEST_CASE("Future.CancelRunsCallbacks.1thread") {
    pp::Promise<int> promise;
    auto future = promise.get_future();
    bool saw_cancelled = false;
    future.add_done_callback([&](const pp::Future<int>& f) { saw_cancelled = f.cancelled(); });
    CHECK(future.cancel());
    CHECK(saw_cancelled);
}

TEST_CASE("Future.AsCompletedYieldsInFinishOrder.2threads") {
    // Futures listed in one order, finished in another: as_completed follows the finishing order.
    // One producer finishes them in a fixed sequence, so the order does not depend on the load.
    std::vector<pp::Promise<int>> promises(4);
    std::vector<pp::Future<int>> futures;
    for (auto& p : promises) futures.push_back(p.get_future());
    promises[3].set_value(3);  // done before as_completed is called

    pp::sync::thread producer([&] {
        for (int i : {1, 2, 0}) {
            pp::sync::this_thread::sleep_for(std::chrono::milliseconds(20));  // as_completed is waiting by now
            promises[i].set_value(i);
        }
    });
    std::vector<int> order;
    for (pp::Future<int>& f : pp::as_completed(futures)) order.push_back(f.result());
    producer.join();
    CHECK(order == std::vector<int>{3, 1, 2, 0});
}

TEST_CASE("Future.BlockingWaitsAreTracedAsResultWait.2threads") {
    // A thread blocked in result() or as_completed() shows it on its lane ("waiting for a
    // result"); otherwise its lane reads as running. Taking a result already there records nothing.
    // The producer sets each value only once the trace shows the wait in progress: no race.
    pp_test::ScopedTrace trace;
    const pp_test::LaneKey waiter = pp_test::lane_of_this_thread();
    const auto wait_in_progress = [&](const char* name) {  // false after 10 s: the test fails, never hangs
        for (int waited_ms = 0; waited_ms < 10'000; ++waited_ms) {
            for (const pp::TraceEvent& e : pp::trace::snapshot_live())
                if (e.in_progress && e.kind == pp::TraceKind::ResultWait && e.name == name && pp_test::lane_of(e) == waiter) return true;
            pp::sync::this_thread::sleep_for(1ms);
        }
        return false;
    };
    pp::Promise<int> first, second;
    std::vector<pp::Future<int>> futures = {second.get_future()};
    std::atomic<bool> saw_result_wait{false}, saw_as_completed_wait{false};
    pp::sync::thread producer([&] {
        saw_result_wait = wait_in_progress("result()");
        first.set_value(1);
        saw_as_completed_wait = wait_in_progress("as_completed()");
        second.set_value(2);
    });
    pp::Future<int> future = first.get_future();
    CHECK(future.result() == 1);
    CHECK(future.result() == 1);  // already there: no wait
    for (pp::Future<int>& f : pp::as_completed(futures)) CHECK(f.result() == 2);
    producer.join();
    CHECK(saw_result_wait);
    CHECK(saw_as_completed_wait);
    const auto waits = pp_test::events_of_kind(pp::trace::snapshot(), pp::TraceKind::ResultWait);
    REQUIRE(waits.size() == 2);
    CHECK(waits[0].name == "result()");
    CHECK(waits[1].name == "as_completed()");
    for (const pp::TraceEvent& wait : waits) {
        CHECK(pp_test::lane_of(wait) == waiter);
        CHECK(wait.end_ns > wait.begin_ns);
    }
}

TEST_CASE("Future.AsCompletedTimesOutAndSkipsDuplicates.1thread") {
    pp::Promise<int> done_one, never;
    done_one.set_value(1);
    std::vector<pp::Future<int>> futures = {done_one.get_future(), never.get_future(), done_one.get_future()};
    auto completed = pp::as_completed(futures, 50ms);
    CHECK(completed.remaining() == 2);  // the duplicate is yielded once
    CHECK(completed.next().result() == 1);
    CHECK_THROWS_AS(completed.next(), pp::TimeoutError);
}

TEST_CASE("Future.WaitFirstCompletedAndAll.2threads") {
    pp::Promise<int> fast, slow;
    std::vector<pp::Future<int>> futures = {slow.get_future(), fast.get_future()};
    pp::sync::thread producer([&] {
        pp::sync::this_thread::sleep_for(10ms);
        fast.set_value(1);
        pp::sync::this_thread::sleep_for(60ms);
        slow.set_exception(std::make_exception_ptr(std::runtime_error("slow failed")));
    });
    auto first = pp::wait(futures, std::nullopt, pp::ReturnWhen::FirstCompleted);
    REQUIRE(first.done.size() == 1);
    CHECK(first.done[0] == futures[1]);
    CHECK(first.not_done.size() == 1);

    auto all = pp::wait(futures, 5s, pp::ReturnWhen::AllCompleted);
    CHECK(all.done.size() == 2);
    CHECK(all.not_done.empty());
    producer.join();

    pp::Promise<int> never;
    auto timed_out = pp::wait(std::vector<pp::Future<int>>{never.get_future()}, 20ms);
    CHECK(timed_out.done.empty());
    CHECK(timed_out.not_done.size() == 1);
}

TEST_CASE("Future.WaitFirstExceptionStopsAtFailure.2threads") {
    pp::Promise<int> failing, never;
    std::vector<pp::Future<int>> futures = {never.get_future(), failing.get_future()};
    pp::sync::thread producer([&] {
        pp::sync::this_thread::sleep_for(20ms);
        failing.set_exception(std::make_exception_ptr(std::runtime_error("boom")));
    });
    auto result = pp::wait(futures, 5s, pp::ReturnWhen::FirstException);
    producer.join();
    REQUIRE(result.done.size() == 1);
    CHECK(result.done[0] == futures[1]);
    CHECK(result.not_done.size() == 1);
}
