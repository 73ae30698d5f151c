#include "core/program_image.hpp"

#include <emscripten.h>

#include <cstdint>
#include <cstdlib>

namespace pp {

ProgramImage program_image() {
    ProgramImage image;
    // The page's record of the .wasm download (Resource Timing), read on the page's main thread:
    // workers (where lessons run) have their own, empty, performance timeline.
    const auto address = static_cast<std::uintptr_t>(MAIN_THREAD_EM_ASM_INT({
        const entry = (globalThis.performance && performance.getEntriesByType) ?
            performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm')) : undefined;
        if (!entry) return 0;
        const text = entry.name + '\n' + (entry.decodedBodySize || -1);
        const size = lengthBytesUTF8(text) + 1;
        // pp_web_alloc (web_worker_transport.cpp) where the page links it: tests can make it fail.
        const out = (typeof _pp_web_alloc === 'function' ? _pp_web_alloc : _malloc)(size);
        if (!out) return 0;  // no memory for it (malloc gave 0): then the size is not known, that is all
        stringToUTF8(text, out, size);
        return out;
    }));
    if (address == 0) return image;
    char* text = reinterpret_cast<char*>(address);
    const std::string both(text);
    std::free(text);
    const auto newline = both.find('\n');
    image.location = both.substr(0, newline);
    if (newline != std::string::npos) image.bytes = std::strtoll(both.c_str() + newline + 1, nullptr, 10);
    return image;
}

}  // namespace pp
