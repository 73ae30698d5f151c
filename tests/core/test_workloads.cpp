// Workloads: deterministic results, and split-up versions that put together equal the whole.
#include "core/sync.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/workloads.hpp"

#include <doctest.h>

#include <chrono>
#include <cstdint>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("Workloads.CountPrimesKnownValues.1thread") {
    CHECK(pp::count_primes(0, 100000) == 9592);
    CHECK(pp::count_primes(0, 2) == 0);
    CHECK(pp::count_primes(0, 3) == 1);
    CHECK(pp::count_primes(2, 3) == 1);
    CHECK(pp::count_primes(-50, 10) == 4);  // negative starts are clamped
    CHECK(pp::count_primes(100, 10) == 0);  // empty range
}

TEST_CASE("Workloads.CountPrimesSplitAcrossThreadsSumsToTheWhole.3threads") {
    pp::ThreadPoolExecutor pool(3);
    std::vector<pp::Future<std::int64_t>> parts;
    for (std::int64_t lo = 0; lo < 100000; lo += 12500) parts.push_back(pool.submit(pp::count_primes, lo, lo + 12500));
    std::int64_t total = 0;
    for (auto& p : parts) total += p.result();
    CHECK(total == 9592);
}

TEST_CASE("Workloads.MandelbrotTilesAssembleToTheWholeImage.3threads") {
    const int w = 96, h = 64, iters = 200, tile = 32;
    const std::vector<std::uint32_t> whole = pp::mandelbrot_tile(0, 0, w, h, w, h, iters);
    REQUIRE(whole.size() == static_cast<std::size_t>(w * h));
    // Not a trivial image: some points escape quickly, some never.
    CHECK(*std::min_element(whole.begin(), whole.end()) < 5u);
    CHECK(*std::max_element(whole.begin(), whole.end()) == static_cast<std::uint32_t>(iters));

    pp::ThreadPoolExecutor pool(3);
    struct Tile {
        int x0, y0;
        pp::Future<std::vector<std::uint32_t>> pixels;
    };
    std::vector<Tile> tiles;
    for (int y0 = 0; y0 < h; y0 += tile)
        for (int x0 = 0; x0 < w; x0 += tile) tiles.push_back({x0, y0, pool.submit(pp::mandelbrot_tile, x0, y0, tile, tile, w, h, iters)});
    std::vector<std::uint32_t> assembled(whole.size(), 0xFFFFFFFFu);
    for (auto& t : tiles) {
        const auto pixels = t.pixels.result();
        REQUIRE(pixels.size() == static_cast<std::size_t>(tile * tile));
        for (int y = 0; y < tile; ++y)
            for (int x = 0; x < tile; ++x) assembled[(t.y0 + y) * w + t.x0 + x] = pixels[y * tile + x];
    }
    CHECK(assembled == whole);
    CHECK_THROWS_AS(pp::mandelbrot_tile(0, 0, -1, 1, w, h, iters), std::invalid_argument);
}

TEST_CASE("Workloads.BlurBandsAssembleToTheWholeBlur.3threads") {
    const int w = 80, h = 53, radius = 3;
    const std::vector<std::uint8_t> image = pp::generate_test_image(w, h, 7);
    CHECK(image == pp::generate_test_image(w, h, 7));  // deterministic
    CHECK(image != pp::generate_test_image(w, h, 8));
    const std::vector<std::uint8_t> whole = pp::box_blur(image, w, h, radius);
    REQUIRE(whole.size() == image.size());
    CHECK(whole != image);  // the blur changed something

    // Bands of uneven height (53 rows in bands of 10), blurred by different workers.
    pp::ThreadPoolExecutor pool(3);
    std::vector<pp::Future<std::vector<std::uint8_t>>> bands;
    for (int y0 = 0; y0 < h; y0 += 10)
        bands.push_back(pool.submit(pp::box_blur_rows, std::cref(image), w, h, radius, y0, std::min(h, y0 + 10)));
    std::vector<std::uint8_t> assembled;
    for (auto& b : bands) {
        const auto rows = b.result();
        assembled.insert(assembled.end(), rows.begin(), rows.end());
    }
    CHECK(assembled == whole);

    // Radius 0 is the identity; a flat image stays flat.
    CHECK(pp::box_blur(image, w, h, 0) == image);
    const std::vector<std::uint8_t> flat(static_cast<std::size_t>(w * h), 77);
    CHECK(pp::box_blur(flat, w, h, 5) == flat);
    CHECK_THROWS_AS(pp::box_blur_rows(image, w, h, radius, 5, 4), std::invalid_argument);
}

TEST_CASE("Workloads.DownloadChecksumIsDeterministic.2threads") {
    const pp::DownloadResult a = pp::simulated_download(5ms, 100000, 3);
    CHECK(a.bytes == 100000);
    CHECK(a.checksum == pp::download_checksum(100000, 3));
    pp::ThreadPoolExecutor pool(2);
    auto b = pool.submit(pp::simulated_download, std::chrono::nanoseconds(5ms), std::size_t(100000), std::uint64_t(3));
    CHECK(b.result().checksum == a.checksum);               // same on another thread
    CHECK(pp::download_checksum(100000, 4) != a.checksum);  // the seed matters
    CHECK(pp::download_checksum(99999, 3) != a.checksum);   // so does the size
}

TEST_CASE("Workloads.SleepTakesAboutItsDuration.1thread") {
    const auto start = pp::sync::clock::now();
    pp::sleep_for(50ms);
    const auto waited = pp::sync::clock::now() - start;
    CHECK(waited >= 50ms);
    CHECK(waited < 2s);
}
