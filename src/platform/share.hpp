// Handing things to the user: the clipboard, files (downloads in the page), the address bar and
// new tabs. The page's versions are JavaScript glue (web/page_share.cpp); the desktop's use SDL
// and the working directory (share_desktop.cpp). UI thread only (in the page: the browser's
// main thread, where the DOM is).
#pragma once

#include <string>
#include <string_view>

namespace pp::platform {

struct ShareResult {
    bool ok = false;
    std::string message;  // for the user: "Copied to the clipboard", "Wrote /home/me/trace.json"
};

// The page's address without query or fragment ("https://example.org/playground/"). The desktop
// app has none, so it answers the address `./build-wasm.sh serve` uses.
std::string page_url();

// Puts `text` on the clipboard. The page's clipboard needs a recent click: call this while
// handling the click that asked for it (the same frame), not later. If the browser refuses, the
// page shows the text selected, ready for Ctrl+C.
ShareResult copy_text(const std::string& text);

// True once the browser has refused the last copy_text() (it answers a moment later), so the
// text is in the selection box instead. Natively always false: SDL answers at once.
bool copy_was_refused();

// Gives the user a file: a download in the page; natively a file `name` in the working directory
// (an existing one is replaced). `name` must be a plain file name, no folders.
ShareResult save_file(const std::string& name, std::string_view bytes, const char* mime_type);

// Makes the address bar show `query` (no '?'), so that a reload reproduces the current lesson and
// settings. The page's own switches (coi-sw) are kept. No history entry is added. Natively nothing.
// Browsers throttle this: call it when the query changed, not every frame.
void show_query_in_address_bar(const std::string& query);

// Opens `url` in a new browser tab (needs a recent click, like copy_text). Returns false when the
// browser blocked the pop-up, and always natively (no tabs).
bool open_in_new_tab(const std::string& url);

}  // namespace pp::platform
