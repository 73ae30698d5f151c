// Png.*: the exporter's PNG files are 8-bit RGBA PNGs that decode back to the same pixels (with
// stb_image, the decoder from the same Debian package, a separate code path from the encoder),
// compressed well for a timeline-like picture, and bad images are refused.
#include "core/png_writer.hpp"

#include <doctest.h>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#include <stb_image.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// The pixels of an 8-bit RGBA PNG file; checks the signature and the header's format first.
std::vector<std::uint8_t> decode(const std::string& png, int width, int height) {
    REQUIRE(png.size() > 33);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(png.substr(12, 4) == "IHDR");
    CHECK(png.substr(24, 2) == "\x08\x06");  // 8 bits per channel, colour type 6 (RGBA)
    int w = 0, h = 0, channels = 0;
    stbi_uc* pixels =
        stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(png.data()), static_cast<int>(png.size()), &w, &h, &channels, 0);
    REQUIRE_MESSAGE(pixels, stbi_failure_reason());
    std::vector<std::uint8_t> rgba(pixels, pixels + static_cast<std::size_t>(w) * h * channels);
    stbi_image_free(pixels);
    CHECK(w == width);
    CHECK(h == height);
    CHECK(channels == 4);
    return rgba;
}

std::vector<std::uint8_t> gradient(int width, int height) {
    std::vector<std::uint8_t> rgba;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 4; ++c) rgba.push_back(static_cast<std::uint8_t>(x * 7 + y * 13 + c * 61));
    return rgba;
}

// What the timeline export looks like: a flat background, lanes of coloured task bars, grid lines.
std::vector<std::uint8_t> timeline_like(int width, int height) {
    std::vector<std::uint8_t> rgba;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const int lane = y / 40, task = (x + lane * 37) / 90;
            const bool bar = y % 40 >= 8 && y % 40 < 32 && (x + lane * 37) % 90 >= 6;
            const std::uint8_t colour[4] = {static_cast<std::uint8_t>(bar ? 60 + task * 29 % 160 : 30),
                                            static_cast<std::uint8_t>(bar ? 120 + lane * 31 % 100 : 30),
                                            static_cast<std::uint8_t>(x % 100 == 0 ? 90
                                                                      : bar        ? 200
                                                                                   : 34),
                                            255};
            rgba.insert(rgba.end(), colour, colour + 4);
        }
    return rgba;
}

}  // namespace

TEST_CASE("Png.SmallImageRoundTrips.1thread") {
    const auto pixels = gradient(3, 2);
    CHECK(decode(pp::png::encode_rgba(3, 2, pixels.data()), 3, 2) == pixels);
}

TEST_CASE("Png.TimelinePictureRoundTripsCompressed.1thread") {
    const auto pixels = timeline_like(712, 236);
    const std::string png = pp::png::encode_rgba(712, 236, pixels.data());
    CHECK(decode(png, 712, 236) == pixels);
    CHECK(png.size() * 20 < pixels.size());  // 672 KB of pixels: about 10 KB (stored, it was 672 KB)
}

TEST_CASE("Png.NoiseRoundTrips.1thread") {
    // Incompressible pixels: the encoder's worst case still decodes.
    std::vector<std::uint8_t> pixels(300 * 200 * 4);
    std::uint32_t x = 12345;
    for (auto& byte : pixels) byte = static_cast<std::uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
    CHECK(decode(pp::png::encode_rgba(300, 200, pixels.data()), 300, 200) == pixels);
}

TEST_CASE("Png.EmptyOrHugeImageIsRefused.1thread") {
    const std::uint8_t pixel[4] = {1, 2, 3, 4};
    CHECK_THROWS_AS(pp::png::encode_rgba(0, 1, pixel), std::invalid_argument);
    CHECK_THROWS_AS(pp::png::encode_rgba(1, -5, pixel), std::invalid_argument);
    CHECK_THROWS_AS(pp::png::encode_rgba(1, 1, nullptr), std::invalid_argument);
    CHECK_THROWS_AS(pp::png::encode_rgba(100000, 1, pixel), std::invalid_argument);
    CHECK_THROWS_AS(pp::png::encode_rgba(65536, 65536, pixel), std::invalid_argument);  // too many pixels in all
}
