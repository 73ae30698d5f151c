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
#include "lessons/use_cases.hpp"
#include "core/gil.hpp"
#include "core/image_tiles.hpp"
#include "core/stats.hpp"
#include "core/sync.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"
#include "lessons/granularity.hpp"
#include "lessons/lesson.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace pp::lessons {
namespace {

struct Model {
    const char* name;
    bool processes;
    bool gil;
};

// [LESSON CODE]
// I/O-bound: `count` downloads, each waiting `sleep` tutorial seconds, then checksumming 256 KB.
void download_with_threads(LessonContext& ctx, pp::ThreadPoolExecutor& pool, int count) {
    const auto latency = pp::seconds(ctx.scaled(ctx.params().sleep));
    std::vector<pp::Future<pp::DownloadResult>> downloads;
    for (int i = 0; i < count; ++i)
        downloads.push_back(pool.submit_named("download", [=, &ctx] {
            if (!ctx.keep_going()) return pp::DownloadResult{};  // stopped: skip the downloads not begun
            return pp::simulated_download(latency, 256 * 1024, i);
        }));
    for (auto& d : downloads) d.result();
}

// CPU-bound: blur the first `count` tiles of the image; every finished tile shows up at once.
void blur_with_threads(LessonContext& ctx, pp::ThreadPoolExecutor& pool, const UseCaseImage& image, int count) {
    ctx.tiles().reset(image.width, image.height, image.tiles, image.pixels);
    std::vector<pp::Future<void>> tiles;
    for (int i = 0; i < count; ++i)
        tiles.push_back(pool.submit_named("blur tile", [&, i] {
            if (!ctx.keep_going()) return;
            const auto pixels =
                pp::blur_tile(image.pixels, image.width, image.height, image.tiles[i], UseCaseImage::kRadius, UseCaseImage::kPasses);
            ctx.tiles().set_tile(i, pp::trace::current_lane().name, pixels);
        }));
    for (auto& t : tiles) t.result();
}

// One point of the plot: a pool of `workers`, a warm-up run (one task per worker: it starts
// every thread), then three timed runs on the same pool. One run alone is not a measurement.
pp::Samples measure_threads(LessonContext& ctx, const UseCaseImage& image, bool io, int workers, bool gil) {
    pp::gil::set_enabled(gil);
    pp::ThreadPoolExecutor pool(workers);
    const pp::Samples seconds = pp::measure_repeated(
        kUseCaseRepeats,
        [&](pp::RunKind kind) {
            const int count = kind == pp::RunKind::WarmUp ? workers : io ? ctx.params().tasks : int(image.tiles.size());
            return pp::time_once([&] {  // on the threads' clock: virtual in the single-threaded page
                if (io)
                    download_with_threads(ctx, pool, count);
                else
                    blur_with_threads(ctx, pool, image, count);
            });
        },
        [&] { return ctx.keep_going(); });
    pool.shutdown();
    pp::gil::set_enabled(false);
    return seconds;
}

void main_program(LessonContext& ctx) {
    if (ctx.params().experiment == kGranularity) return run_granularity(ctx);  // granularity.cpp
    const UseCaseImage image = UseCaseImage::make();
    const Model models[] = {{kThreadsWithGil, false, true}, {kThreadsWithoutGil, false, false}, {kProcesses, true, false}};
    ctx.print("This machine runs " + std::to_string(pp::hardware_core_count()) + " threads at once (its cores).");

    for (const char* work : {"I/O-bound", "CPU-bound"}) {
        const bool io = work[0] == 'I';
        for (const Model& model : models) {
            const std::string series = std::string(work) + ": " + model.name;
            for (int workers = 1; workers <= ctx.params().workers && ctx.keep_going(); ++workers) {
                const pp::Samples seconds =
                    model.processes ? measure_processes(ctx, image, io, workers) : measure_threads(ctx, image, io, workers, model.gil);
                if (!ctx.keep_going()) break;  // a run cut short by Stop measured nothing
                ctx.measure(series, workers, seconds);
                char line[200];
                std::snprintf(line, sizeof line, "%-61s %2d worker%s: %6.3f s  (%.3f to %.3f, %zu runs)", series.c_str(), workers,
                              workers == 1 ? " " : "s", seconds.median(), seconds.min(), seconds.max(), seconds.count());
                ctx.print(line);
            }
        }
    }
    print_speedups(ctx);
}
// [END LESSON CODE]

double one_tile_seconds() {
    // Timed on first use, in real time: the estimate's unit of CPU work on this machine. The
    // fastest of three, as the first blur runs cold (in the page, code not yet optimised).
    static const double seconds = [] {
        const UseCaseImage image = UseCaseImage::make();
        Samples blur;
        for (int i = 0; i < 3; ++i)
            blur.add(wall_time_once([&] {
                (void)pp::blur_tile(image.pixels, image.width, image.height, image.tiles[image.tiles.size() / 2], UseCaseImage::kRadius,
                                    UseCaseImage::kPasses);
            }));
        return blur.min();
    }();
    return seconds;
}

}  // namespace

