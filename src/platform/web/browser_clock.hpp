// A clock that every Web Worker of the page reads alike, for the trace (see pp::trace::use_clock).
#pragma once

namespace pp::platform {

// Makes the trace recorder read performance.timeOrigin + performance.now(): the same instant
// gives the same time in the page and in every worker. Call first thing in main().
void use_browser_trace_clock();

}  // namespace pp::platform
