/*******************************************************************************************
 *
 *   Parallel Playground - the app (desktop window, or the page's canvas)
 *
 *   Setup, Main loop, Cleanup. Lessons run on their own runner threads; the UI thread only
 *   draws snapshots of them, so it never blocks (in the page, it is the browser's main thread).
 *
 *******************************************************************************************/
#include <string>

#include "imgui.h"
#include "lessons/first_threads.hpp"
#include "platform/window_sdl.hpp"
#include "ui/first_threads_panel.hpp"
#include "ui/test_hook.hpp"

namespace {

// Everything the frame loop touches. Made in main() on the heap, not on main()'s stack (in the
// browser main() returns into the page's frame loop) and not as a global (lessons own threads,
// which must not exist before main() starts: see ForkServer in src/platform/posix).
struct App {
    pp::platform::Window window;
    pp::lessons::FirstThreads first_threads;
    pp::ui::FirstThreadsPanel first_threads_panel{first_threads};
    long frame_count = 0;
};
App* g_app = nullptr;

void draw_frame() {
    ++g_app->frame_count;
    pp::ui::forget_widgets();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::Begin("Parallel Playground", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::Text("Parallel Playground");
    ImGui::SameLine();
    ImGui::TextDisabled("| Your first threads");
    ImGui::Separator();
    g_app->first_threads_panel.draw();
    ImGui::End();
}

}  // namespace

// Test hook for the browser tests (window.ppTestState() in web/playground-loader.js).
extern "C" const char* pp_state_json() {
    static std::string json;  // returned pointer stays valid until the next call
    if (!g_app) return "null";
    json = "{\"frame\":" + std::to_string(g_app->frame_count) +
           ",\"widgets\":" + pp::ui::remembered_widgets_json() +
           ",\"first_threads\":" + g_app->first_threads.snapshot().to_json() + "}";
    return json.c_str();
}

int main(int, char**) {
    // Setup
    g_app = new App;
    std::string error;
    if (!g_app->window.open("Parallel Playground", 1280, 720, error)) {
        pp::platform::report_fatal_error(error);
        return 1;
    }

    // Main loop (in the browser this hands the loop to the page and never returns)
    g_app->window.run(draw_frame);

    // Cleanup
    g_app->window.close();
    delete g_app;  // waits for a lesson run still in progress
    return 0;
}
