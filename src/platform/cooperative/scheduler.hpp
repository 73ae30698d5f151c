// The cooperative scheduler of the single-threaded page (PP_COOPERATIVE): runs the fibers that
// stand in for threads (see core/sync.hpp), from the browser's main loop, a slice per frame.
#pragma once

#include <chrono>

namespace pp::platform::cooperative {

// Runs runnable fibers in turn, in a fixed order, for about `budget` of real time, then returns
// so the page can draw. While every fiber waits, it returns at once, and wakes the first sleeper
// on a later call once as much real time has passed as that sleeper has left on the virtual clock.
// Call it from the main context only (the frame loop), never from a fiber.
void run_for(std::chrono::milliseconds budget);

// Something outside the fibers happened now (a browser process answered): while every fiber
// waits, the virtual clock is paced behind real time up to the next deadline; this moves it on
// to as much virtual time as real time has passed since they all waited (never past a deadline).
// Outside events are not deterministic anyway; thread-only runs never call it, so they repeat.
// Call it from the main context between slices; elsewhere it does nothing.
void catch_up_with_real_time();

// Makes the trace recorder read the virtual clock, so timelines are the same from run to run.
// Call first thing in main().
void use_virtual_trace_clock();

}  // namespace pp::platform::cooperative
