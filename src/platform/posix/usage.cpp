#include "platform/usage.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace pp::platform {

namespace {
std::optional<double> clock_seconds(clockid_t clock) {
    timespec now{};
    if (::clock_gettime(clock, &now) != 0) return std::nullopt;
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}
}  // namespace

std::optional<double> thread_cpu_seconds() { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }

std::optional<double> process_cpu_seconds() { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

std::optional<double> resident_mb() {
    // /proc/self/statm: total and resident size, in pages (Linux).
    std::FILE* statm = std::fopen("/proc/self/statm", "r");
    if (!statm) return std::nullopt;
    long total = 0, resident = 0;
    const bool read = std::fscanf(statm, "%ld %ld", &total, &resident) == 2;
    std::fclose(statm);
    if (!read) return std::nullopt;
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

}  // namespace pp::platform
