// The one place that knows about SDL2, OpenGL and the browser's frame loop.
// Desktop: a resizable SDL window with an OpenGL 3.3 core context.
// Browser: the page's <canvas> with a WebGL2 (OpenGL ES 3.0) context, driven by requestAnimationFrame.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

struct SDL_Window;
union SDL_Event;

namespace pp::platform {

class Window {
public:
    // Opens the window and starts Dear ImGui on it. Returns false and fills `error` when the
    // system has no usable GL (e.g. a browser without WebGL2); the page is told as well.
    bool open(const char* title, int width, int height, std::string& error);

    // Runs `draw_frame` once per frame, between ImGui's NewFrame and Render.
    // Desktop: returns when the window is closed. At most kMaxFramesPerSecond frames a second,
    // whether or not vsync works. When `moving()` says nothing on screen moves by itself and no
    // input came for a moment, the loop sleeps until input arrives, drawing once every
    // kIdleRedrawSeconds at most. A minimized or hidden window draws nothing.
    // Browser: never returns (the page owns the loop; requestAnimationFrame paces it and `moving`
    // is not asked), so anything `draw_frame` uses must outlive main()'s stack: keep it static or
    // on the heap.
    void run(std::function<void()> draw_frame, std::function<bool()> moving);
    static constexpr int kMaxFramesPerSecond = 60;
    static constexpr double kIdleRedrawSeconds = 1.0;

    // CPU time of the last frame: events, the app's drawing, ImGui's render and the GL calls
    // (not the GPU's work, nor the wait for the display). For the frame-time benchmark.
    double last_frame_ms() const { return last_frame_ms_; }
    // The pixel ratio the font is rasterized for (2 at devicePixelRatio 2 or a page zoomed to 200 %).
    float font_ratio() const { return font_ratio_; }
    // The page asks for reduced motion (prefers-reduced-motion): ImGui's own animations are off.
    bool reduced_motion() const { return reduced_motion_; }
    // What a finger on the screen did to the last frame's pointer: "none" (a mouse, or no touch
    // yet), "waiting" (down, not yet a tap, drag or long press), "tap", "dragging", "hovering" (a
    // long press), "away" (lifted) or "pinching". For the tests of touch.
    static const char* touch_phase();

    // Makes run() return after the current frame (desktop), as if the user closed the window.
    void request_close() { close_requested_ = true; }

    // Shuts ImGui and SDL down (desktop only; a page just goes away).
    void close();

    // Shading-language version line for shaders compiled at run time: "#version 300 es" in the
    // browser, "#version 330 core" on the desktop (shaders/ has both variants).
    static const char* glsl_version();

private:
    bool frame();  // one iteration of the loop; false once the user closed the window
    void handle_event(const SDL_Event& event);
    void draw();
    bool hidden() const;         // minimized or hidden: nothing to draw for
    bool must_draw() const;      // desktop: the next frame cannot wait for input
    void wait_for_next_frame();  // desktop: the frame cap, then the idle wait
    float pixel_ratio() const;   // drawable pixels per window unit (the page's devicePixelRatio)
    void load_fonts(float ratio);

    SDL_Window* window_ = nullptr;
    void* gl_context_ = nullptr;  // the desktop's (SDL's)
#ifdef __EMSCRIPTEN__
    std::intptr_t page_gl_context_ = 0;  // the page's WebGL2 context (an EMSCRIPTEN_WEBGL_CONTEXT_HANDLE)
#endif
    std::function<void()> draw_frame_;
    std::function<bool()> moving_;
    bool first_frame_shown_ = false;
    float font_ratio_ = 1;  // the pixel ratio the font atlas was made for
    bool reduced_motion_ = false;
    bool close_requested_ = false;
    bool quit_ = false;  // the user closed the window
    double last_frame_ms_ = 0;
    std::chrono::steady_clock::time_point frame_started_{};  // of the last frame drawn
    static constexpr int kFramesAfterInput = 5;
    int frames_after_input_ = kFramesAfterInput;  // frames still to draw after the last event (of any kind)
};

// Pixels read back from the window: `width` x `height` RGBA, top row first.
struct Capture {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
};

// Reads a rectangle of the frame being drawn (ImGui coordinates, as GetItemRectMin/Max give them)
// once that frame is rendered, and calls `done` with its pixels, on the UI thread, before the next
// frame. Call it while drawing the thing to capture, so the rectangle is this frame's. One
// request per frame: a later one replaces an earlier one. A rectangle off the window gives an
// empty Capture.
void capture_after_render(float x, float y, float width, float height, std::function<void(Capture)> done);

// Two fingers moving apart or together on a touch screen during this frame: how much farther apart
// they are now (`factor` > 1: apart, so zoom in), around their middle (x, y) in window units.
struct Pinch {
    float factor = 1;
    float x = 0, y = 0;
};
Pinch pinch_this_frame();

// Tells the page (if any) that the app cannot run, with a message a person can act on.
void report_fatal_error(const std::string& message);

}  // namespace pp::platform
