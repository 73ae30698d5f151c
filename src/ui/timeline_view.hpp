// The execution timeline: one lane per thread or process, bars for what each was doing.
//
// Wheel zooms around the mouse, dragging pans, double-click fits the whole run; hovering a bar
// shows its task, arguments, duration and pid/tid. While a run is live the view follows it.
// The arithmetic (culling, merging sub-pixel bars) is core/timeline_layout.hpp; this draws.
#pragma once

#include "core/timeline_layout.hpp"
#include "platform/window_sdl.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pp::ui {

class TimelineView {
public:
    // Replaces the events shown. Rebuilding the index costs O(n log n): call it when the trace
    // has changed, not every frame.
    void set_events(std::vector<TraceEvent> events);
    // Where the axis's 0 is, on the trace clock: the run's start, so the timeline's times are
    // the console's. Before any is set, the first event.
    void set_origin_ns(std::int64_t origin_ns) { origin_ns_ = origin_ns; }
    std::size_t event_count() const { return index_.events().size(); }
    const TimelineIndex& index() const { return index_; }

    // Draws in a child region `height` pixels tall. `live`: a run is going, so keep the newest
    // events in view (until the user zooms or pans). `now_ns`: the trace clock's present, drawn
    // as a cursor while live.
    void draw(const char* id, float height, bool live, std::int64_t now_ns);

    // Shows the whole run again (double-click does the same).
    void fit() { user_moved_ = false; }

    // Hands the pixels of the next draw() (the whole child region, lanes and axis included) to
    // `done`, once that frame is rendered. Until the view is drawn again nothing happens: a
    // timeline on a hidden tab is captured when its tab is opened.
    void capture_next_draw(std::function<void(platform::Capture)> done) { capture_done_ = std::move(done); }
    bool capture_pending() const { return static_cast<bool>(capture_done_); }
    // Drawn in this frame or the one before: on screen, not on a hidden tab.
    bool shown_recently() const;

    // What the last frame drew, for tests and the frame-time benchmark.
    std::size_t bars_drawn() const { return layout_.bars.size(); }
    // The span of time on screen, in ns of the trace clock (a pinch or +/- changes it).
    std::int64_t view_span_ns() const { return view_end_ns_ - view_begin_ns_; }

    // What the accessible layer's timeline element asks for (web/playground-semantics.js).
    enum KeyAction { kPanLeft = 1, kPanRight = 2, kZoomIn = 3, kZoomOut = 4, kFit = 5 };

private:
    void draw_child(const char* id, float height, bool live, std::int64_t now_ns);
    void zoom(double factor, double at);  // factor < 1 zooms in, around `at` (0 left .. 1 right)
    void publish_table(const char* id);   // the events as a data table, for the accessible layer

    std::function<void(platform::Capture)> capture_done_;
    int drawn_frame_ = -10;  // ImGui's frame count when last drawn
    TimelineIndex index_;
    std::size_t events_in_progress_ = 0;  // spans of index_ still open (trace::snapshot_live())
    TimelineLayout layout_;               // reused every frame
    std::int64_t view_begin_ns_ = 0, view_end_ns_ = 1'000'000;
    bool user_moved_ = false;                           // zoomed or panned: stop following the run
    std::int64_t origin_ns_ = -1;                       // set_origin_ns(); -1: the first event
    std::vector<std::vector<std::string>> table_rows_;  // publish_table()'s, for these events
    std::int64_t table_origin_ns_ = -2;
    std::size_t table_events_ = 0;
    std::size_t table_in_progress_ = 0;  // of them, spans still open
};

// "250 ms", "1.5 s", "80 us": a duration the way a person would say it.
std::string format_duration(std::int64_t ns);

}  // namespace pp::ui
