// SDL2 + OpenGL + Dear ImGui glue for the desktop and the browser. See window_sdl.hpp.
#include "platform/window_sdl.hpp"

#ifdef __EMSCRIPTEN__
#include "platform/ui_font.hpp"
#endif

#include <SDL.h>
#include <algorithm>
#include <chrono>
#include <cfloat>
#include <cmath>
#include <map>
#include <cstdio>
#include <optional>
#include <thread>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "imgui_internal.h"  // a modal's backdrop, without its fade

#ifdef __EMSCRIPTEN__
#include <SDL_opengles2.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#else
#include <SDL_opengl.h>
#endif

namespace pp::platform {

#ifdef __EMSCRIPTEN__
// window.ppFatal / window.ppFirstFrame are defined by web/playground-loader.js.
EM_JS(void, page_report_fatal, (const char* message), {
    if (window.ppFatal) window.ppFatal(UTF8ToString(message));
});
EM_JS(void, page_first_frame, (), {
    if (window.ppFirstFrame) window.ppFirstFrame();
});
#ifdef __EMSCRIPTEN_PTHREADS__
// Tops the pthread Web Workers up to `count`, each loading the program. The link makes none
// (PTHREAD_POOL_SIZE=0) because emscripten's pool starts its workers before the wasm is even
// fetched, and six of them competed with the page's start-up for the two cores. Window::open()
// makes two, which load beside the first frame, and the first frame the rest: first frame 551 ->
// 467 ms (16 loads each, interleaved), 4 processes on a cold page unchanged (82-85 -> 89-90 ms).
// A thread started before its worker is ready still starts: emscripten makes one on the spot.
EM_JS(void, page_make_thread_workers, (int count), {
    for (var i = PThread.unusedWorkers.length + PThread.runningWorkers.length; i < count; i++) {
        PThread.allocateUnusedWorker();
        PThread.loadWasmModuleToWorker(PThread.unusedWorkers[PThread.unusedWorkers.length - 1]);
    }
});
#endif
// A step of the start-up, in ms since navigation, for bench/page_frame_time.mjs (window.ppStartup).
EM_JS(void, page_startup_mark, (const char* step), {
    var name = UTF8ToString(step);
    if (window.ppStartup && window.ppStartup[name] === undefined) window.ppStartup[name] = performance.now();
});
// The student asked the system for less motion (prefers-reduced-motion).
EM_JS(int, page_prefers_reduced_motion, (), {
    return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 1 : 0;
});
// A finger rather than a mouse is the main pointer (a phone, a tablet).
EM_JS(int, page_pointer_is_coarse, (), {
    return window.matchMedia && window.matchMedia('(pointer: coarse)').matches ? 1 : 0;
});
#endif

namespace {
struct CaptureRequest {
    float x, y, width, height;
    std::function<void(Capture)> done;
};
std::optional<CaptureRequest> g_capture_request;  // UI thread only

// The fingers on the screen (normalized window coordinates), and this frame's pinch. ImGui's
// mouse is SDL's first finger; the second one is only seen here.
std::map<SDL_FingerID, std::pair<float, float>> g_fingers;
Pinch g_pinch;

void track_finger(SDL_Window* window, const SDL_TouchFingerEvent& finger, Uint32 type) {
    if (type == SDL_FINGERUP) {
        g_fingers.erase(finger.fingerId);
        return;
    }
    const auto distance = [] {
        const auto& a = g_fingers.begin()->second;
        const auto& b = std::next(g_fingers.begin())->second;
        return std::hypot(a.first - b.first, a.second - b.second);
    };
    const bool was_pinch = g_fingers.size() == 2 && g_fingers.count(finger.fingerId);
    const float before = was_pinch ? distance() : 0;
    g_fingers[finger.fingerId] = {finger.x, finger.y};
    if (!was_pinch || type != SDL_FINGERMOTION || before <= 0.001f) return;
    int width = 1, height = 1;
    SDL_GetWindowSize(window, &width, &height);
    g_pinch.factor *= distance() / before;
    const auto& a = g_fingers.begin()->second;
    const auto& b = std::next(g_fingers.begin())->second;
    g_pinch.x = (a.first + b.first) / 2 * width;
    g_pinch.y = (a.second + b.second) / 2 * height;
}

// Touch as a pointer. A tap clicks, a drag drags (the timeline pans, a slider slides), and a
// finger held still for half a second hovers without pressing, so that a long press shows the
// tooltip a desktop shows on hover; after it the tooltip stays until the next touch. SDL's own
// mouse-from-touch (off: SDL_HINT_TOUCH_MOUSE_EVENTS) would press at once and leave every
// tapped item hovered.
constexpr float kDragPixels = 8;
constexpr auto kLongPress = std::chrono::milliseconds(500);
struct TouchPointer {
    enum class Phase {
        Idle,      // no finger since a mouse moved (the mouse has the pointer)
        Waiting,   // a finger down: a tap, a drag or a long press, not yet known
        TapDown,   // a tap: pressed this frame at the finger...
        TapUp,     // ...released the next (ImGui 1.86 loses a press and release in one frame)
        Dragging,  // pressed where the finger went down, following it
        Hovering,  // a long press: the pointer at the finger, unpressed (also once lifted)
        Away,      // lifted after a tap, a drag or a pinch: nothing hovered
        Pinching,  // two fingers: the timeline zooms (pinch_this_frame), the pointer is away
    } phase = Phase::Idle;
    SDL_FingerID finger = 0;
    ImVec2 start, at;
    bool pressed_yet = false;  // Dragging: the press at `start` was given
    std::chrono::steady_clock::time_point down_at;
};
TouchPointer g_touch;

void touch_pointer_event(SDL_Window* window, const SDL_TouchFingerEvent& finger, Uint32 type) {
    int width = 1, height = 1;
    SDL_GetWindowSize(window, &width, &height);
    const ImVec2 at{finger.x * width, finger.y * height};
    using Phase = TouchPointer::Phase;
    TouchPointer& t = g_touch;
    if (type == SDL_FINGERDOWN) {
        if (g_fingers.size() >= 2) {
            t.phase = Phase::Pinching;
        } else {
            t = {Phase::Waiting, finger.fingerId, at, at, false, std::chrono::steady_clock::now()};
        }
        return;
    }
    if (finger.fingerId != t.finger && t.phase != Phase::Pinching) return;
    if (type == SDL_FINGERMOTION) {
        t.at = at;
        if (t.phase == Phase::Waiting && std::hypot(at.x - t.start.x, at.y - t.start.y) > kDragPixels) t.phase = Phase::Dragging;
        return;
    }
    // SDL_FINGERUP
    switch (t.phase) {
    case Phase::Waiting: t.phase = Phase::TapDown; break;
    case Phase::Hovering: break;  // the tooltip stays
    case Phase::Pinching:
        if (g_fingers.empty()) t.phase = Phase::Away;
        break;
    default: t.phase = Phase::Away;
    }
}

}  // namespace

const char* Window::touch_phase() {
    switch (g_touch.phase) {
    case TouchPointer::Phase::Idle: return "none";
    case TouchPointer::Phase::Waiting: return "waiting";
    case TouchPointer::Phase::TapDown:
    case TouchPointer::Phase::TapUp: return "tap";
    case TouchPointer::Phase::Dragging: return "dragging";
    case TouchPointer::Phase::Hovering: return "hovering";
    case TouchPointer::Phase::Away: return "away";
    case TouchPointer::Phase::Pinching: return "pinching";
    }
    return "none";
}

namespace {

// Puts the touch pointer into ImGui's mouse for this frame (after the SDL backend's own update).
void apply_touch_pointer() {
    using Phase = TouchPointer::Phase;
    TouchPointer& t = g_touch;
    if (t.phase == Phase::Idle) return;
    ImGuiIO& io = ImGui::GetIO();
    const ImVec2 away{-FLT_MAX, -FLT_MAX};
    if (t.phase == Phase::Waiting && std::chrono::steady_clock::now() - t.down_at >= kLongPress) t.phase = Phase::Hovering;
    switch (t.phase) {
    case Phase::Idle: return;
    case Phase::Waiting:
    case Phase::Away:
    case Phase::Pinching:
        io.MousePos = away;
        io.MouseDown[0] = false;
        break;
    case Phase::TapDown:
        io.MousePos = t.start;
        io.MouseDown[0] = true;
        t.phase = Phase::TapUp;
        break;
    case Phase::TapUp:
        io.MousePos = t.start;
        io.MouseDown[0] = false;
        t.phase = Phase::Away;
        break;
    case Phase::Dragging:
        io.MousePos = t.pressed_yet ? t.at : t.start;
        io.MouseDown[0] = g_fingers.count(t.finger) > 0 || !t.pressed_yet;
        if (!t.pressed_yet) {
            t.pressed_yet = true;
        } else if (!io.MouseDown[0]) {
            t.phase = Phase::Away;
        }
        break;
    case Phase::Hovering:
        io.MousePos = t.at;
        io.MouseDown[0] = false;
        break;
    }
}

// Reads the request's pixels from the frame just rendered (before the swap: WebGL clears the
// drawing buffer once the frame is shown, and a desktop back buffer is undefined after it).
void read_capture(SDL_Window* window, int drawable_width, int drawable_height) {
    CaptureRequest request = std::move(*g_capture_request);
    g_capture_request.reset();
    int window_width = 1, window_height = 1;
    SDL_GetWindowSize(window, &window_width, &window_height);
    const float scale_x = static_cast<float>(drawable_width) / std::max(window_width, 1);
    const float scale_y = static_cast<float>(drawable_height) / std::max(window_height, 1);
    const int left = std::clamp(static_cast<int>(request.x * scale_x), 0, drawable_width);
    const int top = std::clamp(static_cast<int>(request.y * scale_y), 0, drawable_height);
    const int right = std::clamp(static_cast<int>((request.x + request.width) * scale_x), 0, drawable_width);
    const int bottom = std::clamp(static_cast<int>((request.y + request.height) * scale_y), 0, drawable_height);
    Capture capture;
    if (right > left && bottom > top) {
        capture.width = right - left;
        capture.height = bottom - top;
        const std::size_t row = static_cast<std::size_t>(capture.width) * 4;
        std::vector<std::uint8_t> bottom_up(row * capture.height);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        // GL counts rows from the bottom of the framebuffer.
        glReadPixels(left, drawable_height - bottom, capture.width, capture.height, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
        capture.rgba.resize(bottom_up.size());
        for (int y = 0; y < capture.height; ++y)
            std::copy_n(bottom_up.begin() + (capture.height - 1 - y) * row, row, capture.rgba.begin() + y * row);
        for (std::size_t i = 3; i < capture.rgba.size(); i += 4) capture.rgba[i] = 255;  // the window is opaque
    }
    request.done(std::move(capture));
}
}  // namespace

Pinch pinch_this_frame() { return g_pinch; }

void capture_after_render(float x, float y, float width, float height, std::function<void(Capture)> done) {
    g_capture_request = CaptureRequest{x, y, width, height, std::move(done)};
}

void report_fatal_error(const std::string& message) {
    std::fprintf(stderr, "playground: %s\n", message.c_str());
#ifdef __EMSCRIPTEN__
    page_report_fatal(message.c_str());
#endif
}

const char* Window::glsl_version() {
#ifdef __EMSCRIPTEN__
    return "#version 300 es";
#else
    return "#version 330 core";
#endif
}

bool Window::open(const char* title, int width, int height, std::string& error) {
#ifdef __EMSCRIPTEN_PTHREADS__
    // What a process lesson's first pool needs at once (the relay thread and the lesson's runner):
    // made at the first frame, they were not ready for a pool started at the third.
    page_make_thread_workers(2);
#endif
#ifdef __EMSCRIPTEN__
    page_startup_mark("window_open_ms");
#endif
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");  // touch drives ImGui's mouse itself (TouchPointer)
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        error = std::string("SDL could not start: ") + SDL_GetError();
        return false;
    }
#ifdef __EMSCRIPTEN__
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);  // WebGL2
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    // The canvas fills the page, so start at its size rather than the requested one.
    double css_width = 0, css_height = 0;
    emscripten_get_element_css_size("#canvas", &css_width, &css_height);
    if (css_width > 0 && css_height > 0) {
        width = static_cast<int>(css_width);
        height = static_cast<int>(css_height);
    }
#else
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
#endif
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);

    const auto flags = static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    window_ = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
    if (!window_) {
        error = std::string("could not open a window: ") + SDL_GetError();
        return false;
    }
