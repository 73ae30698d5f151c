// Threads as fibers on one core: pp::sync's cooperative side (core/sync.hpp) and its scheduler.
//
// Index of this file
// [SECTION] Fibers and the scheduler's state
// [SECTION] Switching: run a round, wait, wake
// [SECTION] pp::sync: threads, condition variables, sleeps, per-fiber variables
// [SECTION] The frame loop's slice, and the virtual clock
//
// Every fiber is an emscripten fiber (Asyncify unwinds one stack and rewinds another). Only the
// main context (the browser's main thread, running the frame loop) switches into fibers, and a
// fiber only ever switches back to the main context: the scheduler is a loop in the main context
// that runs each runnable fiber in creation order until it waits, sleeps or yields.
// Deterministic: which fiber runs next never depends on real time, only on the virtual clock.
#include "platform/cooperative/scheduler.hpp"

#include "core/sync.hpp"
#include "core/trace.hpp"

#include <emscripten.h>
#include <emscripten/fiber.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <optional>
#include <system_error>
#include <vector>

namespace pp::sync {

//-----------------------------------------------------------------------------
// [SECTION] Fibers and the scheduler's state
//-----------------------------------------------------------------------------
namespace detail {

// Memory for a stack: the C stack pointer must stay 16-byte aligned (printf's %g, for one, reads
// long doubles from it), and malloc only promises 8.
struct FreeStack {
    void operator()(char* p) const noexcept { std::free(p); }
};
using StackMemory = std::unique_ptr<char, FreeStack>;
inline StackMemory allocate_stack(std::size_t bytes) {
    auto* memory = static_cast<char*>(std::aligned_alloc(16, bytes));  // bytes is a multiple of 16
    if (!memory) throw std::bad_alloc();
    return StackMemory(memory);
}

struct Fiber {
    enum class State { Runnable, Waiting, Done };

    emscripten_fiber_t context{};
    StackMemory c_stack;
    StackMemory asyncify_stack;  // the unwound frames of this fiber while it is switched out
    std::function<void()> body;
    std::uint64_t id = 0;
    State state = State::Runnable;
    std::optional<std::int64_t> wake_at_ns;  // virtual time: a sleep, or a wait's timeout
    bool notified = false;                   // a condition variable woke it (rather than its timeout)
    base_condition_variable ended;           // joiners wait here
    // PP_THREAD_LOCAL values: slot index -> value, and the order they were made (destroyed in reverse).
    std::vector<std::pair<void*, void (*)(void*)>> locals;
    std::vector<std::size_t> locals_made;
};

}  // namespace detail

namespace {

using detail::allocate_stack;
using detail::Fiber;
using detail::StackMemory;

// Sizes: lesson code is shallow, but Asyncify saves every frame between the fiber's entry and
// the switch, and std::function / the executor add a few. Measured need is far below these.
constexpr std::size_t kFiberStackBytes = 256 * 1024;
constexpr std::size_t kAsyncifyStackBytes = 64 * 1024;
constexpr std::size_t kMainAsyncifyStackBytes = 256 * 1024;  // the frame loop's frames (ImGui, panels)
// A CPU loop yields every kQuantumPoints preemption points (about a millisecond of work here),
// and each quantum advances the virtual clock by kQuantumNs. Counted, not timed: deterministic.
constexpr int kQuantumPoints = 1000;
constexpr std::int64_t kQuantumNs = 500'000;

struct Scheduler {
    Fiber main;  // the main context: never in `fibers`, never Done
    bool main_initialized = false;
    StackMemory main_asyncify_stack;
    std::vector<std::shared_ptr<Fiber>> fibers;  // creation order = run order
    Fiber* current = nullptr;                    // nullptr: the main context is running
    std::uint64_t next_id = 2;                   // 1 is the main context
    std::int64_t now_ns = 0;                     // the virtual clock
    int points_left = kQuantumPoints;
    // Pacing while every fiber waits (run_for).
    bool idle = false;
    double idle_real_start_ms = 0;
    std::int64_t idle_virtual_start_ns = 0;

