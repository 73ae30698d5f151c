// What the machine offers, natively (declared in core/stats.hpp).
#include "core/stats.hpp"

#include <thread>

namespace pp {

int hardware_core_count() { return static_cast<int>(std::thread::hardware_concurrency()); }

} // namespace pp
