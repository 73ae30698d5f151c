/*******************************************************************************************
 *
 *   Parallel Playground - the app (desktop window, or the page's canvas)
 *
 *   Setup, Main loop, Cleanup. Lessons run on their own runner threads; the UI thread only
 *   draws snapshots of them, so it never blocks (in the page, it is the browser's main thread).
 *
 *******************************************************************************************/
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "imgui.h"
#include "lessons/first_threads.hpp"
#include "platform/window_sdl.hpp"
#include "ui/first_threads_panel.hpp"
#include "ui/test_hook.hpp"

extern "C" const char* pp_state_json();

namespace {

// Everything the frame loop touches. Made in main() on the heap, not on main()'s stack (in the
// browser main() returns into the page's frame loop) and not as a global (lessons own threads,
// which must not exist before main() starts: see ForkServer in src/platform/posix).
struct App {
    bool smoke_test = false;  // --smoke-test: run the thread demo once, print the state, exit
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    int exit_code = 0;
    pp::platform::Window window;
    pp::lessons::FirstThreads first_threads;
    pp::ui::FirstThreadsPanel first_threads_panel{first_threads};
    long frame_count = 0;
};
App* g_app = nullptr;

constexpr const char* kUsage =
    "usage: playground [--smoke-test]\n"
    "  --smoke-test   start the thread demo, render until its threads are joined, print the\n"
    "                 app's state as JSON and exit (0 if the run finished within 60 s)\n";

// Drives the demo the way a person would, for a test of the real desktop app (tests/app).
void run_smoke_test_step() {
    using namespace std::chrono;
    const auto run = g_app->first_threads.snapshot();
    if (run.phase == pp::lessons::FirstThreadsRun::Phase::Idle) g_app->first_threads.start(4);
    const bool timed_out = steady_clock::now() - g_app->started > seconds(60);
    if (run.phase == pp::lessons::FirstThreadsRun::Phase::Done || timed_out) {
        std::printf("%s\n", pp_state_json());
        if (timed_out) {
            std::fprintf(stderr, "playground: the smoke test's threads did not finish within 60 s\n");
            g_app->exit_code = 1;
        }
        g_app->window.request_close();
    }
}

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
    if (g_app->smoke_test) run_smoke_test_step();
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

int main(int argc, char** argv) {
    // Setup
    bool smoke_test = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--smoke-test") == 0) {
            smoke_test = true;
        } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::fputs(kUsage, stdout);
            return 0;
        } else {
            std::fprintf(stderr, "playground: unknown option '%s'\n\n%s", argv[i], kUsage);
            return 2;
        }
    }
    g_app = new App;
    g_app->smoke_test = smoke_test;
    std::string error;
    if (!g_app->window.open("Parallel Playground", 1280, 720, error)) {
        pp::platform::report_fatal_error(error);
        return 1;
    }

    // Main loop (in the browser this hands the loop to the page and never returns)
    g_app->window.run(draw_frame);

    // Cleanup
    g_app->window.close();
    const int exit_code = g_app->exit_code;
    delete g_app;  // waits for a lesson run still in progress
    return exit_code;
}
