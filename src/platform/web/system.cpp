// What the browser says about this page or browser process: a pid the page assigns, thread ids
// numbered here, and the cores (declared in core/ids.hpp and core/stats.hpp). Compiled into
// pp_core: the core's own code asks.
#include "core/ids.hpp"
#include "core/stats.hpp"
#include "core/sync.hpp"

#include <emscripten.h>

#include <atomic>

namespace {
std::atomic<int> g_simulated_pid{1};  // the page is process 1
PP_THREAD_LOCAL(std::uint64_t, simulated_tid)  // 0 until the thread's first call

// Asked of the browser: the single-threaded build's std::thread reports 1, but its browser
// processes (Web Workers) still run on every core. navigator exists on the main thread and in
// every Web Worker.
EM_JS(int, pp_navigator_cores, (), { return (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) | 0; });
} // namespace

namespace pp {

void set_simulated_pid(int pid) { g_simulated_pid.store(pid); }

int current_pid() { return g_simulated_pid.load(std::memory_order_relaxed); }

std::uint64_t current_tid() {
    // No fork() here, so a per-thread number stays right for the thread's whole life.
    static std::atomic<std::uint64_t> next{1};
    std::uint64_t& tid = simulated_tid();
    if (tid == 0) tid = next.fetch_add(1, std::memory_order_relaxed);
    return tid;
}

int hardware_core_count() { return pp_navigator_cores(); }

} // namespace pp
