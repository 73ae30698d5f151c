// pp::ProcessPoolExecutor: queueing, dispatch, replies, broken state, shutdown.
//
// Index of this file
// [SECTION] Construction
// [SECTION] Submitting: begin_request, enqueue
// [SECTION] Dispatching: tasks to workers with room, Stop once idle
// [SECTION] Replies and exits (transport thread)
// [SECTION] Shutdown
// [SECTION] Queries
#include "core/process_pool_executor.hpp"

#include "core/gil.hpp"
#include "core/ids.hpp"
#include "core/process_registry.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <iterator>
#include <thread>

namespace pp {

namespace {
std::atomic<int> g_worker_name_counter{0};

// Transports of pools destroyed inside their own done-callbacks: a thread cannot join itself, so
// they wait here (never destroyed, so still reachable), and the next pool created frees them.
struct OrphanedTransports {
    std::mutex mutex;
    std::vector<std::unique_ptr<WorkerTransport>> transports;
};
OrphanedTransports& orphaned_transports() {
    static auto* orphans = new OrphanedTransports;
    return *orphans;
}

// Joins and frees the orphaned transports, except one whose thread is this one (a pool created
// in the same callback that destroyed the last one). Their workers were stopped or killed.
void free_orphaned_transports() {
    std::vector<std::unique_ptr<WorkerTransport>> freeing;
    {
        OrphanedTransports& orphans = orphaned_transports();
        std::lock_guard<std::mutex> lock(orphans.mutex);
        auto keep = std::partition(orphans.transports.begin(), orphans.transports.end(),
                                   [](const auto& transport) { return transport->on_transport_thread(); });
        std::move(keep, orphans.transports.end(), std::back_inserter(freeing));
        orphans.transports.erase(keep, orphans.transports.end());
    }
    for (auto& transport : freeing) transport->join();
}
}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Construction
//-----------------------------------------------------------------------------

ProcessPoolExecutor::ProcessPoolExecutor(std::unique_ptr<WorkerTransport> transport, ProcessPoolOptions options)
    : options_(std::move(options)), transport_(std::move(transport)), self_(std::make_shared<ProcessPoolExecutor*>(this)) {
    if (!transport_) throw std::invalid_argument("ProcessPoolExecutor: null transport");
    free_orphaned_transports();
    if (options_.max_workers < 0) throw std::invalid_argument("ProcessPoolExecutor: max_workers must be >= 0");
    if (options_.tasks_in_flight_per_worker < 1) options_.tasks_in_flight_per_worker = 1;
    worker_count_ = options_.max_workers > 0 ? options_.max_workers : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    workers_.resize(static_cast<std::size_t>(worker_count_));

    WorkerTransport::Events events;
    events.on_reply = [target = self_](int worker, const std::uint8_t* payload, std::size_t size) {
        if (*target) (*target)->on_reply(worker, payload, size);
    };
    events.on_exit = [target = self_](int worker, const WorkerExit& exit) {
        if (*target) (*target)->on_exit(worker, exit);
    };
    // Exits can be reported as soon as start() returns, so the slots exist before it runs.
    transport_->start(worker_count_, std::move(events));

    const std::vector<int> pids = transport_->pids();
    std::lock_guard<std::mutex> lock(mutex_);
    for (int i = 0; i < worker_count_; ++i) {
        workers_[static_cast<std::size_t>(i)].pid = pids[static_cast<std::size_t>(i)];
        const std::string name = std::string(transport_->process_name_prefix()) + "-" + std::to_string(++g_worker_name_counter);
        trace::set_process_name(pids[static_cast<std::size_t>(i)], name);
        ProcessRegistry::instance().set_name(pids[static_cast<std::size_t>(i)], name);
    }
}

ProcessPoolExecutor::~ProcessPoolExecutor() {
    try {
        shutdown(true, false);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "pp::ProcessPoolExecutor: shutdown failed in the destructor: %s\n", error.what());
    }
    if (transport_->on_transport_thread()) {
        // Destroyed from one of our own callbacks: the transport cannot join itself, and the
        // replies still owed would reach nobody. Fail those futures and kill the workers, then
        // detach the transport's callbacks from us (only this thread calls them, so clearing the
        // pointer here is race-free) and leave it to be freed once its thread has ended.
        const std::string message = "the process pool was destroyed inside one of its own done-callbacks before this task finished";
        std::vector<std::unique_ptr<detail::TaskCompletion>> failed;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!tasks_.empty()) break_pool_locked(message, failed);
        }
        fail_all(failed, message);
        *self_ = nullptr;
        OrphanedTransports& orphans = orphaned_transports();
        std::lock_guard<std::mutex> lock(orphans.mutex);
        orphans.transports.push_back(std::move(transport_));
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Submitting: begin_request, enqueue
//-----------------------------------------------------------------------------

