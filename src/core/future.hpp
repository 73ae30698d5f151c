// pp::Future<T> / pp::Promise<T>: Python's concurrent.futures.Future, in C++17.
//
// Index of this file
// [SECTION] Timeouts and deadlines
// [SECTION] detail::FutureStateBase: status, exception, waiters (type-independent part)
// [SECTION] detail::FutureState<T>: value and done-callbacks
// [SECTION] Future<T>: the consumer's handle
// [SECTION] Promise<T>: the producer's handle
// [SECTION] as_completed(): futures in the order they finish
// [SECTION] wait(): block until first completed / first exception / all completed
//
// Semantics follow Python (PEP 3148), with two deliberate differences:
// - a future cancelled with cancel() counts as completed for as_completed()/wait() right away
//   (Python waits until the executor "notices" the cancellation, which can hang forever
//   after shutdown(cancel_futures=True));
// - a Promise that is dropped without a result leaves its future pending: whoever owns the
//   Promise (an executor) must always finish or cancel it.
#pragma once

#include "core/errors.hpp"
#include "core/gil.hpp"
#include "core/schedule.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

namespace pp {

template <class T>
class Future;
template <class T>
class Promise;

//-----------------------------------------------------------------------------
// [SECTION] Timeouts and deadlines
//-----------------------------------------------------------------------------
// std::nullopt waits forever, like Python's timeout=None. Any std::chrono duration with an
// integer count converts implicitly (200ms, 2s); a zero or negative timeout only polls.
using Timeout = std::optional<std::chrono::nanoseconds>;

namespace detail {

struct Deadline {
    std::optional<sync::clock::time_point> at;

    static Deadline never() { return {}; }
    static Deadline after(Timeout timeout) {
        // Beyond ~100 years, now + timeout would overflow: treat as "never".
        if (!timeout || *timeout > std::chrono::hours(24 * 365 * 100)) return {};
        return {sync::clock::now() + *timeout};
    }
};

template <class Rep, class Period>
Timeout to_timeout(std::chrono::duration<Rep, Period> d) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(d);
}

// Fires when any of the futures it watches completes; as_completed() and wait() own one.
struct CompletionWaiter {
    std::mutex mutex;
    sync::condition_variable cv;
    std::vector<std::size_t> completed;  // indices, in completion order

    void notify(std::size_t index) {
        std::lock_guard<std::mutex> lock(mutex);
        completed.push_back(index);
        cv.notify_all();
    }
};

//-----------------------------------------------------------------------------
// [SECTION] detail::FutureStateBase: status, exception, waiters (type-independent part)
//-----------------------------------------------------------------------------
// Completing: one thread has claimed the result (set_result/set_exception) and is storing it.
enum class FutureStatus : std::uint8_t { Pending, Running, Completing, Cancelled, Finished };

// The status is an atomic, so the steps every task takes (pending -> running -> finished) cost
// one atomic operation each and no lock. The lock guards what others register: blocked waiters,
// as_completed()/wait() waiters and done-callbacks. Whoever registers first sets `interest_`;
// only then does completing take the lock, to wake and call them. (A pool's task used to take
// this lock twice: dropping that made an empty task about a tenth cheaper, 0.97 -> 0.88 us median
// on a 2-core VM, bench/run.sh empty_tasks_thread_pool.)
//
// Why no wake-up is lost: a registrant stores interest_ and then loads the status, both under the
// lock; the completer stores the status and then loads interest_. Both are seq_cst, so at least
// one sees the other's store: either the registrant sees the future done and does not wait, or
// the completer sees the interest and takes the lock, which the registrant holds until it waits.
class FutureStateBase {
public:
    FutureStateBase() = default;
    FutureStateBase(const FutureStateBase&) = delete;
    FutureStateBase& operator=(const FutureStateBase&) = delete;
    virtual ~FutureStateBase() = default;

    bool done() const { return is_done(status_.load(std::memory_order_acquire)); }
    bool running() const {  // Completing too: from outside, the call runs until its result is published
        const FutureStatus status = status_.load(std::memory_order_acquire);
        return status == FutureStatus::Running || status == FutureStatus::Completing;
    }
    bool cancelled() const { return status_.load(std::memory_order_acquire) == FutureStatus::Cancelled; }

    // Returns false if the deadline passed first.
    bool wait_until(const Deadline& deadline) const {
        if (done()) return true;
        std::unique_lock<std::mutex> lock(mutex_);
        return wait_locked(lock, deadline);
    }

