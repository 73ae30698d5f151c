// pp::sync: the threads, waits, sleeps and per-thread variables that core code uses.
//
// Natively and in the isolated page (built with -pthread) these are the std:: ones, unchanged.
// In the page's single-threaded fallback (PP_COOPERATIVE: built without -pthread, for pages that
// are not cross-origin isolated) every thread is a fiber, and one deterministic scheduler runs
// them in turn on the browser's main thread (src/platform/cooperative/). Code written against
// this header runs in both without an #ifdef.
//
// On top of both, the wrappers at the end of this file let core/schedule.hpp take the scheduler's
// seat: while a stepped run is on, the threads of that run move one at a time, and their waits,
// sleeps and joins go through the schedule controller instead of the system. Otherwise each
// wrapper costs one relaxed atomic load.
//
// Rules that keep the cooperative build correct:
// - A fiber switches only at a wait, a sleep, a yield or a preemption_point(), never elsewhere.
// - std::mutex stays std::mutex: without -pthread it does nothing, which is safe because no code
//   waits or yields while holding one, except inside condition_variable waits, which release it.
//   Code that would block with a mutex held (a join under a lock) must not do so.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

#ifndef PP_COOPERATIVE

namespace pp::sync {

inline constexpr bool kCooperative = false;
using clock = std::chrono::steady_clock;  // the clock of timeouts and sleeps

namespace detail {  // what the wrappers below stand on: the system's own
using base_thread = std::thread;
using base_condition_variable = std::condition_variable;
inline std::thread::id base_this_thread_id() noexcept { return std::this_thread::get_id(); }
inline void base_yield() noexcept { std::this_thread::yield(); }
inline void base_sleep_until(clock::time_point at) { std::this_thread::sleep_until(at); }
}  // namespace detail

// Where a long CPU loop may let other threads run. Only the cooperative build switches here.
inline void preemption_point() {}

}  // namespace pp::sync

// A per-thread variable: `PP_THREAD_LOCAL(int, depth)` defines `int& depth()`, the calling
// thread's own int (value-initialized). Natively a thread_local; cooperative: one per fiber.
#define PP_THREAD_LOCAL(Type, name)                                                                                                        \
    inline Type& name() {                                                                                                                  \
        thread_local Type value{};                                                                                                         \
        return value;                                                                                                                      \
    }

#else  // PP_COOPERATIVE

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
}  // namespace detail

namespace detail {  // the fibers' own, under the wrappers at the end of this file

class base_thread {
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

    base_thread() noexcept = default;
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, base_thread>>>
    explicit base_thread(F&& f) : fiber_(detail::start_fiber(std::function<void()>(std::forward<F>(f)))) {}
    base_thread(base_thread&&) noexcept = default;
    base_thread& operator=(base_thread&& other) noexcept {
        if (joinable()) std::terminate();  // like std::thread
        fiber_ = std::move(other.fiber_);
        return *this;
    }
    ~base_thread() {
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

base_thread::id base_this_thread_id() noexcept;
// Lets every other runnable fiber run once, then continues.
void base_yield() noexcept;
void base_sleep_until(clock::time_point at);

// Works with the std::unique_lock<std::mutex> every caller already holds. Waiters are woken in
// the order they started waiting (notify_one wakes the oldest): deterministic.
class base_condition_variable {
public:
    base_condition_variable() = default;
    base_condition_variable(const base_condition_variable&) = delete;
    base_condition_variable& operator=(const base_condition_variable&) = delete;

    void notify_one() noexcept;
    void notify_all() noexcept;

    void wait(std::unique_lock<std::mutex>& lock) { wait_until_virtual(lock, nullptr); }
    template <class Predicate>
    void wait(std::unique_lock<std::mutex>& lock, Predicate ready) {
        while (!ready()) wait(lock);
    }
    std::cv_status wait_until(std::unique_lock<std::mutex>& lock, clock::time_point at) { return wait_until_virtual(lock, &at); }
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

}  // namespace detail

// Where a long CPU loop lets the other fibers run: every so many calls it yields, and the
// virtual clock advances by one quantum. Cheap otherwise (a counter).
void preemption_point();

}  // namespace pp::sync

#define PP_THREAD_LOCAL(Type, name)                                                                                                        \
    inline Type& name() {                                                                                                                  \
        static const std::size_t slot = ::pp::sync::detail::new_local_slot();                                                              \
        void*& value = ::pp::sync::detail::local_slot(slot, [](void* p) { delete static_cast<Type*>(p); });                                \
        if (!value) value = new Type{};                                                                                                    \
        return *static_cast<Type*>(value);                                                                                                 \
    }

#endif  // PP_COOPERATIVE

//-----------------------------------------------------------------------------
// The wrappers every core file uses: threads, condition variables, sleeps
//-----------------------------------------------------------------------------
// Each forwards to the base above, unless a stepped run is on (core/schedule.hpp) and the caller
// is one of its threads: then the schedule controller decides when it moves on.
namespace pp::sync {

namespace schedule_hooks {  // implemented in core/schedule.cpp
inline std::atomic<bool> g_active{false};
inline bool active() noexcept { return g_active.load(std::memory_order_relaxed); }
// A wait on `cv` by a thread of the stepped run: waits for the controller (after a notify of
// `cv`), and returns true. False: the caller is not such a thread, and waits for real.
bool wait(const void* cv, std::unique_lock<std::mutex>& lock);
void notified(const void* cv, bool all) noexcept;
// In the parent, before the child exists: the child's participant number, 0 when not stepped.
std::uint64_t thread_created();
void thread_begins(std::uint64_t participant);
void thread_ends(std::uint64_t participant) noexcept;
// A stepped thread joining `participant`: waits (blocked) until it has ended. False: not stepped.
bool join(std::uint64_t participant);
// A stepped thread's sleep: a step that takes no real time. False: not stepped, sleep for real.
bool sleep(clock::duration length);
}  // namespace schedule_hooks

class thread {
public:
    using id = detail::base_thread::id;

