// ImageTiles.*: a blur computed tile by tile, in any order and any thread, equals the whole blur.
#include "core/image_tiles.hpp"
#include "core/thread_pool_executor.hpp"
#include "core/workloads.hpp"

#include "doctest.h"

#include <vector>

TEST_CASE("ImageTiles.TilesCoverTheImageOnce.1thread") {
    const auto tiles = pp::split_into_tiles(100, 70, 32);
    REQUIRE(tiles.size() == 4 * 3);
    std::vector<int> covered(100 * 70, 0);
    for (const auto& t : tiles)
        for (int y = t.y0; y < t.y0 + t.h; ++y)
            for (int x = t.x0; x < t.x0 + t.w; ++x) ++covered[y * 100 + x];
    for (int c : covered) REQUIRE(c == 1);
    CHECK(tiles.back().w == 100 - 96);
    CHECK(tiles.back().h == 70 - 64);
}

TEST_CASE("ImageTiles.TiledBlurEqualsWholeBlur.4threads") {
    const int w = 150, h = 110, radius = 3, passes = 3;
    const auto image = pp::generate_test_image(w, h, 7);
    auto whole = image;
    for (int pass = 0; pass < passes; ++pass) whole = pp::box_blur(whole, w, h, radius);

    std::vector<std::uint8_t> tiled(image.size(), 0);
    pp::ThreadPoolExecutor pool(4);
    std::vector<pp::Future<std::vector<std::uint8_t>>> parts;
    const auto tiles = pp::split_into_tiles(w, h, 40);
    for (const auto& tile : tiles)
        parts.push_back(pool.submit([&image, tile] { return pp::blur_tile(image, w, h, tile, radius, passes); }));
    for (std::size_t i = 0; i < tiles.size(); ++i) pp::place_tile(tiled, w, tiles[i], parts[i].result());
    CHECK(tiled == whole);
    CHECK(tiled != image);  // the blur did something
}

TEST_CASE("ImageTiles.TileOutsideTheImageIsRejected.1thread") {
    const auto image = pp::generate_test_image(10, 10, 1);
    CHECK_THROWS_AS(pp::blur_tile(image, 10, 10, {5, 5, 6, 2}, 1, 1), std::invalid_argument);
    std::vector<std::uint8_t> out(100);
    CHECK_THROWS_AS(pp::place_tile(out, 10, {0, 0, 2, 2}, std::vector<std::uint8_t>(3)), std::invalid_argument);
}
