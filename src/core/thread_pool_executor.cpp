// ThreadPoolExecutor: one mutex-protected queue of tasks, workers started on demand.
//
// Index of this file
// [SECTION] Shared: what the workers use, owned by the pool and by each worker
// [SECTION] Construction and destruction
// [SECTION] Submitting: enqueue, starting workers
// [SECTION] Workers
// [SECTION] Shutdown and queries
#include "core/thread_pool_executor.hpp"

#include "core/gil.hpp"
#include "core/schedule.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace pp {

namespace detail {
void report_detached_exception(const char* what) noexcept {
    std::fprintf(stderr, "pp::ThreadPoolExecutor: exception in a detached task: %s\n", what);
}
}  // namespace detail

namespace {
std::atomic<int> g_pool_counter{0};

// The queue of tasks: a ring that keeps its storage. A std::deque frees a block every 32 tasks,
// on the worker that empties it, into the submitting thread's malloc arena, and the two then
// contend for that arena's lock (a futex sleep on a busy machine). This one grows, never shrinks.
class TaskRing {
public:
    using Task = std::shared_ptr<detail::PoolTask>;
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    void push_back(Task task) {
        if (size_ == slots_.size()) grow();
        slots_[(head_ + size_) & (slots_.size() - 1)] = std::move(task);
        ++size_;
    }
    Task pop_front() {  // not empty
        Task task = std::move(slots_[head_]);
        head_ = (head_ + 1) & (slots_.size() - 1);
        --size_;
        return task;
    }
    // Takes out one task (a submit that has to fail): the rare path, so it shifts the rest.
    void remove(const detail::PoolTask* task) {
        std::vector<Task> kept;
        kept.reserve(size_);
        while (!empty()) {
            Task next = pop_front();
            if (next.get() != task) kept.push_back(std::move(next));
        }
        for (auto& next : kept) push_back(std::move(next));
    }
    std::vector<Task> take_all() {
        std::vector<Task> all;
        all.reserve(size_);
        while (!empty()) all.push_back(pop_front());
        return all;
    }

private:
    void grow() {  // to a power of two, so that a slot's index is a mask, not a division
        std::vector<Task> bigger(std::max<std::size_t>(64, slots_.size() * 2));
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) & (slots_.size() - 1)]);
        slots_.swap(bigger);
        head_ = 0;
    }
    std::vector<Task> slots_;
    std::size_t head_ = 0;  // the oldest task's slot
    std::size_t size_ = 0;
};
constexpr int kSpinYields = 50;
constexpr std::size_t kMaxWorkersLimit = 4096;  // above this, the count is almost surely a converted negative

std::size_t checked_max_workers(std::optional<std::size_t> requested) {
    if (!requested) {
        const std::size_t hardware = std::max(1u, sync::thread::hardware_concurrency());
        return std::min<std::size_t>(32, hardware + 4);
    }
    if (*requested == 0) throw std::invalid_argument("max_workers must be greater than 0");
    if (*requested > kMaxWorkersLimit)
        throw std::invalid_argument("max_workers must be at most " + std::to_string(kMaxWorkersLimit) + " (was a negative number passed?)");
    return *requested;
}
}  // namespace

void ThreadPoolExecutor::restart_numbering() { g_pool_counter.store(0); }

//-----------------------------------------------------------------------------
// [SECTION] Shared: what the workers use, owned by the pool and by each worker
//-----------------------------------------------------------------------------
struct ThreadPoolExecutor::Shared : std::enable_shared_from_this<Shared> {
    std::string thread_name_prefix;

    mutable std::mutex mutex;
    sync::condition_variable work_available;
    TaskRing queue;
    std::atomic<std::size_t> queued{0};        // queue.size(), readable without the lock (idle workers poll it)
    std::vector<sync::thread> workers;         // threads created so far
    std::vector<sync::thread::id> worker_ids;  // added by each worker itself, before it takes a task
    std::size_t starting = 0;                  // slots reserved whose thread is being created
    std::size_t next_worker_number = 0;        // lane numbers: "<prefix>_<n>"
    sync::condition_variable start_resolved;   // a worker creation finished (or failed)
    std::size_t idle_workers = 0;
    bool shutdown = false;
    std::mutex join_mutex;  // serializes shutdown(true) callers