    Scheduler() { main.id = 1; }
};

Scheduler& scheduler() {
    static Scheduler* instance = new Scheduler;  // never destroyed: fibers may outlive static destructors
    return *instance;
}

Fiber& running_fiber() {
    Scheduler& s = scheduler();
    return s.current ? *s.current : s.main;
}

[[noreturn]] void fatal(const char* message) {
    std::fprintf(stderr, "cooperative scheduler: %s\n", message);
    std::abort();
}

//-----------------------------------------------------------------------------
// [SECTION] Switching: run a round, wait, wake
//-----------------------------------------------------------------------------
void wake_if_due(Fiber& fiber) {
    if (fiber.state == Fiber::State::Waiting && fiber.wake_at_ns && *fiber.wake_at_ns <= scheduler().now_ns) {
        fiber.state = Fiber::State::Runnable;
        fiber.wake_at_ns.reset();
        fiber.notified = false;
    }
}

void make_runnable(Fiber& fiber) {
    fiber.state = Fiber::State::Runnable;
    fiber.wake_at_ns.reset();
    fiber.notified = true;
}

// From a fiber: back to the main context, until the scheduler runs this fiber again.
void switch_to_main() {
    Scheduler& s = scheduler();
    Fiber* self = s.current;
    emscripten_fiber_swap(&self->context, &s.main.context);
}

// From the main context: runs every runnable fiber once, in creation order (fibers started
// during the round run in it too). Returns whether any ran.
bool run_round() {
    Scheduler& s = scheduler();
    if (s.current) fatal("a fiber tried to run the scheduler");
    if (!s.main_initialized) {
        s.main_asyncify_stack = allocate_stack(kMainAsyncifyStackBytes);
        emscripten_fiber_init_from_current_context(&s.main.context, s.main_asyncify_stack.get(), kMainAsyncifyStackBytes);
        s.main_initialized = true;
    }
    bool ran = false;
    for (std::size_t i = 0; i < s.fibers.size(); ++i) {
        std::shared_ptr<Fiber> fiber = s.fibers[i];  // a copy: the vector may grow while it runs
        wake_if_due(*fiber);
        if (fiber->state != Fiber::State::Runnable) continue;
        s.current = fiber.get();
        emscripten_fiber_swap(&s.main.context, &fiber->context);
        s.current = nullptr;
        ran = true;
        if (fiber->state == Fiber::State::Done) {
            fiber->c_stack.reset();
            fiber->asyncify_stack.reset();
        }
    }
    s.fibers.erase(
        std::remove_if(s.fibers.begin(), s.fibers.end(), [](const std::shared_ptr<Fiber>& f) { return f->state == Fiber::State::Done; }),
        s.fibers.end());
    return ran;
}

std::optional<std::int64_t> next_deadline() {
    Scheduler& s = scheduler();
    std::optional<std::int64_t> next;
    auto consider = [&](const Fiber& f) {
        if (f.state == Fiber::State::Waiting && f.wake_at_ns && (!next || *f.wake_at_ns < *next)) next = f.wake_at_ns;
    };
    consider(s.main);
    for (const auto& f : s.fibers) consider(*f);
    return next;
}

// The running fiber has set its state to Waiting: switch away until it is runnable again. In the
// main context there is nobody to switch to, so it runs the fibers itself (and jumps the virtual
// clock when all of them wait): this blocks the page, so only shutdown paths should get here.
void wait_until_runnable() {
    Scheduler& s = scheduler();
    if (s.current) {
        switch_to_main();
        return;
    }
    while (s.main.state == Fiber::State::Waiting) {
        wake_if_due(s.main);
        if (s.main.state != Fiber::State::Waiting) break;
        if (run_round()) continue;
        const std::optional<std::int64_t> next = next_deadline();
        if (!next) fatal("the main thread waits, and every simulated thread waits with no timeout: a deadlock");
        s.now_ns = std::max(s.now_ns, *next);
    }
}

void fiber_entry(void* arg) {
    Fiber* self = static_cast<Fiber*>(arg);
    try {
        self->body();
    } catch (...) {
        fatal("an exception escaped a thread's function (std::thread would call std::terminate)");
    }
    self->body = nullptr;  // its captures may own resources; release them on this fiber
    for (auto it = self->locals_made.rbegin(); it != self->locals_made.rend(); ++it) {
        auto& [value, destroy] = self->locals[*it];
        destroy(value);
        value = nullptr;
    }
    self->state = Fiber::State::Done;
    self->ended.notify_all();
    switch_to_main();  // never resumed
    fatal("a finished fiber was resumed");
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] pp::sync: threads, condition variables, sleeps, per-fiber variables
//-----------------------------------------------------------------------------
namespace detail {

std::shared_ptr<Fiber> start_fiber(std::function<void()> body) {
    Scheduler& s = scheduler();
    auto fiber = std::make_shared<Fiber>();
    fiber->id = s.next_id++;
    fiber->body = std::move(body);
    fiber->c_stack = allocate_stack(kFiberStackBytes);
    fiber->asyncify_stack = allocate_stack(kAsyncifyStackBytes);
    emscripten_fiber_init(&fiber->context, &fiber_entry, fiber.get(), fiber->c_stack.get(), kFiberStackBytes, fiber->asyncify_stack.get(),
                          kAsyncifyStackBytes);
    s.fibers.push_back(fiber);
    return fiber;
}

void join_fiber(const std::shared_ptr<Fiber>& fiber) {
    std::mutex unused;  // condition_variable's interface wants a lock; fibers need none
    std::unique_lock<std::mutex> lock(unused);
    while (fiber->state != Fiber::State::Done) fiber->ended.wait(lock);
}

std::uint64_t fiber_id(const Fiber& fiber) { return fiber.id; }

std::size_t new_local_slot() {
    static std::size_t next = 0;
    return next++;
}

void*& local_slot(std::size_t slot, void (*destroy)(void*)) {
    Fiber& self = running_fiber();
    if (self.locals.size() <= slot) self.locals.resize(slot + 1, {nullptr, nullptr});
    auto& entry = self.locals[slot];
    if (!entry.second) {
        entry.second = destroy;
        self.locals_made.push_back(slot);
    }
    return entry.first;
}

}  // namespace detail

clock::time_point clock::now() noexcept { return time_point(duration(scheduler().now_ns)); }

void detail::base_thread::join() {
    if (!fiber_) throw std::system_error(std::make_error_code(std::errc::invalid_argument), "thread::join");
    if (get_id() == base_this_thread_id())
        throw std::system_error(std::make_error_code(std::errc::resource_deadlock_would_occur), "thread::join");
    const std::shared_ptr<detail::Fiber> fiber = fiber_;  // a second joiner of this object may reset fiber_
    detail::join_fiber(fiber);
    fiber_.reset();
}

detail::base_thread::id detail::base_this_thread_id() noexcept { return base_thread::id(running_fiber().id); }

void detail::base_yield() noexcept {
    Scheduler& s = scheduler();
    if (s.current)
        switch_to_main();  // stays runnable: runs again after the others had their turn
    else
        run_round();
}

void detail::base_sleep_until(clock::time_point at) {
    Fiber& self = running_fiber();
    const std::int64_t at_ns = at.time_since_epoch().count();
    if (at_ns <= scheduler().now_ns) {
        base_yield();
        return;
    }
    self.state = Fiber::State::Waiting;
    self.wake_at_ns = at_ns;
    wait_until_runnable();
}

void detail::base_condition_variable::notify_one() noexcept {
    if (waiters_.empty()) return;
    Fiber* fiber = waiters_.front();
    waiters_.pop_front();
    make_runnable(*fiber);
}

void detail::base_condition_variable::notify_all() noexcept {
    std::deque<Fiber*> woken;
    woken.swap(waiters_);
    for (Fiber* fiber : woken) make_runnable(*fiber);
}

std::cv_status detail::base_condition_variable::wait_until_virtual(std::unique_lock<std::mutex>& lock, const clock::time_point* at) {
    Fiber& self = running_fiber();
    if (at && at->time_since_epoch().count() <= scheduler().now_ns) return std::cv_status::timeout;
    self.state = Fiber::State::Waiting;
    self.notified = false;
    if (at)
        self.wake_at_ns = at->time_since_epoch().count();
    else
        self.wake_at_ns.reset();
    waiters_.push_back(&self);
    lock.unlock();
    wait_until_runnable();
    lock.lock();
    if (self.notified) return std::cv_status::no_timeout;
    waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), &self), waiters_.end());  // timed out
    return std::cv_status::timeout;
}

