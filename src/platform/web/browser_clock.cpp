#include "platform/web/browser_clock.hpp"

#include "core/trace.hpp"

#include <emscripten.h>

#include <cstdint>

namespace pp::platform {

namespace {
// Milliseconds since the Unix epoch with microsecond precision (5 us in an isolated page):
// timeOrigin is each worker's own start, now() counts from it, so their sum is shared.
EM_JS(double, shared_now_ms, (), { return performance.timeOrigin + performance.now(); });

std::int64_t shared_now_ns() { return static_cast<std::int64_t>(shared_now_ms() * 1e6); }
}  // namespace

void use_browser_trace_clock() { trace::use_clock(&shared_now_ns); }

}  // namespace pp::platform
