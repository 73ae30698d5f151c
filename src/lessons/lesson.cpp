// LessonContext: the console, tutorial-time sleeps, pause and stop; and run-length estimates.
#include "lessons/lesson.hpp"

#include "core/gil.hpp"
#include "core/schedule.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pp::lessons {

LessonContext::LessonContext(LessonParams params) : params_(params), started_trace_ns_(trace::now_ns()) {}

double LessonContext::elapsed_ms() const { return static_cast<double>(trace::now_ns() - started_trace_ns_.load()) / 1e6; }

void LessonContext::mark_line(int source_line) {
    // Called with mutex_ held.
    const std::string lane = trace::current_lane().name;
    for (auto& entry : lines_)
        if (entry.lane == lane) {
            entry.source_line = source_line;
            return;
        }
    lines_.push_back(LaneLine{lane, source_line});
}

void LessonContext::print(std::string_view text, int source_line) {
    schedule::checkpoint({schedule::ActionKind::Print, "print '" + std::string(text) + "'", false, source_line});
    std::lock_guard<std::mutex> lock(mutex_);
    mark_line(source_line);
    if (stopped_) return;  // a stopped run finishes quickly and silently
    const std::int64_t at_ns = trace::now_ns();
    trace::span(TraceKind::Print, "print", at_ns, at_ns, 0, text);  // the mark on this thread's lane
    console_.push_back(
        ConsoleLine{static_cast<double>(at_ns - started_trace_ns_.load()) / 1e6, std::string(text), trace::current_lane().name});
}

void LessonContext::print_line(const PrintedLine& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;
    console_.push_back(ConsoleLine{static_cast<double>(line.at_ns - started_trace_ns_.load()) / 1e6, line.text,
                                   line.process.empty() ? line.lane.name : line.process});
}

void LessonContext::at(int source_line) {
    std::lock_guard<std::mutex> lock(mutex_);
    mark_line(source_line);
}

void LessonContext::sleep(double tutorial_seconds, int source_line) {
    using namespace std::chrono;
    using clock = sync::clock;  // virtual time in the single-threaded page, so its runs repeat exactly
    const auto length = duration_cast<clock::duration>(duration<double>(tutorial_seconds * params_.time_scale));
    char label[32];
    std::snprintf(label, sizeof label, "%.0f ms", duration<double, std::milli>(length).count());
    if (schedule::stepping()) {  // a step that takes no real time
        at(source_line);
        char text[48];
        std::snprintf(text, sizeof text, "sleep %g s (no real time)", tutorial_seconds * params_.time_scale);
        schedule::checkpoint({schedule::ActionKind::Sleep, text, false, source_line});
        const std::int64_t now = trace::now_ns();
        trace::span(TraceKind::Sleep, "sleep", now, now, 0, std::string(label) + ", stepped: no real time");
        return;
    }
    TraceSpan span(TraceKind::Sleep, "sleep", 0, label);  // around the GIL's release (see pp::sleep_for)
    gil::ReleaseGuard release_gil;                        // time.sleep() lets other Python threads run

    std::unique_lock<std::mutex> lock(mutex_);
    mark_line(source_line);
    auto remaining = length;
    while (!stopped_ && remaining > clock::duration::zero()) {
        if (paused_) {
            changed_.wait(lock, [&] { return !paused_ || stopped_; });
            continue;
        }
        const auto slept_from = clock::now();
        changed_.wait_for(lock, remaining, [&] { return paused_ || stopped_; });
        remaining -= clock::now() - slept_from;  // a pause keeps what was left
    }
}

bool LessonContext::keep_going() {
    sync::preemption_point();  // before the lock: a simulated thread never switches holding a mutex
    std::unique_lock<std::mutex> lock(mutex_);
    if (paused_) {
        // Never wait for the GIL while holding mutex_: a GIL holder may be waiting for mutex_.
        lock.unlock();
        gil::ReleaseGuard release_gil;
        lock.lock();
        changed_.wait(lock, [&] { return !paused_ || stopped_; });
        lock.unlock();  // before release_gil takes the GIL back
        return !stopped();
    }
    return !stopped_;
}

bool LessonContext::stopped() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopped_;
}

void LessonContext::set_paused(bool paused) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = paused;
    }
    changed_.notify_all();
}

void LessonContext::request_stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopped_ = true;
        paused_ = false;
    }
    changed_.notify_all();
}

std::vector<LessonContext::ConsoleLine> LessonContext::console() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return console_;
}

void LessonContext::measure(std::string series, double x, Samples seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    measurements_.push_back(Measurement{std::move(series), x, std::move(seconds)});
}

void LessonContext::predict(std::string series, double x, double y) {
    std::lock_guard<std::mutex> lock(mutex_);
    predictions_.push_back(Prediction{std::move(series), x, y});
}

std::vector<LessonContext::Prediction> LessonContext::predictions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return predictions_;
}

std::vector<LessonContext::Measurement> LessonContext::measurements() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return measurements_;
}

std::vector<LessonContext::LaneLine> LessonContext::current_lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
}

}  // namespace pp::lessons

namespace pp::lessons {

std::string describe_duration(double seconds) {
    char text[48];
    if (!(seconds >= 0)) seconds = 0;
    if (seconds < 60) {
        std::snprintf(text, sizeof text, seconds < 10 ? "about %.1f s" : "about %.0f s", seconds);
    } else if (seconds < 3600) {
        std::snprintf(text, sizeof text, "about %.0f min", seconds / 60);
    } else {
        const long long minutes = static_cast<long long>(seconds / 60 + 0.5);
        std::snprintf(text, sizeof text, "about %lld h %lld min", minutes / 60, minutes % 60);
    }
    return text;
}

double estimate_run_seconds(const Lesson& lesson, const LessonParams& params) {
    return lesson.estimate_seconds ? lesson.estimate_seconds(params) : 0;
}

}  // namespace pp::lessons
