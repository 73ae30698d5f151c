// TimelineView: lanes on the left, a time axis on top, bars and ticks, zoom, pan, tooltips.
#include "ui/timeline_view.hpp"

#include "imgui.h"
#include "platform/window_sdl.hpp"
#include "ui/palette.hpp"
#include "ui/semantics.hpp"
#include "ui/test_hook.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pp::ui {

namespace {
constexpr float kMaxLabelWidth = 200.0f;  // lane names; less in a narrow window
constexpr float kAxisHeight = 20.0f;
constexpr float kRowHeight = 13.0f;  // one nesting depth
constexpr float kLanePadding = 5.0f;

// A tick step of 1, 2 or 5 times a power of ten, about `target` ns apart.
std::int64_t nice_step(double target) {
    const double power = std::pow(10.0, std::floor(std::log10(std::max(target, 1.0))));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (power * m >= target) return static_cast<std::int64_t>(power * m);
    return static_cast<std::int64_t>(power * 10);
}

// `name` + `suffix` if it is at most `max_width` wide, else the name's two ends with ".." between
// them, then the suffix whole: "ThreadPoolExecutor-0_1" -> "Thread..0_1", and with "  pid 3",
// "MainThread  pid 3" -> "Mai..ead  pid 3". On a phone the label column is about 140 px, and
// the ends are what tell lanes apart.
std::string fit_label(const std::string& name, const std::string& suffix, float max_width) {
    std::string whole = name + suffix;
    if (ImGui::CalcTextSize(whole.c_str()).x <= max_width) return whole;
    const float room = max_width - ImGui::CalcTextSize(suffix.c_str()).x;
    const auto starts_character = [&](std::size_t at) { return at >= name.size() || (name[at] & 0xC0) != 0x80; };  // UTF-8
    for (std::size_t keep = name.size() - 1; keep > 0; --keep) {
        std::size_t head = keep / 2, tail = name.size() - (keep - head);
        while (!starts_character(head)) --head;
        while (!starts_character(tail)) ++tail;
        const std::string elided = name.substr(0, head) + ".." + name.substr(tail);
        if (ImGui::CalcTextSize(elided.c_str()).x <= room) return elided + suffix;
    }
    return ".." + suffix;
}
}  // namespace

std::string format_duration(std::int64_t ns) {
    char text[32];
    const double value = static_cast<double>(ns);
    if (std::llabs(ns) >= 1'000'000'000)
        std::snprintf(text, sizeof text, "%.3g s", value / 1e9);
    else if (std::llabs(ns) >= 1'000'000)
        std::snprintf(text, sizeof text, "%.3g ms", value / 1e6);
    else if (std::llabs(ns) >= 1'000)
        std::snprintf(text, sizeof text, "%.3g us", value / 1e3);
    else
        std::snprintf(text, sizeof text, "%lld ns", static_cast<long long>(ns));
    return text;
}

void TimelineView::set_events(std::vector<TraceEvent> events) {
    events_in_progress_ =
        static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [](const TraceEvent& e) { return e.in_progress; }));
    index_ = TimelineIndex(std::move(events));
}

void TimelineView::draw(const char* id, float height, bool live, std::int64_t now_ns) {
    draw_child(id, height, live, now_ns);
    drawn_frame_ = ImGui::GetFrameCount();
    remember_widget(id);
    publish_table("timeline_table");
    if (capture_done_) {
        const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();  // the child just ended
        platform::capture_after_render(min.x, min.y, max.x - min.x, max.y - min.y, std::move(capture_done_));
        capture_done_ = nullptr;
    }
}

void TimelineView::zoom(double factor, double at) {
    const auto span = static_cast<double>(std::max<std::int64_t>(view_end_ns_ - view_begin_ns_, 1000));
    const double new_span = std::clamp(span * factor, 1000.0, 3600e9);
    const auto anchor = view_begin_ns_ + static_cast<std::int64_t>(at * span);
    view_begin_ns_ = anchor - static_cast<std::int64_t>(at * new_span);
    view_end_ns_ = view_begin_ns_ + static_cast<std::int64_t>(new_span);
    user_moved_ = true;
}

