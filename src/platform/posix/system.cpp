// What the operating system says about this process: its pid, its threads' ids, its cores
// (declared in core/ids.hpp and core/stats.hpp). Compiled into pp_core: the core's own code asks.
#include "core/ids.hpp"
#include "core/stats.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

namespace pp {

void set_simulated_pid(int) {}  // an OS process keeps its real getpid()

int current_pid() { return static_cast<int>(::getpid()); }

std::uint64_t current_tid() {
    // Not cached in a thread_local: after fork() the child's thread would keep its parent's value.
    return static_cast<std::uint64_t>(::syscall(SYS_gettid));
}

int hardware_core_count() { return static_cast<int>(std::thread::hardware_concurrency()); }

}  // namespace pp
