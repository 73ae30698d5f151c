// pp::sync: the threads, waits, sleeps and per-thread variables that core code uses.
//
// Natively and in the isolated page (built with -pthread) these are the std:: ones, unchanged.
// In the page's single-threaded fallback (PP_COOPERATIVE: built without -pthread, for pages that
// are not cross-origin isolated) every thread is a fiber, and one deterministic scheduler runs
// them in turn on the browser's main thread (src/platform/cooperative/). Code written against
// this header runs in both without an #ifdef.
//
// Rules that keep the cooperative build correct:
// - A fiber switches only at a wait, a sleep, a yield or a preemption_point(), never elsewhere.
// - std::mutex stays std::mutex: without -pthread it does nothing, which is safe because no code
//   waits or yields while holding one, except inside condition_variable waits, which release it.
//   Code that would block with a mutex held (a join under a lock) must not do so.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#ifndef PP_COOPERATIVE

namespace pp::sync {

inline constexpr bool kCooperative = false;
using thread = std::thread;
using condition_variable = std::condition_variable;
using clock = std::chrono::steady_clock;  // the clock of timeouts and sleeps
namespace this_thread = std::this_thread;

// Where a long CPU loop may let other threads run. Only the cooperative build switches here.
inline void preemption_point() {}

} // namespace pp::sync

// A per-thread variable: `PP_THREAD_LOCAL(int, depth)` defines `int& depth()`, the calling
// thread's own int (value-initialized). Natively a thread_local; cooperative: one per fiber.
#define PP_THREAD_LOCAL(Type, name)                                                                     \
    inline Type& name() {                                                                               \
        thread_local Type value{};                                                                      \
        return value;                                                                                   \
    }

#else // PP_COOPERATIVE

namespace pp::sync {

inline constexpr bool kCooperative = true;

// Virtual time, in nanoseconds: deterministic, so two runs switch at the same points. It moves
// only (a) by a fixed amount per preemption quantum of a CPU loop and (b) while every fiber
// waits, to the next deadline, paced so that it never runs ahead of real time there.
struct clock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<clock>;
    static constexpr bool is_steady = true;
    static time_point now() noexcept;
};

namespace detail {
struct Fiber;
// Starts `body` on a new fiber, runnable after the current one next switches (never switches now).
std::shared_ptr<Fiber> start_fiber(std::function<void()> body);
void join_fiber(const std::shared_ptr<Fiber>& fiber);
std::uint64_t fiber_id(const Fiber& fiber);
// Per-fiber storage for PP_THREAD_LOCAL: slot `slot` of the current fiber (the main context has its own).
std::size_t new_local_slot();
void*& local_slot(std::size_t slot, void (*destroy)(void*));
} // namespace detail

class thread {
public:
    // Fiber numbers: 1 is the main context (the browser's main thread); 0 is "no thread".
    class id {
    public:
        id() noexcept = default;
        explicit id(std::uint64_t value) noexcept : value_(value) {}
        friend bool operator==(id a, id b) noexcept { return a.value_ == b.value_; }
        friend bool operator!=(id a, id b) noexcept { return a.value_ != b.value_; }
        friend bool operator<(id a, id b) noexcept { return a.value_ < b.value_; }  // for std::set, like std::thread::id
        std::uint64_t value() const noexcept { return value_; }

    private:
        std::uint64_t value_ = 0;
    };

    thread() noexcept = default;
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, thread>>>
    explicit thread(F&& f) : fiber_(detail::start_fiber(std::function<void()>(std::forward<F>(f)))) {}
    thread(thread&&) noexcept = default;
    thread& operator=(thread&& other) noexcept {
        if (joinable()) std::terminate();  // like std::thread
        fiber_ = std::move(other.fiber_);
        return *this;
    }
    ~thread() {
        if (joinable()) std::terminate();  // like std::thread: join or detach first
    }

    bool joinable() const noexcept { return fiber_ != nullptr; }
    // Waits (switching to other fibers) until the fiber's function has returned.
    // Throws std::system_error when not joinable or when a fiber joins itself.
    void join();
    void detach() noexcept { fiber_.reset(); }
    id get_id() const noexcept { return fiber_ ? id(detail::fiber_id(*fiber_)) : id(); }
    static unsigned hardware_concurrency() noexcept { return 1; }

private:
    std::shared_ptr<detail::Fiber> fiber_;
};

namespace this_thread {
thread::id get_id() noexcept;
// Lets every other runnable fiber run once, then continues.
void yield() noexcept;
void sleep_until(clock::time_point at);
template <class Rep, class Period>
void sleep_for(std::chrono::duration<Rep, Period> d) {
    sleep_until(clock::now() + std::chrono::duration_cast<clock::duration>(d));
}
} // namespace this_thread

// Works with the std::unique_lock<std::mutex> every caller already holds. Waiters are woken in
// the order they started waiting (notify_one wakes the oldest): deterministic.
class condition_variable {
public:
    condition_variable() = default;
    condition_variable(const condition_variable&) = delete;
    condition_variable& operator=(const condition_variable&) = delete;

    void notify_one() noexcept;
    void notify_all() noexcept;

    void wait(std::unique_lock<std::mutex>& lock) { wait_until_virtual(lock, nullptr); }
    template <class Predicate>
    void wait(std::unique_lock<std::mutex>& lock, Predicate ready) {
        while (!ready()) wait(lock);
    }
    std::cv_status wait_until(std::unique_lock<std::mutex>& lock, clock::time_point at) {
        return wait_until_virtual(lock, &at);
    }
    template <class Predicate>
    bool wait_until(std::unique_lock<std::mutex>& lock, clock::time_point at, Predicate ready) {
        while (!ready())
            if (wait_until(lock, at) == std::cv_status::timeout) return ready();
        return true;
    }
    template <class Rep, class Period, class Predicate>
    bool wait_for(std::unique_lock<std::mutex>& lock, std::chrono::duration<Rep, Period> d, Predicate ready) {
        return wait_until(lock, clock::now() + std::chrono::duration_cast<clock::duration>(d), std::move(ready));
    }

private:
    std::cv_status wait_until_virtual(std::unique_lock<std::mutex>& lock, const clock::time_point* at);
    std::deque<detail::Fiber*> waiters_;  // oldest first
};

// Where a long CPU loop lets the other fibers run: every so many calls it yields, and the
// virtual clock advances by one quantum. Cheap otherwise (a counter).
void preemption_point();

} // namespace pp::sync

#define PP_THREAD_LOCAL(Type, name)                                                                     \
    inline Type& name() {                                                                               \
        static const std::size_t slot = ::pp::sync::detail::new_local_slot();                           \
        void*& value = ::pp::sync::detail::local_slot(slot, [](void* p) { delete static_cast<Type*>(p); }); \
        if (!value) value = new Type{};                                                                 \
        return *static_cast<Type*>(value);                                                              \
    }

#endif // PP_COOPERATIVE