// Lane, state, start and end of each event (the first kMaxRows), from the run's start; a span
// still open ends "in progress", not at a time that is only the snapshot's. The element takes the
// keyboard: arrows pan, + and - zoom, 0 fits.
void TimelineView::publish_table(const char* id) {
    constexpr std::size_t kMaxRows = 300;
    const std::int64_t origin = origin_ns_ >= 0 ? origin_ns_ : index_.begin_ns();
    // A span that closes replaces its open self (same count), so the open ones are counted too.
    if (table_origin_ns_ != origin || table_events_ != index_.events().size() || table_in_progress_ != events_in_progress_) {
        table_origin_ns_ = origin;
        table_events_ = index_.events().size();
        table_in_progress_ = events_in_progress_;
        table_rows_.clear();
        for (const TraceEvent& e : index_.events()) {
            if (table_rows_.size() == kMaxRows) break;
            table_rows_.push_back({e.lane.name, std::string(describe(e.kind)) + (e.name.empty() ? "" : ": " + e.name),
                                   format_duration(e.begin_ns - origin),
                                   e.in_progress ? "in progress" : format_duration(e.end_ns - origin)});
        }
    }
    char caption[160];
    std::snprintf(caption, sizeof caption, "Timeline: %zu events%s. Arrow keys pan, + and - zoom, 0 shows the whole run.",
                  index_.events().size(), index_.events().size() > kMaxRows ? " (the first 300 listed)" : "");
    semantics::table(id, caption, {"lane", "state", "start", "end"}, table_rows_);
    if (const auto action = semantics::take_value(id)) {
        const std::int64_t step = (view_end_ns_ - view_begin_ns_) / 5;
        switch (static_cast<int>(*action)) {
        case kPanLeft:
            view_begin_ns_ -= step;
            view_end_ns_ -= step;
            user_moved_ = true;
            break;
        case kPanRight:
            view_begin_ns_ += step;
            view_end_ns_ += step;
            user_moved_ = true;
            break;
        case kZoomIn: zoom(0.8, 0.5); break;
        case kZoomOut: zoom(1.25, 0.5); break;
        case kFit: fit(); break;
        }
    }
}

bool TimelineView::shown_recently() const { return drawn_frame_ >= ImGui::GetFrameCount() - 1; }

