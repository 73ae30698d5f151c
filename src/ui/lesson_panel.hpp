// The lesson panel: explanation, the tutorial's Python next to the C++ that runs, parameters,
// Run / Pause / Stop, the console and the live timeline.
#pragma once

#include "lessons/lesson.hpp"
#include "lessons/lesson_runner.hpp"
#include "ui/process_panel.hpp"
#include "ui/share_bar.hpp"
#include "ui/step_panel.hpp"
#include "ui/tile_image_view.hpp"
#include "ui/timeline_view.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace pp::ui {

class LessonPanel {
public:
    // Below this window width the panels stack (phones, tablets upright); below this height the
    // explanation folds under "About this lesson" (phones on their side).
    static constexpr float kNarrowWidth = 900;
    static constexpr float kShortHeight = 560;
    static constexpr float kPhoneWidth = 600;  // narrower: a phone upright

    // Shows `lesson` with `params`; a new lesson resets the parameters to the ones given.
    void select(const lessons::Lesson& lesson, lessons::LessonParams params);
    const lessons::Lesson* lesson() const { return lesson_; }
    const lessons::LessonParams& params() const { return params_; }

    // Starts a run with the current parameters, as the Run button does: one estimated over ten
    // minutes asks first (lessons::kLongRunSeconds).
    void run();

    void draw();  // UI thread, once per frame; never blocks

    // Whether the panel's picture changes without input: a run in progress (its timeline follows
    // it), an export still to write, a notice on screen; also true once after the run's state
    // changed since the last call, so that its end is drawn. Ask once per frame (Window::run).
    bool moving();

    // When the current run (or the next) ends, writes its exports into `folder` (--export DIR).
    void export_when_done(std::string folder) { export_folder_ = std::move(folder); }
    // An export_when_done() not written yet: the run still going, or its picture not yet taken.
    bool export_pending() const { return !export_folder_.empty() || timeline_.capture_pending(); }

    // Step mode (step=1): Run lets the student choose which thread moves (core/schedule.hpp);
    // `schedule` (schedule=S) is replayed first, on the next Run.
    void set_step(bool on, std::string schedule = {});
    // "&step=1&schedule=0011" for links while in step mode ("" otherwise): the share link and the
    // address bar carry the schedule, so opening them replays it.
    std::string step_query() const;

    // Embedded (embed=1, in a course page's iframe): a compact layout, the explanation folded.
    void set_embedded(bool embedded) { embedded_ = embedded; }
    bool embedded() const { return embedded_; }
    // Drawn first on the title's line (a phone on its side has no line to spare for the app's own).
    void set_title_prefix(std::function<void()> prefix) { title_prefix_ = std::move(prefix); }

    // {"id":..,"state":..,"console":[..],"lanes":[..]}: for the browser tests.
    std::string state_json() const;

private:
    void start_run();
    void draw_step_tab(const lessons::LessonRunner::Snapshot& snapshot, float height);
    void explore();
    void draw_long_run_confirmation();
    void draw_controls(const lessons::LessonRunner::Snapshot& snapshot);
    void draw_explanation(float most);
    void draw_code(const lessons::LessonRunner::Snapshot& snapshot, float height, bool narrow);
    void draw_views(const lessons::LessonRunner::Snapshot& snapshot, float height);
    void draw_console(const lessons::LessonRunner::Snapshot& snapshot, float height);
    void refresh_timeline(const lessons::LessonRunner::Snapshot& snapshot);
    void draw_results(const lessons::LessonRunner::Snapshot& snapshot, float height);
    void draw_granularity(const lessons::LessonRunner::Snapshot& snapshot, float height);
    void draw_processes_tab(float height);
    void update_ui_share(const lessons::LessonRunner::Snapshot& snapshot);

    const lessons::Lesson* lesson_ = nullptr;
    lessons::LessonParams params_;
    lessons::LessonRunner runner_;
    TimelineView timeline_;
    TileImageView tile_image_;
    ProcessPanel process_panel_;
    int timeline_run_ = -1;              // the run whose events the timeline holds
    double timeline_refreshed_ms_ = -1;  // elapsed time of that run when last refreshed
    lessons::LessonRunner::State timeline_state_ = lessons::LessonRunner::State::Idle;
    std::size_t console_lines_seen_ = 0;
    float legend_height_ = 0;  // as drawn last frame (it wraps in narrow windows)
    ShareBar share_bar_;
    bool embedded_ = false;
    std::function<void()> title_prefix_;
    bool settings_open_ = false;        // on a phone, where the settings fold
    bool timeline_shown_ = true;        // last frame: the legend is the timeline's, shown with it
    bool about_open_ = false;           // embedded: the explanation unfolded (as drawn last frame)
    bool confirm_long_run_ = false;     // run() was asked for a long run: open the confirmation
    bool confirming_long_run_ = false;  // the confirmation is on screen (as drawn last frame)
    std::string export_folder_;         // export_when_done(), until written
    // Step mode (core/schedule.hpp).
    StepPanel step_panel_;
    bool step_mode_ = false;
    std::string schedule_to_replay_;                   // from the URL or an Explore bar, for the next Run
    int step_tab_selected_run_ = -1;                   // the stepped run whose start brought the Scheduler tab forward
    std::string highlighted_lines_;                    // the code lines lit last frame (stepping scrolls to new ones)
    std::optional<schedule::ExploreResult> explored_;  // the last Explore, for explored_query_'s settings
    std::string explored_query_;
    int explored_run_ = -1;
    lessons::LessonRunner::State seen_state_ = lessons::LessonRunner::State::Idle;  // by moving()
    int seen_run_ = 0;
    // The UI thread's share of one core over the last run started here, for the console's "UI
    // used 4 % of one core during this run": what else ran beside the lesson's workers.
    struct UiShare {
        int run = -1;              // the run it measures
        double cpu_started_s = 0;  // the UI thread's CPU time when the run started
        std::chrono::steady_clock::time_point started;
        double percent = -1;  // so far, or over the whole run once `ended`; < 0: unknown (the page)
        bool ended = false;
    } ui_share_;
};

}  // namespace pp::ui
