// The use-case lesson's CPU-bound job: blur an image tile by tile, each tile an independent task.
//
// Tiles overlap their neighbours by a halo (radius x passes pixels) so that each can be computed
// alone, in any thread or process, and still match the whole image blurred at once: that is how
// real tiled image processing parallelizes, and what the tests check.
#pragma once

#include <cstdint>
#include <vector>

namespace pp {

struct ImageTile {
    int x0 = 0, y0 = 0, w = 0, h = 0;
};

// Row-major tiles of at most tile_size x tile_size covering a w x h image.
std::vector<ImageTile> split_into_tiles(int w, int h, int tile_size);

// `tile` of the image box-blurred `passes` times with `radius` (box_blur() repeated), computed
// from the tile and its halo only. Returns tile.w * tile.h pixels, row-major.
std::vector<std::uint8_t> blur_tile(const std::vector<std::uint8_t>& image, int w, int h, const ImageTile& tile, int radius, int passes);

// Copies a tile's pixels into their place in a w-wide image.
void place_tile(std::vector<std::uint8_t>& image, int w, const ImageTile& tile, const std::vector<std::uint8_t>& pixels);

}  // namespace pp
