// The page's UI font, DejaVu Sans Mono cut to the glyphs the UI draws, embedded in the program at
// build time (scripts/embed_font.py): the page then needs no file system. Defined in page builds
// only; the desktop app reads Debian's font file.
#pragma once

#include <cstddef>

namespace pp::platform {

struct FontBytes {
    const unsigned char* data;
    std::size_t size;
};
FontBytes ui_font_ttf();

}  // namespace pp::platform
