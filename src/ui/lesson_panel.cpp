// LessonPanel: one lesson on screen. Reads runner snapshots; never waits for the lesson.
//
// Index of this file
// [SECTION] Selecting and running
// [SECTION] Controls: parameters, Run / Pause / Stop
// [SECTION] Code, side by side, with the lines each thread is on
// [SECTION] Console
// [SECTION] Results: plots and the live image (experiments)
// [SECTION] Timeline refresh and the whole panel
// [SECTION] Test hook
#include "ui/lesson_panel.hpp"

#include "core/json.hpp"
#include "core/process_registry.hpp"
#include "core/trace.hpp"
#include "core/worker_transport.hpp"
#include "imgui.h"
#include "platform/usage.hpp"
#include "ui/palette.hpp"
#include "ui/plot_view.hpp"
#include "ui/test_hook.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace pp::ui {

using lessons::LessonRunner;
using State = LessonRunner::State;

namespace {
// Indexed by LessonRunner::State: idle, running, paused, done, stopped, failed.
const ImVec4 kStateColours[] = {
    {0.6f, 0.6f, 0.6f, 1}, {0.35f, 0.65f, 0.95f, 1}, {0.95f, 0.8f, 0.3f, 1},
    {0.45f, 0.8f, 0.45f, 1}, {0.9f, 0.6f, 0.3f, 1}, {0.95f, 0.4f, 0.4f, 1},
};
bool is_active(State state) { return state == State::Running || state == State::Paused; }

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto end = text.find('\n');
        lines.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}
}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Selecting and running
//-----------------------------------------------------------------------------
void LessonPanel::select(const lessons::Lesson& lesson, lessons::LessonParams params) {
    if (lesson_ != &lesson) {
        runner_.stop();
        timeline_.set_events({});  // the last lesson's run is not this lesson's timeline
        timeline_run_ = -1;
    }
    lesson_ = &lesson;
    params_ = params;
    // While the student reads, the page readies its browser processes for the first Run.
    if (lesson.info.creates_processes) prepare_default_worker_transport();
}

void LessonPanel::run() {
    if (!lesson_) return;
    ProcessRegistry::instance().forget_ended();  // the process panel shows this run's processes
    if (!runner_.start(*lesson_, params_)) return;
    ui_share_ = {};
    if (const auto cpu = platform::thread_cpu_seconds()) {  // run() is called on the UI thread
        ui_share_.run = runner_.snapshot().run_number;
        ui_share_.cpu_started_s = *cpu;
        ui_share_.started = std::chrono::steady_clock::now();
    }
}

bool LessonPanel::moving() {
    if (export_pending() || share_bar_.showing_notice()) return true;
    const LessonRunner::Snapshot snapshot = runner_.snapshot();
    const bool changed = snapshot.state != seen_state_ || snapshot.run_number != seen_run_;
    seen_state_ = snapshot.state;
    seen_run_ = snapshot.run_number;
    return changed || is_active(snapshot.state);
}

// From the run's start to the first frame that sees it ended (one frame late at most: the window
// keeps drawing while a run goes). Shown once half a second has passed: before, it is mostly noise.
void LessonPanel::update_ui_share(const LessonRunner::Snapshot& snapshot) {
    if (ui_share_.run != snapshot.run_number || ui_share_.ended) return;
    const auto cpu = platform::thread_cpu_seconds();
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - ui_share_.started).count();
    ui_share_.ended = !is_active(snapshot.state);
    if (cpu && wall_s > 0 && (ui_share_.ended || wall_s >= 0.5)) ui_share_.percent = 100 * (*cpu - ui_share_.cpu_started_s) / wall_s;
}