#ifdef __EMSCRIPTEN__
    // The page makes its WebGL2 context itself rather than through SDL: SDL's (by way of EGL)
    // enables every extension the browser offers, about 30 getExtension calls before the first
    // frame, and the playground uses none. A/B in headless chromium, 14 loads each: first frame
    // 645 -> 569 ms (median).
    EmscriptenWebGLContextAttributes attributes;
    emscripten_webgl_init_context_attributes(&attributes);
    attributes.alpha = false;  // what SDL asked for, less the depth buffer that ImGui never uses
    attributes.depth = false;
    attributes.stencil = false;
    attributes.antialias = false;
    attributes.majorVersion = 2;
    attributes.enableExtensionsByDefault = false;
    page_gl_context_ = emscripten_webgl_create_context("#canvas", &attributes);
    if (page_gl_context_ <= 0 || emscripten_webgl_make_context_current(page_gl_context_) != EMSCRIPTEN_RESULT_SUCCESS) {
        error = "this browser could not create a WebGL2 context, which the playground draws with. "
                "Try a current Chrome, Edge or Firefox, with hardware acceleration enabled.";
        return false;
    }
    // No swap interval: the page draws on requestAnimationFrame (run()).
    page_startup_mark("gl_context_ms");
#else
    gl_context_ = SDL_GL_CreateContext(window_);
    if (!gl_context_) {
        error = std::string("could not create an OpenGL 3.3 context: ") + SDL_GetError();
        return false;
    }
    SDL_GL_MakeCurrent(window_, gl_context_);
    // Vsync where it works: 60 fps is plenty, and leaves the cores to the lessons. Where it does
    // not (Xvfb, VMs, remote desktops, a hidden window), the loop caps frames itself (run()).
    SDL_GL_SetSwapInterval(1);
