// What a lesson's child process prints. A process shares no memory with its parent, so it cannot
// write to the lesson's console: it collects its lines, each with the moment it printed it, and
// sends them back with its result (as bytes, like everything that crosses a process boundary).
// The parent then places them in the console at the times they were printed.
#pragma once

#include "core/trace.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pp::lessons {

// (trace clock in ns, text): trace::now_ns() is the same clock in every process of the program.
using PrintedLines = std::vector<std::pair<std::int64_t, std::string>>;

struct ChildOutput {
    PrintedLines lines;
    void print(std::string text) { lines.emplace_back(trace::now_ns(), std::move(text)); }
};

}  // namespace pp::lessons
