// pp::ThreadPoolExecutor: Python's concurrent.futures.ThreadPoolExecutor, in C++17.
//
// Index of this file
// [SECTION] detail::PoolTask: one queued call (its future's state and the call, in one allocation)
// [SECTION] MapResults<R>: the iterable that map() returns
// [SECTION] ThreadPoolExecutor
// [SECTION] ThreadPoolExecutor: template members
//
// Workers start lazily, like Python: submit() starts a new one (up to max_workers) when more tasks
// are queued than workers are idle. The thread is created outside the pool's lock: in the browser
// that takes 50-100 ms, and the running workers must keep taking tasks meanwhile. They run every queued task before exiting on shutdown.
// Each task body runs holding the emulated GIL when it is enabled (tasks stand for Python code),
// and is traced as a TaskRun span on its worker's lane ("ThreadPoolExecutor-0_1").
#pragma once

#include "core/future.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"

#include <atomic>
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
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] detail::PoolTask: one queued call (its future's state and the call, in one allocation)
//-----------------------------------------------------------------------------
namespace detail {

void report_detached_exception(const char* what) noexcept;

// Testing seam: when set, called by submit() just before it creates a worker thread, outside the
// pool's lock. Throwing from it stands for a failed thread creation. Leave it null in programs:
// it is a plain global, so setting it while pools are in use races.
inline void (*g_before_worker_start)() = nullptr;

class PoolTask {
public:
    virtual ~PoolTask() = default;
    // Runs the call unless its future was cancelled; never throws.
    virtual void run() noexcept = 0;
    // Cancels the future of a task that will never run (shutdown with cancel_futures).
    virtual void cancel_unstarted() noexcept = 0;

    // What the timeline shows of a named or traced task; most tasks have none, and stay smaller
    // by the two strings (the pool's cost per task grows with the bytes it moves).
    struct Label {
        std::string name;  // empty means "task"
        std::string args;  // the call's arguments ("3"); only while tracing
    };
    std::string_view name() const { return label && !label->name.empty() ? std::string_view(label->name) : std::string_view("task"); }
    std::string_view args() const { return label ? std::string_view(label->args) : std::string_view(); }

    std::uint64_t task_id = 0;
    std::int64_t submitted_ns = 0;  // trace clock at submit; only while tracing
    std::unique_ptr<Label> label;
};

// "3, \"cat\"": arguments a person can read in a tooltip (numbers and strings; others are "...").
template <class T>
void describe_argument(std::string& out, const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        out += value ? "true" : "false";
    } else if constexpr (std::is_floating_point_v<T>) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", static_cast<double>(value));
        out += text;
    } else if constexpr (std::is_arithmetic_v<T>) {
        out += std::to_string(value);
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        const std::string_view text(value);
        out += '"';
        out += text.substr(0, 24);
        out += text.size() > 24 ? "...\"" : "\"";
    } else {
        out += "...";
    }
}
template <class... Args>
std::string describe_arguments(const Args&... args) {
    std::string out;
    std::size_t index = 0;
    ((out += index++ ? ", " : "", describe_argument(out, args)), ...);
    return out;
}

template <class R, class Call>
class FutureTask final : public FutureState<R>, public PoolTask {
public:
    explicit FutureTask(Call&& call) : call_(std::move(call)) {}

    void run() noexcept override {
        if (!this->set_running_or_notify_cancel()) return;
        try {
            if constexpr (std::is_void_v<R>) {
                call_();
                this->set_result();
            } else {
                this->set_result(call_());
            }
        } catch (...) {
            this->set_exception(std::current_exception());
        }
    }
    void cancel_unstarted() noexcept override { this->cancel(); }

private:
    Call call_;
};

template <class Call>
class DetachedTask final : public PoolTask {
public:
    explicit DetachedTask(Call&& call) : call_(std::move(call)) {}

    void run() noexcept override {
        try {
            call_();
        } catch (const std::exception& e) {
            report_detached_exception(e.what());
        } catch (...) {
            report_detached_exception("(not a std::exception)");
        }
    }
    void cancel_unstarted() noexcept override {}

private:
    Call call_;
};

// f and copies of args, called once with the args as rvalues (like std::thread).
template <class F, class... Args>
auto bind_call(F&& f, Args&&... args) {
    return [f = std::forward<F>(f), bound = std::make_tuple(std::forward<Args>(args)...)]() mutable {
        return std::apply([&](auto&&... a) { return std::invoke(f, std::move(a)...); }, bound);
    };
}

}  // namespace detail