#endif

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // layouts come from code, not from a stale imgui.ini
#ifndef __EMSCRIPTEN__
    // An idle window draws once a second at most, which would make a blinking text cursor stutter.
    ImGui::GetIO().ConfigInputTextCursorBlink = false;
#endif
    ImGui::StyleColorsDark();
    // Grey hint text at 4.5:1 or more (WCAG 2.1 AA), also on a highlighted code line: ImGui's
    // dark style greys it to 0.5, about 3:1 there.
    ImGui::GetStyle().Colors[ImGuiCol_TextDisabled] = {0.66f, 0.66f, 0.66f, 1.0f};
#ifdef __EMSCRIPTEN__
    // Reduced motion: only a run moves. ImGui's own animations, a text field's blinking cursor and
    // a dialog's fading backdrop (draw()), stop.
    reduced_motion_ = page_prefers_reduced_motion() != 0;
    if (reduced_motion_) ImGui::GetIO().ConfigInputTextCursorBlink = false;
    if (page_pointer_is_coarse()) {  // every button, tab, slider and checkbox at least 44 px tall for a finger
        ImGuiStyle& style = ImGui::GetStyle();
        style.FramePadding = {10.0f, 14.5f};
        style.ItemSpacing.y = 6.0f;
        style.TouchExtraPadding = {2.0f, 2.0f};
    }
