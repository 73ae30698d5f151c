// The use-case lesson's process runs: a ProcessPoolExecutor of fork()ed processes natively, of
// browser processes (Web Workers, each its own WebAssembly instance) in the page. Each worker
// process builds its own copy of the input image once (processes share no memory), and sends
// back every tile it blurs, with its pid, as bytes.
#include "lessons/use_cases.hpp"

#include "core/ids.hpp"
#include "core/process_pool_executor.hpp"
#include "core/stats.hpp"
#include "core/task_registry.hpp"
#include "core/workloads.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace pp::lessons {

namespace {

// Runs in a worker process: its own image (made once per process), one tile blurred.
std::pair<int, std::vector<std::uint8_t>> blur_use_case_tile(int tile_index) {
    static const UseCaseImage image = UseCaseImage::make();
    const auto& tile = image.tiles.at(static_cast<std::size_t>(tile_index));
    return {pp::current_pid(), blur_tile(image.pixels, image.width, image.height, tile, UseCaseImage::kRadius, UseCaseImage::kPasses)};
}
PP_REGISTER_TASK_AS(blur_use_case_tile, "use_cases.blur_tile");

// Runs in a worker process: one simulated download.
std::uint64_t download_in_process(std::int64_t latency_ns, int seed) {
    return simulated_download(std::chrono::nanoseconds(latency_ns), 256 * 1024, static_cast<std::uint64_t>(seed)).checksum;
}
PP_REGISTER_TASK_AS(download_in_process, "use_cases.download");

}  // namespace

// As measure_threads (use_cases.cpp), with a pool of processes. Timed in real time, also in the
// single-threaded page: its browser processes really run in parallel (each its own Web Worker),
// so their wall time is the honest figure there too.
Samples measure_processes(LessonContext& ctx, const UseCaseImage& image, bool io, int workers) {
    ProcessPoolExecutor pool(workers);
    const auto latency = seconds(ctx.scaled(ctx.params().sleep));
    const Samples seconds = measure_repeated(
        kUseCaseRepeats,
        [&](RunKind kind) {
            const int count = kind == RunKind::WarmUp ? workers : io ? ctx.params().tasks : int(image.tiles.size());
            if (!io) ctx.tiles().reset(image.width, image.height, image.tiles, image.pixels);
            return wall_time_once([&] {
                if (io) {
                    std::vector<Future<std::uint64_t>> downloads;
                    for (int i = 0; i < count; ++i) downloads.push_back(pool.submit(download_in_process_task, latency.count(), i));
                    for (auto& d : downloads) d.result();
                    return;
                }
                std::vector<Future<std::pair<int, std::vector<std::uint8_t>>>> tiles;
                for (int i = 0; i < count; ++i) tiles.push_back(pool.submit(blur_use_case_tile_task, i));
                for (auto& done : as_completed(tiles)) {  // tiles appear in the order they finish
                    const auto i = static_cast<std::size_t>(std::find(tiles.begin(), tiles.end(), done) - tiles.begin());
                    auto [pid, pixels] = done.result();
                    ctx.tiles().set_tile(i, "pid " + std::to_string(pid), pixels);
                }
            });
        },
        [&] { return ctx.keep_going(); });
    pool.shutdown();
    return seconds;
}

}  // namespace pp::lessons
