// ThreadPoolExecutor: one mutex-protected deque, workers started on demand.
#include "core/thread_pool_executor.hpp"

#include "core/gil.hpp"
#include "core/schedule.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <stdexcept>

namespace pp {

namespace detail {
void report_detached_exception(const char* what) noexcept {
    std::fprintf(stderr, "pp::ThreadPoolExecutor: exception in a detached task: %s\n", what);
}
} // namespace detail

namespace {
std::atomic<int> g_pool_counter{0};
constexpr int kSpinYields = 50;
constexpr std::size_t kMaxWorkersLimit = 4096; // above this, the count is almost surely a converted negative

std::size_t checked_max_workers(std::optional<std::size_t> requested) {
    if (!requested) {
        const std::size_t hardware = std::max(1u, sync::thread::hardware_concurrency());
        return std::min<std::size_t>(32, hardware + 4);
    }
    if (*requested == 0) throw std::invalid_argument("max_workers must be greater than 0");
    if (*requested > kMaxWorkersLimit)
        throw std::invalid_argument("max_workers must be at most " + std::to_string(kMaxWorkersLimit) +
                                    " (was a negative number passed?)");
    return *requested;
}
} // namespace

void ThreadPoolExecutor::restart_numbering() { g_pool_counter.store(0); }

ThreadPoolExecutor::ThreadPoolExecutor(std::optional<std::size_t> max_workers, std::string thread_name_prefix)
    : max_workers_(checked_max_workers(max_workers)), thread_name_prefix_(std::move(thread_name_prefix)) {
    if (thread_name_prefix_.empty())
        thread_name_prefix_ = "ThreadPoolExecutor-" + std::to_string(g_pool_counter.fetch_add(1));
    workers_.reserve(max_workers_);
    worker_ids_.reserve(max_workers_);
}

ThreadPoolExecutor::~ThreadPoolExecutor() { shutdown(true, false); }

void ThreadPoolExecutor::enqueue(std::shared_ptr<detail::PoolTask> task) {
    task->task_id = trace::next_task_id();
    // Timestamped before the push (once queued, a worker may start the task at once, and the trace
    // must show it submitted before started), recorded after it: a rejected submit records nothing.
    const bool traced = trace::enabled();
    const std::int64_t submitted_ns = traced ? trace::now_ns() : 0;
    task->submitted_ns = submitted_ns;
    const std::uint64_t task_id = task->task_id;
    const std::string name = traced ? task->name : std::string();
    const detail::PoolTask* const mine = task.get();
    bool start = false;
    std::size_t number = 0;
    bool wake_one = false;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (shutdown_) throw ExecutorShutdownError();
        queue_.push_back(std::move(task));
        queued_.store(queue_.size(), std::memory_order_relaxed);
        if (queue_.size() > idle_workers_ && workers_.size() + starting_ < max_workers_) {
            start = true;
        } else if (workers_.empty()) {
            // Every slot is still starting. Should those starts all fail, nobody would run this
            // task: wait for them, and start a worker ourselves if they did fail.
            start_resolved_.wait(lock, [&] { return !workers_.empty() || starting_ == 0; });
            if (workers_.empty()) {
                if (shutdown_) {
                    take_back_locked(mine);
                    throw ExecutorShutdownError();
                }
                start = true;
            }
        }
        if (start) {
            ++starting_; // reserves the slot: shutdown() waits for it to resolve before joining
            number = next_worker_number_++;
        }
        wake_one = idle_workers_ > 0;
    }
    if (wake_one) work_available_.notify_one();
    if (start) {
        if (std::exception_ptr error = start_reserved_worker(number)) {
            // Existing (or still starting) workers will run the task. With none at all, it would
            // sit in the queue forever, so take it back and report the failure.
            std::unique_lock<std::mutex> lock(mutex_);
            start_resolved_.wait(lock, [&] { return !workers_.empty() || starting_ == 0; });
            if (workers_.empty()) {
                take_back_locked(mine);
                std::rethrow_exception(error);
            }
        }
    }
    if (traced)
        trace::span(TraceKind::TaskSubmitted, name.empty() ? std::string_view("task") : std::string_view(name),
                    submitted_ns, submitted_ns, task_id);
}

std::exception_ptr ThreadPoolExecutor::start_reserved_worker(std::size_t worker_number) {
    sync::thread thread;
    std::exception_ptr error;
    try {
        if (detail::g_before_worker_start) detail::g_before_worker_start();
        thread = sync::thread([this, worker_number] { worker_main(worker_number); });
    } catch (...) {
        error = std::current_exception();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        --starting_;
        if (thread.joinable()) workers_.push_back(std::move(thread));
    }
    start_resolved_.notify_all();
    return error;
}

