// Where the running program's instructions came from: the file on disk (native) or the
// WebAssembly module the page downloaded (browser). For the "What is a Program?" lesson.
// Defined by the platform (platform/posix/program_image.cpp, platform/web/program_image.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace pp {

struct ProgramImage {
    std::string location;     // "/usr/local/bin/playground-cli", or the module's URL
    std::int64_t bytes = -1;  // its size; -1 when it cannot be known
};

ProgramImage program_image();

}  // namespace pp