#endif
    load_fonts(pixel_ratio());
#ifdef __EMSCRIPTEN__
    ImGui::GetIO().Fonts->Build();  // here rather than in the first frame, so that its time shows apart
    page_startup_mark("font_atlas_ms");
#endif
    ImGui_ImplSDL2_InitForOpenGL(window_, gl_context_);
    ImGui_ImplOpenGL3_Init(glsl_version());
    return true;
}

float Window::pixel_ratio() const {
    int window_width = 0, window_height = 0, drawable_width = 0, drawable_height = 0;
    SDL_GetWindowSize(window_, &window_width, &window_height);
    SDL_GL_GetDrawableSize(window_, &drawable_width, &drawable_height);
    return window_width > 0 && drawable_width > 0 ? static_cast<float>(drawable_width) / window_width : 1.0f;
}

// The font is rasterized for the screen's pixels (devicePixelRatio 2 or 3, a page zoomed to
// 200 %) and drawn scaled back to its size, so that text is sharp rather than a magnified
// 15 px bitmap. A larger, smoother font than ImGui's 13 px pixel font: DejaVu Sans Mono (Debian's
// fonts-dejavu-core), embedded in the page (platform/ui_font.hpp) and read from its file by the
// desktop app, which falls back to ImGui's built-in font without it (the page links no such font).
void Window::load_fonts(float ratio) {
    ratio = std::clamp(ratio, 1.0f, 4.0f);
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    // Latin-1 (ImGui's default), the arrows block ("Open in Parallel Playground ↗") and the
    // geometric shapes ("Lessons ▾"). The page's font (build-wasm.sh) has of the last two blocks
    // only what the UI's text uses; ImGui skips what a font lacks.
    static const ImWchar kGlyphs[] = {0x0020, 0x00FF, 0x2190, 0x21FF, 0x25A0, 0x25FF, 0};
#ifdef __EMSCRIPTEN__
    const FontBytes font = ui_font_ttf();
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;  // static data: ImGui must not free it
    io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(font.data), static_cast<int>(font.size), 15.0f * ratio, &config, kGlyphs);