    void worker_main(std::size_t worker_number);
    // Creates the thread for a slot reserved under the lock (starting); call without the lock
    // (holding it would stall every worker for the whole creation). Returns the creation error.
    std::exception_ptr start_reserved_worker(std::size_t worker_number);
    // Removes `task` from the queue (a submit that has to fail). Call with mutex held.
    void take_back_locked(const detail::PoolTask* task);
    void shut_down(bool wait, bool cancel_futures);
    bool on_worker_thread() const {
        std::lock_guard<std::mutex> lock(mutex);
        return std::find(worker_ids.begin(), worker_ids.end(), sync::this_thread::get_id()) != worker_ids.end();
    }
    // Lets the threads run on without anyone joining them: each keeps this object alive itself.
    void detach_workers() {
        std::unique_lock<std::mutex> lock(mutex);
        start_resolved.wait(lock, [&] { return starting == 0; });
        for (auto& worker : workers)
            if (worker.joinable()) worker.detach();
    }
};

//-----------------------------------------------------------------------------
// [SECTION] Construction and destruction
//-----------------------------------------------------------------------------

ThreadPoolExecutor::ThreadPoolExecutor(std::optional<std::size_t> max_workers, std::string thread_name_prefix)
    : max_workers_(checked_max_workers(max_workers)), shared_(std::make_shared<Shared>()) {
    shared_->thread_name_prefix =
        thread_name_prefix.empty() ? "ThreadPoolExecutor-" + std::to_string(g_pool_counter.fetch_add(1)) : std::move(thread_name_prefix);
    shared_->workers.reserve(max_workers_);
    shared_->worker_ids.reserve(max_workers_);
}

ThreadPoolExecutor::~ThreadPoolExecutor() {
    if (shared_->on_worker_thread()) {
        // One of our tasks or done-callbacks destroys us: this worker cannot join itself, and the
        // others may be mid-task. Python's workers drain the queue and end; so do ours, without us.
        shared_->shut_down(false, false);
        shared_->detach_workers();
        return;
    }
    shared_->shut_down(true, false);
}

//-----------------------------------------------------------------------------
// [SECTION] Submitting: enqueue, starting workers
//-----------------------------------------------------------------------------

void ThreadPoolExecutor::enqueue(std::shared_ptr<detail::PoolTask> task) {
    task->task_id = trace::next_task_id();
    // Timestamped before the push (once queued, a worker may start the task at once, and the trace
    // must show it submitted before started), recorded after it: a rejected submit records nothing.
    const bool traced = trace::enabled();
    const std::int64_t submitted_ns = traced ? trace::now_ns() : 0;
    task->submitted_ns = submitted_ns;
    const std::uint64_t task_id = task->task_id;
    const std::string name = traced ? std::string(task->name()) : std::string();
    const detail::PoolTask* const mine = task.get();
    bool start = false;
    std::size_t number = 0;
    bool wake_one = false;
    Shared& shared = *shared_;
    {
        std::unique_lock<std::mutex> lock(shared.mutex);
        if (shared.shutdown) throw ExecutorShutdownError();
        shared.queue.push_back(std::move(task));
        shared.queued.store(shared.queue.size(), std::memory_order_relaxed);
        if (shared.queue.size() > shared.idle_workers && shared.workers.size() + shared.starting < max_workers_) {
            start = true;
        } else if (shared.workers.empty()) {
            // Every slot is still starting. Should those starts all fail, nobody would run this
            // task: wait for them, and start a worker ourselves if they did fail.
            shared.start_resolved.wait(lock, [&] { return !shared.workers.empty() || shared.starting == 0; });
            if (shared.workers.empty()) {
                if (shared.shutdown) {
                    shared.take_back_locked(mine);
                    throw ExecutorShutdownError();
                }
                start = true;
            }
        }
        if (start) {
            ++shared.starting;  // reserves the slot: shutdown() waits for it to resolve before joining
            number = shared.next_worker_number++;
        }
        wake_one = shared.idle_workers > 0;
    }
    if (wake_one) shared.work_available.notify_one();
    if (start) {
        if (std::exception_ptr error = shared.start_reserved_worker(number)) {
            // Existing (or still starting) workers will run the task. With none at all, it would
            // sit in the queue forever, so take it back and report the failure.
            std::unique_lock<std::mutex> lock(shared.mutex);
            shared.start_resolved.wait(lock, [&] { return !shared.workers.empty() || shared.starting == 0; });
            if (shared.workers.empty()) {
                shared.take_back_locked(mine);
                std::rethrow_exception(error);
            }
        }
    }
    if (traced) trace::span(TraceKind::TaskSubmitted, name, submitted_ns, submitted_ns, task_id);
}

std::exception_ptr ThreadPoolExecutor::Shared::start_reserved_worker(std::size_t worker_number) {
    sync::thread thread;
    std::exception_ptr error;
    try {
        if (detail::g_before_worker_start) detail::g_before_worker_start();
        thread = sync::thread([self = shared_from_this(), worker_number] { self->worker_main(worker_number); });
    } catch (...) {
        error = std::current_exception();
    }
    {
        std::lock_guard<std::mutex> lock(mutex);
        --starting;
        if (thread.joinable()) workers.push_back(std::move(thread));
    }
    start_resolved.notify_all();
    return error;
}

