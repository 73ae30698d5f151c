// The page's side of platform/semantics.hpp: the nodes go to window.ppSemantics (defined by
// web/playground-semantics.js), synchronously, on the browser's main thread (the UI thread).
#include "platform/semantics.hpp"

#include <emscripten.h>

namespace pp::platform {

namespace {
// A failure here is reported, never thrown into the frame loop: the canvas keeps working.
EM_JS(void, page_publish_semantics, (const char* json_utf8, int length), {
    try {
        if (window.ppSemantics) window.ppSemantics.update(UTF8ToString(json_utf8, length));
    } catch (error) {
        console.error('accessible layer: ' + error);
    }
});
}  // namespace

void publish_semantics(const std::string& json) { page_publish_semantics(json.c_str(), static_cast<int>(json.size())); }

}  // namespace pp::platform
