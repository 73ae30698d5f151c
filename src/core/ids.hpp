// Small portable identifiers for trace lanes: process id and thread id.
#pragma once

#include <cstdint>

namespace pp {

// getpid() natively; a fixed 1 under emscripten, where the page is one "process"
// (the browser's process workers report their own ids through the process pool).
int current_pid();

// A stable 64-bit id of the calling thread (a hash of std::thread::id). Unique among live threads
// of one process; a fork()ed child's only thread may reuse its parent's forking thread's value,
// so always key lanes by (pid, tid).
std::uint64_t current_tid();

} // namespace pp
