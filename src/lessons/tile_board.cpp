#include "lessons/tile_board.hpp"

#include <algorithm>
#include <stdexcept>

namespace pp::lessons {

void TileBoard::reset(int width, int height, std::vector<ImageTile> tiles, std::vector<std::uint8_t> pixels) {
    std::lock_guard<std::mutex> lock(mutex_);
    state_.width = width;
    state_.height = height;
    state_.pixels = std::move(pixels);
    state_.owner.assign(tiles.size(), -1);
    state_.tiles = std::move(tiles);
    state_.workers.clear();
    ++state_.version;
}

void TileBoard::set_tile(std::size_t index, std::string_view worker, const std::vector<std::uint8_t>& pixels) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (index >= state_.tiles.size()) throw std::out_of_range("TileBoard: no such tile");
    place_tile(state_.pixels, state_.width, state_.tiles[index], pixels);
    auto found = std::find(state_.workers.begin(), state_.workers.end(), worker);
    if (found == state_.workers.end()) found = state_.workers.insert(state_.workers.end(), std::string(worker));
    state_.owner[index] = static_cast<int>(found - state_.workers.begin());
    ++state_.version;
}

std::uint64_t TileBoard::version() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_.version;
}

TileBoard::Snapshot TileBoard::snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_;
}

}  // namespace pp::lessons