    std::exception_ptr exception(const Deadline& deadline) const {
        if (!done()) {
            std::unique_lock<std::mutex> lock(mutex_);
            if (!wait_locked(lock, deadline)) throw TimeoutError("future did not complete within the timeout");
        }
        if (status_.load(std::memory_order_acquire) == FutureStatus::Cancelled) throw CancelledError();
        return error_;
    }

    // Registers `waiter` to hear about completion as `index`; returns false (and registers
    // nothing) when the future is already done, so the caller counts it itself.
    bool add_waiter(const std::shared_ptr<CompletionWaiter>& waiter, std::size_t index) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (register_interest_locked()) return false;
        waiters_.push_back({waiter, index});
        return true;
    }
    void remove_waiter(const CompletionWaiter* waiter) {
        std::lock_guard<std::mutex> lock(mutex_);
        waiters_.erase(std::remove_if(waiters_.begin(), waiters_.end(), [&](const WaiterEntry& e) { return e.waiter.get() == waiter; }),
                       waiters_.end());
    }

protected:
    struct WaiterEntry {
        std::shared_ptr<CompletionWaiter> waiter;
        std::size_t index;
    };

    static bool is_done(FutureStatus status) { return status == FutureStatus::Finished || status == FutureStatus::Cancelled; }

    // With the lock held, before waiting or registering anything: returns true if the future is
    // already done (then register nothing), false if the completer will take the lock to wake us.
    bool register_interest_locked() const {
        interest_.store(true, std::memory_order_seq_cst);
        return is_done(status_.load(std::memory_order_seq_cst));
    }

    bool wait_locked(std::unique_lock<std::mutex>& lock, const Deadline& deadline) const {
        if (register_interest_locked()) return true;
        if (!gil::held_by_this_thread()) return wait_blocking_locked(lock, deadline);
        // Blocking while holding the emulated GIL would stall the task we wait for. The GIL is
        // taken back without our lock held, since the completing thread may need that lock.
        lock.unlock();
        {
            gil::ReleaseGuard release_gil;
            lock.lock();
            wait_blocking_locked(lock, deadline);
            lock.unlock();
        }
        lock.lock();
        return done();
    }
    bool wait_blocking_locked(std::unique_lock<std::mutex>& lock, const Deadline& deadline) const {
        const schedule::WaitLabel label("wait for a result");
        TraceSpan waiting(TraceKind::ResultWait, "result()");  // without it the waiting thread's lane reads as running
        if (!deadline.at) {
            cv_.wait(lock, [&] { return done(); });
            return true;
        }
        return cv_.wait_until(lock, *deadline.at, [&] { return done(); });
    }

    // set_result()/set_exception(), step 1: the only thread allowed to store a result is the one
    // that moves a pending or running future to Completing. Throws InvalidStateError otherwise.
    void claim_result(const char* call) {
        FutureStatus status = status_.load(std::memory_order_relaxed);
        while (status == FutureStatus::Pending || status == FutureStatus::Running)
            if (status_.compare_exchange_weak(status, FutureStatus::Completing, std::memory_order_acquire, std::memory_order_relaxed))
                return;
        throw InvalidStateError(std::string(call) + ": the future is already " +
                                (status == FutureStatus::Cancelled ? "cancelled" : "finished"));
    }
    // Step 2, once the result is stored: publishes it; true if someone registered interest, and
    // the caller must then take the lock and call wake_everyone_locked().
    bool publish_result() {
        status_.store(FutureStatus::Finished, std::memory_order_seq_cst);
        return interest_.load(std::memory_order_seq_cst);
    }
    // With the lock held, once the status is final.
    void wake_everyone_locked() {
        cv_.notify_all();
        for (auto& entry : waiters_) entry.waiter->notify(entry.index);
        waiters_.clear();
    }

    mutable std::mutex mutex_;
    mutable sync::condition_variable cv_;
    // Once Finished or Cancelled, the status, error_ and the value never change again, so a
    // reader that sees that (acquire) reads them without the lock. Most results are taken after
    // their task ended; they then cost no lock at all.
    std::atomic<FutureStatus> status_{FutureStatus::Pending};
    mutable std::atomic<bool> interest_{false};  // set for good by the first registrant
    std::exception_ptr error_;
    std::vector<WaiterEntry> waiters_;  // under mutex_
};

//-----------------------------------------------------------------------------
// [SECTION] detail::FutureState<T>: value and done-callbacks
//-----------------------------------------------------------------------------
struct VoidValue {};

template <class T>
class FutureState : public FutureStateBase, public std::enable_shared_from_this<FutureState<T>> {
public:
    using Stored = std::conditional_t<std::is_void_v<T>, VoidValue, T>;
    using Callback = std::function<void(const Future<T>&)>;

