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

// An id of the calling thread that no other thread of this run reuses, even after it is joined
// (std::thread::id values are recycled, which merged two threads into one trace lane).
// Natively the Linux tid (gettid; a syscall per call, so cache it per thread if you call it often,
// but re-read it after fork(): the child's thread has a new tid). Under emscripten a number from a
// process-wide counter, given to each thread on its first call. Key lanes by (pid, tid).
std::uint64_t current_tid();

} // namespace pp
