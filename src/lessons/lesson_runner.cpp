// LessonRunner: state machine Idle -> Running <-> Paused -> Done | Stopped | Failed.
#include "lessons/lesson_runner.hpp"

#include "core/gil.hpp"
#include "core/process_errors.hpp"
#include "core/process_registry.hpp"
#include "core/thread.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"

#include <exception>

namespace pp::lessons {

LessonRunner::LessonRunner() = default;

LessonRunner::~LessonRunner() {
    stop();
    wait();
}

const char* LessonRunner::to_string(State state) {
    switch (state) {
    case State::Idle: return "idle";
    case State::Running: return "running";
    case State::Paused: return "paused";
    case State::Done: return "done";
    case State::Stopped: return "stopped";
    case State::Failed: return "failed";
    }
    return "unknown";
}

void LessonRunner::begin_locked(const Lesson& lesson, LessonParams& params, const char* one_step_at_a_time) {
    params_note_ = params.clamp();
    const bool counts = (lesson.info.params & setting_bit("increments")) != 0;
    if (one_step_at_a_time && counts && params.increments > kMaxSteppedIncrements) {
        params.increments = kMaxSteppedIncrements;  // every increment is three steps
        params_note_ += std::string(params_note_.empty() ? "" : "; ") + one_step_at_a_time + ", increments is at most " +
                        std::to_string(kMaxSteppedIncrements);
    }
    params_ = params;
    lesson_ = &lesson;
    error_.clear();
    ++run_number_;
    state_ = State::Running;
}

bool LessonRunner::start(const Lesson& lesson, LessonParams params, StepOptions step) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ == State::Running || state_ == State::Paused) return false;
    begin_locked(lesson, params, step.on ? "while stepping" : nullptr);
    stepped_ = step.on;
    ctx_ = std::make_shared<LessonContext>(params);
    runner_.detach_named(lesson.info.id, [this, ctx = ctx_, l = &lesson, step] { run(l, ctx, step); });  // wait() sees it end
    return true;
}

void LessonRunner::run(const Lesson* lesson, std::shared_ptr<LessonContext> ctx, StepOptions step) {
    std::string error;
    // Everything in the try, the set-up too: whatever throws, the run ends as Failed with its
    // message, and wait() returns, instead of a run that reads "running" forever.
    try {
        // One recording per run, started here so that it holds exactly this run: nothing from the
        // UI thread, nor from this runner before the lesson starts.
        trace::clear();
        ctx->start_clock();  // the console's 0 is the timeline's 0
        trace::set_enabled(true);
        gil::set_enabled(ctx->params().gil);
        gil::set_switch_interval(seconds(ctx->params().switch_interval_ms / 1000));  // sys.setswitchinterval()
        gil::reset_stats();
        Thread::restart_numbering();  // each run is a fresh program: its first thread is Thread-1 again
        ThreadPoolExecutor::restart_numbering();
        trace::set_lane_name("MainThread");  // the lesson's main program, as in Python
        // pp::print() from the lesson's threads and its child processes goes to this run's console.
        set_print_handler([ctx](const PrintedLine& line) { ctx->print_line(line); });
        TraceSpan main_span(TraceKind::TaskRun, "main program");
        std::optional<schedule::Session> session;
        if (step.on) {
            std::unique_ptr<schedule::Chooser> then = schedule::make_chooser(step.then, step.seed);
            session.emplace(step.schedule.empty() ? std::move(then) : schedule::make_replay(step.schedule, std::move(then)));
            // A Stop that came before the session existed could not let it go: do it now.
            if (ctx->stopped()) schedule::release();
        }
        gil::GilHolder gil;  // the main program is Python code too
        lesson->run(*ctx);
    } catch (const BrokenProcessPool& e) {
        error = std::string("BrokenProcessPool: ") + e.what();  // named as Python names it
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "an exception that is not a std::exception";
    }
    gil::set_enabled(false);
    set_print_handler(nullptr);
    trace::set_enabled(false);  // the lesson's threads have all been joined by now
    std::lock_guard<std::mutex> lock(mutex_);
    finish_locked(error, ctx->stopped(), ctx->elapsed_ms());
}