    // Python's Future.cancel(): only a pending future can be cancelled.
    bool cancel() {
        std::vector<Callback> to_call;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            FutureStatus status = FutureStatus::Pending;
            if (!status_.compare_exchange_strong(status, FutureStatus::Cancelled, std::memory_order_seq_cst))
                return status == FutureStatus::Cancelled;
            wake_everyone_locked();
            to_call.swap(callbacks_);
        }
        invoke(to_call);
        return true;
    }

    bool set_running_or_notify_cancel() {
        FutureStatus status = FutureStatus::Pending;
        if (status_.compare_exchange_strong(status, FutureStatus::Running, std::memory_order_acq_rel)) return true;
        if (status == FutureStatus::Cancelled) return false;
        throw InvalidStateError("set_running_or_notify_cancel: the future is not pending");
    }

    template <class... V>
    void set_result(V&&... value) {
        claim_result("set_value");
        value_.emplace(std::forward<V>(value)...);
        finish();
    }

    void set_exception(std::exception_ptr error) {
        if (!error) throw std::invalid_argument("set_exception: null exception_ptr");
        claim_result("set_exception");
        error_ = std::move(error);
        finish();
    }

    void add_done_callback(Callback fn) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!register_interest_locked()) {
                callbacks_.push_back(std::move(fn));
                return;
            }
        }
        std::vector<Callback> one;
        one.push_back(std::move(fn));
        invoke(one);
    }

    // Waits, then copies the value out (or throws the task's exception / Cancelled / Timeout).
    T get(const Deadline& deadline) const {
        wait_until_done(deadline);
        if constexpr (!std::is_void_v<T>) return *value_;
    }
    // Like get(), but moves the value out: only for a caller that owns the last use (map()).
    T take(const Deadline& deadline) {
        wait_until_done(deadline);
        if constexpr (!std::is_void_v<T>) return std::move(*value_);
    }

private:
    // Returns once done with a value; throws the task's exception, CancelledError or TimeoutError.
    void wait_until_done(const Deadline& deadline) const {
        if (!done()) {
            std::unique_lock<std::mutex> lock(mutex_);
            if (!wait_locked(lock, deadline)) throw TimeoutError("future did not complete within the timeout");
        }
        if (status_.load(std::memory_order_acquire) == FutureStatus::Cancelled) throw CancelledError();
        if (error_) std::rethrow_exception(error_);
    }

    // After claim_result() and storing the result: publishes it, then wakes and calls whoever registered.
    void finish() {
        if (!publish_result()) return;
        std::vector<Callback> to_call;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            wake_everyone_locked();
            to_call.swap(callbacks_);
        }
        invoke(to_call);
    }

    // Runs outside the lock, like Python; a throwing callback is reported and the rest still run.
    void invoke(std::vector<Callback>& callbacks);

    std::optional<Stored> value_;
    std::vector<Callback> callbacks_;  // under mutex_
};

}  // namespace detail

//-----------------------------------------------------------------------------
// [SECTION] Future<T>: the consumer's handle
//-----------------------------------------------------------------------------
// A cheap, copyable handle to a shared state: copies observe the same result.
// A default-constructed Future is invalid; every call on it except valid() throws InvalidStateError.
template <class T>
class Future {
public:
    Future() = default;
    explicit Future(std::shared_ptr<detail::FutureState<T>> state) : state_(std::move(state)) {}

    bool valid() const noexcept { return state_ != nullptr; }

    // Blocks until done, then returns a copy of the value, rethrows the task's exception, or throws
    // CancelledError. Calling it from the thread that must complete this future (e.g. inside a
    // task of a 1-worker pool, on a future queued behind it) deadlocks: use a timeout there.
    T result() const { return state().get(detail::Deadline::never()); }
    // Same, but throws TimeoutError when `timeout` passes first (the future keeps running).
    template <class Rep, class Period>
    T result(std::chrono::duration<Rep, Period> timeout) const {
        return state().get(detail::Deadline::after(detail::to_timeout(timeout)));
    }

    // The task's exception, or nullptr if it returned normally. Throws CancelledError if cancelled.
    std::exception_ptr exception() const { return state().exception(detail::Deadline::never()); }
    template <class Rep, class Period>
    std::exception_ptr exception(std::chrono::duration<Rep, Period> timeout) const {
        return state().exception(detail::Deadline::after(detail::to_timeout(timeout)));
    }

    // Blocks until done (finished or cancelled) without looking at the result.
    void wait() const { state().wait_until(detail::Deadline::never()); }
    template <class Rep, class Period>
    bool wait_for(std::chrono::duration<Rep, Period> timeout) const {
        return state().wait_until(detail::Deadline::after(detail::to_timeout(timeout)));
    }

