// pp::Thread: std::thread plus a done flag, so join() can time out.
#include "core/thread.hpp"

#include "core/gil.hpp"
#include "core/ids.hpp"
#include "core/trace.hpp"

#include <atomic>
#include <cstdio>
#include <stdexcept>

namespace pp {

namespace {
std::atomic<int> g_thread_counter{1};
}

Thread::Thread(std::string name, std::function<void()> target)
    : name_(std::move(name)), target_(std::move(target)) {
    if (name_.empty()) name_ = "Thread-" + std::to_string(g_thread_counter.fetch_add(1));
}

Thread::~Thread() {
    if (thread_.joinable()) {
        gil::ReleaseGuard release_gil;
        thread_.join();
    }
}

void Thread::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_) throw std::logic_error("threads can only be started once");
    // Marked started only once the thread exists: if std::thread throws (no resources), the
    // object stays unstarted, so join() keeps throwing instead of waiting for a thread that never ran.
    thread_ = sync::thread([this] { run(); });
    started_ = true;
}

void Thread::run() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        native_id_ = current_tid();
    }
    trace::set_lane_name(name_);
    trace::instant(TraceKind::ThreadStart, "thread start");
    std::exception_ptr error;
    {
        gil::GilHolder gil_holder; // before the span, as in the pool: TaskRun minus GilWait = GIL held
        TraceSpan run_span(TraceKind::TaskRun, name_, trace::next_task_id());
        try {
            if (target_) target_();
        } catch (const std::exception& e) {
            error = std::current_exception();
            std::fprintf(stderr, "Exception in thread %s: %s\n", name_.c_str(), e.what());
        } catch (...) {
            error = std::current_exception();
            std::fprintf(stderr, "Exception in thread %s (not a std::exception)\n", name_.c_str());
        }
    }
    trace::instant(TraceKind::ThreadEnd, "thread end");
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = error;
    ended_ = true;
    ended_cv_.notify_all();
}

bool Thread::join(Timeout timeout) {
    const detail::Deadline deadline = detail::Deadline::after(timeout);
    std::unique_lock<std::mutex> lock(mutex_);
    if (!started_) throw std::logic_error("cannot join thread before it is started");
    if (thread_.get_id() == sync::this_thread::get_id()) throw std::logic_error("cannot join current thread");
    if (!ended_) {
        lock.unlock();
        gil::ReleaseGuard release_gil;
        TraceSpan blocked(TraceKind::JoinBlocked, "join", 0, name_);
        lock.lock();
        if (!deadline.at) ended_cv_.wait(lock, [&] { return ended_; });
        else ended_cv_.wait_until(lock, *deadline.at, [&] { return ended_; });
        const bool ended = ended_;
        lock.unlock(); // before the GIL is taken back: a GIL holder may be waiting for mutex_
        if (!ended) return false;
        blocked.end();
    } else {
        lock.unlock();
    }
    // The target has returned; what is left of the thread is its exit, so this join is short.
    std::lock_guard<std::mutex> join_lock(mutex_);
    if (thread_.joinable()) thread_.join();
    return true;
}

bool Thread::is_alive() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return started_ && !ended_;
}

std::uint64_t Thread::native_id() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return native_id_;
}

std::exception_ptr Thread::exception() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
}

} // namespace pp
