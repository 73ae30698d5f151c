// pp::ProcessPoolExecutor: Python's concurrent.futures.ProcessPoolExecutor, over any WorkerTransport.
//
// Index of this file
// [SECTION] Options
// [SECTION] detail::TaskCompletion: a type-erased promise that decodes its result
// [SECTION] ProcessPoolExecutor
// [SECTION] ProcessPoolExecutor: templates (submit, detach, map)
//
//     int square(int x) { return x * x; }
//     PP_REGISTER_TASK(square);
//     int main() {
//         pp::ForkServer::start_early();            // natively: first thing, while single-threaded
//         pp::ProcessPoolExecutor pool(3);
//         pp::Future<int> f = pool.submit(square_task, 7);
//         std::vector<int> squares = pool.map(square_task, std::vector<int>{1, 2, 3});
//     }
//
// Behaviour, as in Python:
// - tasks are registered functions (core/task_registry.hpp); arguments and results are copied
//   through pp::Serializer, so a task sees its own copy of everything, in its own address space;
// - a task that throws fails its own future with RemoteTaskError; the pool stays usable;
// - a worker that dies (crash, abort, _exit, SIGKILL) breaks the pool: every pending future and
//   every later submit fail with BrokenProcessPool, naming the pid and how it died;
// - futures are "running" once sent to a worker, so only tasks still queued here can be cancelled.
// Differences: each worker holds up to tasks_in_flight_per_worker tasks at once (pipelining,
// so short tasks cost microseconds, not a round trip each), and shutdown(wait=true) waits for
// queued and running tasks only while they keep finishing: once options.shutdown_grace passes
// with no task finishing, it terminates the workers, so a stuck task cannot hang it.
#pragma once

#include "core/future.hpp"
#include "core/map_chunk.hpp"
#include "core/process_errors.hpp"
#include "core/process_protocol.hpp"
#include "core/sync.hpp"
#include "core/task_registry.hpp"
#include "core/worker_transport.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] Options
//-----------------------------------------------------------------------------

struct ProcessPoolOptions {
    // 0: the number of hardware threads, like Python's os.cpu_count() default.
    int max_workers = 0;
    // Tasks sent ahead to each worker. 1 is Python-like (a worker asks for one task at a time);
    // more hides the round trip for short tasks, at the cost of cancel() and load balancing for
    // tasks already sent. Tasks beyond this wait in the parent, cancellable.
    int tasks_in_flight_per_worker = 8;
    // shutdown(wait=true) and the destructor wait for the tasks as long as one finishes at least
    // this often. After this long with none finishing, they terminate the workers (SIGTERM, then
    // SIGKILL) and fail what was left with BrokenProcessPool. A single task longer than this is
    // ended by a shutdown that comes while it runs: raise it for long tasks.
    std::chrono::milliseconds shutdown_grace{5000};
};

// Python's map(..., chunksize=n): how many inputs travel to a worker in one message.
struct Chunksize {
    std::size_t items = 1;
};

template <class T>
struct type_identity {
    using type = T;
};
// Marks a parameter as "not deduced here": submit(task, args...) deduces the types from the task
// only, so arguments convert to the task's parameter types (7 for a long, "a" for a std::string).
template <class T>
using type_identity_t = typename type_identity<T>::type;

//-----------------------------------------------------------------------------
// [SECTION] detail::TaskCompletion: a type-erased promise that decodes its result
//-----------------------------------------------------------------------------