//-----------------------------------------------------------------------------
// [SECTION] MapResults<R>: the iterable that map() returns
//-----------------------------------------------------------------------------
// Results in INPUT order, whatever order the calls finish in. Reaching an element whose call
// threw rethrows that exception; passing the deadline throws TimeoutError. Destroying it cancels
// the calls that have not started yet (like closing Python's map generator).
template <class R>
class MapResults {
public:
    MapResults(std::vector<Future<R>> futures, Timeout timeout)
        : futures_(std::move(futures)), deadline_(detail::Deadline::after(timeout)) {}
    MapResults(MapResults&&) noexcept = default;
    MapResults& operator=(MapResults&&) = delete;
    MapResults(const MapResults&) = delete;
    ~MapResults() {
        for (std::size_t i = next_; i < futures_.size(); ++i) futures_[i].cancel();
    }

    std::size_t size() const { return futures_.size(); }
    bool has_next() const { return next_ < futures_.size(); }

    // The next result in input order; blocks until it is ready. After a TimeoutError that call is
    // given up on, as in Python's map: cancelled if it has not started, and next() moves past it.
    R next() {
        if (!has_next()) throw std::out_of_range("map: no results remain");
        Future<R>& f = futures_[next_++];
        try {
            return f.shared_state()->take(deadline_);
        } catch (const TimeoutError&) {
            f.cancel();
            throw;
        }
    }

    // Every remaining result, in input order.
    std::vector<R> to_vector() {
        std::vector<R> out;
        out.reserve(futures_.size() - next_);
        while (has_next()) out.push_back(next());
        return out;
    }

    // The futures behind the results (to inspect or cancel them), in input order. next() moves
    // each value out of its future, so result() on a future already iterated past returns a
    // moved-from value (an empty string or vector): read results through next() only.
    const std::vector<Future<R>>& futures() const { return futures_; }

    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = R;
        using difference_type = std::ptrdiff_t;
        using pointer = R*;
        using reference = R&;

        iterator() = default;
        explicit iterator(MapResults* owner) : owner_(owner) { advance(); }
        R& operator*() { return *current_; }
        R* operator->() { return &*current_; }
        iterator& operator++() {
            advance();
            return *this;
        }
        bool operator==(const iterator& other) const { return owner_ == other.owner_; }
        bool operator!=(const iterator& other) const { return owner_ != other.owner_; }

    private:
        void advance() {
            if (owner_ && owner_->has_next())
                current_.emplace(owner_->next());
            else
                owner_ = nullptr;
        }
        MapResults* owner_ = nullptr;
        std::optional<R> current_;
    };

    iterator begin() { return iterator(this); }
    iterator end() { return iterator(); }

private:
    std::vector<Future<R>> futures_;
    detail::Deadline deadline_;
    std::size_t next_ = 0;
};

//-----------------------------------------------------------------------------
// [SECTION] ThreadPoolExecutor
//-----------------------------------------------------------------------------
class ThreadPoolExecutor {
public:
    // max_workers defaults to Python's min(32, hardware threads + 4). 0 throws std::invalid_argument
    // (so does an absurd count, such as a negative number converted to size_t).
    // Worker lanes are named "<prefix>_<n>"; the prefix defaults to "ThreadPoolExecutor-<pool number>".
    explicit ThreadPoolExecutor(std::optional<std::size_t> max_workers = std::nullopt, std::string thread_name_prefix = {});
    // Same as shutdown(true): waits for every queued task, like leaving Python's `with` block.
    // Destroyed by one of its own tasks or done-callbacks (which run on a worker, and a worker
    // cannot wait for itself), it is shutdown(false) instead: the workers still run what is
    // queued, then end by themselves, keeping what they need alive.
    ~ThreadPoolExecutor();
    // The next unnamed pool is ThreadPoolExecutor-0 again (a lesson run is a fresh program).
    static void restart_numbering();
    ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
    ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;

    // Queues f(args...) (f and args are copied or moved in, like std::thread) and returns its future.
    // Throws ExecutorShutdownError after shutdown(). Waiting on the result from inside a task of
    // the same pool deadlocks once every worker is waiting like that.
    template <class F, class... Args>
    [[nodiscard]] auto submit(F&& f, Args&&... args) -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>>;
    // submit() with a label for the trace ("download 3"); the label costs nothing extra when short.
    template <class F, class... Args>
    [[nodiscard]] auto submit_named(std::string_view name, F&& f, Args&&... args)
        -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>>;

