// Png.*: the exporter's PNG files decode: signature, chunk CRCs, IHDR, the stored deflate blocks
// and Adler-32, and the pixels come back unchanged. The decoder here is written separately from
// the encoder (bitwise CRC, no shared helpers), so a mistake in one is not repeated in the other.
#include "core/png_writer.hpp"

#include <doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

std::uint32_t bitwise_crc32(const std::string& bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char byte : bytes) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::uint32_t read_u32(const std::string& s, std::size_t at) {
    return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

struct Decoded {
    int width = 0, height = 0;
    std::vector<std::string> chunk_types;
    std::vector<std::uint8_t> rgba;
};

// Accepts only what the encoder promises: one IDAT of stored blocks, filter 0 on every row.
Decoded decode(const std::string& png) {
    Decoded out;
    REQUIRE(png.size() > 8);
    REQUIRE(png.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) == 0);
    std::string zlib;
    for (std::size_t at = 8; at < png.size();) {
        REQUIRE(at + 12 <= png.size());
        const std::uint32_t length = read_u32(png, at);
        REQUIRE(at + 12 + length <= png.size());
        const std::string type = png.substr(at + 4, 4);
        const std::string data = png.substr(at + 8, length);
        CHECK_MESSAGE(read_u32(png, at + 8 + length) == bitwise_crc32(type + data), "CRC of chunk " << type);
        out.chunk_types.push_back(type);
        if (type == "IHDR") {
            REQUIRE(length == 13);
            out.width = static_cast<int>(read_u32(data, 0));
            out.height = static_cast<int>(read_u32(data, 4));
            CHECK(data.substr(8) == std::string("\x08\x06\0\0\0", 5));
        } else if (type == "IDAT") {
            zlib += data;
        }
        at += 12 + length;
    }
    REQUIRE(zlib.size() >= 6);
    CHECK((std::uint8_t(zlib[0]) * 256 + std::uint8_t(zlib[1])) % 31 == 0);  // zlib header check bits
    CHECK((std::uint8_t(zlib[0]) & 0x0F) == 8);                              // deflate
    std::string raw;
    std::size_t at = 2;
    for (bool last = false; !last;) {
        REQUIRE(at + 5 <= zlib.size());
        const std::uint8_t flags = std::uint8_t(zlib[at]);
        last = flags & 1;
        REQUIRE((flags >> 1) == 0);  // BTYPE 00: stored
        const unsigned length = std::uint8_t(zlib[at + 1]) | (std::uint8_t(zlib[at + 2]) << 8);
        const unsigned inverse = std::uint8_t(zlib[at + 3]) | (std::uint8_t(zlib[at + 4]) << 8);
        REQUIRE(length == (~inverse & 0xFFFF));
        raw += zlib.substr(at + 5, length);
        at += 5 + length;
    }
    REQUIRE(at + 4 == zlib.size());
    std::uint32_t a = 1, b = 0;
    for (unsigned char byte : raw) {
        a = (a + byte) % 65521;
        b = (b + a) % 65521;
    }
    CHECK(read_u32(zlib, at) == ((b << 16) | a));
    const std::size_t row = static_cast<std::size_t>(out.width) * 4 + 1;
    REQUIRE(raw.size() == row * out.height);
    for (int y = 0; y < out.height; ++y) {
        CHECK(raw[y * row] == 0);
        out.rgba.insert(out.rgba.end(), raw.begin() + y * row + 1, raw.begin() + (y + 1) * row);
    }
    return out;
}

std::vector<std::uint8_t> gradient(int width, int height) {
    std::vector<std::uint8_t> rgba;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 4; ++c) rgba.push_back(static_cast<std::uint8_t>(x * 7 + y * 13 + c * 61));
    return rgba;
}

}  // namespace

TEST_CASE("Png.ChecksumsMatchTheirStandardCheckValues.1thread") {
    CHECK(pp::png::crc32("123456789") == 0xCBF43926u);
    CHECK(pp::png::crc32("") == 0u);
    CHECK(pp::png::crc32("IEND") == 0xAE426082u);  // every PNG ends with these four bytes
    CHECK(pp::png::adler32("Wikipedia") == 0x11E60398u);
    CHECK(pp::png::adler32("") == 1u);
}

TEST_CASE("Png.SmallImageRoundTrips.1thread") {
    const auto pixels = gradient(3, 2);
    const Decoded image = decode(pp::png::encode_rgba(3, 2, pixels.data()));
    CHECK(image.width == 3);
    CHECK(image.height == 2);
    CHECK(image.chunk_types == std::vector<std::string>{"IHDR", "IDAT", "IEND"});
    CHECK(image.rgba == pixels);
}

TEST_CASE("Png.ImageLargerThanOneStoredBlockRoundTrips.1thread") {
    // 300 x 200 x 4 + 200 filter bytes = 240200 bytes of raw data: four stored blocks.
    const auto pixels = gradient(300, 200);
    const std::string png = pp::png::encode_rgba(300, 200, pixels.data());
    const Decoded image = decode(png);
    CHECK(image.width == 300);
    CHECK(image.height == 200);
    CHECK(image.rgba == pixels);
    CHECK(png.size() > 240200);
}

TEST_CASE("Png.EmptyOrHugeImageIsRefused.1thread") {
    const std::uint8_t pixel[4] = {1, 2, 3, 4};
    CHECK_THROWS_AS(pp::png::encode_rgba(0, 1, pixel), std::invalid_argument);
    CHECK_THROWS_AS(pp::png::encode_rgba(1, -5, pixel), std::invalid_argument);
    CHECK_THROWS_AS(pp::png::encode_rgba(1, 1, nullptr), std::invalid_argument);
    CHECK_THROWS_AS(pp::png::encode_rgba(100000, 1, pixel), std::invalid_argument);
}
