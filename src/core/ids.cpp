#include "core/ids.hpp"

#include "core/sync.hpp"

#include <atomic>

#ifndef __EMSCRIPTEN__
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace pp {

#ifdef __EMSCRIPTEN__
namespace {
std::atomic<int> g_simulated_pid{1};
PP_THREAD_LOCAL(std::uint64_t, simulated_tid) // 0 until the thread's first call
}
#endif

void set_simulated_pid([[maybe_unused]] int pid) {
#ifdef __EMSCRIPTEN__
    g_simulated_pid.store(pid);
#endif
}

int current_pid() {
#ifdef __EMSCRIPTEN__
    return g_simulated_pid.load(std::memory_order_relaxed);
#else
    return static_cast<int>(::getpid());
#endif
}

std::uint64_t current_tid() {
#ifdef __EMSCRIPTEN__
    // No fork() here, so a per-thread number stays right for the thread's whole life.
    static std::atomic<std::uint64_t> next{1};
    std::uint64_t& tid = simulated_tid();
    if (tid == 0) tid = next.fetch_add(1, std::memory_order_relaxed);
    return tid;
#else
    // Not cached in a thread_local: after fork() the child's thread would keep its parent's value.
    return static_cast<std::uint64_t>(::syscall(SYS_gettid));
#endif
}

} // namespace pp
