// LessonRunner: runs one lesson at a time on its own thread, for the UI, the CLI and the tests.
//
// The UI thread only ever calls start/pause/resume/stop and snapshot(), which never block on the
// lesson: in the page the UI thread is the browser's main thread, and blocking it (a join, a
// result()) would freeze the tab. The lesson's own "main program" runs on the runner thread,
// traced as the MainThread lane, holding the emulated GIL when the lesson's gil switch is on.
#pragma once

#include "core/future.hpp"
#include "core/schedule.hpp"
#include "core/thread_pool_executor.hpp"
#include "lessons/lesson.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pp::lessons {

// A run where the student (or a schedule) takes the scheduler's seat (core/schedule.hpp).
struct StepOptions {
    bool on = false;
    std::string schedule;                               // replayed first ("" for none)
    schedule::Policy then = schedule::Policy::Student;  // after the schedule
    std::uint64_t seed = 1;                             // for Policy::Random
};
// While stepping, each thread of the thread lesson adds 1 at most this often (a step each).
inline constexpr int kMaxSteppedIncrements = 5;

class LessonRunner {
public:
    enum class State { Idle, Running, Paused, Done, Stopped, Failed };

    struct Snapshot {
        State state = State::Idle;
        const Lesson* lesson = nullptr;  // the lesson of the current or last run
        LessonParams params;             // as used (after clamping)
        std::string params_note;         // what clamping changed, "" if nothing
        std::string error;               // State::Failed: what the lesson threw
        int run_number = 0;              // grows with every start()
        double elapsed_ms = 0;           // of the current run, or the whole of the last one
        std::vector<LessonContext::ConsoleLine> console;
        std::vector<LessonContext::LaneLine> lines;
        std::vector<LessonContext::Measurement> measurements;
        std::vector<LessonContext::Prediction> predictions;
        std::shared_ptr<const LessonContext> context;     // the run's context (its TileBoard), or nullptr
        bool stepped = false;                             // run under the schedule controller (schedule::view())
        bool exploring = false;                           // explore() is going
        std::optional<schedule::ExploreResult> explored;  // the last explore()'s, once done
    };

    LessonRunner();
    // Stops a run in progress and waits for it. A stopped run ends within milliseconds: sleeps and
    // waits return, child processes are killed; only a task already computing finishes first.
    ~LessonRunner();
    LessonRunner(const LessonRunner&) = delete;
    LessonRunner& operator=(const LessonRunner&) = delete;

    // Starts `lesson` with `params` (out-of-range values are clamped, and the snapshot says so).
    // Clears the trace recorder and records the run. Returns false, changing nothing, while a
    // run is in progress: stop() it first.
    bool start(const Lesson& lesson, LessonParams params, StepOptions step = {});
    // Runs `lesson` under every schedule of its choices on shared state (schedule::explore),
    // on the runner thread; the snapshot has the outcomes when it ends. False while running.
    bool explore(const Lesson& lesson, LessonParams params, schedule::ExploreOptions options = {});
    // Pause holds the run's threads at their next sleep or checkpoint; child processes go on.
    void pause();
    void resume();
    // Asks the run to end and kills its child processes; run() then reports Stopped.
    void stop();

    // Waits for the current run to end (for the CLI and the tests; never call it from the UI
    // thread). Returns false if it is still running after `timeout`.
    bool wait(Timeout timeout = std::nullopt);

    Snapshot snapshot() const;
    static const char* to_string(State state);

private:
    void run(const Lesson* lesson, std::shared_ptr<LessonContext> ctx, StepOptions step);
    void run_explore(const Lesson* lesson, LessonParams params, schedule::ExploreOptions options);
    // A run (or an exploration) begins: clamped settings and what clamping changed, the next run
    // number. `one_step_at_a_time` ("while stepping", "exploring", or null) caps the increments.
    void begin_locked(const Lesson& lesson, LessonParams& params, const char* one_step_at_a_time);
    // The state as a run ends (Done, Stopped, Failed), from what it threw.
    void finish_locked(const std::string& error, bool stopped, double elapsed_ms);

    mutable std::mutex mutex_;
    State state_ = State::Idle;
    const Lesson* lesson_ = nullptr;
    LessonParams params_;
    std::string params_note_;
    std::string error_;
    int run_number_ = 0;
    double final_elapsed_ms_ = 0;
    std::shared_ptr<LessonContext> ctx_;
    bool stepped_ = false;
    bool exploring_ = false;
    std::optional<schedule::ExploreResult> explored_;
    sync::condition_variable ended_;                // notified as a run ends (finish_locked), for wait()
    ThreadPoolExecutor runner_{1, "LessonRunner"};  // last: its destructor joins the runner thread
};

}  // namespace pp::lessons
