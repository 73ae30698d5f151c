// The GLSL in shaders/, embedded at build time: shader_source("es300/tiles.frag").
#pragma once

#include <string_view>

namespace pp::ui {

// "" when there is no such file.
std::string_view shader_source(std::string_view name);

}  // namespace pp::ui