namespace detail {

class TaskCompletion {
public:
    virtual ~TaskCompletion() = default;
    virtual bool set_running_or_notify_cancel() = 0;
    virtual bool cancel() = 0;
    // Decodes the result bytes into the future's type; bytes that do not decode fail the future.
    virtual void set_result_bytes(Bytes&& bytes) = 0;
    virtual void set_exception(std::exception_ptr error) = 0;
};

template <class R>
class TypedCompletion final : public TaskCompletion {
public:
    Future<R> future() const { return promise_.get_future(); }
    bool set_running_or_notify_cancel() override { return promise_.set_running_or_notify_cancel(); }
    bool cancel() override { return promise_.get_future().cancel(); }
    void set_result_bytes(Bytes&& bytes) override {
        if constexpr (std::is_void_v<R>) {
            if (!bytes.empty()) {
                promise_.set_exception(std::make_exception_ptr(
                    SerializationError("corrupt reply: a void task returned " + std::to_string(bytes.size()) + " bytes")));
                return;
            }
            promise_.set_value();
        } else if constexpr (std::is_same_v<R, Bytes>) {
            promise_.set_value(std::move(bytes));
        } else {
            // Any exception, not only SerializationError: a Serializer<R>::read may reject bytes
            // its own way, and an exception escaping onto the transport thread ends the program.
            std::optional<R> value;
            try {
                value.emplace(decode<R>(bytes));
            } catch (...) {
                promise_.set_exception(std::current_exception());
                return;
            }
            promise_.set_value(std::move(*value));
        }
    }
    void set_exception(std::exception_ptr error) override { promise_.set_exception(std::move(error)); }

private:
    Promise<R> promise_;
};

// Detached tasks: nobody holds the future, so there is nothing to decode into.
class DetachedCompletion final : public TaskCompletion {
public:
    bool set_running_or_notify_cancel() override { return true; }
    bool cancel() override { return false; }
    void set_result_bytes(Bytes&&) override {}
    void set_exception(std::exception_ptr) override {}
};

}  // namespace detail

//-----------------------------------------------------------------------------
// [SECTION] ProcessPoolExecutor
//-----------------------------------------------------------------------------

class ProcessPoolExecutor {
public:
    // Starts max_workers worker processes right away (0: hardware threads) with the platform's
    // transport. Natively, call pp::ForkServer::start_early() at the top of main() first; see
    // platform/posix/fork_server.hpp for what happens if you do not.
    explicit ProcessPoolExecutor(int max_workers = 0) : ProcessPoolExecutor(make_default_worker_transport(), with_workers(max_workers)) {}
    explicit ProcessPoolExecutor(ProcessPoolOptions options) : ProcessPoolExecutor(make_default_worker_transport(), std::move(options)) {}
    // Any transport: tests, or the browser's Web Workers.
    ProcessPoolExecutor(std::unique_ptr<WorkerTransport> transport, ProcessPoolOptions options);

    // shutdown(wait=true): waits for queued and running tasks while they keep finishing (see
    // options.shutdown_grace), so a stuck worker cannot hang it; a done-callback that blocks the
    // transport thread can. Destroying the pool inside one of its own done-callbacks cannot wait:
    // tasks not yet finished fail with BrokenProcessPool and the workers are killed.
    ~ProcessPoolExecutor();

    ProcessPoolExecutor(const ProcessPoolExecutor&) = delete;
    ProcessPoolExecutor& operator=(const ProcessPoolExecutor&) = delete;

    // Runs task(args...) in a worker process. Arguments are serialized now, so later changes to
    // them are not seen. Throws ExecutorShutdownError after shutdown(), BrokenProcessPool once a
    // worker died, UnknownTaskError/TaskSignatureError for a TaskRef that does not match the
    // registry. Discarding the future loses the task's result and errors: use detach() for that.
    template <class R, class... Args>
    [[nodiscard]] Future<R> submit(const TaskRef<R(Args...)>& task, type_identity_t<Args>... args);

    // By name, types spelled at the call: pool.submit<int>("square", 7). The registered signature
    // is checked at run time (TaskSignatureError names both), so prefer the TaskRef overload.
    template <class R, class... CallArgs>
    [[nodiscard]] Future<R> submit(const std::string& task_name, const CallArgs&... args);

    // Raw bytes in, raw result bytes out: for tools that only know task names at run time.
    // Argument bytes that do not decode fail the future with RemoteTaskError (SerializationError
    // in the worker); the pool stays usable.
    [[nodiscard]] Future<Bytes> submit_bytes(const std::string& task_name, const Bytes& argument_bytes);

    // Fire and forget: like submit(), but no future. The result and any exception the task throws
    // are dropped without a trace, so use it only for tasks whose failure you can afford to miss.
    template <class R, class... Args>
    void detach(const TaskRef<R(Args...)>& task, type_identity_t<Args>... args);

