// The emulated GIL: one mutex-protected flag, a drop request, and forced switching.
#include "core/gil.hpp"

#include "core/ids.hpp"
#include "core/schedule.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace pp::gil {

namespace {

struct GilState {
    std::mutex mutex;
    sync::condition_variable freed;     // waiters: the GIL was released
    sync::condition_variable switched;  // a holder that dropped on request: someone else took it
    bool locked = false;
    std::uint64_t switch_number = 0;  // bumped at every acquisition
    int waiters = 0;
    Stats stats;
    // For the timeline's GIL lane (while tracing): who holds it since when, and who waits.
    std::string holder;
    std::int64_t held_since_ns = 0;
    std::vector<std::string> waiting;
};

// Never destroyed: detached threads may still release the GIL during static destruction.
GilState& gil_state() {
    static GilState* instance = new GilState;
    return *instance;
}

std::atomic<std::int64_t> g_interval_ns{5'000'000};
PP_THREAD_LOCAL(int, gil_depth)  // GilHolder nesting on this thread; > 0 means "holds the GIL"

// Returns when the GIL changed hands: the end of the new holder's wait is the start of its
// holding, one reading of the clock, so the two never overlap on the timeline.
std::int64_t take_locked(GilState& s) {
    s.locked = true;
    ++s.switch_number;
    ++s.stats.acquisitions;
    detail::g_drop_request.store(false, std::memory_order_relaxed);
    const std::int64_t now = trace::now_ns();
    if (trace::enabled()) {
        s.holder = trace::current_lane().name;
        s.held_since_ns = now;
    }
    s.switched.notify_all();
    return now;
}

// The holding that ends now, as a span on the GIL lane, named after its holder; its args say
// who was waiting for the GIL when it changed hands.
void record_holding_locked(GilState& s, std::int64_t end_ns) {
    if (!trace::enabled() || s.holder.empty()) return;
    TraceEvent held;
    held.kind = TraceKind::GilHeld;
    held.lane = TraceLane{current_pid(), kGilLaneTid, "GIL"};
    held.name = std::move(s.holder);
    for (const std::string& waiter : s.waiting) held.args += (held.args.empty() ? "waiting: " : ", ") + waiter;
    held.begin_ns = s.held_since_ns;
    held.end_ns = end_ns;
    trace::append_foreign({std::move(held)});
    s.holder.clear();
}

// Waits until the GIL is free, asking the holder to drop it after each switch interval in which
// it did not change hands, then takes it. `wait_begin_ns` starts the GilWait span.
void wait_and_take_locked(GilState& s, std::unique_lock<std::mutex>& lock, std::int64_t wait_begin_ns) {
    ++s.waiters;
    const std::string me = trace::enabled() ? trace::current_lane().name : std::string();
    if (!me.empty()) s.waiting.push_back(me);
    while (s.locked) {
        const std::uint64_t seen = s.switch_number;
        const auto interval = std::chrono::nanoseconds(g_interval_ns.load(std::memory_order_relaxed));
        const schedule::WaitLabel label("wait for the GIL");
        const bool freed = s.freed.wait_for(lock, interval, [&] { return !s.locked; });
        if (!freed && s.switch_number == seen) detail::g_drop_request.store(true, std::memory_order_relaxed);
    }
    --s.waiters;
    if (!me.empty()) {
        const auto mine = std::find(s.waiting.begin(), s.waiting.end(), me);
        if (mine != s.waiting.end()) s.waiting.erase(mine);
    }
    const std::int64_t wait_end_ns = take_locked(s);
    s.stats.total_wait_ns += wait_end_ns - wait_begin_ns;
    lock.unlock();
    trace::span(TraceKind::GilWait, "gil wait", wait_begin_ns, wait_end_ns);
}

void acquire() {
    GilState& s = gil_state();
    std::unique_lock<std::mutex> lock(s.mutex);
    if (!s.locked) {
        take_locked(s);
        return;
    }
    wait_and_take_locked(s, lock, trace::now_ns());
}

void release() {
    GilState& s = gil_state();
    std::lock_guard<std::mutex> lock(s.mutex);
    record_holding_locked(s, trace::now_ns());
    s.locked = false;
    s.freed.notify_one();
}

}  // namespace

void detail::drop_and_reacquire() {
    if (gil_depth() == 0) return;  // only the holder can drop it
    GilState& s = gil_state();
    std::unique_lock<std::mutex> lock(s.mutex);
    if (!detail::g_drop_request.load(std::memory_order_relaxed)) return;
    if (s.waiters == 0) {  // stale request: its waiter already got the GIL and gave it back
        detail::g_drop_request.store(false, std::memory_order_relaxed);
        return;
    }
    // The GilWait span starts before the release, so this lane's running time never overlaps the next holder's.
    const std::int64_t wait_begin_ns = trace::now_ns();
    record_holding_locked(s, wait_begin_ns);
    s.locked = false;
    ++s.stats.forced_switches;
    const std::uint64_t seen = s.switch_number;
    s.freed.notify_one();
    // Forced switching: without it the dropping thread often wins the race to take the GIL again.
    s.switched.wait(lock, [&] { return s.switch_number != seen || s.waiters == 0; });
    wait_and_take_locked(s, lock, wait_begin_ns);
}

void set_enabled(bool on) { detail::g_enabled.store(on, std::memory_order_relaxed); }

void set_switch_interval(std::chrono::nanoseconds interval) {
    g_interval_ns.store(interval.count() > 0 ? interval.count() : 1, std::memory_order_relaxed);
}

std::chrono::nanoseconds switch_interval() { return std::chrono::nanoseconds(g_interval_ns.load(std::memory_order_relaxed)); }

bool held_by_this_thread() { return gil_depth() > 0; }

GilHolder::GilHolder() {
    if (gil_depth() > 0) {
        ++gil_depth();
        acquired_ = true;
        return;
    }
    if (!enabled()) return;
    acquire();
    gil_depth() = 1;
    acquired_ = true;
}

GilHolder::~GilHolder() {
    if (acquired_ && --gil_depth() == 0) release();
}

ReleaseGuard::ReleaseGuard() {
    if (gil_depth() == 0) return;
    released_depth_ = gil_depth();
    gil_depth() = 0;
    release();
}

ReleaseGuard::~ReleaseGuard() {
    if (released_depth_ == 0) return;
    acquire();
    gil_depth() = released_depth_;
}

Stats stats() {
    GilState& s = gil_state();
    std::lock_guard<std::mutex> lock(s.mutex);
    return s.stats;
}

void reset_stats() {
    GilState& s = gil_state();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.stats = Stats{};
}

}  // namespace pp::gil
