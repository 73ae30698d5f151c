// Small portable identifiers for trace lanes: process id and thread id. Defined by the
// platform's system.cpp (platform/posix, platform/web), which pp_core compiles in.
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

// An id of the calling thread that later threads do not get back soon after it is joined
// (std::thread::id values are recycled at once, which merged two threads into one trace lane).
// Natively the Linux tid (gettid; a syscall per call, so cache it per thread if you call it often,
// but re-read it after fork(): the child's thread has a new tid). The kernel hands a tid out again
// only after pid_max (32768 by default) more threads and processes, so two lanes of one trace
// could merge only in a run that starts that many. Under emscripten a number from a process-wide
// counter, given to each thread on its first call, never reused. Key lanes by (pid, tid).
std::uint64_t current_tid();

}  // namespace pp
