// Shared pieces of the use-case lesson (use_cases.cpp): the image, and the process runs, which
// live in use_cases_processes.cpp because they differ between the native build and the page.
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

// Runs `work` ("I/O-bound" or "CPU-bound") with 1..workers processes, recording the series
// "<work>: processes". In a build without processes it says so on the console instead.
void run_with_processes(LessonContext& ctx, const char* work, const UseCaseImage& image);

// Prints, per series, the speedup over 1 worker.
void print_speedups(LessonContext& ctx);

}  // namespace pp::lessons