void TimelineView::draw_child(const char* id, float height, bool live, std::int64_t now_ns) {
    ImGui::BeginChild(id, {0, height}, true, ImGuiWindowFlags_NoScrollWithMouse);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // A wider share on a phone: "ThreadPoolExecutor-0_1  pid 1" then keeps "Thr..0_1  pid 1".
    const float label_width = std::min(kMaxLabelWidth, avail.x * (avail.x < 500 ? 0.4f : 0.3f));
    const float plot_x = origin.x + label_width;
    const float plot_width = std::max(avail.x - label_width, 10.0f);

    if (index_.empty()) {
        ImGui::TextDisabled("No events yet: press Run.");
        ImGui::EndChild();
        return;
    }

    // The run starts at 0 on the axis; the view spans the run (or follows it while live).
    const std::int64_t run_begin = origin_ns_ >= 0 ? std::min(origin_ns_, index_.begin_ns()) : index_.begin_ns();
    const std::int64_t run_end = std::max(live ? now_ns : index_.end_ns(), run_begin + 1000);
    if (!user_moved_) {
        view_begin_ns_ = run_begin;
        view_end_ns_ = run_begin + static_cast<std::int64_t>((run_end - run_begin) * 1.02);
    }
    const std::int64_t span_ns = std::max<std::int64_t>(view_end_ns_ - view_begin_ns_, 1000);

    // Interaction: the whole child is one invisible button, so dragging it does not move the window.
    ImGui::InvisibleButton("##timeline", {avail.x, std::max(avail.y, 10.0f)});
    const bool hovered = ImGui::IsItemHovered();
    const ImGuiIO& io = ImGui::GetIO();
    if (hovered && io.MouseWheel != 0 && io.MousePos.x >= plot_x)
        zoom(io.MouseWheel > 0 ? 0.8 : 1.25, (io.MousePos.x - plot_x) / plot_width);  // around the mouse
    // Two fingers: the span between them stays under them (a pinch apart zooms in).
    const platform::Pinch pinch = platform::pinch_this_frame();
    if (pinch.factor != 1.0f && pinch.x >= plot_x && pinch.x <= plot_x + plot_width && pinch.y >= origin.y && pinch.y <= origin.y + avail.y)
        zoom(1.0 / pinch.factor, (pinch.x - plot_x) / plot_width);
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        const auto shift = static_cast<std::int64_t>(-io.MouseDelta.x / plot_width * span_ns);
        view_begin_ns_ += shift;
        view_end_ns_ += shift;
        user_moved_ = true;
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) fit();

    const TimelineViewport view{view_begin_ns_, view_end_ns_, plot_width};
    layout_timeline(index_, view, layout_);

    // Axis: ticks at nice steps, labelled from the run's start.
    const float axis_y = origin.y;
    // Ticks about 90 px apart, 60 on a phone: "400 ms" is 57 px wide, and 90 left a 220 px axis one label.
    const double tick_spacing = plot_width < 400 ? 60.0 : 90.0;
    const std::int64_t step = nice_step(span_ns / std::max(plot_width / tick_spacing, 1.0));
    const std::int64_t first_tick = ((view_begin_ns_ - run_begin) / step) * step;
    const float bottom = origin.y + avail.y;
    for (std::int64_t t = first_tick; run_begin + t <= view_end_ns_; t += step) {
        const float x = plot_x + view.x_of(run_begin + t);
        if (x < plot_x) continue;
        draw->AddLine({x, axis_y + kAxisHeight - 5}, {x, bottom}, IM_COL32(255, 255, 255, 22));
        const std::string tick = format_duration(t);
        if (x + 3 + ImGui::CalcTextSize(tick.c_str()).x <= plot_x + plot_width)  // a label cut at the edge reads wrong ("100" for 100 ms)
            draw->AddText({x + 3, axis_y + 2}, IM_COL32(200, 200, 200, 255), tick.c_str());
    }
    const bool virtual_time = trace::clock_is_virtual();
    const char* axis_name = virtual_time ? "virtual time" : "time since start";
    if (ImGui::CalcTextSize(axis_name).x > label_width - 4) axis_name = virtual_time ? "virtual" : "time";  // a phone's narrow column
    draw->PushClipRect({origin.x, axis_y}, {plot_x - 4, axis_y + kAxisHeight}, true);
    draw->AddText({origin.x, axis_y + 2}, IM_COL32(160, 160, 160, 255), axis_name);
    draw->PopClipRect();

    // Lanes: a label, a background, then its bars by depth and its ticks.
    std::vector<float> lane_top(index_.lanes().size());
    float y = axis_y + kAxisHeight;
    // Pids go on the labels only when there are several processes to tell apart.
    bool several_processes = false;
    for (const TraceLane& lane : index_.lanes()) several_processes |= lane.pid != index_.lanes().front().pid;
    for (std::size_t lane = 0; lane < index_.lanes().size(); ++lane) {
        const TraceLane& info = index_.lanes()[lane];
        const float lane_height = std::max(index_.depth_count(static_cast<int>(lane)), 1) * kRowHeight + kLanePadding;
        lane_top[lane] = y;
        if (lane % 2 == 0) draw->AddRectFilled({origin.x, y}, {plot_x + plot_width, y + lane_height}, IM_COL32(255, 255, 255, 10));
        const bool show_pid = several_processes && !is_gil_lane(info);
        const std::string label = fit_label(info.name, show_pid ? "  pid " + std::to_string(info.pid) : "", label_width - 6);
        draw->PushClipRect({origin.x, y}, {plot_x - 4, y + lane_height}, true);
        draw->AddText({origin.x + 2, y + (lane_height - ImGui::GetTextLineHeight()) / 2}, IM_COL32(225, 225, 225, 255), label.c_str());
        draw->PopClipRect();
        y += lane_height;
    }
    // This process's threads show their spans in progress (trace::snapshot_live()); a child
    // process sends its spans only when its task ends, so until then its lane is not idle.
    if (live && several_processes) {
        constexpr const char* kChildSpans = "A child process's bars appear when its task ends; until then its lane shows its prints.";
        const float wrap = std::max(avail.x - 4, 40.0f);
        if (y + 4 + ImGui::CalcTextSize(kChildSpans, nullptr, false, wrap).y <= bottom)
            draw->AddText(nullptr, 0.0f, {origin.x + 2, y + 4}, ImGui::GetColorU32(ImGuiCol_TextDisabled), kChildSpans, nullptr, wrap);
    }

    draw->PushClipRect({plot_x, axis_y}, {plot_x + plot_width, bottom}, true);
    const TimelineBar* hovered_bar = nullptr;
    for (const TimelineBar& bar : layout_.bars) {
        const float top = lane_top[bar.lane] + kLanePadding / 2 + bar.depth * kRowHeight;
        // A wide bar ends a pixel early, so that back-to-back tasks (a pool's worker taking the
        // next at once) read as two bars, not one twice as long.
        const float end = bar.merged_count == 1 && bar.x1 - bar.x0 > 4.0f ? bar.x1 - 1.0f : std::max(bar.x1, bar.x0 + 1.0f);
        const ImVec2 a{plot_x + bar.x0, top + 1}, b{plot_x + end, top + kRowHeight - 1};
        if (bar.kind == TraceKind::GilHeld) {  // the holder's colour, and a tick where it changed hands
            draw->AddRectFilled(a, b, name_colour(index_.events()[bar.event].name));
            draw->AddLine({a.x, a.y - 2}, {a.x, b.y + 2}, IM_COL32(255, 255, 255, 200));
        } else {
            draw->AddRectFilled(a, b, colour_of(bar.kind));
        }
        if (hovered && io.MousePos.x >= a.x - 1 && io.MousePos.x <= b.x + 1 && io.MousePos.y >= a.y && io.MousePos.y <= b.y)
            hovered_bar = &bar;  // later bars are deeper: the innermost wins
    }
    const TimelineMarker* hovered_marker = nullptr;
    for (const TimelineMarker& marker : layout_.markers) {
        const float top = lane_top[marker.lane];
        const float x = plot_x + marker.x;
        draw->AddLine({x, top}, {x, top + kRowHeight * 0.6f}, colour_of(marker.kind), 2.0f);
        if (hovered && std::abs(io.MousePos.x - x) <= 3 && io.MousePos.y >= top && io.MousePos.y <= top + kRowHeight * 0.6f)
            hovered_marker = &marker;
    }
    if (live) {
        const float x = plot_x + view.x_of(now_ns);
        draw->AddLine({x, axis_y}, {x, bottom}, IM_COL32(255, 255, 255, 90));
    }
    draw->PopClipRect();

    if (hovered_marker) {  // a tick: what happened at that instant (a print shows its line)
        const TraceEvent& e = index_.events()[hovered_marker->event];
        ImGui::BeginTooltip();
        if (e.kind == TraceKind::Print)
            ImGui::Text("print(\"%s\")", e.args.c_str());
        else if (e.kind == TraceKind::Note)
            ImGui::Text("%s", e.args.c_str());
        else
            ImGui::Text("%s: %s", describe(e.kind), e.name.c_str());
        ImGui::Text("at %s", format_duration(e.begin_ns - run_begin).c_str());
        ImGui::Text("%s, pid %d", e.lane.name.c_str(), e.lane.pid);
        ImGui::EndTooltip();
    } else if (hovered_bar) {
        const TraceEvent& e = index_.events()[hovered_bar->event];
        ImGui::BeginTooltip();
        if (hovered_bar->merged_count > 1) ImGui::Text("%u events too short to tell apart here: zoom in", hovered_bar->merged_count);
        if (e.kind == TraceKind::GilHeld) {
            ImGui::Text("%s held the GIL", e.name.c_str());
            ImGui::Text("%s", e.args.empty() ? "nobody was waiting for it" : e.args.c_str());
        } else {
            ImGui::Text("%s: %s", describe(e.kind), e.name.c_str());
            if (!e.args.empty()) ImGui::Text("arguments: %s", e.args.c_str());
        }
        if (e.in_progress)
            ImGui::Text("in progress: %s so far  (from %s)", format_duration(e.end_ns - e.begin_ns).c_str(),
                        format_duration(e.begin_ns - run_begin).c_str());
        else
            ImGui::Text("duration: %s  (from %s to %s)", format_duration(e.end_ns - e.begin_ns).c_str(),
                        format_duration(e.begin_ns - run_begin).c_str(), format_duration(e.end_ns - run_begin).c_str());
        if (e.task_id != 0) ImGui::Text("task #%llu", static_cast<unsigned long long>(e.task_id));
        if (!is_gil_lane(e.lane))
            ImGui::Text("%s, pid %d, tid %llu", e.lane.name.c_str(), e.lane.pid, static_cast<unsigned long long>(e.lane.tid));
        ImGui::EndTooltip();
    }
    ImGui::EndChild();
}

}  // namespace pp::ui
