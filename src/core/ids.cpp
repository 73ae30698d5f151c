#include "core/ids.hpp"

#include <functional>
#include <thread>

#ifndef __EMSCRIPTEN__
#include <unistd.h>
#endif

namespace pp {

int current_pid() {
#ifdef __EMSCRIPTEN__
    return 1;
#else
    return static_cast<int>(::getpid());
#endif
}

std::uint64_t current_tid() {
    return static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id()));
}

} // namespace pp