void ThreadPoolExecutor::Shared::take_back_locked(const detail::PoolTask* task) {
    queue.remove(task);  // absent if shutdown(cancel_futures) took it
    queued.store(queue.size(), std::memory_order_relaxed);
}

//-----------------------------------------------------------------------------
// [SECTION] Workers
//-----------------------------------------------------------------------------

void ThreadPoolExecutor::Shared::worker_main(std::size_t worker_number) {
    {
        // Before taking any task, so that shutdown() from one of them sees it is on a worker.
        std::lock_guard<std::mutex> lock(mutex);
        worker_ids.push_back(sync::this_thread::get_id());
    }
    trace::set_lane_name(thread_name_prefix + "_" + std::to_string(worker_number));
    trace::instant(TraceKind::ThreadStart, "thread start");
    // When this worker's previous task ended. A clock read costs about a tenth of an empty task,
    // so a worker that goes straight on to a task already queued then reuses that end as the next
    // begin (see below) instead of reading the clock again.
    std::int64_t previous_end_ns = -1;
    for (;;) {
        std::shared_ptr<detail::PoolTask> task;
        {
            std::unique_lock<std::mutex> lock(mutex);
            if (queue.empty() && !shutdown) {
                previous_end_ns = -1;  // about to idle: the next task begins later
                // Under a stream of small tasks the next one is usually microseconds away: yielding
                // a few times first saves a futex sleep here and a wake-up syscall in submit().
                lock.unlock();
                for (int i = 0; i < kSpinYields && queued.load(std::memory_order_relaxed) == 0; ++i) sync::this_thread::yield();
                lock.lock();
            }
            if (queue.empty() && !shutdown) {
                ++idle_workers;
                const schedule::WaitLabel label("wait for a task");
                work_available.wait(lock, [&] { return !queue.empty() || shutdown; });
                --idle_workers;
            }
            if (queue.empty()) break;  // shut down and drained
            task = queue.pop_front();
            queued.store(queue.size(), std::memory_order_relaxed);
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
        std::uint64_t open_token = 0;  // a live timeline shows the task while it runs
        if (traced) {
            begin_ns = previous_end_ns >= task->submitted_ns && !gil::enabled() ? previous_end_ns : trace::now_ns();
            open_token = trace::open_span(TraceKind::TaskRun, task->name(), task->task_id, begin_ns, task->args());
        }
        task->run();
        if (traced) {
            previous_end_ns = trace::now_ns();
            trace::span(TraceKind::TaskRun, task->name(), begin_ns, previous_end_ns, task->task_id, task->args());
            trace::close_open_span(open_token);
        } else {
            previous_end_ns = -1;
        }
    }
    trace::instant(TraceKind::ThreadEnd, "thread end");
}

//-----------------------------------------------------------------------------
// [SECTION] Shutdown and queries
//-----------------------------------------------------------------------------

void ThreadPoolExecutor::shutdown(bool wait, bool cancel_futures) { shared_->shut_down(wait, cancel_futures); }

void ThreadPoolExecutor::Shared::shut_down(bool wait, bool cancel_futures) {
    std::vector<std::shared_ptr<detail::PoolTask>> unstarted;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (wait && std::find(worker_ids.begin(), worker_ids.end(), sync::this_thread::get_id()) != worker_ids.end())
            throw std::logic_error("shutdown(wait=true) called from one of this pool's own tasks would wait for itself");
        shutdown = true;
        if (cancel_futures) unstarted = queue.take_all();
        queued.store(queue.size(), std::memory_order_relaxed);
    }
    work_available.notify_all();
    for (auto& task : unstarted) task->cancel_unstarted();
    if (!wait) return;

    // The GIL first: workers need it to finish their tasks, and a second caller must not hold it
    // while it waits for the first one's joins.
    gil::ReleaseGuard release_gil;
    std::lock_guard<std::mutex> join_lock(join_mutex);
    {
        // A submit() may be creating a worker right now, outside the lock: wait for it to land in
        // workers. No slot is reserved after shutdown, so the list is then stable without mutex.
        std::unique_lock<std::mutex> lock(mutex);
        start_resolved.wait(lock, [&] { return starting == 0; });
    }
    for (auto& worker : workers)
        if (worker.joinable()) worker.join();
}

std::size_t ThreadPoolExecutor::worker_count() const {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    return shared_->workers.size();
}

std::size_t ThreadPoolExecutor::pending_count() const {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    return shared_->queue.size();
}

}  // namespace pp
