#include "core/ids.hpp"

#include <atomic>
#include <functional>
#include <thread>

#ifndef __EMSCRIPTEN__
#include <unistd.h>
#endif

namespace pp {

#ifdef __EMSCRIPTEN__
namespace {
std::atomic<int> g_simulated_pid{1};
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
    return static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id()));
}

} // namespace pp
