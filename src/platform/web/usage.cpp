// The page: a browser gives no CPU clock per thread nor the tab's memory, so nothing is known.
#include "platform/usage.hpp"

namespace pp::platform {

std::optional<double> thread_cpu_seconds() { return std::nullopt; }
std::optional<double> process_cpu_seconds() { return std::nullopt; }
std::optional<double> resident_mb() { return std::nullopt; }

}  // namespace pp::platform
