// The desktop's side of platform/share.hpp: SDL's clipboard and files in the working directory.
#include "platform/share.hpp"

#include <SDL.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace pp::platform {

std::string page_url() { return "http://127.0.0.1:8000/"; }

ShareResult copy_text(const std::string& text) {
    if (SDL_SetClipboardText(text.c_str()) != 0) return {false, std::string("Could not copy: ") + SDL_GetError()};
    return {true, "Copied to the clipboard"};
}

bool copy_was_refused() { return false; }

ShareResult save_file(const std::string& name, std::string_view bytes, const char* /*mime_type*/) {
    std::error_code error;
    const std::filesystem::path path = std::filesystem::absolute(name, error);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (error || !out) return {false, "Could not write " + path.string()};
    std::fprintf(stderr, "playground: wrote %s\n", path.c_str());  // stderr: --smoke-test's stdout is JSON
    return {true, "Wrote " + path.string()};
}

void show_query_in_address_bar(const std::string&) {}

bool open_in_new_tab(const std::string&) { return false; }

}  // namespace pp::platform
