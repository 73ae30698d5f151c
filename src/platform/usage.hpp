// How much CPU time and memory this program uses: for "UI used 4 % of one core during this run"
// (the lesson panel) and the app's idle figures (--idle, tests/app/idle_smoke.sh).
// Natively the kernel's clocks and /proc; a browser tells a page none of it, so there every
// function returns nullopt, and the page shows no figure rather than a made-up one.
#pragma once

#include <optional>

namespace pp::platform {

// CPU time the calling thread has used so far, in seconds (CLOCK_THREAD_CPUTIME_ID).
std::optional<double> thread_cpu_seconds();

// CPU time of every thread of this process so far, in seconds (the GL driver's threads too).
std::optional<double> process_cpu_seconds();

// Resident memory of this process (RSS), in MB.
std::optional<double> resident_mb();

}  // namespace pp::platform
