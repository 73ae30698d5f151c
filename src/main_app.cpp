/*******************************************************************************************
 *
 *   Parallel Playground - the app (desktop window, or the page's canvas)
 *
 *   Setup, Main loop, Cleanup. Lessons run on their own runner threads; the UI thread only
 *   draws snapshots of them, so it never blocks (in the page, it is the browser's main thread).
 *   On the desktop a still window sleeps until input: something_moves() says when it cannot.
 *
 *   playground [--lesson ID] [--workers N] [--tasks N] ... [--autorun]   (--help lists them)
 *   The page passes its URL's settings the same way (?lesson=thread-pool&scale=0.1).
 *
 *******************************************************************************************/
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/process_registry.hpp"
#include "core/sync.hpp"
#include "core/worker_transport.hpp"
#include "imgui.h"
#include "lessons/first_threads.hpp"
#if defined(PP_COOPERATIVE)
#include "platform/cooperative/scheduler.hpp"
#elif defined(__EMSCRIPTEN__)
#include "platform/web/browser_clock.hpp"
#else
#include "platform/posix/fork_server.hpp"
#endif
#include "lessons/launch_options.hpp"
#include "lessons/settings.hpp"
#include "lessons/share_link.hpp"
#include "platform/share.hpp"
#include "platform/usage.hpp"
#include "platform/window_sdl.hpp"
#include "ui/first_threads_panel.hpp"
#include "ui/lesson_panel.hpp"
#include "ui/semantics.hpp"
#include "ui/test_hook.hpp"
#include "ui/timeline_bench.hpp"

extern "C" const char* pp_state_json();