UseCaseImage UseCaseImage::make() {
    UseCaseImage image;
    image.pixels = pp::generate_test_image(kWidth, kHeight, kSeed);
    image.tiles = pp::split_into_tiles(kWidth, kHeight, kTileSize);
    return image;
}

void print_speedups(LessonContext& ctx) {
    // Speedup = time with 1 worker / time with N workers, per series: the ratio of the medians,
    // and the widest range the samples allow (core/stats.hpp).
    std::map<std::string, std::map<int, Samples>> by_series;
    for (const auto& m : ctx.measurements()) by_series[m.series][static_cast<int>(m.x)] = m.seconds;
    const int cores = pp::hardware_core_count();
    ctx.print("Speedup over 1 worker (median of " + std::to_string(kUseCaseRepeats) + " runs, range in brackets):");
    std::vector<std::string> too_fast;
    for (const auto& [series, times] : by_series) {
        if (!times.count(1)) continue;
        std::string line = "  " + series + ":";
        for (const auto& [workers, seconds] : times) {
            if (workers == 1) {  // the baseline itself
                line += "  1w 1.00x";
                continue;
            }
            const Speedup s = speedup(times.at(1), seconds);
            char cell[64];
            std::snprintf(cell, sizeof cell, "  %dw %.2fx (%.2f-%.2f)", workers, s.median, s.low, s.high);
            line += cell;
            if (series.rfind("CPU-bound", 0) == 0 && exceeds_cores(s, cores)) {
                std::snprintf(cell, sizeof cell, "%.2fx", s.median);
                too_fast.push_back("  Note: " + series + " with " + std::to_string(workers) + " workers measured " + cell +
                                   ", more than this machine's " + std::to_string(cores) +
                                   " cores can give to CPU work: that is noise (a slow 1-worker run, or a busy "
                                   "machine), not an effect.");
            }
        }
        ctx.print(line);
    }
    for (const std::string& note : too_fast) ctx.print(note);
}

double estimate_use_cases_seconds(const LessonParams& params) {
    const double sleep = params.sleep * params.time_scale;
    const int cores = std::max(pp::hardware_core_count(), 1);
    const double tiles = static_cast<double>(UseCaseImage::make().tiles.size());
    double io = 0, cpu = 0;
    for (int workers = 1; workers <= params.workers; ++workers) {
        // The warm-up waits once per worker, then each timed run waits in rounds of `workers`.
        io += sleep * (1 + kUseCaseRepeats * std::ceil(static_cast<double>(params.tasks) / workers));
        cpu += one_tile_seconds() * (workers + kUseCaseRepeats * tiles) / std::min(workers, cores);
    }
    // Threads with the GIL run CPU work on one core at a time; the other two models use them all.
    const double cpu_with_gil = one_tile_seconds() * params.workers * (1 + kUseCaseRepeats * tiles);
    return 3 * io + 2 * cpu + cpu_with_gil;
}

// The Python beside each experiment's C++.
const char* const kUseCaseTablePython = R"py(# Not code from the tutorial: its table, as an experiment.
import statistics, time
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor

