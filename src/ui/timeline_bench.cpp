#include "ui/timeline_bench.hpp"

#include "imgui.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace pp::ui {

namespace {
// `count` events on 8 lanes: back-to-back tasks of 1 ms, each with a sleep or GIL wait inside.
std::vector<TraceEvent> synthetic_trace(int count) {
    std::vector<TraceEvent> events;
    events.reserve(static_cast<std::size_t>(count));
    const int lanes = 8;
    for (int i = 0; events.size() < static_cast<std::size_t>(count); ++i) {
        const int lane = i % lanes;
        const std::int64_t begin = static_cast<std::int64_t>(i / lanes) * 1'000'000 + lane * 50'000;
        TraceEvent task;
        task.kind = TraceKind::TaskRun;
        task.lane = {1, static_cast<std::uint64_t>(lane + 1), lane == 0 ? "MainThread" : "Worker-" + std::to_string(lane)};
        task.name = "task";
        task.task_id = static_cast<std::uint64_t>(i + 1);
        task.begin_ns = begin;
        task.end_ns = begin + 900'000;
        TraceEvent inner = task;
        inner.kind = i % 3 == 0 ? TraceKind::GilWait : TraceKind::Sleep;
        inner.begin_ns = begin + 200'000;
        inner.end_ns = begin + 600'000;
        events.push_back(std::move(task));
        if (events.size() < static_cast<std::size_t>(count)) events.push_back(std::move(inner));
    }
    return events;
}
}  // namespace

TimelineBench::TimelineBench(int event_count) : event_count_(event_count) { view_.set_events(synthetic_trace(event_count)); }

void TimelineBench::draw(double last_frame_ms) {
    if (frames_drawn_++ > 5 && !finished()) frame_ms_.push_back(last_frame_ms);  // skip warm-up frames
    ImGui::Text("Timeline frame-time benchmark: %d events, frame %d of %d", event_count_, static_cast<int>(frame_ms_.size()), kFrames);
    if (!frame_ms_.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("| last frame %.2f ms", frame_ms_.back());
    }
    const auto started = std::chrono::steady_clock::now();
    view_.draw("bench_timeline", ImGui::GetContentRegionAvail().y, false, 0);
    if (frames_drawn_ > 6 && !finished())
        draw_ms_.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
}

std::string TimelineBench::state_json() const {
    std::vector<double> sorted = frame_ms_, draw_sorted = draw_ms_;
    std::sort(sorted.begin(), sorted.end());
    std::sort(draw_sorted.begin(), draw_sorted.end());
    const auto at = [](const std::vector<double>& v, double q) {
        return v.empty() ? 0.0 : v[static_cast<std::size_t>(q * (v.size() - 1))];
    };
    char json[320];
    std::snprintf(json, sizeof json,
                  "{\"events\":%d,\"frames\":%zu,\"median_ms\":%.3f,\"p95_ms\":%.3f,\"max_ms\":%.3f,"
                  "\"draw_median_ms\":%.3f,\"bars_drawn\":%zu,\"finished\":%s}",
                  event_count_, frame_ms_.size(), at(sorted, 0.5), at(sorted, 0.95), sorted.empty() ? 0.0 : sorted.back(),
                  at(draw_sorted, 0.5), view_.bars_drawn(), finished() ? "true" : "false");
    return json;
}

}  // namespace pp::ui