namespace {

#ifndef __EMSCRIPTEN__  // the desktop app's --help; the page takes its settings from its URL
// The lesson settings' lines come from their table (lessons/settings.hpp), as the CLI's do.
std::string usage_text() {
    std::string text = "usage: playground [--lesson ID] [SETTING VALUE]... [--autorun [--idle S]]\n"
                       "                  [--embed] [--step] [--schedule S] [--export DIR]\n"
                       "                  [--bench timeline [--events N]] [--smoke-test]\n"
                       "  --lesson ID     open this lesson (playground-cli list shows them)\n"
                       "  --autorun       start it as soon as the window shows\n"
                       "  --idle S        with --autorun: leave the lesson open, untouched, S seconds before starting it\n"
                       "  --embed         the compact layout a course page's iframe gets (embed=1): no lesson list\n"
                       "  --step          step mode: you choose which thread moves (thread, start-join, multithreading, thread-pool)\n"
                       "  --schedule S    step mode, replaying schedule S first (from playground-cli explore, or a shared link)\n"
                       "  --export DIR    when the --autorun run ends, write its trace.json, timeline PNG and console\n"
                       "                  text into DIR (the Export menu does the same by hand)\n"
                       "  --bench timeline [--events N]  time frames of a timeline with N events (default 100000)\n"
                       "  --smoke-test    run the --autorun lesson (or else the thread demo) until it ends, print\n"
                       "                  the app's state as JSON and exit (0 if the run finished within 60 s after\n"
                       "                  the --idle wait); its \"usage\" holds frames, CPU time and memory\n"
                       "Lesson settings (the page's URL takes the same keys: ?workers=3):\n";
    for (const pp::lessons::Setting& setting : pp::lessons::kLessonSettings) {
        char line[512];
        const std::string flag = std::string("--") + setting.key + " " + setting.value_name;  // the URL's key
        std::snprintf(line, sizeof line, "  %-24s %s (%s)\n", flag.c_str(), setting.help, setting.range_text().c_str());
        text += line;
    }
    return text + "Every setting can also be written --key=value.\n";
}
#endif

// Everything the frame loop touches. Made in main() on the heap, not on main()'s stack (in the
// browser main() returns into the page's frame loop) and not as a global (lessons own threads,
// which must not exist before main() starts: see ForkServer in src/platform/posix).
struct App {
    bool smoke_test = false;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    int exit_code = 0;
    std::vector<std::string> messages;  // problems with the URL or flags, shown until dismissed
    pp::platform::Window window;
    pp::lessons::FirstThreads first_threads;
    pp::ui::FirstThreadsPanel first_threads_panel{first_threads};
    pp::ui::LessonPanel lesson_panel;
    bool show_first_threads = true;                         // the home page, until a lesson is chosen
    std::unique_ptr<pp::ui::TimelineBench> timeline_bench;  // ?bench=timeline: only that, full window
    long frame_count = 0;
    // --autorun starts the lesson once a frame has been drawn, not during start-up: in the page,
    // creating a thread needs the browser's main thread, which is busy opening the window then,
    // so one lesson thread could start a tenth of a second after the other and skew the lesson.
    bool autorun_pending = false;
    double idle_seconds = 0;                                          // --idle: how long after start-up the autorun run starts
    std::optional<std::chrono::steady_clock::time_point> autorun_at;  // known once started up
    std::string address_query;                                        // what the page's address bar shows (sync_address_bar)
    // What something_moves() saw last time, to draw once more after a change.
    pp::lessons::FirstThreadsRun::Phase seen_first_threads = pp::lessons::FirstThreadsRun::Phase::Idle;
    std::uint64_t seen_processes = 0;
    // The app's own figures (--smoke-test prints them): at start-up (the third frame), when the
    // autorun run starts, and at the end.
    struct Usage {
        double at_s = 0;  // since the app started
        long frames = 0;
        std::optional<double> cpu_s, rss_mb;  // the whole process's; unknown in the page
    };
    std::optional<Usage> usage_startup, usage_run_start, usage_end;
};
App* g_app = nullptr;

App::Usage usage_now() {
    using namespace std::chrono;
    return {duration<double>(steady_clock::now() - g_app->started).count(), g_app->frame_count, pp::platform::process_cpu_seconds(),
            pp::platform::resident_mb()};
}

std::string usage_json(const std::optional<App::Usage>& usage) {
    if (!usage) return "null";
    const auto number = [](std::optional<double> value) { return value ? std::to_string(*value) : std::string("null"); };
    return "{\"at_s\":" + std::to_string(usage->at_s) + ",\"frames\":" + std::to_string(usage->frames) +
           ",\"cpu_s\":" + number(usage->cpu_s) + ",\"rss_mb\":" + number(usage->rss_mb) + "}";
}

// Whether anything on screen changes by itself, so the desktop window cannot sleep until input
// (Window::run; input itself, and ImGui's frames after it, are the window's business). The one
// place that decides it. Ask once per frame: a change since the last call counts once, so that
// the end of a run is drawn.
bool something_moves() {
    using namespace std::chrono;
    App& app = *g_app;
    if (app.timeline_bench) return true;  // it times frames drawn back to back
    // --autorun: the first frames, then the run's start (--idle's wait before it is idle).
    if (app.autorun_pending && (!app.autorun_at || steady_clock::now() >= *app.autorun_at)) return true;
    bool moves = app.lesson_panel.moving();                         // a lesson run, its end, an export, a notice
    const auto first_threads = app.first_threads.snapshot().phase;  // the home page's threads
    moves |= first_threads == pp::lessons::FirstThreadsRun::Phase::Running || first_threads != app.seen_first_threads;
    app.seen_first_threads = first_threads;
    const std::uint64_t processes = pp::ProcessRegistry::instance().version();  // the process panel's rows
    moves |= processes != app.seen_processes;
    app.seen_processes = processes;
    return moves;
}

// Drives the app the way a person would, for tests of the real desktop app (tests/app): runs the
// lesson given with --autorun, or else the thread demo, and prints the state once it has ended.
void run_smoke_test_step() {
    using namespace std::chrono;
    const bool timed_out = steady_clock::now() - g_app->started > seconds(60) + duration<double>(g_app->idle_seconds);
    bool finished = false;
    if (g_app->show_first_threads) {
        const auto run = g_app->first_threads.snapshot();
        if (run.phase == pp::lessons::FirstThreadsRun::Phase::Idle) g_app->first_threads.start(4);
        finished = run.phase == pp::lessons::FirstThreadsRun::Phase::Done;
    } else {
        const std::string state = g_app->lesson_panel.state_json();
        finished = (state.find("\"state\":\"done\"") != std::string::npos || state.find("\"state\":\"failed\"") != std::string::npos) &&
                   !g_app->lesson_panel.export_pending();
    }
    if (finished || timed_out) {
        g_app->usage_end = usage_now();
        std::printf("%s\n", pp_state_json());
        if (timed_out) {
            std::fprintf(stderr, "playground: the smoke test's run did not finish within 60 s\n");
            g_app->exit_code = 1;
        }
        g_app->window.request_close();
    }
}

// The lessons to choose from, as selectables (in the side list, or in the narrow layout's menu).
// Returns true when one was chosen.
bool draw_lesson_choices() {
    namespace semantics = pp::ui::semantics;
    bool chosen = false;
    semantics::begin_group("lessons", semantics::Role::Navigation, "Lessons");
    if (semantics::button_pressed(ImGui::Selectable("Your first threads", g_app->show_first_threads), "home", "Your first threads",
                                  g_app->show_first_threads)) {
        g_app->show_first_threads = true;
        chosen = true;
    }
    for (const pp::lessons::Lesson* lesson : pp::lessons::all_lessons()) {
        char label[96];
        std::snprintf(label, sizeof label, "%d. %s", lesson->info.number, lesson->info.title);
        const bool selected = !g_app->show_first_threads && g_app->lesson_panel.lesson() == lesson;
        if (semantics::button_pressed(ImGui::Selectable(label, selected), lesson->info.id, label, selected)) {
            if (!selected) g_app->lesson_panel.select(*lesson, lesson->info.defaults);
            g_app->show_first_threads = false;
            chosen = true;
        }
    }
    semantics::end_group();
    return chosen;
}

void draw_lesson_list(float width) {
    ImGui::BeginChild("lessons", {width, 0}, true);
    ImGui::TextDisabled("Lessons");
    draw_lesson_choices();
    ImGui::EndChild();
}

// The narrow layout's lesson list: a button that opens it as a menu.
void draw_lesson_menu() {
    if (pp::ui::semantics::button_pressed(ImGui::Button("Lessons \xE2\x96\xBE"), "lessons_menu", "Lessons menu"))
        ImGui::OpenPopup("lessons_menu");
    if (!ImGui::BeginPopup("lessons_menu")) return;
    if (draw_lesson_choices()) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void draw_messages() {
    if (g_app->messages.empty()) return;
    // Inline, not in a fixed-height child: wrapped messages must never hide the OK button.
    for (const std::string& message : g_app->messages) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(240, 180, 90, 255));
        ImGui::TextWrapped("%s", message.c_str());
        ImGui::PopStyleColor();
    }
    if (pp::ui::semantics::button_pressed(ImGui::SmallButton("OK"), "dismiss_messages", "OK, dismiss these messages"))
        g_app->messages.clear();
    ImGui::Separator();
}

