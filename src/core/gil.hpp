// An emulated Global Interpreter Lock, to show why CPython threads do not speed up CPU-bound work.
//
// Index of this file
// [SECTION] Switches
// [SECTION] GilHolder: run "Python code" (a task body)
// [SECTION] checkpoint(): the interpreter's periodic "eval breaker"
// [SECTION] ReleaseGuard: a blocking call (sleep, I/O, join, lock, future wait)
// [SECTION] Statistics
//
// Model (CPython 3.2+ "new GIL"): one thread at a time holds the GIL. A thread that wants it waits
// for the switch interval (default 5 ms, like sys.setswitchinterval); if the holder did not let go
// meanwhile, the waiter raises a drop request. The holder notices at its next checkpoint(), drops
// the GIL and waits until another thread has taken it (forced switching), then queues again.
// Time spent waiting is recorded as a GilWait trace span.
//
// Off by default; when off every call here costs about one relaxed atomic load.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/sync.hpp"

namespace pp::gil {

//-----------------------------------------------------------------------------
// [SECTION] Switches
//-----------------------------------------------------------------------------
namespace detail {
inline std::atomic<bool> g_enabled{false};
inline std::atomic<bool> g_drop_request{false};
void drop_and_reacquire();
}  // namespace detail

inline bool enabled() noexcept { return detail::g_enabled.load(std::memory_order_relaxed); }
// Takes effect for GilHolders created afterwards; holders that already have the GIL keep it until
// they end. Switch it while no task runs to keep the demo's story simple.
void set_enabled(bool on);

void set_switch_interval(std::chrono::nanoseconds interval);
std::chrono::nanoseconds switch_interval();

// True while the calling thread holds the GIL.
bool held_by_this_thread();

//-----------------------------------------------------------------------------
// [SECTION] GilHolder: run "Python code" (a task body)
//-----------------------------------------------------------------------------
// Acquires the GIL if it is enabled (waiting, traced as GilWait), releases it at scope exit.
// Nested holders on one thread are fine (only the outermost acquires). ThreadPoolExecutor and
// pp::Thread wrap every task body in one. Holding it across a blocking wait that is not wrapped
// in a ReleaseGuard (a raw std::mutex, std::condition_variable) stalls every other "Python" thread.
class GilHolder {
public:
    GilHolder();
    ~GilHolder();
    GilHolder(const GilHolder&) = delete;
    GilHolder& operator=(const GilHolder&) = delete;

private:
    bool acquired_ = false;
};

//-----------------------------------------------------------------------------
// [SECTION] checkpoint(): the interpreter's periodic "eval breaker"
//-----------------------------------------------------------------------------
// CPU loops call this every few microseconds of work. If a waiter asked for the GIL, the caller
// hands it over and queues again. Without checkpoints a CPU-bound holder never lets go, so a
// waiter starves until the whole task ends. Cheap when the GIL is off or nobody waits.
inline void checkpoint() {
    sync::preemption_point();  // the cooperative page: let the other simulated threads run
    if (detail::g_drop_request.load(std::memory_order_relaxed) && enabled()) detail::drop_and_reacquire();
}

//-----------------------------------------------------------------------------
// [SECTION] ReleaseGuard: a blocking call (sleep, I/O, join, lock, future wait)
//-----------------------------------------------------------------------------
// Releases the GIL if this thread holds it and takes it back at scope exit (that wait is traced as
// GilWait), the way CPython wraps blocking C calls in Py_BEGIN_ALLOW_THREADS. Does nothing for a
// thread that does not hold the GIL. Do not touch "Python state" inside: that is the point.
class ReleaseGuard {
public:
    ReleaseGuard();
    ~ReleaseGuard();
    ReleaseGuard(const ReleaseGuard&) = delete;
    ReleaseGuard& operator=(const ReleaseGuard&) = delete;

private:
    int released_depth_ = 0;
};

//-----------------------------------------------------------------------------
// [SECTION] Statistics
//-----------------------------------------------------------------------------
struct Stats {
    std::uint64_t acquisitions = 0;     // times a thread took the GIL
    std::uint64_t forced_switches = 0;  // times a holder dropped it on request at a checkpoint
    std::int64_t total_wait_ns = 0;     // summed over all waiting threads
};
Stats stats();
void reset_stats();

}  // namespace pp::gil
