// What the machine offers, in the page (declared in core/stats.hpp). Asked of the browser
// directly: the single-threaded build's std::thread reports 1, but its browser processes (Web
// Workers) still run on every core.
#include "core/stats.hpp"

#include <emscripten.h>

namespace {
// Works on the page's main thread and in any Web Worker (navigator exists in both).
EM_JS(int, pp_navigator_cores, (), { return (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) | 0; });
} // namespace

namespace pp {

int hardware_core_count() { return pp_navigator_cores(); }

} // namespace pp
