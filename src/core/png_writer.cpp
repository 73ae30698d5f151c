#include "core/png_writer.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace pp::png {

namespace {

const std::array<std::uint32_t, 256>& crc_table() {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    return table;
}

void put_u32_be(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

// length, type, data, CRC of type + data.
void put_chunk(std::string& out, const char type[4], std::string_view data) {
    put_u32_be(out, static_cast<std::uint32_t>(data.size()));
    const std::size_t type_at = out.size();
    out.append(type, 4);
    out.append(data);
    put_u32_be(out, crc32(std::string_view(out).substr(type_at)));
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
    const auto& table = crc_table();
    crc = ~crc;
    for (const char byte : bytes) crc = table[(crc ^ static_cast<std::uint8_t>(byte)) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

std::uint32_t adler32(std::string_view bytes) {
    constexpr std::uint32_t kMod = 65521;
    std::uint32_t a = 1, b = 0;
    for (const char byte : bytes) {
        a = (a + static_cast<std::uint8_t>(byte)) % kMod;
        b = (b + a) % kMod;
    }
    return (b << 16) | a;
}

std::string encode_rgba(int width, int height, const std::uint8_t* rgba) {
    constexpr int kMaxSide = 1 << 16;
    if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide || !rgba)
        throw std::invalid_argument("png: an image must be 1.." + std::to_string(kMaxSide) + " pixels on each side, not " +
                                    std::to_string(width) + "x" + std::to_string(height));

    // The filtered image: each row is filter byte 0 ("None"), then its pixels.
    const std::size_t row_bytes = static_cast<std::size_t>(width) * 4;
    std::string raw;
    raw.reserve((row_bytes + 1) * height);
    for (int y = 0; y < height; ++y) {
        raw += '\0';
        raw.append(reinterpret_cast<const char*>(rgba) + y * row_bytes, row_bytes);
    }

    // zlib: header (deflate, 32K window, no dictionary, check bits), stored blocks of at most
    // 65535 bytes (BFINAL on the last, BTYPE 00, LEN, ~LEN), then Adler-32 of the raw data.
    std::string zlib = "\x78\x01";
    constexpr std::size_t kMaxStored = 65535;
    for (std::size_t at = 0; at < raw.size(); at += kMaxStored) {
        const std::size_t length = std::min(kMaxStored, raw.size() - at);
        zlib += static_cast<char>(at + length == raw.size() ? 1 : 0);
        zlib += static_cast<char>(length & 0xFF);
        zlib += static_cast<char>(length >> 8);
        zlib += static_cast<char>(~length & 0xFF);
        zlib += static_cast<char>((~length >> 8) & 0xFF);
        zlib.append(raw, at, length);
    }
    put_u32_be(zlib, adler32(raw));

    std::string header;
    put_u32_be(header, static_cast<std::uint32_t>(width));
    put_u32_be(header, static_cast<std::uint32_t>(height));
    header += "\x08\x06";      // 8 bits per channel, colour type 6 (RGBA)
    header.append(3, '\0');    // deflate, adaptive filtering, no interlace

    std::string png = "\x89PNG\r\n\x1a\n";
    put_chunk(png, "IHDR", header);
    put_chunk(png, "IDAT", zlib);
    put_chunk(png, "IEND", {});
    return png;
}

}  // namespace pp::png
