// The use-case lesson's image, drawn by our own GLSL (shaders/*/tiles.*) inside an ImGui window:
// each finished tile tinted with the colour of the worker that computed it.
#pragma once

#include "imgui.h"
#include "lessons/tile_board.hpp"

#include <cstdint>
#include <string>

namespace pp::ui {

class TileImageView {
public:
    TileImageView() = default;
    ~TileImageView();
    TileImageView(const TileImageView&) = delete;
    TileImageView& operator=(const TileImageView&) = delete;

    // Uploads the board's pixels and tile owners when they changed. UI thread (it has the GL context).
    void update(const lessons::TileBoard& board);
    // Draws the image fitted into `size`, with the worker legend below.
    void draw(ImVec2 size);

    // Why the GL part could not start ("" when it works or has not been needed yet).
    const std::string& gl_error() const { return gl_error_; }
    bool gl_ready() const { return program_ != 0; }

    // Worker k's tint, the same in the shader and in the legend.
    static ImU32 worker_colour(int worker);

private:
    bool ensure_gl();  // compiles the program and makes the textures, once
    static void render(const ImDrawList* list, const ImDrawCmd* command);

    unsigned program_ = 0, vertex_array_ = 0, image_texture_ = 0, owner_texture_ = 0;
    std::string gl_error_;  // why the GL part could not start, shown instead of the image
    std::uint64_t version_ = 0;
    lessons::TileBoard::Snapshot board_;  // what the textures hold
    int tiles_x_ = 0, tiles_y_ = 0;
    ImVec2 rect_min_, rect_max_;  // where the last draw() placed the image, in screen pixels
};

}  // namespace pp::ui
