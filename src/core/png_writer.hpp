// A small PNG encoder for exports (the timeline as an image): 8-bit RGBA, no compression.
//
// The pixel rows go into "stored" deflate blocks (zlib allows uncompressed blocks), so the file
// is about width * height * 4 bytes: bigger than a compressing encoder's, but every viewer opens
// it and the code stays small enough to check by eye. Checksums: CRC-32 per chunk, Adler-32 over
// the zlib stream, both as the PNG and zlib specifications define them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pp::png {

// CRC-32 (ISO-HDLC: polynomial 0xEDB88320, reflected, inverted), as PNG chunks use it.
// crc32("123456789") == 0xCBF43926.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

// Adler-32, as the zlib stream trailer uses it. adler32("Wikipedia") == 0x11E60398.
std::uint32_t adler32(std::string_view bytes);

// The PNG file for `width` x `height` RGBA pixels, top row first, 4 bytes per pixel, rows packed
// (rgba must hold width * height * 4 bytes). Throws std::invalid_argument for an empty image or
// one wider or taller than 1 << 16 pixels (a sanity limit, not PNG's).
std::string encode_rgba(int width, int height, const std::uint8_t* rgba);

}  // namespace pp::png
