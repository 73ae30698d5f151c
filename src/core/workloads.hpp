// The tutorial's workloads, deterministic so tests can check results.
//
// Index of this file
// [SECTION] I/O-bound: sleep, simulated download (release the GIL while waiting)
// [SECTION] CPU-bound: primes, Mandelbrot, box blur (call gil::checkpoint() every few microseconds)
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] I/O-bound: sleep, simulated download (release the GIL while waiting)
//-----------------------------------------------------------------------------
// time.sleep(): releases the emulated GIL and records a Sleep span.
void sleep_for(std::chrono::nanoseconds duration);
// time.sleep(seconds), spelled as in Python: pp::sleep(1.5).
void sleep(double seconds);
// Seconds, as Python counts time, for the calls that take a std::chrono duration.
inline std::chrono::nanoseconds seconds(double s) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

struct DownloadResult {
    std::size_t bytes = 0;
    std::uint64_t checksum = 0;  // FNV-1a of the generated payload: same (bytes, seed), same checksum
};
// Waits `latency` like a network request (GIL released, IoWait span), then "receives" `bytes`
// generated from `seed` and checksums them (GIL held, with checkpoints).
DownloadResult simulated_download(std::chrono::nanoseconds latency, std::size_t bytes, std::uint64_t seed = 0);
// The checksum simulated_download() returns, computed without waiting.
std::uint64_t download_checksum(std::size_t bytes, std::uint64_t seed = 0);

//-----------------------------------------------------------------------------
// [SECTION] CPU-bound: primes, Mandelbrot, box blur (call gil::checkpoint() every few microseconds)
//-----------------------------------------------------------------------------
// `iterations` steps of plain arithmetic (a xorshift generator): CPU work of a size that can be
// set finely, for the granularity experiment. Deterministic: returns the generator's last value.
std::uint64_t spin(std::uint64_t iterations);

// Primes p with lo <= p < hi, by trial division (deliberately the slow textbook way).
// count_primes(0, 100000) == 9592; count_primes(0, 1000000) == 78498.
std::int64_t count_primes(std::int64_t lo, std::int64_t hi);

// Escape-iteration counts for the w x h tile at (x0, y0) of an image_w x image_h view of
// [-2, 1] x [-1.5, 1.5], row-major; points that never escape get max_iter. Tiles of one image
// put together equal the whole image computed at once.
std::vector<std::uint32_t> mandelbrot_tile(int x0, int y0, int w, int h, int image_w, int image_h, int max_iter);

// A deterministic 8-bit grayscale test image (gradients plus pseudo-random noise), row-major.
std::vector<std::uint8_t> generate_test_image(int w, int h, std::uint32_t seed = 1);

// Box blur: each output pixel is the rounded mean of the (2r+1)^2 window around it, clipped to
// the image. box_blur_rows() computes only rows [y0, y1) from the whole source image, so bands
// blurred by different tasks put together equal box_blur() of the whole image.
std::vector<std::uint8_t> box_blur(const std::vector<std::uint8_t>& image, int w, int h, int radius);
std::vector<std::uint8_t> box_blur_rows(const std::vector<std::uint8_t>& image, int w, int h, int radius, int y0, int y1);

}  // namespace pp