    // Python's map(fn, *iterables): task(inputs[0][i], inputs[1][i], ...) for every i (up to the
    // shortest input), results in input order. All tasks are submitted first, then results are
    // collected; the first task that failed throws its error (the rest still run). Returns a
    // vector, so it blocks until every result is in: for results as they come, submit() and
    // as_completed().
    template <class R, class... Args>
    std::vector<R> map(const TaskRef<R(Args...)>& task, const std::vector<std::decay_t<Args>>&... inputs);
    // The same with Python's chunksize: inputs travel `chunksize.items` at a time, one message each
    // way per chunk, so a task of microseconds is not swamped by a round trip each. Results still
    // come in input order, and one bad input fails only its own result (the first such is thrown,
    // as above). A chunk that is still running cannot be cancelled, and the workers' load evens out
    // less well: keep chunks many times more than the workers.
    template <class R, class... Args>
    std::vector<R> map(const TaskRef<R(Args...)>& task, Chunksize chunksize, const std::vector<std::decay_t<Args>>&... inputs);

    // Python's shutdown(wait, cancel_futures): no new tasks; cancel_futures cancels tasks still
    // queued here; wait blocks until the workers have exited and been reaped (bounded by
    // options.shutdown_grace for running tasks). Safe to call more than once.
    void shutdown(bool wait = true, bool cancel_futures = false);

    // Real pids of the worker processes (natively: children of the fork server).
    std::vector<int> worker_pids() const;
    int max_workers() const { return worker_count_; }
    bool broken() const;
    // Tasks submitted and not yet finished (queued here or sent to a worker).
    std::size_t pending_tasks() const;

private:
    enum class State { Running, ShuttingDown, Broken };

    struct PendingTask {
        std::unique_ptr<detail::TaskCompletion> completion;
        std::string task_name;
        Bytes frame;  // the request, until it is sent
        int worker = -1;
    };
    struct WorkerSlot {
        int pid = 0;
        int in_flight = 0;
        bool stop_sent = false;
        bool exited = false;
    };
    // A request built outside the lock (serializing arguments can be slow).
    struct Request {
        std::uint64_t task_id = 0;
        std::string task_name;
        ByteWriter frame;
    };
    struct Send {
        int worker;
        Bytes frame;
    };

    static ProcessPoolOptions with_workers(int max_workers) {
        ProcessPoolOptions options;
        options.max_workers = max_workers;
        return options;
    }

    // Checks the name and signature against the registry and writes the request header.
    Request begin_request(const std::string& task_name, std::type_index signature, const char* signature_text);
    // Queues the request (or sends it at once to a worker with room).
    void enqueue(Request&& request, std::unique_ptr<detail::TaskCompletion> completion);
    void throw_if_not_running_locked() const;

    // Transport callbacks, on the transport's thread.
    void on_reply(int worker, const std::uint8_t* payload, std::size_t size);
    void on_exit(int worker, const WorkerExit& exit);

    // Moves queued tasks to workers with room; adds Stop requests once shutting down and idle.
    void dispatch_locked(std::vector<Send>& sends);
    void break_pool_locked(const std::string& message, std::vector<std::unique_ptr<detail::TaskCompletion>>& failed);
    void send_all(std::vector<Send>& sends);
    static void fail_all(std::vector<std::unique_ptr<detail::TaskCompletion>>& failed, const std::string& message);
    void join_transport();

    ProcessPoolOptions options_;
    std::unique_ptr<WorkerTransport> transport_;
    // What the transport's callbacks call: cleared if the pool dies on the transport's own thread.
    std::shared_ptr<ProcessPoolExecutor*> self_;
    int worker_count_ = 0;

    mutable std::mutex mutex_;
    // A worker exited or a task finished (shutdown waits on it). A sync:: one: in the single-threaded
    // page its waits switch fibers.
    sync::condition_variable progress_cv_;
    State state_ = State::Running;
    std::string broken_message_;
    std::unordered_map<std::uint64_t, PendingTask> tasks_;
    std::deque<std::uint64_t> queue_;
    std::vector<WorkerSlot> workers_;
    int exited_workers_ = 0;
    std::uint64_t finished_tasks_ = 0;  // replies that ended a task: shutdown's grace restarts on each
    bool terminating_ = false;          // the shutdown grace ran out: exits now are our doing
    bool joined_ = false;
    std::mutex join_mutex_;
};

//-----------------------------------------------------------------------------
// [SECTION] ProcessPoolExecutor: templates (submit, detach, map)
//-----------------------------------------------------------------------------

