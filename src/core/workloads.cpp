// Workloads: I/O waits release the emulated GIL; CPU loops reach a checkpoint every few microseconds.
#include "core/workloads.hpp"

#include "core/gil.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace pp {

namespace {
std::string describe_ms(std::chrono::nanoseconds d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

// Payload byte i of download `seed`: cheap, deterministic, not constant.
inline std::uint8_t payload_byte(std::size_t i, std::uint64_t seed) {
    std::uint64_t x = (i + 1) * 0x9E3779B97F4A7C15ull ^ (seed * 0xBF58476D1CE4E5B9ull);
    x ^= x >> 31;
    return static_cast<std::uint8_t>(x);
}
}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] I/O-bound: sleep, simulated download (release the GIL while waiting)
//-----------------------------------------------------------------------------
void sleep_for(std::chrono::nanoseconds duration) {
    // The span opens before the GIL is let go and closes once it is back (a GilWait inside it):
    // the call lasts until then, and no moment of it counts as running Python.
    TraceSpan span(TraceKind::Sleep, "sleep", 0, trace::enabled() ? describe_ms(duration) : std::string());
    gil::ReleaseGuard release_gil;
    sync::this_thread::sleep_for(duration);
}

void sleep(double s) { sleep_for(seconds(s)); }

std::uint64_t download_checksum(std::size_t bytes, std::uint64_t seed) {
    std::uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a
    for (std::size_t i = 0; i < bytes; ++i) {
        hash = (hash ^ payload_byte(i, seed)) * 0x100000001b3ull;
        if ((i & 4095) == 4095) gil::checkpoint();
    }
    return hash;
}

DownloadResult simulated_download(std::chrono::nanoseconds latency, std::size_t bytes, std::uint64_t seed) {
    {
        TraceSpan span(TraceKind::IoWait, "download", 0,  // around the GIL's release, as in sleep_for
                       trace::enabled() ? describe_ms(latency) + ", " + std::to_string(bytes) + " B" : std::string());
        gil::ReleaseGuard release_gil;
        sync::this_thread::sleep_for(latency);
    }
    return DownloadResult{bytes, download_checksum(bytes, seed)};
}

//-----------------------------------------------------------------------------
// [SECTION] CPU-bound: primes, Mandelbrot, box blur (call gil::checkpoint() every few microseconds)
//-----------------------------------------------------------------------------
std::uint64_t spin(std::uint64_t iterations) {
    std::uint64_t x = 88172645463325252ull;
    for (std::uint64_t i = 0; i < iterations; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if ((i & 1023) == 1023) gil::checkpoint();  // the interpreter's eval breaker, every microsecond or so
    }
    return x;
}

namespace {
bool is_prime(std::int64_t n) {
    if (n < 2) return false;
    if (n % 2 == 0) return n == 2;
    for (std::int64_t d = 3; d * d <= n; d += 2)
        if (n % d == 0) return false;
    return true;
}
}  // namespace

std::int64_t count_primes(std::int64_t lo, std::int64_t hi) {
    std::int64_t count = 0;
    for (std::int64_t n = std::max<std::int64_t>(lo, 0); n < hi; ++n) {
        count += is_prime(n) ? 1 : 0;
        gil::checkpoint();  // one trial division run: under a microsecond for n < 10^7
    }
    return count;
}

std::vector<std::uint32_t> mandelbrot_tile(int x0, int y0, int w, int h, int image_w, int image_h, int max_iter) {
    if (w < 0 || h < 0 || image_w <= 0 || image_h <= 0 || max_iter < 0)
        throw std::invalid_argument("mandelbrot_tile: negative size or iteration count");
    std::vector<std::uint32_t> out(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    for (int y = 0; y < h; ++y) {
        const double ci = -1.5 + 3.0 * (y0 + y) / image_h;
        for (int x = 0; x < w; ++x) {
            const double cr = -2.0 + 3.0 * (x0 + x) / image_w;
            double zr = 0.0, zi = 0.0;
            int n = 0;
            while (n < max_iter && zr * zr + zi * zi <= 4.0) {
                const double next_zr = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = next_zr;
                ++n;
                if ((n & 255) == 0) gil::checkpoint();
            }
            out[static_cast<std::size_t>(y) * w + x] = static_cast<std::uint32_t>(n);
            gil::checkpoint();
        }
    }
    return out;
}

std::vector<std::uint8_t> generate_test_image(int w, int h, std::uint32_t seed) {
    if (w <= 0 || h <= 0) throw std::invalid_argument("generate_test_image: empty image");
    std::vector<std::uint8_t> image(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    std::uint32_t state = seed ? seed : 1;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            state ^= state << 13;  // xorshift32
            state ^= state >> 17;
            state ^= state << 5;
            const int gradient = (x * 255 / w + y * 255 / h) / 2;
            const int noise = static_cast<int>(state % 64) - 32;
            image[static_cast<std::size_t>(y) * w + x] = static_cast<std::uint8_t>(std::clamp(gradient + noise, 0, 255));
        }
    return image;
}

std::vector<std::uint8_t> box_blur_rows(const std::vector<std::uint8_t>& image, int w, int h, int radius, int y0, int y1) {
    if (w <= 0 || h <= 0 || image.size() != static_cast<std::size_t>(w) * static_cast<std::size_t>(h))
        throw std::invalid_argument("box_blur: image size does not match w x h");
    if (radius < 0 || y0 < 0 || y1 > h || y0 > y1) throw std::invalid_argument("box_blur: bad radius or row range");
    std::vector<std::uint8_t> out(static_cast<std::size_t>(y1 - y0) * w);
    for (int y = y0; y < y1; ++y) {
        const int top = std::max(0, y - radius), bottom = std::min(h - 1, y + radius);
        for (int x = 0; x < w; ++x) {
            const int left = std::max(0, x - radius), right = std::min(w - 1, x + radius);
            std::uint32_t sum = 0;
            for (int yy = top; yy <= bottom; ++yy) {
                const std::uint8_t* row = &image[static_cast<std::size_t>(yy) * w];
                for (int xx = left; xx <= right; ++xx) sum += row[xx];
            }
            const std::uint32_t count = static_cast<std::uint32_t>((bottom - top + 1) * (right - left + 1));
            out[static_cast<std::size_t>(y - y0) * w + x] = static_cast<std::uint8_t>((sum + count / 2) / count);
            gil::checkpoint();
        }
    }
    return out;
}

std::vector<std::uint8_t> box_blur(const std::vector<std::uint8_t>& image, int w, int h, int radius) {
    return box_blur_rows(image, w, h, radius, 0, h);
}

}  // namespace pp
