// What a browser process worker sets up before its first task: the pid its parent assigned
// (pp::set_simulated_pid) and the parent's trace clock (trace::set_clock_offset_ns).
#include "core/ids.hpp"
#include "core/trace.hpp"

#include <doctest.h>

#ifndef __EMSCRIPTEN__
#include <unistd.h>
#endif

TEST_CASE("ProcessIdentity.SimulatedPidOnlyUnderEmscripten.1thread") {
    const int before = pp::current_pid();
    pp::set_simulated_pid(4242);
#ifdef __EMSCRIPTEN__
    CHECK(before == 1);  // the page (or the node test binary) is process 1
    CHECK(pp::current_pid() == 4242);
    pp::set_simulated_pid(1);
#else
    CHECK(before == static_cast<int>(::getpid()));
    CHECK(pp::current_pid() == static_cast<int>(::getpid()));  // an OS process keeps its real pid
#endif
}

TEST_CASE("ProcessIdentity.ClockOffsetShiftsNowNs.1thread") {
    constexpr std::int64_t kHour = 3600LL * 1000 * 1000 * 1000;
    const std::int64_t before = pp::trace::now_ns();
    pp::trace::set_clock_offset_ns(kHour);
    const std::int64_t shifted = pp::trace::now_ns();
    pp::trace::set_clock_offset_ns(0);
    const std::int64_t after = pp::trace::now_ns();
    CHECK(shifted >= before + kHour);
    CHECK(shifted <= after + kHour);  // only the offset moved it, not time
    CHECK(after >= before);
}