void ProcessPoolExecutor::throw_if_not_running_locked() const {
    if (state_ == State::Broken) throw BrokenProcessPool(broken_message_);
    if (state_ == State::ShuttingDown) throw ExecutorShutdownError();
}

ProcessPoolExecutor::Request ProcessPoolExecutor::begin_request(const std::string& task_name, std::type_index signature,
                                                                const char* signature_text) {
    {
        // Fail before serializing anything (Python raises at submit, too).
        std::lock_guard<std::mutex> lock(mutex_);
        throw_if_not_running_locked();
    }
    TaskRegistry::instance().get_checked(task_name, signature, signature_text);
    Request request;
    request.task_id = trace::next_task_id();
    request.task_name = task_name;
    const std::uint8_t flags = trace::enabled() ? kRequestRecordTrace : 0;
    // The frame's length is filled in by enqueue(), once the arguments follow the header.
    write_request_frame(request.frame, RequestKind::RunTask, flags, request.task_id, task_name, nullptr, 0);
    return request;
}

Future<Bytes> ProcessPoolExecutor::submit_bytes(const std::string& task_name, const Bytes& argument_bytes) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        throw_if_not_running_locked();
    }
    TaskRegistry::instance().get(task_name);  // no signature to check: the bytes are the caller's promise
    Request request;
    request.task_id = trace::next_task_id();
    request.task_name = task_name;
    const std::uint8_t flags = trace::enabled() ? kRequestRecordTrace : 0;
    write_request_frame(request.frame, RequestKind::RunTask, flags, request.task_id, task_name, nullptr, 0);
    request.frame.write_raw(argument_bytes.data(), argument_bytes.size());
    auto completion = std::make_unique<detail::TypedCompletion<Bytes>>();
    Future<Bytes> future = completion->future();
    enqueue(std::move(request), std::move(completion));
    return future;
}

void ProcessPoolExecutor::enqueue(Request&& request, std::unique_ptr<detail::TaskCompletion> completion) {
    finish_frame(request.frame, 0);
    trace::instant(TraceKind::TaskSubmitted, request.task_name, request.task_id);

    std::vector<Send> sends;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        throw_if_not_running_locked();  // shutdown() or a crash may have happened meanwhile
        PendingTask task;
        task.completion = std::move(completion);
        task.task_name = std::move(request.task_name);
        task.frame = request.frame.take();
        tasks_.emplace(request.task_id, std::move(task));
        queue_.push_back(request.task_id);
        dispatch_locked(sends);
    }
    send_all(sends);
}

//-----------------------------------------------------------------------------
// [SECTION] Dispatching: tasks to workers with room, Stop once idle
//-----------------------------------------------------------------------------

void ProcessPoolExecutor::dispatch_locked(std::vector<Send>& sends) {
    while (!queue_.empty() && state_ != State::Broken) {
        // The least busy live worker, so equal tasks spread evenly (5 tasks on 3 workers: 2, 2, 1).
        int best = -1;
        for (int i = 0; i < worker_count_; ++i) {
            const WorkerSlot& slot = workers_[static_cast<std::size_t>(i)];
            if (slot.exited || slot.stop_sent) continue;
            if (best < 0 || slot.in_flight < workers_[static_cast<std::size_t>(best)].in_flight) best = i;
        }
        if (best < 0 || workers_[static_cast<std::size_t>(best)].in_flight >= options_.tasks_in_flight_per_worker) break;

        const std::uint64_t task_id = queue_.front();
        queue_.pop_front();
        auto found = tasks_.find(task_id);
        if (found == tasks_.end()) continue;
        PendingTask& task = found->second;
        // Python's protocol: a future cancelled while queued is dropped here, never run.
        if (!task.completion->set_running_or_notify_cancel()) {
            tasks_.erase(found);
            continue;
        }
        task.worker = best;
        ++workers_[static_cast<std::size_t>(best)].in_flight;
        sends.push_back(Send{best, std::move(task.frame)});
    }

    if (state_ == State::ShuttingDown && tasks_.empty()) {
        ByteWriter stop;
        write_request_frame(stop, RequestKind::Stop, 0, 0, std::string(), nullptr, 0);
        for (int i = 0; i < worker_count_; ++i) {
            WorkerSlot& slot = workers_[static_cast<std::size_t>(i)];
            if (slot.exited || slot.stop_sent) continue;
            slot.stop_sent = true;
            sends.push_back(Send{i, stop.bytes()});
        }
    }
}