def download(i):            # I/O-bound: mostly waiting
    time.sleep(0.5)
    return i

def blur_tile(tile):        # CPU-bound: all computing
    return blur(image, tile, radius=5, passes=3)

for work, inputs in ((download, range(8)), (blur_tile, tiles)):
    for Executor in (ThreadPoolExecutor, ProcessPoolExecutor):
        for workers in range(1, 5):
            times = []
            for run in range(1 + 3):   # a warm-up, then 3 timed
                start = time.perf_counter()
                with Executor(max_workers=workers) as pool:
                    list(pool.map(work, inputs))
                times.append(time.perf_counter() - start)
            times = times[1:]          # the warm-up is not kept
            print(work.__name__, Executor.__name__, workers,
                  statistics.median(times), min(times), max(times)))py";
const char* const kGranularityPython = R"py(# Not code from the tutorial: the cost of parallelism, measured.
import time
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor

def work(steps):                 # CPU-bound: `steps` steps of arithmetic
    x = 88172645463325252
    for _ in range(steps):
        x = (x ^ (x << 13)) & MASK
    return x

WORK = 0.4                       # seconds of work in all
for size in (10e-6, 100e-6, 1e-3, 10e-3, 100e-3):
    inputs = [int(size * steps_per_second)] * round(WORK / size)
    one = timed(lambda: [work(n) for n in inputs])   # one thread, no pool
    with ProcessPoolExecutor(2) as pool:
        each = timed(lambda: list(pool.map(work, inputs)))
        chunks = timed(lambda: list(pool.map(work, inputs,
                                chunksize=len(inputs) // 8)))
    print(size, "speedup", one / each, one / chunks))py";

extern const Lesson kUseCasesLesson{
    {9, "use-cases", "Real-World Use Cases",
     "The tutorial's table says: threads for I/O-bound work, processes for CPU-bound work. Measure it. Run "
     "downloads (mostly waiting) and an image blur (all computing) with 1 to N workers: as threads holding "
     "an emulated GIL (like Python's threads), as C++ threads without one, and as processes. Waiting "
     "overlaps in every model. Computing speeds up only where workers really run at once: processes, and "
     "C++ threads; CPython's threads with the GIL stay at 1x (its optional free-threaded build, 3.13t and "
     "officially 3.14, drops the GIL and behaves like C++ here). And only up to the number of cores: the "
     "dashed ideal stops rising there. Each point is the median of 3 timed runs after a warm-up run, and "
     "its whiskers span the fastest to the slowest, so you can tell an effect from noise. The plot fills in "
     "as points finish; the image shows which worker computed each tile. Set experiment to granularity for "
     "the cost of parallelism: the same CPU work cut into tasks of 10 us to 100 ms. Starting workers and "
     "passing messages cost time, so processes pay off only for tasks big enough, or sent in chunks "
     "(Python's map(..., chunksize=n)); the dashed lines predict where, from the overheads measured in the run.",
     kUseCaseTablePython, uses_settings("workers", "tasks", "scale", "sleep", "switch", "experiment"),
     [] {
         LessonParams defaults;
         defaults.workers = 4;
         defaults.tasks = 8;
         defaults.time_scale = 0.5;
         defaults.sleep = 0.5;
         return defaults;
     }(),
     /*creates_processes=*/true,
     /*measures=*/true,
     /*steppable=*/false, kFreeThreadingDocs, "Python's docs: the free-threaded build"},
    &main_program,
    "use_cases.cpp",
    [](const LessonParams& p) { return p.experiment == kGranularity ? estimate_granularity_seconds(p) : estimate_use_cases_seconds(p); },
    // The granularity experiment's code and Python, when it is the one that runs.
    [](const LessonParams& p) { return p.experiment == kGranularity ? "granularity.cpp" : "use_cases.cpp"; },
    [](const LessonParams& p) { return p.experiment == kGranularity ? kGranularityPython : kUseCaseTablePython; },
};

}  // namespace pp::lessons