// Keeps the page's address on the lesson and its settings, so a reload reproduces them. Not while
// a slider is dragged: browsers throttle history.replaceState.
void sync_address_bar() {
    if (ImGui::IsAnyItemActive()) return;
    const pp::ui::LessonPanel& panel = g_app->lesson_panel;
    std::string query;
    if (!g_app->show_first_threads && panel.lesson())
        query = pp::lessons::settings_query(*panel.lesson(), panel.params()) + (panel.embedded() ? "&embed=1" : "") + panel.step_query();
    if (query == g_app->address_query) return;
    g_app->address_query = query;
    pp::platform::show_query_in_address_bar(query);
}

void draw_frame() {
    ++g_app->frame_count;
#ifdef PP_COOPERATIVE
    // The simulated threads run here, between frames' drawing: half of a 60 Hz frame at most.
    pp::platform::cooperative::run_for(std::chrono::milliseconds(8));
#endif
    using namespace std::chrono;
    // The first frame is up: now the page readies one browser process (process_worker.wasm
    // compiled, one worker with its instance made), so that a first process needs no worker's
    // start-up (about 50 ms). A process lesson asks for more when it is opened. Not in a course
    // page's frame (embed=1): one page may hold several, and one showing a process lesson readies
    // its own.
    if (g_app->frame_count == 2 && !g_app->lesson_panel.embedded()) pp::prepare_default_worker_transport(1);
    if (g_app->frame_count == 3) {  // started up: the window shows, the fonts and shaders are made
        g_app->usage_startup = usage_now();
        g_app->autorun_at = steady_clock::now() + duration_cast<steady_clock::duration>(duration<double>(g_app->idle_seconds));
    }
    if (g_app->autorun_pending && g_app->autorun_at && steady_clock::now() >= *g_app->autorun_at) {
        g_app->autorun_pending = false;
        g_app->usage_run_start = usage_now();
        g_app->lesson_panel.run();
    }
    pp::ui::forget_widgets();
    pp::ui::semantics::begin_frame();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::Begin("Parallel Playground", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    // embed=1: the one lesson fills the frame (no title, no lesson list).
    const bool embedded = !g_app->show_first_threads && g_app->lesson_panel.lesson() && g_app->lesson_panel.embedded();
    // Narrow (a phone, a tablet upright): the lesson list is a menu, and the lesson has the width.
    const bool narrow = viewport->WorkSize.x < pp::ui::LessonPanel::kNarrowWidth;
    // A phone on its side has no height for the app's title line: the lesson menu goes on the
    // lesson's title line, and the page's own title (the tab's) names the app.
    const bool lesson_shown = !g_app->show_first_threads && g_app->lesson_panel.lesson();
    const bool no_title_line = !embedded && narrow && lesson_shown && viewport->WorkSize.y < pp::ui::LessonPanel::kShortHeight;
    g_app->lesson_panel.set_title_prefix(no_title_line ? std::function<void()>(draw_lesson_menu) : nullptr);
    if (!embedded && narrow && !no_title_line) {
        draw_lesson_menu();
        ImGui::SameLine();
    }
    if (!embedded && !no_title_line) {
        ImGui::Text("Parallel Playground");
        pp::ui::semantics::text("app_title", pp::ui::semantics::Role::Heading, "", "Parallel Playground", 1);
    }
#ifdef PP_COOPERATIVE
    // Said even when embedded: a course page's frame is where this fallback runs most.
    if (!embedded && !narrow) ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(240, 180, 90, 255));
    ImGui::TextWrapped("%s", embedded || narrow
                                 ? "Single-threaded fallback: threads simulated on one core"
                                 : "| single-threaded fallback: threads simulated on one core (this page is not cross-origin isolated)");
    ImGui::PopStyleColor();
#else
    if (!embedded && !narrow) {
        ImGui::SameLine();
        ImGui::TextDisabled("| threads and processes, running for real");
    }
#endif
    if (!embedded && !no_title_line) ImGui::Separator();
    draw_messages();
    if (g_app->timeline_bench) {
        g_app->timeline_bench->draw(g_app->window.last_frame_ms());
        ImGui::End();
        pp::ui::semantics::end_frame();
#ifndef __EMSCRIPTEN__
        if (g_app->timeline_bench->finished()) {  // the desktop prints its figures and ends
            std::printf("%s\n", g_app->timeline_bench->state_json().c_str());
            g_app->window.request_close();
        }
#endif
        return;
    }
    if (embedded) {
        g_app->lesson_panel.draw();
    } else {
        if (!narrow) {
            draw_lesson_list(std::min(230.0f, viewport->WorkSize.x * 0.22f));
            ImGui::SameLine();
        }
        ImGui::BeginChild("lesson");
        if (g_app->show_first_threads || !g_app->lesson_panel.lesson())
            g_app->first_threads_panel.draw();
        else
            g_app->lesson_panel.draw();
        ImGui::EndChild();
    }
    ImGui::End();
    pp::ui::remember_tooltip();
    pp::ui::semantics::end_frame();  // after every window, popups included
    sync_address_bar();
    if (g_app->smoke_test) run_smoke_test_step();
}

}  // namespace

