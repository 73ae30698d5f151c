// LessonRunner: state machine Idle -> Running <-> Paused -> Done | Stopped | Failed.
#include "lessons/lesson_runner.hpp"

#include "core/gil.hpp"
#include "core/process_errors.hpp"
#include "core/process_registry.hpp"
#include "core/trace.hpp"

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

bool LessonRunner::start(const Lesson& lesson, LessonParams params) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ == State::Running || state_ == State::Paused) return false;
    params_note_ = params.clamp();
    params_ = params;
    lesson_ = &lesson;
    error_.clear();
    ++run_number_;
    state_ = State::Running;
    ctx_ = std::make_shared<LessonContext>(params);
    finished_ = runner_.submit_named(lesson.info.id, [this, ctx = ctx_, l = &lesson] { run(l, ctx); });
    return true;
}

void LessonRunner::run(const Lesson* lesson, std::shared_ptr<LessonContext> ctx) {
    // One recording per run, started here so that it holds exactly this run: nothing from the UI
    // thread, nor from this runner before the lesson starts.
    trace::clear();
    ctx->start_clock();  // the console's 0 is the timeline's 0
    trace::set_enabled(true);
    gil::set_enabled(ctx->params().gil);
    gil::reset_stats();
    trace::set_lane_name("MainThread");  // the lesson's main program, as in Python
    // pp::print() from the lesson's threads and its child processes goes to this run's console.
    set_print_handler([ctx](const PrintedLine& line) { ctx->print_line(line); });
    std::string error;
    {
        TraceSpan main_span(TraceKind::TaskRun, "main program");
        try {
            gil::GilHolder gil;  // the main program is Python code too
            lesson->run(*ctx);
        } catch (const BrokenProcessPool& e) {
            error = std::string("BrokenProcessPool: ") + e.what();  // named as Python names it
        } catch (const std::exception& e) {
            error = e.what();
        } catch (...) {
            error = "an exception that is not a std::exception";
        }
    }
    gil::set_enabled(false);
    set_print_handler(nullptr);
    trace::set_enabled(false);  // the lesson's threads have all been joined by now
    std::lock_guard<std::mutex> lock(mutex_);
    final_elapsed_ms_ = ctx->elapsed_ms();
    // Stop kills the run's processes: what that breaks (BrokenProcessPool, a child's missing
    // result) is the stop itself, not a failure of the lesson.
    if (!error.empty() && !ctx->stopped()) {
        error_ = error;
        state_ = State::Failed;
    } else {
        state_ = ctx->stopped() ? State::Stopped : State::Done;
    }
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
    // self-checks aside), and the waits on them return.
    ProcessRegistry::instance().kill_all();
}

bool LessonRunner::wait(Timeout timeout) {
    Future<void> finished;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        finished = finished_;
    }
    if (!finished.valid()) return true;
    if (!timeout) {
        finished.wait();
        return true;
    }
    return finished.wait_for(*timeout);
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
        out.elapsed_ms = (state_ == State::Running || state_ == State::Paused) ? (ctx ? ctx->elapsed_ms() : 0)
                                                                               : final_elapsed_ms_;
    }
    if (ctx) {
        out.console = ctx->console();
        out.lines = ctx->current_lines();
        out.measurements = ctx->measurements();
        out.context = ctx;
    }
    return out;
}

} // namespace pp::lessons