void ProcessPoolExecutor::send_all(std::vector<Send>& sends) {
    // Outside the lock: a send can be a system call, and replies must not wait for it.
    for (Send& send : sends) transport_->send(send.worker, send.frame.data(), send.frame.size());
}

//-----------------------------------------------------------------------------
// [SECTION] Replies and exits (transport thread)
//-----------------------------------------------------------------------------

void ProcessPoolExecutor::break_pool_locked(const std::string& message, std::vector<std::unique_ptr<detail::TaskCompletion>>& failed) {
    if (state_ != State::Broken) {
        state_ = State::Broken;
        broken_message_ = message;
    }
    for (auto& item : tasks_) failed.push_back(std::move(item.second.completion));
    tasks_.clear();
    queue_.clear();
    // Python terminates the surviving workers of a broken pool too: nothing will be sent to them.
    for (int i = 0; i < worker_count_; ++i)
        if (!workers_[static_cast<std::size_t>(i)].exited) transport_->terminate(i, true);
}

void ProcessPoolExecutor::fail_all(std::vector<std::unique_ptr<detail::TaskCompletion>>& failed, const std::string& message) {
    for (auto& completion : failed) {
        if (!completion) continue;
        // Queued futures are still pending: make them running first, unless the user cancelled them.
        try {
            if (!completion->set_running_or_notify_cancel()) continue;
        } catch (const InvalidStateError&) {
            // Already running: fine.
        }
        completion->set_exception(std::make_exception_ptr(BrokenProcessPool(message)));
    }
}

void ProcessPoolExecutor::on_reply(int worker, const std::uint8_t* payload, std::size_t size) {
    Reply reply;
    try {
        ByteReader in(payload, size);
        reply = read_value<Reply>(in);
    } catch (const SerializationError& error) {
        std::vector<std::unique_ptr<detail::TaskCompletion>> failed;
        std::string message;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            message = "worker pid " + std::to_string(workers_[static_cast<std::size_t>(worker)].pid) +
                      " sent a reply that does not decode (" + error.what() + "); the process pool is broken";
            break_pool_locked(message, failed);
        }
        fail_all(failed, message);
        return;
    }
    if (!ends_task(reply.kind)) return;  // a Variable: for the process panel (the transport told it)

    std::unique_ptr<detail::TaskCompletion> completion;
    std::string task_name;
    std::vector<Send> sends;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        WorkerSlot& slot = workers_[static_cast<std::size_t>(worker)];
        if (slot.in_flight > 0) --slot.in_flight;
        auto found = tasks_.find(reply.task_id);
        if (found != tasks_.end()) {
            completion = std::move(found->second.completion);
            task_name = std::move(found->second.task_name);
            tasks_.erase(found);
        }
        ++finished_tasks_;
        if (state_ == State::ShuttingDown) progress_cv_.notify_all();  // shutdown's grace starts again
        dispatch_locked(sends);
    }
    send_all(sends);  // keep the worker busy before spending time on this result

    if (!reply.events.empty()) trace::append_foreign(std::move(reply.events));
    if (!completion) return;  // the pool broke meanwhile, and this task's future already failed
    if (reply.kind == ReplyKind::Returned) {
        completion->set_result_bytes(std::move(reply.result));
    } else {
        completion->set_exception(std::make_exception_ptr(
            RemoteTaskError(std::move(reply.exception_type), std::move(reply.exception_message), std::move(task_name), reply.worker_pid)));
    }
}