void ThreadPoolExecutor::take_back_locked(const detail::PoolTask* task) {
    auto it = std::find_if(queue_.begin(), queue_.end(),
                           [task](const std::shared_ptr<detail::PoolTask>& queued) { return queued.get() == task; });
    if (it != queue_.end()) queue_.erase(it); // absent if shutdown(cancel_futures) took it
    queued_.store(queue_.size(), std::memory_order_relaxed);
}

void ThreadPoolExecutor::worker_main(std::size_t worker_number) {
    {
        // Before taking any task, so that shutdown() from one of them sees it is on a worker.
        std::lock_guard<std::mutex> lock(mutex_);
        worker_ids_.push_back(sync::this_thread::get_id());
    }
    trace::set_lane_name(thread_name_prefix_ + "_" + std::to_string(worker_number));
    trace::instant(TraceKind::ThreadStart, "thread start");
    // When this worker's previous task ended. A clock read costs about a tenth of an empty task,
    // so a worker that goes straight on to a task already queued then reuses that end as the next
    // begin (see below) instead of reading the clock again.
    std::int64_t previous_end_ns = -1;
    for (;;) {
        std::shared_ptr<detail::PoolTask> task;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            if (queue_.empty() && !shutdown_) {
                previous_end_ns = -1; // about to idle: the next task begins later
                // Under a stream of small tasks the next one is usually microseconds away: yielding
                // a few times first saves a futex sleep here and a wake-up syscall in submit().
                lock.unlock();
                for (int i = 0; i < kSpinYields && queued_.load(std::memory_order_relaxed) == 0; ++i)
                    sync::this_thread::yield();
                lock.lock();
            }
            if (queue_.empty() && !shutdown_) {
                ++idle_workers_;
                const schedule::WaitLabel label("wait for a task");
                work_available_.wait(lock, [&] { return !queue_.empty() || shutdown_; });
                --idle_workers_;
            }
            if (queue_.empty()) break; // shut down and drained
            task = std::move(queue_.front());
            queue_.pop_front();
            queued_.store(queue_.size(), std::memory_order_relaxed);
        }
        // The GIL is taken before the TaskRun span opens and dropped after it closes, so with the
        // GIL on, "TaskRun minus its GilWait spans" is exactly the time this lane held the GIL.
        gil::GilHolder gil_holder;
        // Timed by hand rather than with a TraceSpan: no name copy until the event is recorded,
        // which matters for tiny tasks (run() never throws, so the span always closes).
        const bool traced = trace::enabled();
        // Without an idle gap, the task began when the previous one ended, give or take the queue
        // pop (tens of ns); but never before its submission, nor before a wait for the GIL ended.
        std::int64_t begin_ns = 0;
        if (traced)
            begin_ns = previous_end_ns >= task->submitted_ns && !gil::enabled() ? previous_end_ns : trace::now_ns();
        task->run();
        if (traced) {
            previous_end_ns = trace::now_ns();
            trace::span(TraceKind::TaskRun, task->name.empty() ? std::string_view("task") : std::string_view(task->name),
                        begin_ns, previous_end_ns, task->task_id, task->args);
        } else {
            previous_end_ns = -1;
        }
    }
    trace::instant(TraceKind::ThreadEnd, "thread end");
}

void ThreadPoolExecutor::shutdown(bool wait, bool cancel_futures) {
    std::deque<std::shared_ptr<detail::PoolTask>> unstarted;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (wait && std::find(worker_ids_.begin(), worker_ids_.end(), sync::this_thread::get_id()) != worker_ids_.end())
            throw std::logic_error("shutdown(wait=true) called from one of this pool's own tasks would wait for itself");
        shutdown_ = true;
        if (cancel_futures) unstarted.swap(queue_);
        queued_.store(queue_.size(), std::memory_order_relaxed);
    }
    work_available_.notify_all();
    for (auto& task : unstarted) task->cancel_unstarted();
    if (!wait) return;

    // The GIL first: workers need it to finish their tasks, and a second caller must not hold it
    // while it waits for the first one's joins.
    gil::ReleaseGuard release_gil;
    std::lock_guard<std::mutex> join_lock(join_mutex_);
    {
        // A submit() may be creating a worker right now, outside the lock: wait for it to land in
        // workers_. No slot is reserved after shutdown_, so the list is then stable without mutex_.
        std::unique_lock<std::mutex> lock(mutex_);
        start_resolved_.wait(lock, [&] { return starting_ == 0; });
    }
    for (auto& worker : workers_)
        if (worker.joinable()) worker.join();
}

std::size_t ThreadPoolExecutor::worker_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return workers_.size();
}

std::size_t ThreadPoolExecutor::pending_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
}

} // namespace pp