// Test hook for the browser tests (window.ppTestState() in web/playground-loader.js).
extern "C" const char* pp_state_json() {
    static std::string json;  // returned pointer stays valid until the next call
    if (!g_app) return "null";
    char frame_ms[32];
    std::snprintf(frame_ms, sizeof frame_ms, "%.3f", g_app->window.last_frame_ms());
    json = "{\"frame\":" + std::to_string(g_app->frame_count) + ",\"frame_ms\":" + frame_ms +
           ",\"single_threaded\":" + (pp::sync::kCooperative ? "true" : "false") +
           ",\"font_ratio\":" + std::to_string(g_app->window.font_ratio()) +
           ",\"reduced_motion\":" + (g_app->window.reduced_motion() ? "true" : "false") +
           ",\"touch\":" + pp::json_string(pp::platform::Window::touch_phase()) + ",\"widgets\":" + pp::ui::remembered_widgets_json() +
           ",\"semantics\":" + pp::ui::semantics::stats_json() + ",\"messages\":[";
    for (std::size_t i = 0; i < g_app->messages.size(); ++i) json += (i ? "," : "") + pp::json_string(g_app->messages[i]);
    json += "],\"page\":" + pp::json_string(g_app->show_first_threads ? "first-threads" : "lesson") +
            ",\"first_threads\":" + g_app->first_threads.snapshot().to_json() + ",\"lesson\":" + g_app->lesson_panel.state_json() +
            ",\"processes\":" + pp::ProcessRegistry::instance().to_json() +
            ",\"bench\":" + (g_app->timeline_bench ? g_app->timeline_bench->state_json() : std::string("null")) +
            ",\"usage\":{\"startup\":" + usage_json(g_app->usage_startup) + ",\"run_start\":" + usage_json(g_app->usage_run_start) +
            ",\"end\":" + usage_json(g_app->usage_end) + "}}";
    return json.c_str();
}

