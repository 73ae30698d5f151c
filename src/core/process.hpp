// pp::Process: Python's multiprocessing.Process, for a registered task.
//
//     int square(int x) { return x * x; }
//     PP_REGISTER_TASK(square);
//     pp::Process p(square_task, 7);     // Process(target=square, args=(7,))
//     p.start();
//     p.join();
//     p.exitcode();                       // 0; 1 if the task threw; -9 if killed by SIGKILL
//     p.result();                         // 49: what the child computed (an addition to Python)
//
// The result's type is the task's (pp::Process<int> here, deduced from square_task), so a
// mismatch is a compile error, not a run-time one. The child is a real process (natively:
// forked by the fork server), so isolation is real: a global the task changes is changed in the
// child only. Its trace events (TaskRun on its own lane) are merged into this process's trace
// when it ends; what it prints (pp::print) reaches this program's console as it prints it.
#pragma once

#include "core/future.hpp"
#include "core/process_errors.hpp"
#include "core/process_pool_executor.hpp"
#include "core/sync.hpp"
#include "core/task_registry.hpp"
#include "core/worker_transport.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

namespace pp {

// Everything but the result's type: start, join, exit code, terminate and kill.
class ProcessBase {
public:
    // Ends a child that is still running (SIGTERM, then SIGKILL) and reaps it: never hangs and
    // never leaves a zombie. (Python lets the child outlive the object; here the object owns it.)
    ~ProcessBase();
    ProcessBase(const ProcessBase&) = delete;
    ProcessBase& operator=(const ProcessBase&) = delete;

    // Starts the child. Throws InvalidStateError when called twice (Python: "cannot start a
    // process twice"), std::system_error when the child cannot be created.
    void start() { start_with(make_default_worker_transport()); }
    // The same with a given transport (tests, or the browser's).
    void start_with(std::unique_ptr<WorkerTransport> transport);

    // Waits for the child to end; returns false if `timeout` passed first (then exitcode() is
    // still empty, as in Python). Throws InvalidStateError before start().
    bool join(Timeout timeout = std::nullopt);

    bool is_alive() const;
    std::optional<int> pid() const;                    // empty before start()
    std::optional<int> exitcode() const;               // empty while running; -N when killed by signal N
    const std::string& name() const { return name_; }  // "Process-1", "Process-2", ...
    void set_name(std::string name) { name_ = std::move(name); }

    void terminate();  // SIGTERM natively. Does nothing once the child has ended.
    void kill();       // SIGKILL natively.

protected:
    ProcessBase(std::string task_name, Bytes arguments);
    // The result's bytes, once joined. Throws RemoteTaskError when the task threw,
    // InvalidStateError while it runs or when it died without answering (see exitcode()).
    Bytes result_bytes() const;

private:
    void on_reply(const std::uint8_t* payload, std::size_t size);
    void on_exit(const WorkerExit& exit);

    std::string task_name_;
    Bytes arguments_;
    std::string name_;
    std::unique_ptr<WorkerTransport> transport_;

    mutable std::mutex mutex_;
    sync::condition_variable exited_cv_;
    bool started_ = false;
    int pid_ = 0;
    std::optional<WorkerExit> exit_;
    std::optional<Reply> reply_;
    bool joined_transport_ = false;
};

template <class R>
class Process final : public ProcessBase {
public:
    // Binds the task and its arguments (serialized now). Nothing runs until start().
    template <class... Args>
    explicit Process(const TaskRef<R(Args...)>& task, type_identity_t<Args>... args)
        : ProcessBase(task.name(), TaskRef<R(Args...)>::encode_arguments(args...)) {
        TaskRegistry::instance().get_checked(task.name(), TaskRef<R(Args...)>::signature(), typeid(R(std::decay_t<Args>...)).name());
    }

    // What the task returned, once joined. Throws RemoteTaskError when the task threw, and
    // InvalidStateError while it runs or when it died without answering (see exitcode()).
    R result() const {
        if constexpr (std::is_void_v<R>)
            (void)result_bytes();  // still throws for a failed task
        else
            return decode<R>(result_bytes());
    }
};
// pp::Process p(square_task, 7) is a Process<int>: the task says what it returns.
template <class R, class... Args>
Process(const TaskRef<R(Args...)>&, type_identity_t<Args>...) -> Process<R>;

}  // namespace pp