void ProcessPoolExecutor::on_exit(int worker, const WorkerExit& exit) {
    std::vector<std::unique_ptr<detail::TaskCompletion>> failed;
    std::string message;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        WorkerSlot& slot = workers_[static_cast<std::size_t>(worker)];
        slot.exited = true;
        ++exited_workers_;
        const bool expected = slot.stop_sent && slot.in_flight == 0 && exit.clean();
        if (!expected && state_ != State::Broken) {
            message = "worker pid " + std::to_string(exit.pid) + " " + exit.how;
            if (terminating_)
                message += " by shutdown(), after the " + std::to_string(options_.shutdown_grace.count()) +
                           " ms grace period passed with no task finishing";
            else if (slot.in_flight > 0)
                message += " while running a task";
            message += "; the process pool is broken";
            // A worker that ended after Stop with nothing pending broke nothing worth failing, but
            // the pool is unusable all the same.
            break_pool_locked(message, failed);
        }
        slot.in_flight = 0;
        if (exited_workers_ == worker_count_) progress_cv_.notify_all();
    }
    fail_all(failed, message);
}

//-----------------------------------------------------------------------------
// [SECTION] Shutdown
//-----------------------------------------------------------------------------

void ProcessPoolExecutor::shutdown(bool wait, bool cancel_futures) {
    std::vector<std::unique_ptr<detail::TaskCompletion>> to_cancel;
    std::vector<Send> sends;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (state_ == State::Running) state_ = State::ShuttingDown;
        if (cancel_futures) {
            for (std::uint64_t task_id : queue_) {
                auto found = tasks_.find(task_id);
                if (found == tasks_.end()) continue;
                to_cancel.push_back(std::move(found->second.completion));
                tasks_.erase(found);
            }
            queue_.clear();
        }
        dispatch_locked(sends);  // sends Stop now if nothing is left to run
    }
    send_all(sends);
    for (auto& completion : to_cancel) completion->cancel();

    if (!wait || transport_->on_transport_thread()) return;

    // A blocking wait: other "Python" threads run meanwhile. The GIL is released before mutex_ is
    // taken and taken back after it is let go (a GIL holder may be waiting for mutex_).
    gil::ReleaseGuard release_gil;
    std::unique_lock<std::mutex> lock(mutex_);
    const auto all_exited = [&] { return exited_workers_ == worker_count_; };
    // The grace restarts whenever a task finishes: a backlog that keeps moving is waited for, as
    // Python waits for it; only workers that finish nothing for a whole grace period are ended.
    for (;;) {
        const std::uint64_t finished_before = finished_tasks_;
        const bool progressed =
            progress_cv_.wait_for(lock, options_.shutdown_grace, [&] { return all_exited() || finished_tasks_ != finished_before; });
        if (all_exited()) break;
        if (progressed) continue;
        // Running tasks overstayed: end their workers. Their futures fail with BrokenProcessPool.
        terminating_ = true;
        for (int i = 0; i < worker_count_; ++i)
            if (!workers_[static_cast<std::size_t>(i)].exited) transport_->terminate(i, false);
        if (!progress_cv_.wait_for(lock, std::chrono::milliseconds(500), all_exited)) {
            for (int i = 0; i < worker_count_; ++i)
                if (!workers_[static_cast<std::size_t>(i)].exited) transport_->terminate(i, true);
            progress_cv_.wait(lock, all_exited);  // SIGKILL cannot be ignored: this ends
        }
        break;
    }
    lock.unlock();
    join_transport();
}

void ProcessPoolExecutor::join_transport() {
    std::lock_guard<std::mutex> lock(join_mutex_);
    if (joined_) return;
    transport_->join();
    joined_ = true;
}

//-----------------------------------------------------------------------------
// [SECTION] Queries
//-----------------------------------------------------------------------------

std::vector<int> ProcessPoolExecutor::worker_pids() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<int> pids;
    for (const WorkerSlot& slot : workers_) pids.push_back(slot.pid);
    return pids;
}

bool ProcessPoolExecutor::broken() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_ == State::Broken;
}

std::size_t ProcessPoolExecutor::pending_tasks() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return tasks_.size();
}

}  // namespace pp
