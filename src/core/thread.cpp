// pp::Thread: std::thread plus a done flag, so join() can time out.
#include "core/thread.hpp"

#include "core/gil.hpp"
#include "core/ids.hpp"
#include "core/schedule.hpp"
#include "core/trace.hpp"

#include <atomic>
#include <cstdio>
#include <stdexcept>

namespace pp {

namespace {
std::atomic<int> g_thread_counter{1};
}

// Everything the running thread touches: on the heap, so a Thread can move while it runs.
struct Thread::State {
    std::string name;
    std::function<void()> target;
    sync::thread thread;

    mutable std::mutex mutex;
    sync::condition_variable ended_cv;
    bool started = false;
    bool ended = false;
    std::uint64_t native_id = 0;
    std::exception_ptr error;

    void run();
};

void Thread::restart_numbering() { g_thread_counter.store(1); }

Thread::Thread(std::string name, std::function<void()> target) : state_(std::make_unique<State>()) {
    state_->name = name.empty() ? "Thread-" + std::to_string(g_thread_counter.fetch_add(1)) : std::move(name);
    state_->target = std::move(target);
}

Thread::~Thread() { join_if_started(); }

Thread::Thread(Thread&& other) noexcept = default;

Thread& Thread::operator=(Thread&& other) noexcept {
    if (this != &other) {
        join_if_started();
        state_ = std::move(other.state_);
    }
    return *this;
}

void Thread::join_if_started() {
    if (state_ && state_->thread.joinable()) {
        gil::ReleaseGuard release_gil;
        state_->thread.join();
    }
}

Thread::State& Thread::state() const {
    if (!state_) throw std::logic_error("this pp::Thread was moved from");
    return *state_;
}

void Thread::start(int source_line) {
    State& s = state();
    schedule::checkpoint({schedule::ActionKind::Start, "start " + s.name, false, source_line});
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.started) throw std::logic_error("threads can only be started once");
    // Marked started only once the thread exists: if std::thread throws (no resources), the
    // object stays unstarted, so join() keeps throwing instead of waiting for a thread that never ran.
    s.thread = sync::thread([&s] { s.run(); });
    s.started = true;
}

void Thread::State::run() {
    {
        std::lock_guard<std::mutex> lock(mutex);
        native_id = current_tid();
    }
    trace::set_lane_name(name);
    trace::instant(TraceKind::ThreadStart, "thread start");
    std::exception_ptr caught;
    {
        gil::GilHolder gil_holder;  // before the span, as in the pool: TaskRun minus GilWait = GIL held
        TraceSpan run_span(TraceKind::TaskRun, name, trace::next_task_id());
        try {
            if (target) target();
        } catch (const std::exception& e) {
            caught = std::current_exception();
            std::fprintf(stderr, "Exception in thread %s: %s\n", name.c_str(), e.what());
        } catch (...) {
            caught = std::current_exception();
            std::fprintf(stderr, "Exception in thread %s (not a std::exception)\n", name.c_str());
        }
    }
    trace::instant(TraceKind::ThreadEnd, "thread end");
    std::lock_guard<std::mutex> lock(mutex);
    error = caught;
    ended = true;
    ended_cv.notify_all();
}

bool Thread::join(Timeout timeout, int source_line) {
    State& s = state();
    schedule::checkpoint({schedule::ActionKind::Join, "join " + s.name, false, source_line});
    const schedule::WaitLabel label("wait for " + s.name + " to end");
    const detail::Deadline deadline = detail::Deadline::after(timeout);
    std::unique_lock<std::mutex> lock(s.mutex);
    if (!s.started) throw std::logic_error("cannot join thread before it is started");
    if (s.thread.get_id() == sync::this_thread::get_id()) throw std::logic_error("cannot join current thread");
    if (!s.ended) {
        lock.unlock();
        gil::ReleaseGuard release_gil;
        TraceSpan blocked(TraceKind::JoinBlocked, "join", 0, s.name);
        lock.lock();
        if (!deadline.at)
            s.ended_cv.wait(lock, [&] { return s.ended; });
        else
            s.ended_cv.wait_until(lock, *deadline.at, [&] { return s.ended; });
        const bool ended = s.ended;
        lock.unlock();  // before the GIL is taken back: a GIL holder may be waiting for mutex
        if (!ended) return false;
        blocked.end();
    } else {
        lock.unlock();
    }
    // The target has returned; what is left of the thread is its exit, so this join is short.
    std::lock_guard<std::mutex> join_lock(s.mutex);
    if (s.thread.joinable()) s.thread.join();
    return true;
}

bool Thread::is_alive() const {
    const State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    return s.started && !s.ended;
}

const std::string& Thread::name() const { return state().name; }

std::uint64_t Thread::native_id() const {
    const State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    return s.native_id;
}

std::exception_ptr Thread::exception() const {
    const State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    return s.error;
}

}  // namespace pp
