// What every benchmark here shares: figures are medians of repeated runs.
#pragma once

#include <algorithm>
#include <vector>

namespace pp_bench {

// The middle value (the upper middle for an even count). Needs at least one value.
inline double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Keeps `value` (and the work that made it) from being optimized away, without storing it
// anywhere another thread could contend on. GCC and Clang.
template <class T>
inline void keep(T value) {
    asm volatile("" : : "r"(value));
}

} // namespace pp_bench
