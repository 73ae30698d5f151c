// PNG export (the timeline as an image): 8-bit RGBA, compressed by stb_image_write (Debian's
// libstb-dev), the one library both the desktop app and the page compile in.
#pragma once

#include <cstdint>
#include <string>

namespace pp::png {

// The PNG file for `width` x `height` RGBA pixels, top row first, 4 bytes per pixel, rows packed
// (rgba must hold width * height * 4 bytes). Throws std::invalid_argument for an empty image, one
// wider or taller than 1 << 16 pixels, or one of more than 1 << 26 pixels (sanity limits, not
// PNG's: stb counts the image's bytes in an int).
std::string encode_rgba(int width, int height, const std::uint8_t* rgba);

}  // namespace pp::png
