// Small portable identifiers for trace lanes: process id and thread id.
#pragma once

#include <cstdint>

namespace pp {

// getpid() natively; a fixed 1 under emscripten, where the page is one "process"
// (the browser's process workers report their own ids through the process pool).
int current_pid();

// An id of the calling thread that no other thread of this run reuses, even after it is joined
// (std::thread::id values are recycled, which merged two threads into one trace lane).
// Natively the Linux tid (gettid; a syscall per call, so cache it per thread if you call it often,
// but re-read it after fork(): the child's thread has a new tid). Under emscripten a number from a
// process-wide counter, given to each thread on its first call. Key lanes by (pid, tid).
std::uint64_t current_tid();

} // namespace pp
