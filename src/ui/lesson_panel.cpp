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
#include "core/stats.hpp"
#include "core/trace.hpp"
#include "core/worker_transport.hpp"
#include "imgui.h"
#include "lessons/granularity.hpp"
#include "lessons/share_link.hpp"
#include "lessons/use_cases.hpp"
#include "platform/runtime.hpp"
#include "platform/share.hpp"
#include "platform/usage.hpp"
#include "ui/palette.hpp"
#include "ui/plot_view.hpp"
#include "ui/semantics.hpp"
#include "ui/test_hook.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>

namespace pp::ui {

using lessons::LessonRunner;
using State = LessonRunner::State;
using semantics::Role;

namespace {
// Indexed by LessonRunner::State: idle, running, paused, done, stopped, failed.
const ImVec4 kStateColours[] = {
    {0.6f, 0.6f, 0.6f, 1},   {0.35f, 0.65f, 0.95f, 1}, {0.95f, 0.8f, 0.3f, 1},
    {0.45f, 0.8f, 0.45f, 1}, {0.9f, 0.6f, 0.3f, 1},    {0.95f, 0.4f, 0.4f, 1},
};
bool is_active(State state) { return state == State::Running || state == State::Paused; }
// Spare browser processes kept ready while a process lesson is open: its default pool's size.
constexpr int kSpareProcessesForALesson = 4;

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
        explored_.reset();
        schedule_to_replay_.clear();
    }
    lesson_ = &lesson;
    params_ = params;
    // While the student reads, the page readies its browser processes for the first Run.
    if (lesson.info.creates_processes) prepare_default_worker_transport(kSpareProcessesForALesson);
}

void LessonPanel::run() {
    if (!lesson_) return;
    // A run of more than ten minutes asks first: a slider pushed too far should not cost hours.
    if (lessons::estimate_run_seconds(*lesson_, params_) > lessons::kLongRunSeconds) {
        confirm_long_run_ = true;
        return;
    }
    start_run();
}

void LessonPanel::start_run() {
    ProcessRegistry::instance().forget_ended();  // the process panel shows this run's processes
    lessons::StepOptions step;
    step.on = step_mode_ && lesson_->info.steppable;
    if (step.on) step.schedule = std::exchange(schedule_to_replay_, std::string());  // then the student steps on
    if (!runner_.start(*lesson_, params_, step)) return;
    ui_share_ = {};
    if (const auto cpu = platform::thread_cpu_seconds()) {  // run() is called on the UI thread
        ui_share_.run = runner_.snapshot().run_number;
        ui_share_.cpu_started_s = *cpu;
        ui_share_.started = std::chrono::steady_clock::now();
    }
}

void LessonPanel::set_step(bool on, std::string schedule) {
    step_mode_ = on || !schedule.empty();
    schedule_to_replay_ = std::move(schedule);
}

std::string LessonPanel::step_query() const {
    if (!step_mode_ || !lesson_ || !lesson_->info.steppable) return {};
    const std::string schedule = !schedule_to_replay_.empty() ? schedule_to_replay_ : step_panel_.view().schedule;
    return "&step=1" + (schedule.empty() ? std::string() : "&schedule=" + schedule);  // schedule chars need no escaping
}

void LessonPanel::explore() {
    schedule::ExploreOptions options;
    options.max_schedules = 5000;  // beyond, a sample: the page stays responsive
    options.samples = 1000;
    runner_.explore(*lesson_, params_, options);
}

