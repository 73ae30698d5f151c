/*******************************************************************************************
 *
 *   Parallel Playground - Real-World Use Cases
 *
 *   The tutorial's table, measured: simulated downloads (I/O-bound) and an image blur
 *   (CPU-bound), each run with 1..N workers as threads with a GIL (Python's threads), threads
 *   without one (C++'s), and processes. Wall time and speedup are plotted as they come in;
 *   the image's tiles appear as workers finish them, tinted by the worker that computed each.
 *
 *******************************************************************************************/
#include "core/barrier.hpp"
#include "core/gil.hpp"
#include "core/image_tiles.hpp"
#include "core/sync.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"
#include "lessons/lesson.hpp"
#include "lessons/use_cases.hpp"

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pp::lessons {
namespace {

// pp::sync::clock is std::chrono::steady_clock, except in the single-threaded page: there it is the
// simulation's virtual clock, so one core shows what it really gives (no speedup for CPU work).
double seconds_since(pp::sync::clock::time_point start) {
    return std::chrono::duration<double>(pp::sync::clock::now() - start).count();
}

// [LESSON CODE]
// Starts every worker thread before the clock does: in a browser a new thread can take a frame
// to start, and that would be timed as work.
void start_all_workers(pp::ThreadPoolExecutor& pool, int workers) {
    pp::Barrier all_running(workers);
    std::vector<pp::Future<void>> started;
    for (int i = 0; i < workers; ++i) started.push_back(pool.submit([&] { all_running.wait(); }));
    for (auto& f : started) f.result();
}

// I/O-bound: `count` downloads, each waiting `sleep` tutorial seconds, then checksumming 256 KB.
double download_with_threads(LessonContext& ctx, int workers, int count) {
    pp::ThreadPoolExecutor pool(workers);
    start_all_workers(pool, workers);
    const auto start = pp::sync::clock::now();
    std::vector<pp::Future<pp::DownloadResult>> downloads;
    const auto latency = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(ctx.scaled(ctx.params().sleep)));
    for (int i = 0; i < count; ++i)
        downloads.push_back(pool.submit_named("download", [=, &ctx] {
            if (!ctx.keep_going()) return pp::DownloadResult{};  // stopped: skip the downloads not begun
            return pp::simulated_download(latency, 256 * 1024, i);
        }));
    for (auto& d : downloads) d.result();
    return seconds_since(start);
}

// CPU-bound: blur the image tile by tile; every finished tile shows up on the board at once.
double blur_with_threads(LessonContext& ctx, const UseCaseImage& image, int workers) {
    ctx.tiles().reset(image.width, image.height, image.tiles, image.pixels);
    pp::ThreadPoolExecutor pool(workers);
    start_all_workers(pool, workers);
    const auto start = pp::sync::clock::now();
    std::vector<pp::Future<void>> tiles;
    for (std::size_t i = 0; i < image.tiles.size(); ++i)
        tiles.push_back(pool.submit_named("blur tile", [&, i] {
            if (!ctx.keep_going()) return;
            const auto pixels = pp::blur_tile(image.pixels, image.width, image.height, image.tiles[i],
                                              UseCaseImage::kRadius, UseCaseImage::kPasses);
            ctx.tiles().set_tile(i, pp::trace::current_lane().name, pixels);
        }));
    for (auto& t : tiles) t.result();
    return seconds_since(start);
}

void main_program(LessonContext& ctx) {
    const UseCaseImage image = UseCaseImage::make();
    const int max_workers = ctx.params().workers, downloads = ctx.params().tasks;

    for (const char* work : {"I/O-bound", "CPU-bound"}) {
        for (bool gil : {true, false}) {  // Python's threads, then C++'s
            const std::string series = std::string(work) + (gil ? ": threads, GIL on" : ": threads, GIL off");
            for (int workers = 1; workers <= max_workers && ctx.keep_going(); ++workers) {
                pp::gil::set_enabled(gil);
                const double seconds = work[0] == 'I' ? download_with_threads(ctx, workers, downloads)
                                                      : blur_with_threads(ctx, image, workers);
                pp::gil::set_enabled(false);
                if (!ctx.keep_going()) break;  // a run cut short by Stop measured nothing
                ctx.measure(series, workers, seconds);
                char line[128];
                std::snprintf(line, sizeof line, "%-28s %2d worker%s: %6.3f s", series.c_str(), workers,
                              workers == 1 ? " " : "s", seconds);
                ctx.print(line);
            }
        }
        run_with_processes(ctx, work, image);  // fork()ed natively, isolated WebAssembly instances in the page
    }
    print_speedups(ctx);
}
// [END LESSON CODE]

} // namespace

UseCaseImage UseCaseImage::make() {
    UseCaseImage image;
    image.pixels = pp::generate_test_image(kWidth, kHeight, kSeed);
    image.tiles = pp::split_into_tiles(kWidth, kHeight, kTileSize);
    return image;
}

void print_speedups(LessonContext& ctx) {
    // Speedup = time with 1 worker / time with N workers, per series.
    std::map<std::string, std::map<int, double>> by_series;
    for (const auto& m : ctx.measurements()) by_series[m.series][static_cast<int>(m.x)] = m.y;
    ctx.print("Speedup over 1 worker:");
    for (const auto& [series, times] : by_series) {
        if (!times.count(1)) continue;
        std::string line = "  " + series + ":";
        for (const auto& [workers, seconds] : times) {
            char cell[32];
            std::snprintf(cell, sizeof cell, "  %dw %.2fx", workers, times.at(1) / seconds);
            line += cell;
        }
        ctx.print(line);
    }
}

extern const Lesson kUseCasesLesson{
    {9, "use-cases", "Real-World Use Cases",
     "The tutorial's table says: threads for I/O-bound work, processes for CPU-bound work. Measure it. Run "
     "downloads (mostly waiting) and an image blur (all computing) with 1 to N workers: as threads holding "
     "an emulated GIL (like Python's threads), as C++ threads without one, and as processes. Waiting "
     "overlaps in every model. Computing speeds up only where workers really run at once: processes, and "
     "C++ threads; Python-style threads with a GIL stay at 1x. The plot fills in as runs finish; the image "
     "shows which worker computed each tile.",
     R"py(# Not code from the tutorial: its table, as an experiment.
import time
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor

def download(i):            # I/O-bound: mostly waiting
    time.sleep(0.5)
    return i

def blur_tile(tile):        # CPU-bound: all computing
    return blur(image, tile, radius=5, passes=3)

for work, inputs in ((download, range(8)), (blur_tile, tiles)):
    for Executor in (ThreadPoolExecutor, ProcessPoolExecutor):
        for workers in range(1, 5):
            start = time.time()
            with Executor(max_workers=workers) as pool:
                list(pool.map(work, inputs))
            print(work.__name__, Executor.__name__, workers,
                  time.time() - start))py",
     kUsesWorkers | kUsesTasks | kUsesTimeScale | kUsesSleep,
     LessonParams{4, 8, 0.5, 0.5, false},
     true,
     true},
    &main_program,
    "use_cases.cpp",
};

} // namespace pp::lessons