#else
    const char* font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
    std::FILE* font = std::fopen(font_path, "rb");
    if (font) std::fclose(font);
    const bool loaded = font && io.Fonts->AddFontFromFileTTF(font_path, 15.0f * ratio, nullptr, kGlyphs) != nullptr;
    if (!loaded) {
        ImFontConfig config;
        config.SizePixels = 13.0f * ratio;
        io.Fonts->AddFontDefault(&config);
    }
#endif
    io.FontGlobalScale = 1.0f / ratio;
    font_ratio_ = ratio;
}

void Window::handle_event(const SDL_Event& event) {
    frames_after_input_ = kFramesAfterInput;
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_FINGERDOWN || event.type == SDL_FINGERMOTION || event.type == SDL_FINGERUP) {
        track_finger(window_, event.tfinger, event.type);
        touch_pointer_event(window_, event.tfinger, event.type);
    }
    // A mouse moved (not a finger): the mouse has the pointer again.
    if (event.type == SDL_MOUSEMOTION && event.motion.which != SDL_TOUCH_MOUSEID) g_touch.phase = TouchPointer::Phase::Idle;
    if (event.type == SDL_QUIT) quit_ = true;
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
        event.window.windowID == SDL_GetWindowID(window_))
        quit_ = true;
}

bool Window::hidden() const {
    return (SDL_GetWindowFlags(window_) & (SDL_WINDOW_MINIMIZED | SDL_WINDOW_HIDDEN)) != 0;
}

bool Window::frame() {
    g_pinch = {};
    SDL_Event event;
    while (!quit_ && SDL_PollEvent(&event)) handle_event(event);
    if (quit_) return false;
#ifdef __EMSCRIPTEN__
    // Follow the page's layout: the canvas is sized by CSS, SDL's window must match it.
    double css_width = 0, css_height = 0;
    emscripten_get_element_css_size("#canvas", &css_width, &css_height);
    int width = 0, height = 0;
    SDL_GetWindowSize(window_, &width, &height);
    if (css_width >= 1 && css_height >= 1 && (width != static_cast<int>(css_width) || height != static_cast<int>(css_height)))
        SDL_SetWindowSize(window_, static_cast<int>(css_width), static_cast<int>(css_height));
#else
    if (hidden()) return !close_requested_;  // no one sees it: draw nothing
#endif
    draw();
    return !close_requested_;
}