void LessonRunner::finish_locked(const std::string& error, bool stopped, double elapsed_ms) {
    final_elapsed_ms_ = elapsed_ms;
    // Stop kills the run's processes: what that breaks (BrokenProcessPool, a child's missing
    // result) is the stop itself, not a failure of the lesson.
    if (!error.empty() && !stopped) {
        error_ = error;
        state_ = State::Failed;
    } else {
        state_ = stopped ? State::Stopped : State::Done;
    }
    ended_.notify_all();
}

bool LessonRunner::explore(const Lesson& lesson, LessonParams params, schedule::ExploreOptions options) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ == State::Running || state_ == State::Paused) return false;
    begin_locked(lesson, params, "exploring");
    stepped_ = false;
    exploring_ = true;
    explored_.reset();
    ctx_ = std::make_shared<LessonContext>(params);  // Stop reaches the explorer through it
    runner_.detach_named("explore", [this, l = &lesson, params, options] { run_explore(l, params, options); });
    return true;
}

void LessonRunner::run_explore(const Lesson* lesson, LessonParams params, schedule::ExploreOptions options) {
    std::shared_ptr<LessonContext> control;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        control = ctx_;
    }
    trace::clear();
    trace::set_enabled(false);  // thousands of runs: their events would only pile up
    gil::set_enabled(params.gil);
    gil::set_switch_interval(seconds(params.switch_interval_ms / 1000));
    trace::set_lane_name("MainThread");
    set_print_handler([](const PrintedLine&) {});  // thousands of runs' prints: not for the console
    std::string error;
    std::optional<schedule::ExploreResult> result;
    try {
        result = schedule::explore(
            [&] {
                Thread::restart_numbering();
                ThreadPoolExecutor::restart_numbering();
                LessonContext ctx(params);
                lesson->run(ctx);
            },
            options, [&] { return !control->stopped(); });
    } catch (const std::exception& e) {
        error = e.what();
    }
    gil::set_enabled(false);
    set_print_handler(nullptr);
    std::lock_guard<std::mutex> lock(mutex_);
    exploring_ = false;
    explored_ = std::move(result);
    finish_locked(error, control->stopped(), control->elapsed_ms());
}

void LessonRunner::pause() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::Running) return;
    ctx_->set_paused(true);
    state_ = State::Paused;
}

void LessonRunner::resume() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::Paused) return;
    ctx_->set_paused(false);
    state_ = State::Running;
}

void LessonRunner::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (state_ != State::Running && state_ != State::Paused) return;
        ctx_->request_stop();
        state_ = State::Running;  // until the lesson has wound down; run() then says Stopped
    }
    // Its threads see the stop at their next sleep or checkpoint; its child processes cannot, so
    // they are killed (only lesson runs start processes, one run at a time; the page's test
    // self-checks aside), and the waits on them return. A stepped run's threads are let go.
    if (stepped_) schedule::release();
    ProcessRegistry::instance().kill_all();
}

// On the runner's own condition, not the run's future: a blocking wait on a future is traced
// (ResultWait), and the thread waiting here watches the run, it is not one of the lesson's. Its
// waits would give the recording a lane of them (the command line's main loop: one every 10 ms).
bool LessonRunner::wait(Timeout timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto ended = [&] { return state_ != State::Running && state_ != State::Paused; };
    if (!timeout) {
        ended_.wait(lock, ended);
        return true;
    }
    return ended_.wait_for(lock, *timeout, ended);
}

LessonRunner::Snapshot LessonRunner::snapshot() const {
    Snapshot out;
    std::shared_ptr<LessonContext> ctx;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        out.state = state_;
        out.lesson = lesson_;
        out.params = params_;
        out.params_note = params_note_;
        out.error = error_;
        out.run_number = run_number_;
        ctx = ctx_;
        out.elapsed_ms = (state_ == State::Running || state_ == State::Paused) ? (ctx ? ctx->elapsed_ms() : 0) : final_elapsed_ms_;
    }
    if (ctx) {
        out.console = ctx->console();
        out.lines = ctx->current_lines();
        out.measurements = ctx->measurements();
        out.predictions = ctx->predictions();
        out.context = ctx;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    out.stepped = stepped_;
    out.exploring = exploring_;
    out.explored = explored_;
    return out;
}

}  // namespace pp::lessons