    bool done() const { return state().done(); }
    bool running() const { return state().running(); }
    bool cancelled() const { return state().cancelled(); }

    // Succeeds only while the task is still queued (like Python): a running or finished task
    // cannot be cancelled and this returns false. On success, done-callbacks run on this thread.
    bool cancel() { return state().cancel(); }

    // Runs `fn(*this)` once the future is done: at once on this thread if it already is, otherwise
    // on the thread that completes it (a thread pool's worker; for a process pool, its one
    // transport thread, which delivers every reply). Callbacks run in the order they were added.
    // An exception from `fn` is reported on stderr and swallowed, as in Python. A callback that
    // blocks on another future of the same pool can wait forever: on a 1-worker thread pool, or
    // on any process pool, whose replies (and shutdown) then wait for the callback.
    void add_done_callback(std::function<void(const Future<T>&)> fn) { state().add_done_callback(std::move(fn)); }

    friend bool operator==(const Future& a, const Future& b) { return a.state_ == b.state_; }
    friend bool operator!=(const Future& a, const Future& b) { return a.state_ != b.state_; }

    // For as_completed()/wait() and executors; not needed by ordinary callers.
    const std::shared_ptr<detail::FutureState<T>>& shared_state() const noexcept { return state_; }

private:
    detail::FutureState<T>& state() const {
        if (!state_) throw InvalidStateError("pp::Future has no shared state (default-constructed)");
        return *state_;
    }

    std::shared_ptr<detail::FutureState<T>> state_;
};

namespace detail {
template <class T>
void FutureState<T>::invoke(std::vector<Callback>& callbacks) {
    if (callbacks.empty()) return;
    const Future<T> self(this->shared_from_this());
    for (auto& fn : callbacks) {
        try {
            fn(self);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "pp::Future: exception calling callback: %s\n", e.what());
        } catch (...) {
            std::fprintf(stderr, "pp::Future: exception calling callback (not a std::exception)\n");
        }
    }
}
}  // namespace detail

//-----------------------------------------------------------------------------
// [SECTION] Promise<T>: the producer's handle
//-----------------------------------------------------------------------------
// What an executor holds for each task. Copies share one state (so a Promise fits in a std::function).
// Protocol, as in Python: call set_running_or_notify_cancel() before running the task; if it
// returns false the future was cancelled, so do not run the task. Then exactly one of
// set_value()/set_exception(); a second one throws InvalidStateError.
template <class T>
class Promise {
public:
    Promise() : state_(std::make_shared<detail::FutureState<T>>()) {}
    explicit Promise(std::shared_ptr<detail::FutureState<T>> state) : state_(std::move(state)) {}

    Future<T> get_future() const { return Future<T>(state_); }

    // Pending -> running, returns true. Cancelled -> returns false (and the task must be skipped).
    // Throws InvalidStateError if already running or finished.
    bool set_running_or_notify_cancel() { return state_->set_running_or_notify_cancel(); }

    // set_value(v) for Promise<T>, set_value() for Promise<void>; the arguments construct the T.
    template <class... V>
    void set_value(V&&... value) {
        static_assert(std::is_void_v<T> ? sizeof...(V) == 0 : sizeof...(V) >= 1,
                      "Promise<void>::set_value() takes no argument; Promise<T>::set_value needs one");
        state_->set_result(std::forward<V>(value)...);
    }
    void set_exception(std::exception_ptr error) { state_->set_exception(std::move(error)); }

private:
    std::shared_ptr<detail::FutureState<T>> state_;
};

//-----------------------------------------------------------------------------
// [SECTION] as_completed(): futures in the order they finish
//-----------------------------------------------------------------------------
// for (pp::Future<int>& f : pp::as_completed(futures)) { ... }
// Yields each distinct future once, as it completes (finished or cancelled); those already done
// come first. Each step blocks; once `timeout` (counted from the as_completed() call) has passed,
// the next step throws TimeoutError. Iterate on one thread only.
template <class T>
class AsCompleted {
public:
    AsCompleted(const std::vector<Future<T>>& futures, Timeout timeout)
        : deadline_(detail::Deadline::after(timeout)), waiter_(std::make_shared<detail::CompletionWaiter>()) {
        std::unordered_set<const void*> seen;
        futures_.reserve(futures.size());
        for (const Future<T>& f : futures) {
            if (!f.valid()) throw InvalidStateError("as_completed: invalid (default-constructed) future");
            if (seen.insert(f.shared_state().get()).second) futures_.push_back(f);
        }
        std::vector<std::size_t> already_done;
        for (std::size_t i = 0; i < futures_.size(); ++i)
            if (!futures_[i].shared_state()->add_waiter(waiter_, i)) already_done.push_back(i);
        std::lock_guard<std::mutex> lock(waiter_->mutex);
        // Already-done futures go first; late completions were appended meanwhile and keep their order.
        waiter_->completed.insert(waiter_->completed.begin(), already_done.begin(), already_done.end());
    }
    AsCompleted(const AsCompleted&) = delete;
    AsCompleted& operator=(const AsCompleted&) = delete;
    ~AsCompleted() {
        for (auto& f : futures_) f.shared_state()->remove_waiter(waiter_.get());
    }

