// TileBoard: an image being computed tile by tile, shared between a lesson's workers and the UI.
// Workers put finished tiles in; the UI copies a snapshot when the version has moved on.
#pragma once

#include "core/image_tiles.hpp"

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace pp::lessons {

class TileBoard {
public:
    struct Snapshot {
        int width = 0, height = 0;
        std::uint64_t version = 0;         // grows with every change
        std::vector<std::uint8_t> pixels;  // grayscale, row-major
        std::vector<ImageTile> tiles;
        std::vector<int> owner;            // per tile: index into `workers`, or -1 while not computed
        std::vector<std::string> workers;  // who computed tiles: lane names or "pid 1234"
    };

    // Starts a new image: `pixels` shown as they are (the input), every tile not yet computed.
    void reset(int width, int height, std::vector<ImageTile> tiles, std::vector<std::uint8_t> pixels);
    // Tile `index` is done, by `worker`. Thread-safe.
    void set_tile(std::size_t index, std::string_view worker, const std::vector<std::uint8_t>& pixels);

    std::uint64_t version() const;
    Snapshot snapshot() const;

private:
    mutable std::mutex mutex_;
    Snapshot state_;
};

}  // namespace pp::lessons
