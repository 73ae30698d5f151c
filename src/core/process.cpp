#include "core/process.hpp"

#include "core/gil.hpp"
#include "core/process_registry.hpp"
#include "core/trace.hpp"

#include <atomic>
#include <cstdio>

namespace pp {

namespace {
std::atomic<int> g_process_counter{0};
}

ProcessBase::ProcessBase(std::string task_name, Bytes arguments)
    : task_name_(std::move(task_name)), arguments_(std::move(arguments)), name_("Process-" + std::to_string(++g_process_counter)) {}

ProcessBase::~ProcessBase() {
    if (!transport_) return;
    try {
        if (!join(std::chrono::seconds(0))) {
            terminate();
            if (!join(std::chrono::milliseconds(500))) {
                kill();
                join();
            }
        }
        std::lock_guard<std::mutex> lock(mutex_);
        if (!joined_transport_) {
            joined_transport_ = true;
            transport_->join();
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "pp::Process: cleanup failed in the destructor: %s\n", error.what());
    }
}

void ProcessBase::start_with(std::unique_ptr<WorkerTransport> transport) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (started_) throw InvalidStateError("cannot start a process twice");
        started_ = true;
    }
    WorkerTransport::Events events;
    // The callbacks stop before transport_ is destroyed (its join() or destructor), so `this` outlives them.
    events.on_reply = [this](int, const std::uint8_t* payload, std::size_t size) { on_reply(payload, size); };
    events.on_exit = [this](int, const WorkerExit& exit) { on_exit(exit); };
    try {
        transport->start(1, std::move(events));
    } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        started_ = false;
        throw;
    }

    ByteWriter frame;
    const std::uint64_t task_id = trace::next_task_id();
    const std::uint8_t flags = trace::enabled() ? kRequestRecordTrace : 0;
    write_request_frame(frame, RequestKind::RunTaskThenExit, flags, task_id, task_name_, arguments_.data(), arguments_.size());
    trace::instant(TraceKind::TaskSubmitted, task_name_, task_id);
    transport->send(0, frame.bytes().data(), frame.bytes().size());

    std::lock_guard<std::mutex> lock(mutex_);
    pid_ = transport->pids().at(0);
    trace::set_process_name(pid_, name_);
    ProcessRegistry::instance().set_name(pid_, name_);
    transport_ = std::move(transport);
}

void ProcessBase::on_reply(const std::uint8_t* payload, std::size_t size) {
    Reply reply;
    try {
        ByteReader in(payload, size);
        reply = read_value<Reply>(in);
    } catch (const SerializationError& error) {
        std::fprintf(stderr, "pp::Process: ignoring a reply that does not decode: %s\n", error.what());
        return;
    }
    if (!ends_task(reply.kind)) return;  // a Variable: for the process panel (the transport told it)
    if (!reply.events.empty()) trace::append_foreign(std::move(reply.events));
    std::lock_guard<std::mutex> lock(mutex_);
    reply_ = std::move(reply);
}

void ProcessBase::on_exit(const WorkerExit& exit) {
    std::lock_guard<std::mutex> lock(mutex_);
    exit_ = exit;
    exited_cv_.notify_all();
}

bool ProcessBase::join(Timeout timeout) {
    const detail::Deadline deadline = detail::Deadline::after(timeout);
    std::unique_lock<std::mutex> lock(mutex_);
    if (!started_) throw InvalidStateError("can only join a started process");
    if (exit_) return true;
    lock.unlock();
    // A blocking wait, as in Thread::join: other "Python" threads run meanwhile. Released before
    // mutex_ is taken again, and taken back after it is let go: a GIL holder may wait for mutex_.
    gil::ReleaseGuard release_gil;
    TraceSpan blocked(TraceKind::JoinBlocked, "join", 0, name_);
    lock.lock();
    const auto ended = [&] { return exit_.has_value(); };
    bool exited = true;
    if (!deadline.at)
        exited_cv_.wait(lock, ended);
    else
        exited = exited_cv_.wait_until(lock, *deadline.at, ended);
    lock.unlock();
    return exited;
}

bool ProcessBase::is_alive() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return started_ && transport_ && !exit_;
}

std::optional<int> ProcessBase::pid() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pid_ == 0) return std::nullopt;
    return pid_;
}

std::optional<int> ProcessBase::exitcode() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!exit_) return std::nullopt;
    return exit_->python_exitcode();
}

void ProcessBase::terminate() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (transport_ && !exit_) transport_->terminate(0, false);
}

void ProcessBase::kill() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (transport_ && !exit_) transport_->terminate(0, true);
}

Bytes ProcessBase::result_bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!exit_) throw InvalidStateError("Process::result: process '" + name_ + "' has not ended; join() it first");
    if (!reply_)
        throw InvalidStateError("Process::result: process '" + name_ + "' (pid " + std::to_string(pid_) + ") " + exit_->how +
                                " without returning a result");
    if (reply_->kind == ReplyKind::Raised)
        throw RemoteTaskError(reply_->exception_type, reply_->exception_message, task_name_, reply_->worker_pid);
    return reply_->result;
}

}  // namespace pp
