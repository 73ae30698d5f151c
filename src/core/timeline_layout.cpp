// Timeline layout: index once (lanes, depths, sorted spans), then cull and merge per frame.
#include "core/timeline_layout.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <utility>

namespace pp {

namespace {

struct LaneKey {
    int pid;
    std::uint64_t tid;
    bool operator<(const LaneKey& o) const { return pid != o.pid ? pid < o.pid : tid < o.tid; }
};

// Sort order of events within a lane: by begin, enclosing spans before the spans they contain.
bool encloses_first(const TraceEvent& a, const TraceEvent& b) {
    if (a.begin_ns != b.begin_ns) return a.begin_ns < b.begin_ns;
    return a.end_ns > b.end_ns;
}

}  // namespace

TimelineIndex::TimelineIndex(std::vector<TraceEvent> events) : events_(std::move(events)) {
    if (events_.empty()) return;

    // Lanes, in order of first appearance (by time), then regrouped by process: the process of
    // the first event (the program that started the rest) on top, the others by pid, as a process
    // list shows them. Workers started together record their first events in any order.
    std::vector<std::uint32_t> by_time(events_.size());
    std::iota(by_time.begin(), by_time.end(), 0u);
    std::stable_sort(by_time.begin(), by_time.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return encloses_first(events_[a], events_[b]); });

    std::map<LaneKey, int> first_seen;  // lane -> order of first appearance
    const int first_pid = events_[by_time.front()].lane.pid;
    std::vector<TraceLane> seen_lanes;
    for (std::uint32_t i : by_time) {
        const TraceLane& lane = events_[i].lane;
        if (first_seen.emplace(LaneKey{lane.pid, lane.tid}, static_cast<int>(seen_lanes.size())).second) seen_lanes.push_back(lane);
    }
    std::vector<int> order(seen_lanes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const TraceLane& la = seen_lanes[a];
        const TraceLane& lb = seen_lanes[b];
        if (la.pid != lb.pid) {
            if (la.pid == first_pid || lb.pid == first_pid) return la.pid == first_pid;
            return la.pid < lb.pid;
        }
        if (is_gil_lane(la) != is_gil_lane(lb)) return is_gil_lane(la);  // the GIL above every thread
        const bool main_a = la.name == "MainThread", main_b = lb.name == "MainThread";
        if (main_a != main_b) return main_a;
        return a < b;
    });
    std::map<LaneKey, int> lane_of;
    for (int position = 0; position < static_cast<int>(order.size()); ++position) {
        const TraceLane& lane = seen_lanes[order[position]];
        lanes_.push_back(lane);
        lane_of[LaneKey{lane.pid, lane.tid}] = position;
    }

    // Depths: walk each lane's spans in time order with a stack of the ends of open spans.
    lane_spans_.resize(lanes_.size());
    lane_instants_.resize(lanes_.size());
    std::vector<std::vector<std::int64_t>> open_ends(lanes_.size());
    begin_ns_ = std::numeric_limits<std::int64_t>::max();
    end_ns_ = std::numeric_limits<std::int64_t>::min();
    for (std::uint32_t i : by_time) {
        const TraceEvent& e = events_[i];
        begin_ns_ = std::min(begin_ns_, e.begin_ns);
        end_ns_ = std::max(end_ns_, e.end_ns);
        const int lane = lane_of[LaneKey{e.lane.pid, e.lane.tid}];
        if (is_instant(e.kind)) {
            lane_instants_[lane].push_back(i);
            continue;
        }
        auto& stack = open_ends[lane];
        while (!stack.empty() && stack.back() <= e.begin_ns) stack.pop_back();
        const std::size_t depth = stack.size();
        stack.push_back(e.end_ns);
        auto& depths = lane_spans_[lane];
        if (depths.size() <= depth) depths.resize(depth + 1);
        depths[depth].push_back(i);
    }
}

void layout_timeline(const TimelineIndex& index, const TimelineViewport& view, TimelineLayout& out) {
    out.bars.clear();
    out.markers.clear();
    if (view.end_ns <= view.begin_ns || view.width_px <= 0) return;
    const auto& events = index.events_;
    const auto clip = [&](float x) { return std::clamp(x, 0.0f, view.width_px); };

    for (int lane = 0; lane < static_cast<int>(index.lanes_.size()); ++lane) {
        const auto& depths = index.lane_spans_[lane];
        for (int depth = 0; depth < static_cast<int>(depths.size()); ++depth) {
            const auto& spans = depths[depth];
            // First span that ends inside or after the window (ends are sorted at one depth).
            auto it = std::partition_point(spans.begin(), spans.end(), [&](std::uint32_t i) { return events[i].end_ns <= view.begin_ns; });
            const std::size_t lane_depth_start = out.bars.size();
            std::int64_t longest_in_bar = -1;
            for (; it != spans.end() && events[*it].begin_ns < view.end_ns; ++it) {
                const TraceEvent& e = events[*it];
                const float x0 = clip(view.x_of(e.begin_ns)), x1 = clip(view.x_of(e.end_ns));
                const std::int64_t length = e.end_ns - e.begin_ns;
                // Merge into the previous bar when both are thinner than a pixel and touch it:
                // a pixel cannot show the difference, and drawing thousands of them is slow.
                if (out.bars.size() > lane_depth_start) {
                    TimelineBar& last = out.bars.back();
                    if (x1 - x0 < 1.0f && last.x1 - last.x0 < 1.0f && x0 - last.x1 < 1.0f) {
                        last.x1 = std::max(last.x1, x1);
                        ++last.merged_count;
                        if (length > longest_in_bar) {
                            longest_in_bar = length;
                            last.kind = e.kind;
                            last.event = *it;
                        }
                        continue;
                    }
                }
                out.bars.push_back(TimelineBar{lane, depth, e.kind, x0, x1, *it, 1});
                longest_in_bar = length;
            }
        }

        const auto& instants = index.lane_instants_[lane];
        auto it =
            std::partition_point(instants.begin(), instants.end(), [&](std::uint32_t i) { return events[i].begin_ns < view.begin_ns; });
        const std::size_t lane_start = out.markers.size();
        for (; it != instants.end() && events[*it].begin_ns <= view.end_ns; ++it) {
            const float x = view.x_of(events[*it].begin_ns);
            // One tick per pixel and kind is all a reader can tell apart.
            if (out.markers.size() > lane_start && out.markers.back().kind == events[*it].kind && x - out.markers.back().x < 1.0f) continue;
            out.markers.push_back(TimelineMarker{lane, events[*it].kind, x, *it});
        }
    }
}

}  // namespace pp
