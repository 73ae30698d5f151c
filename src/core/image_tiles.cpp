#include "core/image_tiles.hpp"

#include "core/workloads.hpp"

#include <algorithm>
#include <stdexcept>

namespace pp {

std::vector<ImageTile> split_into_tiles(int w, int h, int tile_size) {
    if (w <= 0 || h <= 0 || tile_size <= 0) throw std::invalid_argument("split_into_tiles: empty image or tile");
    std::vector<ImageTile> tiles;
    for (int y = 0; y < h; y += tile_size)
        for (int x = 0; x < w; x += tile_size) tiles.push_back({x, y, std::min(tile_size, w - x), std::min(tile_size, h - y)});
    return tiles;
}

std::vector<std::uint8_t> blur_tile(const std::vector<std::uint8_t>& image, int w, int h, const ImageTile& tile, int radius, int passes) {
    if (tile.x0 < 0 || tile.y0 < 0 || tile.w <= 0 || tile.h <= 0 || tile.x0 + tile.w > w || tile.y0 + tile.h > h)
        throw std::invalid_argument("blur_tile: the tile is not inside the image");
    // Each pass spoils `radius` pixels inward from a cut edge; the halo absorbs all the passes.
    const int halo = radius * passes;
    const int x0 = std::max(0, tile.x0 - halo), x1 = std::min(w, tile.x0 + tile.w + halo);
    const int y0 = std::max(0, tile.y0 - halo), y1 = std::min(h, tile.y0 + tile.h + halo);
    const int region_w = x1 - x0, region_h = y1 - y0;
    std::vector<std::uint8_t> region(static_cast<std::size_t>(region_w) * region_h);
    for (int y = y0; y < y1; ++y)
        std::copy_n(&image[static_cast<std::size_t>(y) * w + x0], region_w, &region[static_cast<std::size_t>(y - y0) * region_w]);
    for (int pass = 0; pass < passes; ++pass) region = box_blur(region, region_w, region_h, radius);

    std::vector<std::uint8_t> out(static_cast<std::size_t>(tile.w) * tile.h);
    for (int y = 0; y < tile.h; ++y)
        std::copy_n(&region[static_cast<std::size_t>(tile.y0 - y0 + y) * region_w + (tile.x0 - x0)], tile.w,
                    &out[static_cast<std::size_t>(y) * tile.w]);
    return out;
}

void place_tile(std::vector<std::uint8_t>& image, int w, const ImageTile& tile, const std::vector<std::uint8_t>& pixels) {
    if (pixels.size() != static_cast<std::size_t>(tile.w) * tile.h) throw std::invalid_argument("place_tile: wrong pixel count");
    for (int y = 0; y < tile.h; ++y)
        std::copy_n(&pixels[static_cast<std::size_t>(y) * tile.w], tile.w, &image[static_cast<std::size_t>(tile.y0 + y) * w + tile.x0]);
}

}  // namespace pp