void LessonPanel::draw_long_run_confirmation() {
    if (confirm_long_run_) {
        ImGui::OpenPopup("Run for a long time?");
        confirm_long_run_ = false;
    }
    confirming_long_run_ = ImGui::BeginPopupModal("Run for a long time?", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    if (!confirming_long_run_) return;
    ImGui::Text("With these settings this run takes %s.",
                lessons::describe_duration(lessons::estimate_run_seconds(*lesson_, params_)).c_str());
    ImGui::TextDisabled("Fewer workers or tasks, a shorter sleep or a smaller time scale make it shorter.");
    if (ImGui::Button("Run anyway")) {
        start_run();
        ImGui::CloseCurrentPopup();
    }
    remember_widget("run_anyway");
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
    remember_widget("run_cancel");
    ImGui::EndPopup();
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
    const bool narrow = ImGui::GetMainViewport()->WorkSize.x < kNarrowWidth;

    // The buttons first, so that a narrow (embedded) window never pushes them out of sight.
    if (!active) {
        if (semantics::button_pressed(ImGui::Button(" Run "), "run", "Run")) run();
    } else {
        if (snapshot.state == State::Paused) {
            if (semantics::button_pressed(ImGui::Button("Resume"), "resume", "Resume")) runner_.resume();
        } else {
            if (semantics::button_pressed(ImGui::Button("Pause"), "pause", "Pause")) runner_.pause();
        }
        ImGui::SameLine();
        if (semantics::button_pressed(ImGui::Button("Stop"), "stop", "Stop")) runner_.stop();
    }

    // Then the parameters, wrapping onto a new line when the window is too narrow for the next one.
    const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const auto next_item = [&](float width) {
        ImGui::SameLine(0, 14);
        if (ImGui::GetCursorScreenPos().x + width > right_edge) ImGui::NewLine();
    };
    // On a phone, upright or on its side, the settings (a line or two of 44 px controls) fold
    // behind a toggle, so that the run keeps the screen.
    bool settings_shown = true;
    const ImVec2 window = ImGui::GetMainViewport()->WorkSize;
    if (window.x < kPhoneWidth || (window.x < kNarrowWidth && window.y < kShortHeight)) {
        ImGui::SameLine();
        if (ImGui::Button(settings_open_ ? "Settings \xE2\x96\xB4" : "Settings \xE2\x96\xBE")) settings_open_ = !settings_open_;
        semantics::checkbox("settings_open", "Settings (show them)", settings_open_);
        settings_shown = settings_open_;
    }
    ImGui::BeginDisabled(active);
    for (const lessons::Setting& setting : lessons::kLessonSettings) {  // a control for each setting it reads
        if (!settings_shown || !(uses & lessons::bit_of(setting))) continue;
        // Narrower sliders on a phone: two settings share a line.
        const float width = setting.kind == lessons::SettingKind::Switch ? 0 : narrow ? 100 : 120;
        next_item(width + ImGui::CalcTextSize(setting.label).x + 20);
        const std::string id = std::string("setting_") + setting.key;
        if (setting.kind == lessons::SettingKind::Choice) {
            int& index = params_.*setting.whole;
            ImGui::SetNextItemWidth(width);
            if (!ImGui::BeginCombo(setting.label, setting.choice(index).c_str())) {
                // Published while closed (the open list is ImGui's own popup, for the pointer).
                std::vector<std::string> choices;
                for (int i = 0; i <= static_cast<int>(setting.max); ++i) choices.push_back(setting.choice(i));
                semantics::choice(id.c_str(), setting.label, index, choices);
            } else {
                for (int i = 0; i <= static_cast<int>(setting.max); ++i)
                    if (ImGui::Selectable(setting.choice(i).c_str(), i == index)) index = i;
                ImGui::EndCombo();
            }
        } else if (setting.whole) {
            ImGui::SetNextItemWidth(width);
            ImGui::SliderInt(setting.label, &(params_.*setting.whole), static_cast<int>(setting.min), static_cast<int>(setting.max), "%d",
                             setting.logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
            double value = params_.*setting.whole;
            if (semantics::slider(id.c_str(), setting.label, value, setting.min, setting.max, 1, setting.text(params_)))
                params_.*setting.whole = static_cast<int>(std::lround(value));
        } else if (setting.number) {
            float value = static_cast<float>(params_.*setting.number);
            ImGui::SetNextItemWidth(width);
            if (ImGui::SliderFloat(setting.label, &value, static_cast<float>(setting.min), static_cast<float>(setting.max), setting.format,
                                   setting.logarithmic ? ImGuiSliderFlags_Logarithmic : 0))
                params_.*setting.number = value;
            char shown[48];
            std::snprintf(shown, sizeof shown, setting.format, params_.*setting.number);
            semantics::slider(id.c_str(), setting.label, params_.*setting.number, setting.min, setting.max,
                              (setting.max - setting.min) / 100, shown);
        } else {
            ImGui::Checkbox(setting.label, &(params_.*setting.on));
            semantics::checkbox(id.c_str(), setting.label, params_.*setting.on);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", setting.help);
    }
    if (lesson_->info.steppable && settings_shown) {
        next_item(80);
        const bool was = step_mode_;
        ImGui::Checkbox("step", &step_mode_);
        semantics::checkbox("step_mode", "step mode: you choose which thread moves", step_mode_);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Step mode: you take the scheduler's seat. One thread moves at a time, the one you choose.");
        // The thread lesson's challenge wants the fewest steps possible: exploring finds it (in ms).
        if (step_mode_ && !was && (uses & lessons::setting_bit("increments")) && !explored_) explore();
    }
    ImGui::EndDisabled();

    if (!active) {  // what Run will cost, before it is pressed
        const std::string estimate = lessons::describe_duration(lessons::estimate_run_seconds(*lesson_, params_));
        next_item(ImGui::CalcTextSize(estimate.c_str()).x + 40);
        ImGui::TextDisabled("takes %s", estimate.c_str());
        semantics::text("estimate", Role::Text, "", "takes " + estimate);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("How long a run with these settings takes, roughly");
    }
    if (snapshot.lesson == lesson_ && snapshot.state != State::Idle) {
        next_item(120);
        // The state's words, not its running clock: the page's text changes when the state does.
        ImGui::TextColored(kStateColours[static_cast<int>(snapshot.state)], "%s  %.2f s%s", LessonRunner::to_string(snapshot.state),
                           snapshot.elapsed_ms / 1000, trace::clock_is_virtual() ? " (virtual time)" : "");
        semantics::text("run_state", Role::Text, "", std::string("Run state: ") + LessonRunner::to_string(snapshot.state));
        if (!snapshot.params_note.empty()) {
            ImGui::TextColored(kStateColours[4], "Settings adjusted: %s", snapshot.params_note.c_str());
            semantics::text("params_note", Role::Text, "", "Settings adjusted: " + snapshot.params_note);
        }
        if (snapshot.state == State::Failed) {
            ImGui::TextColored(kStateColours[5], "The lesson failed: %s", snapshot.error.c_str());
            semantics::text("run_error", Role::Text, "", "The lesson failed: " + snapshot.error);
        }
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Code, side by side, with the lines each thread is on
//-----------------------------------------------------------------------------
void LessonPanel::draw_code(const LessonRunner::Snapshot& snapshot, float height, bool narrow) {
    const lessons::LessonCode code = lessons::lesson_code(lesson_->source_for(params_));
    const bool show_lines = snapshot.lesson == lesson_ && snapshot.state != State::Idle;
    // Where each thread is: the line it last reached; while stepping, the line of its next step,
    // and the Python line that stands for it.
    std::vector<lessons::LessonContext::LaneLine> lines;
    const schedule::View& stepped = step_panel_.view();
    if (show_lines && snapshot.stepped && stepped.on) {
        for (const auto& t : stepped.threads)
            if (t.source_line > 0 && t.state != schedule::ThreadView::State::Finished) lines.push_back({t.name, t.source_line});
    } else if (show_lines) {
        lines = snapshot.lines;
    }
    const auto lanes_at = [&](auto matches) {
        std::string lanes;
        for (const auto& at : lines)
            if (matches(at.source_line)) lanes += (lanes.empty() ? "" : ", ") + at.lane;
        return lanes;
    };
    // While stepping, each pane scrolls to the first line a thread is on, whenever those change.
    const bool follow = snapshot.stepped && stepped.on;
    std::string highlighted_now;
    for (const auto& at : lines) highlighted_now += std::to_string(at.source_line) + ",";
    const bool scroll = follow && highlighted_now != highlighted_lines_;
    highlighted_lines_ = highlighted_now;
    const auto highlight = [&](bool live) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(p,
                                                  {p.x + ImGui::GetWindowWidth() + ImGui::GetScrollX(), p.y + ImGui::GetTextLineHeight()},
                                                  IM_COL32(76, 148, 235, live ? 80 : 40));
    };

    const std::string python = lesson_->python_for(params_);
    bool scrolled_python = false, scrolled_cpp = false;
    const auto draw_python = [&](float pane_height) {
        ImGui::BeginChild("python", {0, pane_height}, false, ImGuiWindowFlags_HorizontalScrollbar);
        int number = 1;
        for (std::string_view line : split_lines(python)) {
            const int python_line = number;
            const std::string lanes_here = lanes_at([&](int cpp) { return code.python_line_for(cpp) == python_line; });
            if (!lanes_here.empty()) highlight(is_active(snapshot.state));
            if (!lanes_here.empty() && scroll && !scrolled_python) {
                ImGui::SetScrollHereY(0.3f);
                scrolled_python = true;
            }
            ImGui::TextDisabled("%3d", number++);
            ImGui::SameLine();
            ImGui::TextUnformatted(line.data(), line.data() + line.size());
        }
        ImGui::EndChild();
        semantics::text("code_python", Role::Code, "The tutorial's Python", python);
    };

    const auto draw_cpp = [&](float pane_height) {
        ImGui::BeginChild("cpp", {0, pane_height}, false, ImGuiWindowFlags_HorizontalScrollbar);
        int source_line = code.first_line;
        for (std::string_view line : split_lines(code.text)) {
            const std::string lanes_here = lanes_at([&](int cpp) { return cpp == source_line; });
            if (!lanes_here.empty()) highlight(is_active(snapshot.state));
            if (!lanes_here.empty() && scroll && !scrolled_cpp) {
                ImGui::SetScrollHereY(0.3f);
                scrolled_cpp = true;
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
        semantics::text("code_cpp", Role::Code, "The C++ that runs here", code.text);
    };

    const auto draw_both = [&](float both_height) {
        if (!ImGui::BeginTable("code", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV, {0, both_height})) return;
        ImGui::TableSetupColumn("The tutorial's Python");
        ImGui::TableSetupColumn("The C++ that runs here (lines highlighted as threads reach them)");
        ImGui::TableHeadersRow();
        ImGui::TableNextColumn();
        draw_python(both_height - ImGui::GetFrameHeightWithSpacing());
        ImGui::TableNextColumn();
        draw_cpp(both_height - ImGui::GetFrameHeightWithSpacing());
        ImGui::EndTable();
    };
    if (!narrow) return draw_both(height);
    // Narrow: one pane at a time at full width, or both side by side on a third tab.
    ImGui::BeginChild("code_views", {0, height});
    if (ImGui::BeginTabBar("code_tabs")) {
        semantics::begin_group("code_tabs", Role::TabList, "Code");
        if (semantics::tab_item("tab_python", "Python")) {
            draw_python(ImGui::GetContentRegionAvail().y);
            ImGui::EndTabItem();
        }
        if (semantics::tab_item("tab_cpp", "C++")) {
            draw_cpp(ImGui::GetContentRegionAvail().y);
            ImGui::EndTabItem();
        }
        if (semantics::tab_item("tab_both", "Both")) {
            draw_both(ImGui::GetContentRegionAvail().y);
            ImGui::EndTabItem();
        }
        semantics::end_group();
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
}

//-----------------------------------------------------------------------------
// [SECTION] Console
//-----------------------------------------------------------------------------
void LessonPanel::draw_console(const LessonRunner::Snapshot& snapshot, float height) {
    // The console's times are the timeline's: both read the trace clock.
    ImGui::TextDisabled(trace::clock_is_virtual() ? "Console (virtual time: simulated threads)" : "Console");
    ImGui::BeginChild("console", {0, height - ImGui::GetTextLineHeightWithSpacing()}, true);
    if (snapshot.lesson == lesson_) {
        // Long lines wrap under their text, after the time: no line is cut at the pane's edge.
        ImGui::PushTextWrapPos(0);
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
        ImGui::PopTextWrapPos();
        if (snapshot.console.size() != console_lines_seen_) {
            console_lines_seen_ = snapshot.console.size();
            ImGui::SetScrollHereY(1.0f);  // follow new output
        }
    }
    ImGui::EndChild();
    std::vector<std::string> lines;
    if (snapshot.lesson == lesson_) {
        char at[32];
        for (const auto& line : snapshot.console) {
            std::snprintf(at, sizeof at, "%.2f s: ", line.at_ms / 1000);
            lines.push_back(at + line.text);
        }
    }
    semantics::log("console", "Console", lines);
}

//-----------------------------------------------------------------------------
// [SECTION] Results: plots and the live image (experiments)
//-----------------------------------------------------------------------------
namespace {
// "CPU-bound: threads: CPython with the GIL (default build)" -> work "CPU-bound", the rest the model.
std::pair<std::string, std::string> split_series(const std::string& series) {
    const auto colon = series.find(": ");
    if (colon == std::string::npos) return {"", series};
    return {series.substr(0, colon), series.substr(colon + 2)};
}
// One colour per execution model, the same in every plot.
ImU32 model_colour(const std::string& model) {
    if (model == lessons::kThreadsWithGil) return series_colour(1);
    if (model == lessons::kThreadsWithoutGil) return series_colour(0);
    if (model.find("in chunks") != std::string::npos) return series_colour(3);
    return series_colour(2);
}

// "10 us", "1 ms": a task's size on the granularity plot's axis.
std::string task_size_label(double seconds) {
    char text[24];
    if (seconds < 1e-3)
        std::snprintf(text, sizeof text, "%.0f us", seconds * 1e6);
    else
        std::snprintf(text, sizeof text, "%.0f ms", seconds * 1e3);
    return text;
}
constexpr const char* kTooFastNote = "! more speedup than the cores can give: noise, not an effect (hover)";
}  // namespace

// The granularity experiment: speedup over one thread by task size, each model measured and as
// its overheads predict it, and the overheads themselves as bars.
void LessonPanel::draw_granularity(const LessonRunner::Snapshot& snapshot, float height) {
    const std::string prefix = lessons::kGranularityPrefix, overhead = lessons::kOverheadPrefix;
    std::map<double, Samples> baseline;
    std::vector<PlotSeries> series;
    const int cores = hardware_core_count();
    const auto series_for = [&](const std::string& model, bool dashed) -> PlotSeries& {
        for (PlotSeries& s : series)
            if (s.name == model && s.dashed == dashed) return s;
        series.push_back(PlotSeries{model, model_colour(model), {}, dashed});
        return series.back();
    };
    for (const auto& m : snapshot.measurements)
        if (m.series == lessons::kGranularityBaseline) baseline[m.x] = m.seconds;
    for (const auto& m : snapshot.measurements) {
        if (m.series.rfind(prefix, 0) != 0 || m.series == lessons::kGranularityBaseline || !baseline.count(m.x)) continue;
        const std::string model = m.series.substr(prefix.size());
        const Speedup s = speedup(baseline[m.x], m.seconds);
        const int limit = model == lessons::kThreadsWithGil ? 1 : cores;  // the most it can give
        series_for(model, false)
            .points.push_back({m.x, s.median, s.low, s.high, static_cast<int>(m.seconds.count()), exceeds_cores(s, limit)});
    }
    for (const auto& p : snapshot.predictions)
        if (p.series.rfind(prefix, 0) == 0)
            series_for(p.series.substr(prefix.size()), true).points.push_back({p.x, p.y, p.y, p.y, 0, false});
    for (PlotSeries& s : series)
        std::sort(s.points.begin(), s.points.end(), [](const PlotPoint& a, const PlotPoint& b) { return a.x < b.x; });

    ImGui::BeginChild("granularity", {0, height});
    const float width = ImGui::GetContentRegionAvail().x;
    PlotAxes axes{"task size (CPU work in each task)",
                  "(x faster than one thread, no pool)",
                  lessons::kGranularityTaskSeconds.front(),
                  lessons::kGranularityTaskSeconds.back(),
                  true,
                  false};
    axes.log_x = true;
    axes.x_format = &task_size_label;
    axes.ideal_at_one = true;
    axes.flag_note = kTooFastNote;
    // The overheads beside the plot, or under it when the pane is too narrow for both.
    const bool side_by_side = width >= 560;
    draw_line_plot("granularity", "Speedup by task size", axes, series,
                   {side_by_side ? width * 0.62f : width, side_by_side ? height - 8 : std::max(height * 0.7f, 160.0f)});
    if (side_by_side) ImGui::SameLine(0, 12);

    // The overheads, measured in this run: bars on a log scale, from 0.1 us to 1 ms.
    ImGui::BeginGroup();
    ImGui::TextUnformatted("Overheads, measured now");
    const float bar_width = std::max(ImGui::GetContentRegionAvail().x - 8, 80.0f);
    for (const auto& m : snapshot.measurements) {
        if (m.series.rfind(overhead, 0) != 0) continue;
        const double us = m.seconds.median() * 1e6;
        const float length = static_cast<float>(std::clamp((std::log10(std::max(us, 0.1)) + 1) / 4, 0.02, 1.0)) * bar_width;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled({p.x, p.y + 2}, {p.x + length, p.y + ImGui::GetTextLineHeight() - 1},
                                                  IM_COL32(120, 130, 150, 160));
        ImGui::Text(" %.1f us  %s", us, m.series.substr(overhead.size()).c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("median of 3 runs after a warm-up: %.1f to %.1f us", m.seconds.min() * 1e6, m.seconds.max() * 1e6);
    }
    ImGui::TextDisabled("(bars on a log scale)");
    ImGui::EndGroup();
    ImGui::EndChild();
}

void LessonPanel::draw_results(const LessonRunner::Snapshot& snapshot, float height) {
    if (snapshot.measurements.empty()) {
        ImGui::TextDisabled("Results appear here as the runs finish (each point: 3 runs after a warm-up).");
        return;
    }
    if (snapshot.params.experiment == lessons::kGranularity) return draw_granularity(snapshot, height);
    // work -> model -> the measured seconds by workers, each in the order the lesson measured them.
    struct ModelTimes {
        std::string model;
        std::vector<std::pair<double, Samples>> by_workers;
    };
    std::vector<std::pair<std::string, std::vector<ModelTimes>>> by_work;
    double most_workers = 1;
    for (const auto& m : snapshot.measurements) {
        // (Named copies: lambdas may not capture structured bindings in C++17.)
        const auto parts = split_series(m.series);
        const std::string work = parts.first, model = parts.second;
        auto w = std::find_if(by_work.begin(), by_work.end(), [&](const auto& entry) { return entry.first == work; });
        if (w == by_work.end()) w = by_work.insert(by_work.end(), {work, {}});
        auto s = std::find_if(w->second.begin(), w->second.end(), [&](const ModelTimes& t) { return t.model == model; });
        if (s == w->second.end()) s = w->second.insert(w->second.end(), ModelTimes{model, {}});
        s->by_workers.emplace_back(m.x, m.seconds);
        most_workers = std::max(most_workers, m.x);
    }
    const int cores = hardware_core_count();
    // Each work's two plots (wall time, speedup), and the plots' data for the accessible layer.
    struct Plot {
        std::string id, title;
        PlotAxes axes;
        std::vector<PlotSeries> series;
    };
    std::vector<std::pair<std::string, std::vector<Plot>>> plots;
    std::vector<std::vector<std::string>> table_rows;
    for (const auto& [work, models] : by_work) {
        const bool cpu = work.rfind("CPU", 0) == 0;
        std::vector<PlotSeries> times, speedups;
        for (const ModelTimes& model : models) {
            PlotSeries time{model.model, model_colour(model.model), {}};
            PlotSeries ratio{model.model, model_colour(model.model), {}};
            const Samples& one_worker = model.by_workers.front().second;
            for (const auto& [workers, seconds] : model.by_workers) {
                time.points.push_back({workers, seconds.median(), seconds.min(), seconds.max(), static_cast<int>(seconds.count()), false});
                // 1 worker is the baseline itself: exactly 1x, no whiskers.
                const Speedup s = workers == model.by_workers.front().first ? Speedup{1, 1, 1} : speedup(one_worker, seconds);
                if (s.median > 0)
                    ratio.points.push_back(
                        {workers, s.median, s.low, s.high, static_cast<int>(seconds.count()), cpu && exceeds_cores(s, cores)});
                char cells[3][32];
                std::snprintf(cells[0], sizeof cells[0], "%g", workers);
                std::snprintf(cells[1], sizeof cells[1], "%.3g s", seconds.median());
                std::snprintf(cells[2], sizeof cells[2], "%.2fx", s.median);
                table_rows.push_back({work, model.model, cells[0], cells[1], cells[2]});
            }
            times.push_back(std::move(time));
            speedups.push_back(std::move(ratio));
        }
        PlotAxes time_axes{"workers", "(s; whiskers: range)", 1, most_workers, true, false};
        time_axes.cores = cores;
        PlotAxes speedup_axes{"workers", "(x vs 1 worker)", 1, most_workers, true, true};
        speedup_axes.cores = cores;
        speedup_axes.ideal_capped_at_cores = cpu;
        speedup_axes.flag_note = kTooFastNote;
        plots.push_back({work,
                         {{work + "time", work + ": wall time", time_axes, std::move(times)},
                          {work + "speedup", work + ": speedup", speedup_axes, std::move(speedups)}}});
    }

    ImGui::BeginChild("results", {0, height});
    const float width = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    // Time and speedup side by side while each gets 240 px, else one under the other. Every plot
    // fits the pane: when the pane is too short for all of them, tabs show one work's plots at a
    // time, or one plot at a time.
    const bool side_by_side = width >= 2 * 240 + 12;
    const float min_plot_height = std::max(170.0f, ImGui::GetTextLineHeightWithSpacing() * 9);
    const auto rows_fit = [&](float room, int rows) { return room >= rows * min_plot_height + (rows - 1) * spacing; };
    const int rows_per_work = side_by_side ? 1 : 2;
    const float tabs_height = ImGui::GetFrameHeightWithSpacing();
    const int shown_works = static_cast<int>(plots.size());
    const bool all = rows_fit(height, shown_works * rows_per_work);
    const bool by_work_tabs = !all && rows_fit(height - tabs_height, rows_per_work);
    const auto draw_plots = [&](const std::vector<const Plot*>& group, float room) {
        const int columns = side_by_side ? 2 : 1;
        const int rows = (static_cast<int>(group.size()) + columns - 1) / columns;
        // Side by side, a row's two plots (one work's: the same models) share one legend under them.
        const float legend = side_by_side ? plot_legend_height(group.back()->axes, group.back()->series, width) + spacing : 0;
        const ImVec2 size{side_by_side ? (width - 12) / 2 : width, std::floor((room - (rows - 1) * spacing) / rows - legend)};
        for (std::size_t i = 0; i < group.size(); ++i) {
            PlotAxes axes = group[i]->axes;
            axes.legend = !side_by_side;
            if (i % columns) ImGui::SameLine(0, 12);
            draw_line_plot(group[i]->id.c_str(), group[i]->title.c_str(), axes, group[i]->series, size);
            if (side_by_side && (i % columns == 1 || i + 1 == group.size()))
                draw_plot_legend(("plot_legend_" + group[i]->id).c_str(), group[i]->axes, group[i]->series, width);
        }
    };
    if (all) {
        std::vector<const Plot*> group;
        for (const auto& work : plots)
            for (const Plot& plot : work.second) group.push_back(&plot);
        draw_plots(group, height - ImGui::GetStyle().WindowPadding.y);
    } else if (ImGui::BeginTabBar("plots")) {
        // Published as buttons: the views' tab list around them is the accessible layer's one group.
        for (const auto& work : plots) {
            for (const Plot& plot : work.second) {
                // "I/O-bound" for a work's pair; "I/O time", "I/O speedup" for one plot (phone-sized tabs).
                const std::string short_work = work.first.substr(0, work.first.find('-'));
                const std::string label = by_work_tabs ? work.first : short_work + (&plot == &work.second.front() ? " time" : " speedup");
                if (!by_work_tabs || &plot == &work.second.front()) {
                    const std::string tab_id = "plots_" + (by_work_tabs ? work.first : plot.id);
                    ImGuiTabItemFlags flags = semantics::take_activation(tab_id.c_str()) ? ImGuiTabItemFlags_SetSelected : 0;
                    const bool open = ImGui::BeginTabItem(label.c_str(), nullptr, flags);
                    semantics::button(tab_id.c_str(), "Plots: " + (by_work_tabs ? label : plot.title), open);
                    if (open) {
                        std::vector<const Plot*> group;
                        if (by_work_tabs)
                            for (const Plot& p : work.second) group.push_back(&p);
                        else
                            group.push_back(&plot);
                        draw_plots(group, ImGui::GetContentRegionAvail().y - ImGui::GetStyle().WindowPadding.y);
                        ImGui::EndTabItem();
                    }
                }
            }
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
    semantics::table("results_table", "Measured wall time and speedup over one worker (medians)",
                     {"work", "model", "workers", "time", "speedup"}, table_rows);
}

// Every process of the program, and what each thread of this one published (the thread lesson).
void LessonPanel::draw_processes_tab(float height) {
    if (semantics::tab_item("tab_processes", "Processes")) {
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
    // While it runs, the spans still open too (each ends now): a thread in the middle of a task
    // is busy, and an empty lane would say idle. Once it has ended, what was recorded.
    timeline_.set_events(is_active(snapshot.state) ? trace::snapshot_live() : trace::snapshot());
    if (snapshot.context) timeline_.set_origin_ns(snapshot.context->started_ns());  // the console's 0
    if (new_run) timeline_.fit();
    timeline_run_ = snapshot.run_number;
    timeline_refreshed_ms_ = snapshot.elapsed_ms;
    timeline_state_ = snapshot.state;
}

// The Scheduler tab: in step mode, and while an Explore's outcomes are for these settings.
void LessonPanel::draw_step_tab(const LessonRunner::Snapshot& snapshot, float height) {
    if (!lesson_->info.steppable || !(step_mode_ || snapshot.stepped || explored_)) return;
    // A new stepped run brings the tab forward once; after that the student picks tabs.
    ImGuiTabItemFlags flags = 0;
    if (snapshot.stepped && snapshot.lesson == lesson_ && snapshot.run_number != step_tab_selected_run_) {
        step_tab_selected_run_ = snapshot.run_number;
        flags = ImGuiTabItemFlags_SetSelected;
    }
    if (!semantics::tab_item("tab_scheduler", "Scheduler", flags)) return;
    const bool current = explored_ && explored_query_ == lessons::settings_query(*lesson_, params_);
    const StepPanel::Request request = step_panel_.draw(*lesson_, snapshot, current ? explored_ : std::nullopt, height);
    if (!is_active(snapshot.state)) {
        if (request.kind == StepPanel::Request::Kind::Explore) explore();
        if (request.kind == StepPanel::Request::Kind::Replay) {  // replay it, then the student steps on
            step_mode_ = true;
            schedule_to_replay_ = request.schedule;
            run();
        }
    }
    ImGui::EndTabItem();
}

// The run's views beside (or under) the console: the timeline, results, image, processes, scheduler.
void LessonPanel::draw_views(const LessonRunner::Snapshot& snapshot, float height) {
    const bool live = is_active(snapshot.state) && snapshot.lesson == lesson_;
    if (!lesson_->info.measures) {
        if (ImGui::BeginTabBar("views")) {
            semantics::begin_group("views", Role::TabList, "Views of the run");
            const float tab_height = height - ImGui::GetFrameHeightWithSpacing();
            draw_step_tab(snapshot, tab_height);
            if (semantics::tab_item("tab_timeline", "Timeline")) {
                timeline_shown_ = true;
                // The hint costs a line that a small frame (an embedded lesson) gives to the lanes.
                constexpr const char* kHint =
                    "Timeline: one lane per thread. Wheel zooms, drag pans, double-click fits, hover for details.";
                const bool hint = tab_height > 200 && ImGui::CalcTextSize(kHint).x <= ImGui::GetContentRegionAvail().x;
                if (hint) ImGui::TextDisabled("%s", kHint);
                timeline_.draw("timeline", tab_height - (hint ? ImGui::GetTextLineHeightWithSpacing() : 0), live, trace::now_ns());
                ImGui::EndTabItem();
            }
            draw_processes_tab(tab_height);
            semantics::end_group();
            ImGui::EndTabBar();
        }
    } else if (ImGui::BeginTabBar("views")) {
        semantics::begin_group("views", Role::TabList, "Views of the run");
        const float tab_height = height - ImGui::GetFrameHeightWithSpacing();
        if (snapshot.context) tile_image_.update(snapshot.context->tiles());
        if (semantics::tab_item("tab_results", "Results")) {
            draw_results(snapshot, tab_height);
            ImGui::EndTabItem();
        }
        if (semantics::tab_item("tab_image", "Image")) {
            tile_image_.draw({ImGui::GetContentRegionAvail().x, tab_height});
            ImGui::EndTabItem();
        }
        if (semantics::tab_item("tab_timeline", "Timeline")) {
            timeline_shown_ = true;
            timeline_.draw("timeline", tab_height, live, trace::now_ns());
            ImGui::EndTabItem();
        }
        draw_processes_tab(tab_height);
        semantics::end_group();
        ImGui::EndTabBar();
    }
}

// The explanation, and for process lessons what a process is here. A long one scrolls in a pane
// at most `most` tall rather than push the run off the screen. One text for the accessible layer,
// over the pane.
void LessonPanel::draw_explanation(float most) {
    // The paragraphs: the explanation, then (greyed) what a process is here.
    std::vector<const char*> notes;
    if (lesson_->info.creates_processes) {
        if (platform::process_kind() == platform::ProcessKind::Forked) {
            notes.push_back("Natively every process here is a real fork()ed operating-system process.");
        } else {
            notes.push_back("In this page a process is an isolated WebAssembly instance of the tasks' code "
                            "(process_worker.wasm) in a Web Worker, standing in for an operating-system process; the "
                            "native build forks real ones. It starts from that program's initial memory, not from a copy "
                            "of the page's (there is no fork()), shares nothing, exchanges bytes by postMessage and has a "
                            "pid the page assigns.");
        }
        if (platform::thread_kind() == platform::ThreadKind::Fiber)
            notes.push_back("In this single-threaded page only the page's threads are simulated: the processes are real "
                            "Web Workers and run in parallel. Without shared memory the page cannot wake a sleeping "
                            "process, so the Crash button reaches it only once its task is done.");
    }
    // Their height, wrapped to the pane's width, sizes the pane before it is drawn (measured
    // afterwards, the panes under it would jump on the first frame).
    const float wrap = ImGui::GetContentRegionAvail().x;
    float height = ImGui::CalcTextSize(lesson_->info.explanation, nullptr, false, wrap).y;
    for (const char* note : notes) height += ImGui::GetStyle().ItemSpacing.y + ImGui::CalcTextSize(note, nullptr, false, wrap).y;
    most = std::max(most, ImGui::GetTextLineHeightWithSpacing() * 3);
    ImGui::BeginChild("about", {0, std::min(std::ceil(height), most)});
    ImGui::TextWrapped("%s", lesson_->info.explanation);
    std::string text = lesson_->info.explanation;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    for (const char* note : notes) {
        ImGui::TextWrapped("%s", note);
        text += std::string("\n\n") + note;
    }
    ImGui::PopStyleColor();
    ImGui::EndChild();
    semantics::text("explanation", Role::Text, "", text);
}

void LessonPanel::draw() {
    if (!lesson_) return;
    const LessonRunner::Snapshot snapshot = runner_.snapshot();
    step_panel_.refresh();
    if (snapshot.explored && snapshot.lesson == lesson_ && snapshot.run_number != explored_run_) {
        explored_run_ = snapshot.run_number;  // kept for these settings until they change
        explored_ = snapshot.explored;
        explored_query_ = lessons::settings_query(*lesson_, snapshot.params);
    }

    // Embedded, the course page around the frame explains; the panel keeps its room for the run.
    // Narrow, the panels stack; embedded, short or on a phone, the explanation folds to give the
    // run its room; on a phone on its side, its toggle goes on the title's line.
    const ImVec2 window = ImGui::GetMainViewport()->WorkSize;
    const bool narrow = window.x < kNarrowWidth;
    const bool short_screen = window.y < kShortHeight;
    const bool phone = window.x < kPhoneWidth;
    const bool fold = embedded_ || short_screen || phone;
    const bool compact_title = narrow && short_screen && !embedded_;

    char title[128];
    std::snprintf(title, sizeof title, "%d. %s", lesson_->info.number, lesson_->info.title);
    if (title_prefix_) {  // a phone on its side: the lesson menu on the title's line
        title_prefix_();
        ImGui::SameLine();
    }
    ImGui::TextWrapped("%s", title);  // on a phone it wraps; the Share buttons then go below it
    semantics::text("lesson_title", Role::Heading, "", title, embedded_ ? 1 : 2);
    bool explain = !fold;
    if (compact_title) {
        ImGui::SameLine();
        const bool pressed = ImGui::Button(about_open_ ? "About \xE2\x96\xB4" : "About \xE2\x96\xBE");  // U+25B4, U+25BE
        if (pressed) about_open_ = !about_open_;
        semantics::checkbox("about_lesson", "About this lesson (show the explanation)", about_open_);
        explain = about_open_;
    }
    if (share_bar_.draw(*lesson_, params_, step_query(), snapshot, timeline_, embedded_) == ShareBar::Action::LeaveEmbed) embedded_ = false;
    if (!export_folder_.empty() && snapshot.lesson == lesson_ && snapshot.state != State::Idle && !is_active(snapshot.state)) {
        share_bar_.export_all(*lesson_, snapshot, timeline_, export_folder_);
        export_folder_.clear();
    }
    if (fold && !compact_title) {
        const bool open_asked = semantics::take_activation("about_lesson");
        if (open_asked) ImGui::SetNextItemOpen(!about_open_);
        about_open_ = explain = ImGui::CollapsingHeader("About this lesson");
        semantics::checkbox("about_lesson", "About this lesson (show the explanation)", about_open_);
    }
    if (explain) draw_explanation(window.y * 0.22f);
    if (explain && lesson_->info.link_url) {  // further reading: opens in a tab, or is copied for a browser
        if (semantics::button_pressed(ImGui::SmallButton(lesson_->info.link_label), "lesson_link", lesson_->info.link_label)) {
            if (!platform::open_in_new_tab(lesson_->info.link_url)) platform::copy_text(lesson_->info.link_url);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", lesson_->info.link_url);
    }
    draw_controls(snapshot);
    draw_long_run_confirmation();
    refresh_timeline(snapshot);
    update_ui_share(snapshot);

    const float available = ImGui::GetContentRegionAvail().y;
    // The timeline's legend, while the timeline shows (as last frame: its height is reserved
    // before the views are drawn). It wraps in a narrow window: reserve what it took last frame.
    const bool legend_shown = timeline_shown_;
    timeline_shown_ = false;
    const float legend = legend_shown ? std::max(legend_height_, ImGui::GetTextLineHeightWithSpacing()) : 0.0f;
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const float room = std::max(available - legend - spacing * 2, 0.0f);
    // Every pane gives up height before anything is cut off: the panes' heights add up to `room`.
    if (narrow && short_screen && !embedded_) {
        // A phone on its side: code, console and views side by side, each the full height.
        if (ImGui::BeginTable("run", 3, ImGuiTableFlags_BordersInnerV, {0, room})) {
            ImGui::TableSetupColumn("code", ImGuiTableColumnFlags_WidthStretch, 0.38f);
            ImGui::TableSetupColumn("console", ImGuiTableColumnFlags_WidthStretch, 0.22f);
            ImGui::TableSetupColumn("timeline", ImGuiTableColumnFlags_WidthStretch, 0.40f);
            ImGui::TableNextColumn();
            draw_code(snapshot, room, true);
            ImGui::TableNextColumn();
            draw_console(snapshot, room);
            ImGui::TableNextColumn();
            draw_views(snapshot, room);
            ImGui::EndTable();
        }
    } else if (!narrow || embedded_ || short_screen) {
        // A lesson that measures gives its plots the most.
        const float code_share = lesson_->info.measures ? 0.3f : 0.42f;
        const float code_height = std::min(std::clamp(available * code_share, fold ? 70.0f : 110.0f, 330.0f), room * 0.5f);
        const float bottom_height = room - code_height;
        draw_code(snapshot, code_height, narrow);
        if (ImGui::BeginTable("run", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV)) {
            ImGui::TableSetupColumn("console", ImGuiTableColumnFlags_WidthStretch, 0.3f);
            ImGui::TableSetupColumn("timeline", ImGuiTableColumnFlags_WidthStretch, 0.7f);
            ImGui::TableNextColumn();
            draw_console(snapshot, bottom_height);
            ImGui::TableNextColumn();
            draw_views(snapshot, bottom_height);
            ImGui::EndTable();
        }
    } else {
        // Narrow (a phone, a tablet upright): code, console and views stacked, each the full width.
        // A lesson that measures gives its plots the most.
        const float panes = std::max(room - spacing * 2, 0.0f);
        const bool measures = lesson_->info.measures;
        const float code_height = std::floor(panes * (measures ? 0.26f : 0.38f));
        const float console_height = std::floor(panes * (measures ? 0.14f : 0.18f));
        draw_code(snapshot, code_height, true);
        draw_console(snapshot, console_height);
        draw_views(snapshot, panes - code_height - console_height);
    }
    if (!legend_shown) return;
    const float legend_top = ImGui::GetCursorPosY();
    ImGui::BeginGroup();
    draw_legend();
    ImGui::EndGroup();
    remember_widget("legend");
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
    json += ",\"params\":{";
    for (const lessons::Setting& setting : lessons::kLessonSettings) {
        json += (&setting == lessons::kLessonSettings ? "" : ",") + json_string(setting.key) + ":";
        switch (setting.kind) {
        case lessons::SettingKind::Switch: json += setting.get(params_) ? "true" : "false"; break;
        case lessons::SettingKind::Choice: json += json_string(setting.text(params_)); break;
        default: json += setting.text(params_);
        }
    }
    json += "}";
    json += ",\"params_note\":" + json_string(snapshot.params_note) + ",\"error\":" + json_string(snapshot.error);
    std::snprintf(number, sizeof number, ",\"cores\":%d,\"estimate_s\":%.3f,\"virtual_time\":%s,\"confirming\":%s", hardware_core_count(),
                  lesson_ ? lessons::estimate_run_seconds(*lesson_, params_) : 0.0, trace::clock_is_virtual() ? "true" : "false",
                  confirming_long_run_ ? "true" : "false");
    json += number;
    if (ui_share_.run == snapshot.run_number && ui_share_.percent >= 0) {
        std::snprintf(number, sizeof number, ",\"ui_cpu_percent\":%.2f", ui_share_.percent);
        json += number;
    } else {
        json += ",\"ui_cpu_percent\":null";
    }
    json += ",\"console\":[";
    for (std::size_t i = 0; i < snapshot.console.size(); ++i) json += (i ? "," : "") + json_string(snapshot.console[i].text);
    json += "],\"console_ms\":[";  // when each line was printed, on the timeline's clock
    for (std::size_t i = 0; i < snapshot.console.size(); ++i) {
        std::snprintf(number, sizeof number, "%s%.2f", i ? "," : "", snapshot.console[i].at_ms);
        json += number;
    }
    json += "],\"measurements\":[";
    // [series, workers, median s, min s, max s, [every sample s]]
    for (std::size_t i = 0; i < snapshot.measurements.size(); ++i) {
        const auto& m = snapshot.measurements[i];
        std::snprintf(number, sizeof number, ",%g,%g,%g,%g,[", m.x, m.seconds.median(), m.seconds.min(), m.seconds.max());
        json += (i ? ",[" : "[") + json_string(m.series) + number;
        for (std::size_t k = 0; k < m.seconds.count(); ++k) {
            std::snprintf(number, sizeof number, "%s%g", k ? "," : "", m.seconds.values()[k]);
            json += number;
        }
        json += "]]";
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
    // The run's lanes and events, times in ms from its start. Read from the recorder, not from
    // the timeline, which refreshes on the next frame and could lag behind the state above.
    const TimelineIndex index(trace::snapshot());
    // Times from the run's start, as the console's are (before a run: from the first event).
    const std::int64_t origin = snapshot.context ? snapshot.context->started_ns() : index.begin_ns();
    std::snprintf(number, sizeof number, ",\"timeline_end_ms\":%.2f,\"timeline_view_ms\":%.3f", (index.end_ns() - origin) / 1e6,
                  timeline_.view_span_ns() / 1e6);
    json += number;
    json += ",\"step\":" + step_panel_.state_json();
    json += ",\"step_mode\":" + std::string(step_mode_ ? "true" : "false");
    json += ",\"explore\":";
    if (explored_) {
        json += "{\"schedules\":" + std::to_string(explored_->schedules) + ",\"complete\":" + (explored_->complete ? "true" : "false") +
                ",\"fewest_steps\":" + std::to_string(explored_->fewest_steps_to_note) + ",\"outcomes\":[";
        for (std::size_t i = 0; i < explored_->outcomes.size(); ++i) {
            const schedule::Outcome& o = explored_->outcomes[i];
            json += (i ? ",[" : "[") + json_string(o.text) + "," + std::to_string(o.count) + "," + json_string(o.schedule) + "]";
        }
        json += "]}";
    } else {
        json += "null";
    }
    json += ",\"lanes\":[";
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
                          (e.begin_ns - origin) / 1e6, (e.end_ns - origin) / 1e6);
            json += number;
        }
        json += "]}";
    }
    return json + "]}";
}

}  // namespace pp::ui