template <class R, class... Args>
Future<R> ProcessPoolExecutor::submit(const TaskRef<R(Args...)>& task, type_identity_t<Args>... args) {
    Request request = begin_request(task.name(), TaskRef<R(Args...)>::signature(), typeid(R(std::decay_t<Args>...)).name());
    (write_value<std::decay_t<Args>>(request.frame, args), ...);
    auto completion = std::make_unique<detail::TypedCompletion<R>>();
    Future<R> future = completion->future();
    enqueue(std::move(request), std::move(completion));
    return future;
}

template <class R, class... CallArgs>
Future<R> ProcessPoolExecutor::submit(const std::string& task_name, const CallArgs&... args) {
    Request request = begin_request(task_name, task_signature_of<R, CallArgs...>(), typeid(R(std::decay_t<CallArgs>...)).name());
    (write_value<std::decay_t<CallArgs>>(request.frame, args), ...);
    auto completion = std::make_unique<detail::TypedCompletion<R>>();
    Future<R> future = completion->future();
    enqueue(std::move(request), std::move(completion));
    return future;
}

template <class R, class... Args>
void ProcessPoolExecutor::detach(const TaskRef<R(Args...)>& task, type_identity_t<Args>... args) {
    Request request = begin_request(task.name(), TaskRef<R(Args...)>::signature(), typeid(R(std::decay_t<Args>...)).name());
    (write_value<std::decay_t<Args>>(request.frame, args), ...);
    enqueue(std::move(request), std::make_unique<detail::DetachedCompletion>());
}

template <class R, class... Args>
std::vector<R> ProcessPoolExecutor::map(const TaskRef<R(Args...)>& task, const std::vector<std::decay_t<Args>>&... inputs) {
    static_assert(sizeof...(Args) > 0, "map() needs a task that takes at least one argument");
    static_assert(!std::is_void_v<R>, "map() collects results: for a task returning void, use submit() and wait()");
    std::size_t count = static_cast<std::size_t>(-1);
    ((count = std::min(count, inputs.size())), ...);
    std::vector<Future<R>> futures;
    futures.reserve(count);
    for (std::size_t i = 0; i < count; ++i) futures.push_back(submit(task, inputs[i]...));
    std::vector<R> results;
    results.reserve(count);
    for (Future<R>& future : futures) results.push_back(future.shared_state()->take(detail::Deadline::never()));
    return results;
}

template <class R, class... Args>
std::vector<R> ProcessPoolExecutor::map(const TaskRef<R(Args...)>& task, Chunksize chunksize,
                                        const std::vector<std::decay_t<Args>>&... inputs) {
    static_assert(sizeof...(Args) > 0, "map() needs a task that takes at least one argument");
    static_assert(!std::is_void_v<R>, "map() collects results: for a task returning void, use submit() and wait()");
    if (chunksize.items <= 1) return map(task, inputs...);
    TaskRegistry::instance().get_checked(task.name(), TaskRef<R(Args...)>::signature(), typeid(R(std::decay_t<Args>...)).name());
    std::size_t count = static_cast<std::size_t>(-1);
    ((count = std::min(count, inputs.size())), ...);
    std::vector<Future<detail::ChunkReply>> chunks;
    for (std::size_t begin = 0; begin < count; begin += chunksize.items) {
        std::vector<Bytes> arguments;
        for (std::size_t i = begin; i < std::min(begin + chunksize.items, count); ++i)
            arguments.push_back(TaskRef<R(Args...)>::encode_arguments(inputs[i]...));
        chunks.push_back(submit(detail::run_map_chunk_task, task.name(), std::move(arguments)));
    }
    std::vector<R> results;
    results.reserve(count);
    std::exception_ptr first_error;
    for (Future<detail::ChunkReply>& chunk : chunks) {
        auto [pid, items] = chunk.shared_state()->take(detail::Deadline::never());
        for (auto& [returned, bytes, type, message] : items) {
            if (first_error) continue;  // every chunk still runs, as every task of map() does
            if (returned)
                results.push_back(decode<R>(bytes));
            else
                first_error = std::make_exception_ptr(RemoteTaskError(type, message, task.name(), pid));
        }
    }
    if (first_error) std::rethrow_exception(first_error);
    return results;
}

}  // namespace pp
