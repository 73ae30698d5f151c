// The step panel: the student takes the scheduler's seat (core/schedule.hpp).
//
// One row per thread of the stepped run: what it will do next (or what it waits for), its own
// copy of the shared value; click a row, or press its number, to move that thread one step. Above
// them the shared values, the steps taken and the schedule so far; below, lost updates, the
// "Finish" policies, and Explore: every interleaving, as a bar chart whose bars replay a schedule.
#pragma once

#include "core/schedule.hpp"
#include "lessons/lesson.hpp"
#include "lessons/lesson_runner.hpp"

#include <optional>
#include <string>

namespace pp::ui {

class StepPanel {
public:
    // What the panel asks of the lesson panel (which owns the runner).
    struct Request {
        enum class Kind { None, Explore, Replay } kind = Kind::None;
        std::string schedule;  // Replay: this one
    };

    // Reads the controller's view; call once per frame before drawing anything that shows it.
    void refresh() { view_ = schedule::view(); }
    const schedule::View& view() const { return view_; }

    // Draws into `height` pixels. `explored`: the last Explore of this lesson with these settings.
    Request draw(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot,
                 const std::optional<schedule::ExploreResult>& explored, float height);

    // {"on":..,"waiting":..,"steps":..,"schedule":..,"notes":[..],"threads":[..],"shared":{..}}
    std::string state_json() const;

private:
    void draw_threads(bool active);
    void draw_finish();
    Request draw_explored(const schedule::ExploreResult& explored);

    schedule::View view_;
    std::uint64_t random_seed_ = 1;  // the next "random" finish; each one a new seed, shown
};

}  // namespace pp::ui