// Test hook for the browser soak (tests/browser/soak.test.mjs): opens a lesson with settings as
// its URL would ("lesson=thread-pool&scale=0.05") and starts a run, without reloading the page.
// Returns 0 when the query names no lesson. Only between frames, on the UI thread (page.evaluate).
extern "C" int pp_test_run_lesson(const char* query) {
    if (!g_app || !query) return 0;
    std::vector<std::string> args;
    std::string pair;
    for (const char* c = query;; ++c) {
        if (*c == '&' || *c == '\0') {
            if (!pair.empty()) args.push_back("--" + pair);
            pair.clear();
            if (*c == '\0') break;
        } else {
            pair += *c;
        }
    }
    const pp::lessons::LaunchOptions options = pp::lessons::parse_launch_options(args);
    if (!options.lesson) return 0;
    g_app->lesson_panel.select(*options.lesson, options.params);
    g_app->show_first_threads = false;
    g_app->lesson_panel.run();
    return 1;
}

int main(int argc, char** argv) {
    // Setup
#if defined(PP_COOPERATIVE)
    pp::platform::cooperative::use_virtual_trace_clock();  // timelines that repeat from run to run
#elif defined(__EMSCRIPTEN__)
    pp::platform::use_browser_trace_clock();  // before any thread records an event
#else
    // First, while this program still has one thread: the server that forks every worker
    // process later (why: src/platform/posix/fork_server.hpp).
    pp::ForkServer::start_early();
#endif
    const std::vector<std::string> args(argv + 1, argv + argc);
#ifndef __EMSCRIPTEN__
    // Not in the page: there ?help would end main() before the first frame, on a loading card.
    for (const std::string& arg : args)
        if (arg == "--help" || arg == "-h") {
            std::fputs(usage_text().c_str(), stdout);
            return 0;
        }
#endif
    pp::lessons::LaunchOptions options = pp::lessons::parse_launch_options(args);
#ifndef __EMSCRIPTEN__
    // Flags typed on a command line are refused, so a typo is not silently ignored.
    if (!options.messages.empty()) {
        for (const std::string& message : options.messages) std::fprintf(stderr, "playground: %s\n", message.c_str());
        std::fprintf(stderr, "\n%s", usage_text().c_str());
        return 2;
    }
#endif
    g_app = new App;
    g_app->smoke_test = options.smoke_test;
    g_app->messages = options.messages;  // the page shows what was wrong with its URL
#ifdef __EMSCRIPTEN__
    if (!options.export_dir.empty()) {  // a page cannot write into folders: it downloads
        g_app->messages.push_back("export=" + options.export_dir + " is for the desktop app; here, use the Export menu");
        options.export_dir.clear();
    }
#endif
    if (options.bench_timeline_events > 0) g_app->timeline_bench = std::make_unique<pp::ui::TimelineBench>(options.bench_timeline_events);
    if (options.lesson) {
        g_app->lesson_panel.select(*options.lesson, options.params);
        g_app->show_first_threads = false;
        g_app->autorun_pending = options.autorun;
        g_app->idle_seconds = options.idle_seconds;
        g_app->lesson_panel.set_embedded(options.embed);
        g_app->lesson_panel.set_step(options.step, options.schedule);
        if (!options.export_dir.empty()) g_app->lesson_panel.export_when_done(options.export_dir);
    }
    std::string error;
    if (!g_app->window.open("Parallel Playground", 1280, 720, error)) {
        pp::platform::report_fatal_error(error);
        return 1;
    }

    // Main loop (in the browser this hands the loop to the page and never returns)
    g_app->window.run(draw_frame, something_moves);

    // Cleanup
    g_app->window.close();
    const int exit_code = g_app->exit_code;
    delete g_app;  // waits for a lesson run still in progress
    return exit_code;
}
