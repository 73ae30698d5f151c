// Shared pieces of the use-case lesson (use_cases.cpp): the image, the process runs (in
// use_cases_processes.cpp, beside the tasks the worker processes run), and the summary.
#pragma once

#include "core/image_tiles.hpp"
#include "lessons/lesson.hpp"

#include <cstdint>
#include <vector>

namespace pp::lessons {

// The CPU-bound job's input: a deterministic test image, in tiles.
struct UseCaseImage {
    static constexpr int kWidth = 1024, kHeight = 768, kTileSize = 64, kSeed = 11;
    static constexpr int kRadius = 5, kPasses = 3;  // three box-blur passes: about a Gaussian blur
    int width = kWidth, height = kHeight;
    std::vector<std::uint8_t> pixels;
    std::vector<ImageTile> tiles;

    static UseCaseImage make();
};

// The execution models, named as a Python user knows them. Without the GIL, Python threads run
// CPU-bound code in parallel too: the free-threaded build (3.13t, officially supported in 3.14).
inline constexpr const char* kThreadsWithGil = "threads: CPython with the GIL (default build)";
inline constexpr const char* kThreadsWithoutGil = "threads: free-threaded CPython 3.13t/3.14t, or C++";
inline constexpr const char* kProcesses = "processes";

// How many times each point of the experiment is timed, after one warm-up run.
inline constexpr int kUseCaseRepeats = 3;

// One point with processes (use_cases_processes.cpp): a pool of `workers` processes, a warm-up
// run, then kUseCaseRepeats timed runs of the downloads (io) or the blur, in real time.
Samples measure_processes(LessonContext& ctx, const UseCaseImage& image, bool io, int workers);

// Prints, per series, the speedup over 1 worker (median and range), and says where a CPU-bound
// figure is more than the machine's cores can give.
void print_speedups(LessonContext& ctx);

// Rough seconds a use-case run takes with `params` (for the estimate shown before Run).
double estimate_use_cases_seconds(const LessonParams& params);

}  // namespace pp::lessons
