// From trace events to what a timeline draws: lanes, bars stacked by nesting depth, markers.
//
//     pp::TimelineIndex index(pp::trace::snapshot());        // once per new snapshot: O(n log n)
//     pp::TimelineLayout layout;
//     pp::layout_timeline(index, {begin_ns, end_ns, 800.0f}, layout);   // every frame
//     for (const pp::TimelineBar& bar : layout.bars) draw(bar.lane, bar.depth, bar.x0, bar.x1, bar.kind);
//
// Kept apart from the UI (no ImGui here) so the arithmetic is unit-tested, and so that a frame
// only touches what it shows: bars outside the visible range are culled by binary search, and
// neighbouring bars narrower than a pixel are merged into one, so 100k events cost a frame no
// more than the few thousand pixels they can cover.
#pragma once

#include "core/trace.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pp {

// The visible window of time, and how many pixels it spans.
struct TimelineViewport {
    std::int64_t begin_ns = 0;
    std::int64_t end_ns = 0;
    float width_px = 0;

    float x_of(std::int64_t t_ns) const {
        return static_cast<float>(static_cast<double>(t_ns - begin_ns) * width_px / static_cast<double>(end_ns - begin_ns));
    }
};

// One rectangle: a span, or several sub-pixel spans merged (then `merged_count` > 1 and `kind`
// is that of the longest of them). x0/x1 are in pixels from the viewport's left edge, clipped
// to [0, width_px].
struct TimelineBar {
    int lane = 0;   // index into TimelineIndex::lanes()
    int depth = 0;  // 0: outermost span of its lane; 1: a span inside it; ...
    TraceKind kind = TraceKind::TaskRun;
    float x0 = 0, x1 = 0;
    std::uint32_t event = 0;  // index into TimelineIndex::events() (the longest, when merged)
    std::uint32_t merged_count = 1;
};

// An instant event (task submitted, thread start/end): a tick at x.
struct TimelineMarker {
    int lane = 0;
    TraceKind kind = TraceKind::TaskSubmitted;
    float x = 0;
    std::uint32_t event = 0;
};

struct TimelineLayout {
    std::vector<TimelineBar> bars;        // grouped by lane and depth, left to right within each
    std::vector<TimelineMarker> markers;  // grouped by lane, left to right
};

class TimelineIndex {
public:
    TimelineIndex() = default;
    // Takes the events in any order. Lanes are grouped by process (the first event's process on
    // top, then the others by pid), and within a process the main thread first, then by each
    // lane's first event.
    explicit TimelineIndex(std::vector<TraceEvent> events);

    const std::vector<TraceEvent>& events() const { return events_; }
    const std::vector<TraceLane>& lanes() const { return lanes_; }
    // How many depths lane `lane` uses (1 when its spans never nest, 0 when it has none).
    int depth_count(int lane) const { return static_cast<int>(lane_spans_[lane].size()); }
    // The time covered by all events; both 0 when there are none.
    std::int64_t begin_ns() const { return begin_ns_; }
    std::int64_t end_ns() const { return end_ns_; }
    bool empty() const { return events_.empty(); }

private:
    friend void layout_timeline(const TimelineIndex&, const TimelineViewport&, TimelineLayout&);

    std::vector<TraceEvent> events_;
    std::vector<TraceLane> lanes_;
    // lane_spans_[lane][depth]: span event indices sorted by begin. Spans at one depth of one
    // lane do not overlap (they nest), so their ends are sorted too, which the culling relies on.
    std::vector<std::vector<std::vector<std::uint32_t>>> lane_spans_;
    std::vector<std::vector<std::uint32_t>> lane_instants_;  // sorted by time
    std::int64_t begin_ns_ = 0, end_ns_ = 0;
};

// Fills `out` (cleared first; reuse it across frames to keep its capacity) with what is visible
// in `view`. A viewport with end_ns <= begin_ns or no width shows nothing.
void layout_timeline(const TimelineIndex& index, const TimelineViewport& view, TimelineLayout& out);

}  // namespace pp