    thread() noexcept = default;
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, thread>>>
    explicit thread(F&& f) : participant_(schedule_hooks::active() ? schedule_hooks::thread_created() : 0) {
        struct Ends {  // also when the function throws (std::thread then ends the program anyway)
            std::uint64_t participant;
            ~Ends() {
                if (participant) schedule_hooks::thread_ends(participant);
            }
        };
        base_ = detail::base_thread([participant = participant_, body = std::function<void()>(std::forward<F>(f))] {
            Ends ends{participant};
            if (participant) schedule_hooks::thread_begins(participant);
            body();
        });
    }
    thread(thread&&) noexcept = default;
    thread& operator=(thread&&) noexcept = default;

    bool joinable() const noexcept { return base_.joinable(); }
    void join() {
        if (participant_ && schedule_hooks::active()) schedule_hooks::join(participant_);
        base_.join();
    }
    void detach() { base_.detach(); }
    id get_id() const noexcept { return base_.get_id(); }
    static unsigned hardware_concurrency() noexcept { return detail::base_thread::hardware_concurrency(); }

private:
    detail::base_thread base_;
    std::uint64_t participant_ = 0;  // its number in a stepped run, 0 otherwise
};

class condition_variable {
public:
    condition_variable() = default;
    condition_variable(const condition_variable&) = delete;
    condition_variable& operator=(const condition_variable&) = delete;

    void notify_one() noexcept {
        if (schedule_hooks::active()) schedule_hooks::notified(this, false);
        base_.notify_one();
    }
    void notify_all() noexcept {
        if (schedule_hooks::active()) schedule_hooks::notified(this, true);
        base_.notify_all();
    }

    void wait(std::unique_lock<std::mutex>& lock) {
        if (schedule_hooks::active() && schedule_hooks::wait(this, lock)) return;
        base_.wait(lock);
    }
    template <class Predicate>
    void wait(std::unique_lock<std::mutex>& lock, Predicate ready) {
        while (!ready()) wait(lock);
    }
    // In a stepped run time does not pass on its own: a timed wait there waits for its notify,
    // and reports no timeout.
    std::cv_status wait_until(std::unique_lock<std::mutex>& lock, clock::time_point at) {
        if (schedule_hooks::active() && schedule_hooks::wait(this, lock)) return std::cv_status::no_timeout;
        return base_.wait_until(lock, at);
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
    detail::base_condition_variable base_;
};

namespace this_thread {
inline thread::id get_id() noexcept { return detail::base_this_thread_id(); }
inline void yield() noexcept { detail::base_yield(); }
inline void sleep_until(clock::time_point at) {
    if (schedule_hooks::active() && schedule_hooks::sleep(at - clock::now())) return;
    detail::base_sleep_until(at);
}
template <class Rep, class Period>
void sleep_for(std::chrono::duration<Rep, Period> d) {
    sleep_until(clock::now() + std::chrono::duration_cast<clock::duration>(d));
}
}  // namespace this_thread

}  // namespace pp::sync