    // Queues f(args...) with no future: fire and forget. An exception it throws is printed to stderr
    // and dropped, since nobody could receive it. Use submit() if you need to know when it ends.
    template <class F, class... Args>
    void detach(F&& f, Args&&... args);
    template <class F, class... Args>
    void detach_named(std::string_view name, F&& f, Args&&... args);

    // Submits f(x) for every x in inputs at once; the results come back in input order.
    // `timeout` counts from this call, for the whole iteration (like Python).
    template <class F, class Range>
    [[nodiscard]] auto map(F&& f, const Range& inputs, Timeout timeout = std::nullopt)
        -> MapResults<std::invoke_result_t<std::decay_t<F>, const typename Range::value_type&>>;

    // No new tasks after this. wait=true blocks until every worker has run the queue dry and exited.
    // cancel_futures=true cancels the tasks that have not started (their result() throws
    // CancelledError); running ones finish. Safe to call again. shutdown(true) from inside one of
    // this pool's tasks would wait for itself, so it throws std::logic_error there.
    void shutdown(bool wait = true, bool cancel_futures = false);

    std::size_t max_workers() const noexcept { return max_workers_; }
    // Workers started so far (they start lazily, so this grows up to max_workers()).
    std::size_t worker_count() const;
    // Tasks queued and not yet picked up by a worker.
    std::size_t pending_count() const;

private:
    // Everything the workers touch (queue, threads, locks). Each worker holds a reference until
    // it ends, so a pool destroyed from one of its own workers leaves them what they need.
    struct Shared;

    void enqueue(std::shared_ptr<detail::PoolTask> task);

    const std::size_t max_workers_;
    std::shared_ptr<Shared> shared_;
};

//-----------------------------------------------------------------------------
// [SECTION] ThreadPoolExecutor: template members
//-----------------------------------------------------------------------------
template <class F, class... Args>
auto ThreadPoolExecutor::submit(F&& f, Args&&... args) -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>> {
    return submit_named(std::string_view{}, std::forward<F>(f), std::forward<Args>(args)...);
}

template <class F, class... Args>
auto ThreadPoolExecutor::submit_named(std::string_view name, F&& f, Args&&... args)
    -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>> {
    using R = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
    std::string described = trace::enabled() ? detail::describe_arguments(args...) : std::string();
    auto call = detail::bind_call(std::forward<F>(f), std::forward<Args>(args)...);
    auto task = std::make_shared<detail::FutureTask<R, decltype(call)>>(std::move(call));
    if (!name.empty() || !described.empty()) task->label.reset(new detail::PoolTask::Label{std::string(name), std::move(described)});
    Future<R> future(std::shared_ptr<detail::FutureState<R>>(task, task.get()));
    enqueue(std::move(task));
    return future;
}

template <class F, class... Args>
void ThreadPoolExecutor::detach(F&& f, Args&&... args) {
    detach_named(std::string_view{}, std::forward<F>(f), std::forward<Args>(args)...);
}

template <class F, class... Args>
void ThreadPoolExecutor::detach_named(std::string_view name, F&& f, Args&&... args) {
    auto call = detail::bind_call(std::forward<F>(f), std::forward<Args>(args)...);
    auto task = std::make_shared<detail::DetachedTask<decltype(call)>>(std::move(call));
    if (!name.empty()) task->label.reset(new detail::PoolTask::Label{std::string(name), std::string()});
    enqueue(std::move(task));
}

template <class F, class Range>
auto ThreadPoolExecutor::map(F&& f, const Range& inputs, Timeout timeout)
    -> MapResults<std::invoke_result_t<std::decay_t<F>, const typename Range::value_type&>> {
    using R = std::invoke_result_t<std::decay_t<F>, const typename Range::value_type&>;
    static_assert(!std::is_void_v<R>, "map() collects return values; use submit() for a function returning void");
    // One shared copy of f for all the calls, instead of one copy per task.
    auto shared_f = std::make_shared<std::decay_t<F>>(std::forward<F>(f));
    std::vector<Future<R>> futures;
    for (const auto& input : inputs) {
        try {
            futures.push_back(submit([shared_f](const auto& x) -> R { return std::invoke(*shared_f, x); }, input));
        } catch (...) {
            for (auto& submitted : futures) submitted.cancel();  // Python cancels what it submitted
            throw;
        }
    }
    return MapResults<R>(std::move(futures), timeout);
}

}  // namespace pp