//-----------------------------------------------------------------------------
// [SECTION] Controls: parameters, Run / Pause / Stop
//-----------------------------------------------------------------------------
void LessonPanel::draw_controls(const LessonRunner::Snapshot& snapshot) {
    const unsigned uses = lesson_->info.params;
    const bool active = is_active(snapshot.state) && snapshot.lesson == lesson_;

    // The buttons first, so that a narrow (embedded) window never pushes them out of sight.
    if (!active) {
        if (ImGui::Button(" Run ")) run();
        remember_widget("run");
    } else {
        if (snapshot.state == State::Paused) {
            if (ImGui::Button("Resume")) runner_.resume();
            remember_widget("resume");
        } else {
            if (ImGui::Button("Pause")) runner_.pause();
            remember_widget("pause");
        }
        ImGui::SameLine();
        if (ImGui::Button("Stop")) runner_.stop();
        remember_widget("stop");
    }

    // Then the parameters, wrapping onto a new line when the window is too narrow for the next one.
    const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const auto next_item = [&](float width) {
        ImGui::SameLine(0, 14);
        if (ImGui::GetCursorScreenPos().x + width > right_edge) ImGui::NewLine();
    };
    ImGui::BeginDisabled(active);
    if (uses & lessons::kUsesWorkers) {
        next_item(175);
        ImGui::SetNextItemWidth(110);
        ImGui::SliderInt("workers", &params_.workers, 1, lessons::LessonParams::kMaxWorkers);
    }
    if (uses & lessons::kUsesTasks) {
        next_item(155);
        ImGui::SetNextItemWidth(110);
        ImGui::SliderInt("tasks", &params_.tasks, 1, lessons::LessonParams::kMaxTasks);
    }
    if (uses & lessons::kUsesTimeScale) {
        next_item(210);
        float scale = static_cast<float>(params_.time_scale);
        ImGui::SetNextItemWidth(120);
        if (ImGui::SliderFloat("time scale", &scale, 0.01f, 2.0f, "%.2fx", ImGuiSliderFlags_Logarithmic))
            params_.time_scale = scale;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("1x sleeps as long as the tutorial says; 0.1x is ten times faster");
    }
    if (uses & lessons::kUsesSleep) {
        next_item(190);
        float sleep = static_cast<float>(params_.sleep);
        ImGui::SetNextItemWidth(120);
        if (ImGui::SliderFloat("sleep", &sleep, lessons::LessonParams::kMinSleep, lessons::LessonParams::kMaxSleep, "%.1f s",
                               ImGuiSliderFlags_Logarithmic))
            params_.sleep = sleep;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("How long the tutorial's time.sleep() lasts, before the time scale");
    }
    if (uses & lessons::kUsesGil) {
        next_item(60);
        ImGui::Checkbox("GIL", &params_.gil);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Emulate CPython's global interpreter lock: one thread at a time runs Python code");
    }
    ImGui::EndDisabled();

    if (snapshot.lesson == lesson_ && snapshot.state != State::Idle) {
        next_item(120);
        ImGui::TextColored(kStateColours[static_cast<int>(snapshot.state)], "%s  %.2f s", LessonRunner::to_string(snapshot.state),
                           snapshot.elapsed_ms / 1000);
        if (!snapshot.params_note.empty()) ImGui::TextColored(kStateColours[4], "Settings adjusted: %s", snapshot.params_note.c_str());
        if (snapshot.state == State::Failed) ImGui::TextColored(kStateColours[5], "The lesson failed: %s", snapshot.error.c_str());
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Code, side by side, with the lines each thread is on
//-----------------------------------------------------------------------------
void LessonPanel::draw_code(const LessonRunner::Snapshot& snapshot, float height) {
    if (!ImGui::BeginTable("code", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV, {0, height})) return;
    ImGui::TableSetupColumn("The tutorial's Python");
    ImGui::TableSetupColumn("The C++ that runs here (lines highlighted as threads reach them)");
    ImGui::TableHeadersRow();

    ImGui::TableNextColumn();
    ImGui::BeginChild("python", {0, height - ImGui::GetFrameHeightWithSpacing()});
    int number = 1;
    for (std::string_view line : split_lines(lesson_->info.python_code)) {
        ImGui::TextDisabled("%3d", number++);
        ImGui::SameLine();
        ImGui::TextUnformatted(line.data(), line.data() + line.size());
    }
    ImGui::EndChild();

    ImGui::TableNextColumn();
    ImGui::BeginChild("cpp", {0, height - ImGui::GetFrameHeightWithSpacing()}, false, ImGuiWindowFlags_HorizontalScrollbar);
    const lessons::LessonCode code = lessons::lesson_code(lesson_->source_file);
    const bool show_lines = snapshot.lesson == lesson_ && snapshot.state != State::Idle;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    int source_line = code.first_line;
    for (std::string_view line : split_lines(code.text)) {
        std::string lanes_here;
        if (show_lines)
            for (const auto& at : snapshot.lines)
                if (at.source_line == source_line) lanes_here += (lanes_here.empty() ? "" : ", ") + at.lane;
        if (!lanes_here.empty()) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            draw->AddRectFilled(p, {p.x + ImGui::GetWindowWidth() + ImGui::GetScrollX(), p.y + ImGui::GetTextLineHeight()},
                                IM_COL32(76, 148, 235, is_active(snapshot.state) ? 80 : 40));
        }
        ImGui::TextDisabled("%3d", source_line);
        ImGui::SameLine();
        ImGui::TextUnformatted(line.data(), line.data() + line.size());
        if (!lanes_here.empty()) {
            ImGui::SameLine();
            ImGui::TextColored({0.55f, 0.75f, 1.0f, 1.0f}, "  <- %s", lanes_here.c_str());
        }
        ++source_line;
    }
    if (code.text.empty()) ImGui::TextDisabled("(this lesson's code was not embedded)");
    ImGui::EndChild();
    ImGui::EndTable();
}

//-----------------------------------------------------------------------------
// [SECTION] Console
//-----------------------------------------------------------------------------
void LessonPanel::draw_console(const LessonRunner::Snapshot& snapshot, float height) {
    ImGui::TextDisabled("Console");
    ImGui::BeginChild("console", {0, height - ImGui::GetTextLineHeightWithSpacing()}, true, ImGuiWindowFlags_HorizontalScrollbar);
    if (snapshot.lesson == lesson_) {
        for (const auto& line : snapshot.console) {
            ImGui::TextDisabled("%6.2f s", line.at_ms / 1000);
            ImGui::SameLine();
            ImGui::TextUnformatted(line.text.c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("printed by %s", line.lane.c_str());
        }
        if (ui_share_.run == snapshot.run_number && ui_share_.percent >= 0) {
            ImGui::TextDisabled(ui_share_.ended ? "UI used %.0f %% of one core during this run" : "UI: %.0f %% of one core so far",
                                ui_share_.percent);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("This window's drawing (the app's UI thread) ran beside the lesson's threads and processes,\n"
                                  "on the same cores: on a machine with few cores it slows them down a little. Without a GPU,\n"
                                  "the GL driver draws on threads of its own (Mesa's llvmpipe), which this does not count.");
        }
        if (snapshot.console.size() != console_lines_seen_) {
            console_lines_seen_ = snapshot.console.size();
            ImGui::SetScrollHereY(1.0f);  // follow new output
        }
    }
    ImGui::EndChild();
}

//-----------------------------------------------------------------------------
// [SECTION] Results: plots and the live image (experiments)
//-----------------------------------------------------------------------------
namespace {
// "CPU-bound: threads, GIL on" -> work "CPU-bound", model "threads, GIL on".
std::pair<std::string, std::string> split_series(const std::string& series) {
    const auto colon = series.find(": ");
    if (colon == std::string::npos) return {"", series};
    return {series.substr(0, colon), series.substr(colon + 2)};
}
// One colour per execution model, the same in every plot.
ImU32 model_colour(const std::string& model) {
    if (model.find("GIL on") != std::string::npos) return series_colour(1);
    if (model.find("GIL off") != std::string::npos) return series_colour(0);
    return series_colour(2);
}
}  // namespace

void LessonPanel::draw_results(const LessonRunner::Snapshot& snapshot, float height) {
    if (snapshot.measurements.empty()) {
        ImGui::TextDisabled("Results appear here as the runs finish.");
        return;
    }
    // work -> model -> (workers, seconds), each in the order the lesson measured them.
    std::vector<std::pair<std::string, std::vector<PlotSeries>>> by_work;
    double most_workers = 1;
    for (const auto& m : snapshot.measurements) {
        // (Named copies: lambdas may not capture structured bindings in C++17.)
        const auto parts = split_series(m.series);
        const std::string work = parts.first, model = parts.second;
        auto w = std::find_if(by_work.begin(), by_work.end(), [&](const auto& entry) { return entry.first == work; });
        if (w == by_work.end()) w = by_work.insert(by_work.end(), {work, {}});
        auto s = std::find_if(w->second.begin(), w->second.end(), [&](const PlotSeries& p) { return p.name == model; });
        if (s == w->second.end()) s = w->second.insert(w->second.end(), PlotSeries{model, model_colour(model), {}});
        s->points.emplace_back(m.x, m.y);
        most_workers = std::max(most_workers, m.x);
    }
    ImGui::BeginChild("results", {0, height});
    const float width = ImGui::GetContentRegionAvail().x;
    const ImVec2 plot_size{std::max((width - 12) / 2, 160.0f), std::max(height / static_cast<float>(by_work.size()) - 6, 150.0f)};
    for (const auto& [work, times] : by_work) {
        std::vector<PlotSeries> speedups;
        for (const PlotSeries& series : times) {
            PlotSeries speedup{series.name, series.colour, {}};
            for (const auto& [workers, seconds] : series.points)
                if (seconds > 0) speedup.points.emplace_back(workers, series.points.front().second / seconds);
            speedups.push_back(std::move(speedup));
        }
        draw_line_plot((work + "time").c_str(), (work + ": wall time").c_str(), {"workers", "(seconds)", 1, most_workers, true, false},
                       times, plot_size);
        ImGui::SameLine(0, 12);
        draw_line_plot((work + "speedup").c_str(), (work + ": speedup").c_str(),
                       {"workers", "(times faster than 1 worker; dashed: ideal)", 1, most_workers, true, true}, speedups, plot_size);
    }
    ImGui::EndChild();
}

// Every process of the program, and what each thread of this one published (the thread lesson).
void LessonPanel::draw_processes_tab(float height) {
    const bool open = ImGui::BeginTabItem("Processes");
    remember_widget("tab_processes");  // the tab itself, before its contents become the last item
    if (open) {
        process_panel_.draw(height);
        ImGui::EndTabItem();
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Timeline refresh and the whole panel
//-----------------------------------------------------------------------------
void LessonPanel::refresh_timeline(const LessonRunner::Snapshot& snapshot) {
    if (snapshot.lesson != lesson_ || snapshot.state == State::Idle) return;
    // A new run, every 100 ms while it runs, and once more when it has ended.
    const bool new_run = snapshot.run_number != timeline_run_;
    const bool due = is_active(snapshot.state) && snapshot.elapsed_ms - timeline_refreshed_ms_ >= 100;
    const bool ended = !is_active(snapshot.state) && timeline_state_ != snapshot.state;
    if (!new_run && !due && !ended) return;
    timeline_.set_events(trace::snapshot());
    if (new_run) timeline_.fit();
    timeline_run_ = snapshot.run_number;
    timeline_refreshed_ms_ = snapshot.elapsed_ms;
    timeline_state_ = snapshot.state;
}

void LessonPanel::draw() {
    if (!lesson_) return;
    const LessonRunner::Snapshot snapshot = runner_.snapshot();

    ImGui::Text("%d. %s", lesson_->info.number, lesson_->info.title);
    if (share_bar_.draw(*lesson_, params_, snapshot, timeline_, embedded_) == ShareBar::Action::LeaveEmbed) embedded_ = false;
    if (!export_folder_.empty() && snapshot.lesson == lesson_ && snapshot.state != State::Idle && !is_active(snapshot.state)) {
        share_bar_.export_all(*lesson_, snapshot, timeline_, export_folder_);
        export_folder_.clear();
    }
    // Embedded, the course page around the frame explains; the panel keeps its room for the run.
    const bool explain = !embedded_ || ImGui::CollapsingHeader("About this lesson");
    if (explain) ImGui::TextWrapped("%s", lesson_->info.explanation);
    if (explain && lesson_->info.creates_processes) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
#if defined(__EMSCRIPTEN__)
        ImGui::TextWrapped("In this page a process is an isolated WebAssembly instance of the tasks' code "
                           "(process_worker.wasm) in a Web Worker, standing in for an operating-system process; the "
                           "native build forks real ones. It starts from that program's initial memory, not from a copy "
                           "of the page's (there is no fork()), shares nothing, exchanges bytes by postMessage and has a "
                           "pid the page assigns.");
#if defined(PP_COOPERATIVE)
        ImGui::TextWrapped("In this single-threaded page only the page's threads are simulated: the processes are real "
                           "Web Workers and run in parallel. Without shared memory the page cannot wake a sleeping "
                           "process, so the Crash button reaches it only once its task is done.");
#endif
#else
        ImGui::TextWrapped("Natively every process here is a real fork()ed operating-system process.");
#endif
        ImGui::PopStyleColor();
    }
    draw_controls(snapshot);
    refresh_timeline(snapshot);
    update_ui_share(snapshot);

    const float available = ImGui::GetContentRegionAvail().y;
    // The legend wraps in a narrow window: reserve what it took last frame.
    const float legend = std::max(legend_height_, ImGui::GetTextLineHeightWithSpacing());
    const float code_height = std::clamp(available * 0.42f, 110.0f, 330.0f);
    const float bottom_height = std::max(available - code_height - legend - ImGui::GetStyle().ItemSpacing.y * 2, 90.0f);
    draw_code(snapshot, code_height);

    if (ImGui::BeginTable("run", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("console", ImGuiTableColumnFlags_WidthStretch, 0.3f);
        ImGui::TableSetupColumn("timeline", ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableNextColumn();
        draw_console(snapshot, bottom_height);
        ImGui::TableNextColumn();
        const bool live = is_active(snapshot.state) && snapshot.lesson == lesson_;
        if (!lesson_->info.measures) {
            if (ImGui::BeginTabBar("views")) {
                const float tab_height = bottom_height - ImGui::GetFrameHeightWithSpacing();
                if (ImGui::BeginTabItem("Timeline")) {
                    // The hint costs a line that a small frame (an embedded lesson) gives to the lanes.
                    const bool hint = tab_height > 200;
                    if (hint) ImGui::TextDisabled("Timeline: one lane per thread. Wheel zooms, drag pans, double-click fits, hover for details.");
                    timeline_.draw("timeline", tab_height - (hint ? ImGui::GetTextLineHeightWithSpacing() : 0), live,
                                   trace::now_ns());
                    ImGui::EndTabItem();
                }
                remember_widget("tab_timeline");
                draw_processes_tab(tab_height);
                ImGui::EndTabBar();
            }
        } else if (ImGui::BeginTabBar("views")) {
            const float tab_height = bottom_height - ImGui::GetFrameHeightWithSpacing();
            if (snapshot.context) tile_image_.update(snapshot.context->tiles());
            if (ImGui::BeginTabItem("Results")) {
                draw_results(snapshot, tab_height);
                ImGui::EndTabItem();
            }
            remember_widget("tab_results");
            if (ImGui::BeginTabItem("Image")) {
                tile_image_.draw({ImGui::GetContentRegionAvail().x, tab_height});
                ImGui::EndTabItem();
            }
            remember_widget("tab_image");
            if (ImGui::BeginTabItem("Timeline")) {
                timeline_.draw("timeline", tab_height, live, trace::now_ns());
                ImGui::EndTabItem();
            }
            remember_widget("tab_timeline");
            draw_processes_tab(tab_height);
            ImGui::EndTabBar();
        }
        ImGui::EndTable();
    }
    const float legend_top = ImGui::GetCursorPosY();
    draw_legend();
    legend_height_ = ImGui::GetCursorPosY() - legend_top;
}

//-----------------------------------------------------------------------------
// [SECTION] Test hook
//-----------------------------------------------------------------------------
std::string LessonPanel::state_json() const {
    const LessonRunner::Snapshot snapshot = runner_.snapshot();
    std::string json = "{\"id\":" + json_string(lesson_ ? lesson_->info.id : "");
    json += ",\"state\":" + json_string(snapshot.lesson == lesson_ ? LessonRunner::to_string(snapshot.state) : "idle");
    char number[128];
    std::snprintf(number, sizeof number, ",\"run\":%d,\"elapsed_ms\":%.1f", snapshot.run_number, snapshot.elapsed_ms);
    json += number;
    std::snprintf(number, sizeof number, ",\"params\":{\"workers\":%d,\"tasks\":%d,\"scale\":%g,\"sleep\":%g,\"gil\":%s}",
                  params_.workers, params_.tasks, params_.time_scale, params_.sleep, params_.gil ? "true" : "false");
    json += number;
    json += ",\"params_note\":" + json_string(snapshot.params_note) + ",\"error\":" + json_string(snapshot.error);
    if (ui_share_.run == snapshot.run_number && ui_share_.percent >= 0) {
        std::snprintf(number, sizeof number, ",\"ui_cpu_percent\":%.2f", ui_share_.percent);
        json += number;
    } else {
        json += ",\"ui_cpu_percent\":null";
    }
    json += ",\"console\":[";
    for (std::size_t i = 0; i < snapshot.console.size(); ++i)
        json += (i ? "," : "") + json_string(snapshot.console[i].text);
    json += "],\"measurements\":[";
    for (std::size_t i = 0; i < snapshot.measurements.size(); ++i) {
        const auto& m = snapshot.measurements[i];
        std::snprintf(number, sizeof number, ",%g,%g]", m.x, m.y);
        json += (i ? ",[" : "[") + json_string(m.series) + number;
    }
    json += "],\"tiles\":";
    if (snapshot.context && snapshot.lesson == lesson_) {
        const auto board = snapshot.context->tiles().snapshot();
        int done = 0;
        for (int owner : board.owner) done += owner >= 0;
        std::snprintf(number, sizeof number, "{\"total\":%zu,\"done\":%d,\"workers\":[", board.tiles.size(), done);
        json += number;
        for (std::size_t i = 0; i < board.workers.size(); ++i) json += (i ? "," : "") + json_string(board.workers[i]);
        json += "]}";
    } else {
        json += "null";
    }
    json += ",\"image\":{\"ready\":" + std::string(tile_image_.gl_ready() ? "true" : "false") +
            ",\"error\":" + json_string(tile_image_.gl_error()) + "}";
    json += ",\"lanes\":[";
    // The run's lanes and events, times in ms from its start. Read from the recorder, not from
    // the timeline, which refreshes on the next frame and could lag behind the state above.
    const TimelineIndex index(trace::snapshot());
    for (std::size_t lane = 0; lane < index.lanes().size(); ++lane) {
        const TraceLane& info = index.lanes()[lane];
        json += (lane ? ",{" : "{") + std::string("\"name\":") + json_string(info.name);
        std::snprintf(number, sizeof number, ",\"pid\":%d,\"tid\":\"%llu\",\"events\":[", info.pid,
                      static_cast<unsigned long long>(info.tid));
        json += number;
        int written = 0;
        for (const TraceEvent& e : index.events()) {
            if (e.lane.pid != info.pid || e.lane.tid != info.tid || written >= 400) continue;
            std::snprintf(number, sizeof number, "%s[\"%s\",%.2f,%.2f]", written++ ? "," : "", to_string(e.kind),
                          (e.begin_ns - index.begin_ns()) / 1e6, (e.end_ns - index.begin_ns()) / 1e6);
            json += number;
        }
        json += "]}";
    }
    return json + "]}";
}

}  // namespace pp::ui