void Window::draw() {
#ifdef __EMSCRIPTEN__
    if (!first_frame_shown_) page_startup_mark("first_draw_ms");
#endif
    const auto started = std::chrono::steady_clock::now();
    frame_started_ = started;
    if (frames_after_input_ > 0) --frames_after_input_;
    // The page was zoomed, or moved to a screen with other pixels: a font for those.
    if (const float ratio = std::clamp(pixel_ratio(), 1.0f, 4.0f); std::abs(ratio - font_ratio_) > 0.01f) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        load_fonts(ratio);
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGui_ImplOpenGL3_NewFrame();  // the first one compiles the shaders and uploads the font atlas
#ifdef __EMSCRIPTEN__
    if (!first_frame_shown_) page_startup_mark("gl_objects_ms");
#endif
    ImGui_ImplSDL2_NewFrame();
    apply_touch_pointer();
    ImGui::NewFrame();
    if (reduced_motion_ && ImGui::GetTopMostPopupModal()) GImGui->DimBgRatio = 1.0f;  // at once, not faded in
    draw_frame_();
    ImGui::Render();

    int drawable_width = 0, drawable_height = 0;
    SDL_GL_GetDrawableSize(window_, &drawable_width, &drawable_height);
    glViewport(0, 0, drawable_width, drawable_height);
    glClearColor(0.106f, 0.114f, 0.137f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (g_capture_request) read_capture(window_, drawable_width, drawable_height);
#ifndef __EMSCRIPTEN__
    // A window's swap flushes GL's commands; a pbuffer's (SDL's offscreen driver) does nothing,
    // and Mesa then keeps every frame's commands and vertex data queued, about 1.5 MB a frame.
    glFlush();
#endif
    last_frame_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
#ifndef __EMSCRIPTEN__  // the page has no swap: the browser shows what this frame's callback drew
    SDL_GL_SwapWindow(window_);
#endif

    if (!first_frame_shown_) {
        first_frame_shown_ = true;
#ifdef __EMSCRIPTEN__
        page_first_frame();
#endif
#ifdef __EMSCRIPTEN_PTHREADS__
        page_make_thread_workers(6);  // the lesson's runner, the demo's default 4 threads, the relay
#endif
    }
}

#ifndef __EMSCRIPTEN__
// Whether the next frame must come without waiting for input: something moves by itself (the app
// says), input came a few frames ago (ImGui needs them to settle: a popup or tooltip opens hidden
// for a frame while it fits its contents), or a mouse button is held (a drag, a held button).
bool Window::must_draw() const {
    if (frames_after_input_ > 0) return true;
    if (ImGui::IsAnyMouseDown()) return true;
    return moving_ && moving_();
}

void Window::wait_for_next_frame() {
    using namespace std::chrono;
    // The frame cap, whether or not the swap waited for vsync: once a frame has ended, wait out
    // what is left of its 1/60 s (a slow frame is followed by the next at once, never by a burst).
    constexpr auto kFrameInterval = duration_cast<steady_clock::duration>(duration<double>(1.0 / kMaxFramesPerSecond));
    std::this_thread::sleep_until(frame_started_ + kFrameInterval);
    const auto idle_redraw = duration_cast<steady_clock::duration>(duration<double>(kIdleRedrawSeconds));
    steady_clock::time_point wake_at;
    if (hidden()) {
        wake_at = steady_clock::now() + idle_redraw;  // draws nothing: only input (restore, close) matters
    } else if (must_draw()) {
        return;
    } else {
        // Idle: sleep until input comes, or until a still window is due its low-rate redraw (it
        // catches what changes without telling, such as a notice that expires).
        wake_at = frame_started_ + idle_redraw;
    }
    const auto now = steady_clock::now();
    if (now >= wake_at) return;
    SDL_Event event;
    if (SDL_WaitEventTimeout(&event, static_cast<int>(duration_cast<milliseconds>(wake_at - now).count()) + 1))
        handle_event(event);
}
#endif

void Window::run(std::function<void()> draw_frame, std::function<bool()> moving) {
    draw_frame_ = std::move(draw_frame);
    moving_ = std::move(moving);
#ifdef __EMSCRIPTEN__
    // 0 fps = requestAnimationFrame; `true` unwinds main() here and hands the loop to the page.
    emscripten_set_main_loop_arg([](void* self) { static_cast<Window*>(self)->frame(); }, this, 0, true);
#else
    while (frame()) wait_for_next_frame();
#endif
}

void Window::close() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
#ifdef __EMSCRIPTEN__
    if (page_gl_context_ > 0) emscripten_webgl_destroy_context(page_gl_context_);
#else
    if (gl_context_) SDL_GL_DeleteContext(gl_context_);
#endif
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

}  // namespace pp::platform
