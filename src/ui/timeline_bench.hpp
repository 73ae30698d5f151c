// The timeline's frame-time benchmark: a synthetic trace of many events (8 lanes of tasks with
// sleeps and GIL waits inside), drawn whole, frame after frame, timing each frame.
// Page: ?bench=timeline&events=100000. Desktop: playground --bench timeline --events 100000.
// bench/page_frame_time.mjs runs it in chromium and reports the figures.
#pragma once

#include "ui/timeline_view.hpp"

#include <string>
#include <vector>

namespace pp::ui {

class TimelineBench {
public:
    static constexpr int kFrames = 240;

    explicit TimelineBench(int event_count);
    // One frame: draws the timeline and records `last_frame_ms`, the previous frame's CPU time.
    void draw(double last_frame_ms);
    bool finished() const { return static_cast<int>(frame_ms_.size()) >= kFrames; }
    // {"events":..,"frames":..,"median_ms":..,"p95_ms":..,"max_ms":..,"draw_median_ms":..,"bars_drawn":..,"finished":..}
    std::string state_json() const;

private:
    int event_count_;
    TimelineView view_;
    std::vector<double> frame_ms_;
    std::vector<double> draw_ms_;  // the timeline's own part: layout and ImGui draw lists
    int frames_drawn_ = 0;
};

}  // namespace pp::ui