void preemption_point() {
    Scheduler& s = scheduler();
    if (!s.current || --s.points_left > 0) return;
    s.points_left = kQuantumPoints;
    s.now_ns += kQuantumNs;
    switch_to_main();
}

}  // namespace pp::sync

//-----------------------------------------------------------------------------
// [SECTION] The frame loop's slice, and the virtual clock
//-----------------------------------------------------------------------------
namespace pp::platform::cooperative {

void run_for(std::chrono::milliseconds budget) {
    using namespace pp::sync;
    Scheduler& s = scheduler();
    const double started_ms = emscripten_get_now();
    bool ran_a_round = false;
    for (;;) {
        bool any_runnable = false;
        for (const auto& f : s.fibers) {
            wake_if_due(*f);
            any_runnable = any_runnable || f->state == Fiber::State::Runnable;
        }
        if (any_runnable) {
            // The budget is checked before a round (one always runs), so a call that ends with
            // every fiber waiting has started the idle pacing below: a browser process's answer
            // between frames then finds the clock's idle start (catch_up_with_real_time).
            if (ran_a_round && emscripten_get_now() - started_ms >= static_cast<double>(budget.count())) return;
            s.idle = false;
            run_round();
            ran_a_round = true;
            continue;
        }
        const std::optional<std::int64_t> next = next_deadline();
        if (!next) return;  // nothing to run, nothing timed: wait for the page (a click, a notify)
        // Everyone waits: let as much real time pass as the virtual clock is about to skip, so a
        // one-second sleep still takes a second on screen. The order of wake-ups is fixed already.
        const double now_ms = emscripten_get_now();
        if (!s.idle) {
            s.idle = true;
            s.idle_real_start_ms = now_ms;
            s.idle_virtual_start_ns = s.now_ns;
        }
        if ((now_ms - s.idle_real_start_ms) * 1e6 < static_cast<double>(*next - s.idle_virtual_start_ns)) return;
        s.now_ns = std::max(s.now_ns, *next);
        s.idle = false;
    }
}

void catch_up_with_real_time() {
    using namespace pp::sync;
    Scheduler& s = scheduler();
    if (s.current || !s.idle) return;  // a fiber runs, or nobody waited: the clock is where it should be
    const auto paced_ns = static_cast<std::int64_t>((emscripten_get_now() - s.idle_real_start_ms) * 1e6);
    std::int64_t at = s.idle_virtual_start_ns + paced_ns;
    if (const std::optional<std::int64_t> next = next_deadline()) at = std::min(at, *next);  // no deadline skipped
    s.now_ns = std::max(s.now_ns, at);
}

namespace {
std::int64_t virtual_now_ns() { return pp::sync::clock::now().time_since_epoch().count(); }
}  // namespace

void use_virtual_trace_clock() { trace::use_clock(&virtual_now_ns, /*virtual_time=*/true); }

}  // namespace pp::platform::cooperative