    std::size_t remaining() const { return futures_.size() - yielded_; }

    // The next future to complete. Throws TimeoutError, or std::out_of_range when none remain.
    Future<T> next() {
        if (remaining() == 0) throw std::out_of_range("as_completed: no futures remain");
        gil::ReleaseGuard release_gil;  // blocking while holding the emulated GIL would stall the tasks
        std::unique_lock<std::mutex> lock(waiter_->mutex);
        auto has_one = [&] { return waiter_->completed.size() > yielded_; };
        if (!has_one()) {
            TraceSpan waiting(TraceKind::ResultWait, "as_completed()");
            if (!deadline_.at) {
                waiter_->cv.wait(lock, has_one);
            } else if (!waiter_->cv.wait_until(lock, *deadline_.at, has_one)) {
                throw TimeoutError(std::to_string(remaining()) + " (of " + std::to_string(futures_.size()) + ") futures unfinished");
            }
        }
        return futures_[waiter_->completed[yielded_++]];
    }

    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = Future<T>;
        using difference_type = std::ptrdiff_t;
        using pointer = Future<T>*;
        using reference = Future<T>&;

        iterator() = default;
        explicit iterator(AsCompleted* owner) : owner_(owner) { advance(); }
        Future<T>& operator*() { return current_; }
        Future<T>* operator->() { return &current_; }
        iterator& operator++() {
            advance();
            return *this;
        }
        bool operator==(const iterator& other) const { return owner_ == other.owner_; }
        bool operator!=(const iterator& other) const { return owner_ != other.owner_; }

    private:
        void advance() {
            if (owner_ && owner_->remaining() > 0)
                current_ = owner_->next();
            else
                owner_ = nullptr;
        }
        AsCompleted* owner_ = nullptr;
        Future<T> current_;
    };

    iterator begin() { return iterator(this); }
    iterator end() { return iterator(); }

private:
    detail::Deadline deadline_;
    std::shared_ptr<detail::CompletionWaiter> waiter_;
    std::vector<Future<T>> futures_;
    std::size_t yielded_ = 0;
};

template <class T>
AsCompleted<T> as_completed(const std::vector<Future<T>>& futures, Timeout timeout = std::nullopt) {
    return AsCompleted<T>(futures, timeout);
}

//-----------------------------------------------------------------------------
// [SECTION] wait(): block until first completed / first exception / all completed
//-----------------------------------------------------------------------------
enum class ReturnWhen { FirstCompleted, FirstException, AllCompleted };

template <class T>
struct DoneAndNotDone {
    std::vector<Future<T>> done;
    std::vector<Future<T>> not_done;
};

// Python's concurrent.futures.wait(). Does not throw on timeout: what is unfinished lands in not_done.
template <class T>
DoneAndNotDone<T> wait(const std::vector<Future<T>>& futures, Timeout timeout = std::nullopt,
                       ReturnWhen return_when = ReturnWhen::AllCompleted) {
    AsCompleted<T> watcher(futures, timeout);
    std::size_t done_count = 0;
    const std::size_t total = watcher.remaining();
    bool saw_exception = false;
    auto satisfied = [&] {
        switch (return_when) {
        case ReturnWhen::FirstCompleted: return done_count > 0 || total == 0;
        case ReturnWhen::FirstException: return saw_exception || done_count == total;
        case ReturnWhen::AllCompleted: return done_count == total;
        }
        return true;
    };
    while (!satisfied()) {
        try {
            Future<T> f = watcher.next();
            ++done_count;
            saw_exception = saw_exception || (!f.cancelled() && f.exception() != nullptr);
        } catch (const TimeoutError&) {
            break;
        }
    }
    DoneAndNotDone<T> out;
    std::unordered_set<const void*> seen;
    for (const Future<T>& f : futures) {
        if (!seen.insert(f.shared_state().get()).second) continue;
        (f.done() ? out.done : out.not_done).push_back(f);
    }
    return out;
}

}  // namespace pp
