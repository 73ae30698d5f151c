// The page: the GL state queries of ImGui's OpenGL3 renderer, answered once and remembered.
//
// Before each frame's draw, imgui_impl_opengl3.cpp reads the GL state it is about to change,
// and after the draw it restores it, in case the app draws with other state. Chromium answers
// seven of those queries (the blend functions and equations, the scissor box) only by a round
// trip to the GPU process, which first finishes the work queued before it: 2-4 ms of every
// frame's main thread, measured in headless chromium with SwiftShader.
//
// CMakeLists.txt compiles that one file with glGetIntegerv renamed to the function below. The
// remembered answers stay true because the renderer puts back what it read, and nothing else in
// the page sets these states between frames: views that draw with their own GL (ui/
// tile_image_view.cpp) do it inside the renderer's draw, through a callback, before it restores.
// Code that sets blend or scissor state outside ImGui's draw would be undone by a stale restore.
#include <GLES3/gl3.h>

#include <algorithm>

namespace {

struct RememberedState {
    GLenum query;
    int values;  // how many integers the query writes
    GLint answer[4];
    bool known;
};

// Only the main thread draws, so no lock.
RememberedState g_remembered[] = {
    {GL_SCISSOR_BOX, 4, {}, false},          {GL_BLEND_SRC_RGB, 1, {}, false},   {GL_BLEND_DST_RGB, 1, {}, false},
    {GL_BLEND_SRC_ALPHA, 1, {}, false},      {GL_BLEND_DST_ALPHA, 1, {}, false}, {GL_BLEND_EQUATION_RGB, 1, {}, false},
    {GL_BLEND_EQUATION_ALPHA, 1, {}, false},
};

}  // namespace

extern "C" void pp_imgui_renderer_glGetIntegerv(GLenum query, GLint* answer) {
    for (RememberedState& state : g_remembered) {
        if (state.query != query) continue;
        if (!state.known) glGetIntegerv(query, state.answer);  // the browser's answer, once
        state.known = true;
        std::copy_n(state.answer, state.values, answer);
        return;
    }
    glGetIntegerv(query, answer);  // the others Chromium answers without a round trip
}
