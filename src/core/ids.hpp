// Small portable identifiers for trace lanes: process id and thread id.
#pragma once

#include <cstdint>

namespace pp {

// getpid() natively. Under emscripten: 1 for the page, and in a browser process worker (an
// isolated WebAssembly instance, not an OS process) the simulated id its parent assigned.
int current_pid();

// Under emscripten only: makes current_pid() return `pid` in this WebAssembly instance. A browser
// process worker calls it once, before running any task; called later, trace lanes created
// before it keep the old id. Natively it does nothing: an OS process keeps its real getpid().
void set_simulated_pid(int pid);

// A stable 64-bit id of the calling thread (a hash of std::thread::id). Unique among live threads
// of one process; a fork()ed child's only thread may reuse its parent's forking thread's value,
// so always key lanes by (pid, tid).
std::uint64_t current_tid();

} // namespace pp
