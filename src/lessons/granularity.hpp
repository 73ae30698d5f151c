// The cost of parallelism: the use-case lesson's second experiment (experiment=granularity) and
// `playground-cli bench granularity`.
//
// A fixed amount of CPU work is cut into tasks of 10 us to 100 ms and run by one thread alone
// (the baseline), then by each model at N workers: threads with the GIL, threads without it,
// processes sending each task on its own (chunksize 1), and processes sending them in chunks.
// Each point is a warm-up run then 3 timed runs. Beside them, the overheads measured in the same
// run (starting a pool, one task's round trip, a task in a batch), and a prediction from those
// costs (core/stats.hpp: predicted_seconds) of where each model starts to pay off.
#pragma once

#include "lessons/lesson.hpp"

#include <vector>

namespace pp::lessons {

// Measurement series (x: the task's size in seconds) and overheads (x: 0), as the panel reads them.
inline constexpr const char* kGranularityPrefix = "granularity: ";
inline constexpr const char* kGranularityBaseline = "granularity: one thread, no pool";
inline constexpr const char* kOverheadPrefix = "overhead: ";

// Task sizes, from 10 microseconds to 100 milliseconds of CPU work.
inline const std::vector<double> kGranularityTaskSeconds{10e-6, 100e-6, 1e-3, 10e-3, 100e-3};

// The work it spreads: 0.4 s of CPU work times the time scale (the CLI's tiny CI run: --scale 0.05).
double granularity_work_seconds(const LessonParams& params);

// Runs the experiment, recording measurements and predictions into `ctx` as points finish, and a
// console line for each. Stops early when ctx is stopped.
void run_granularity(LessonContext& ctx);

double estimate_granularity_seconds(const LessonParams& params);

}  // namespace pp::lessons
