// Where the running program's instructions came from: the file on disk (native) or the
// WebAssembly module the page downloaded (browser). For the "What is a Program?" lesson.
#pragma once

#include <cstdint>
#include <string>

namespace pp::platform {

struct ProgramImage {
    std::string location;     // "/usr/local/bin/playground-cli", or the module's URL
    std::int64_t bytes = -1;  // its size; -1 when it cannot be known
};

ProgramImage program_image();

}  // namespace pp::platform
