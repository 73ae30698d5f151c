// The native WorkerTransport: workers forked by the fork server, one unix socket each, and one
// thread that polls them all plus the pool's status pipe (exit reports from the fork server).
//
// Index of this file
// [SECTION] ForkWorkerTransport
// [SECTION] Starting workers
// [SECTION] Sending (any thread, never blocks)
// [SECTION] The transport thread: replies, exits, pending output
// [SECTION] make_default_worker_transport
#include "core/process_protocol.hpp"
#include "core/process_registry.hpp"
#include "core/worker_transport.hpp"
#include "platform/posix/fork_server.hpp"
#include "platform/posix/posix_io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] ForkWorkerTransport
//-----------------------------------------------------------------------------

namespace {

class ForkWorkerTransport final : public WorkerTransport {
public:
    ForkWorkerTransport() = default;
    ~ForkWorkerTransport() override;

    const char* process_name_prefix() const override { return "ForkProcess"; }
    void start(int count, Events events) override;
    std::vector<int> pids() const override;
    void send(int index, const std::uint8_t* frame, std::size_t size) override;
    void terminate(int index, bool force) override;
    void crash(int index);
    void join() override;
    bool on_transport_thread() const override { return thread_id_.load() == std::this_thread::get_id(); }

private:
    struct Worker {
        int pid = 0;
        std::atomic<bool> exited{false};  // its exit was reported: never signal the pid again (reuse)
        // Transport thread only:
        FrameBuffer incoming;
        bool exit_reported = false;
        // Guarded by out_mutex (the fd too: other threads write to it in send()):
        std::mutex out_mutex;
        int fd = -1;
        Bytes outgoing;
        std::size_t outgoing_sent = 0;
    };

    void run();
    void read_replies(int index, bool until_end);
    void close_channel(Worker& worker);
    void report_exit(int index, const WorkerExit& exit);
    void read_exit_reports();
    bool flush_locked(Worker& worker);  // false when output is left for POLLOUT
    void wake();
    void abandon_started_workers();

    std::vector<std::unique_ptr<Worker>> workers_;
    Events events_;
    int status_fd_ = -1;  // read end of the pipe the fork server reports exits on
    int wake_fds_[2] = {-1, -1};
    int reported_ = 0;
    std::thread thread_;
    std::atomic<std::thread::id> thread_id_{};
};

WorkerExit make_exit(int pid, int wait_status) {
    WorkerExit exit;
    exit.pid = pid;
    if (WIFSIGNALED(wait_status))
        exit.signal = WTERMSIG(wait_status);
    else if (WIFEXITED(wait_status))
        exit.exit_code = WEXITSTATUS(wait_status);
    exit.how = posix::describe_wait_status(wait_status);
    return exit;
}

//-----------------------------------------------------------------------------
// [SECTION] Starting workers
//-----------------------------------------------------------------------------

void ForkWorkerTransport::start(int count, Events events) {
    if (!workers_.empty()) throw std::logic_error("ForkWorkerTransport::start called twice");
    events_ = std::move(events);
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) < 0) posix::throw_errno("pipe2 (status)");
    status_fd_ = status_pipe[0];
    if (::pipe2(wake_fds_, O_CLOEXEC | O_NONBLOCK) < 0) {
        posix::close_quietly(status_pipe[1]);
        posix::throw_errno("pipe2 (wake)");
    }
    try {
        ForkServer* server = &ForkServer::instance();
        for (int i = 0; i < count; ++i) {
            int ends[2];
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) < 0) posix::throw_errno("socketpair");
            auto worker = std::make_unique<Worker>();
            worker->fd = ends[0];
            try {
                try {
                    worker->pid = server->spawn_worker(ends[1], status_pipe[1]);
                } catch (const std::system_error& error) {
                    // A server killed a moment ago may not be a zombie yet: instance() could not
                    // reap it and returned it, and its socket answers nothing. Before the first
                    // worker (nothing of ours depends on it yet), wait for it to die and ask a new one.
                    const bool gone = error.code().value() == EPIPE || error.code().value() == ECONNRESET;
                    if (i > 0 || !gone || !ForkServer::reap_if_dead(2000)) throw;
                    server = &ForkServer::instance();
                    worker->pid = server->spawn_worker(ends[1], status_pipe[1]);
                }
            } catch (...) {
                posix::close_quietly(ends[0]);
                posix::close_quietly(ends[1]);
                throw;
            }
            ::close(ends[1]);  // the worker has its own copy; ours would hide its death (no EOF)
            posix::set_nonblocking(ends[0]);
            workers_.push_back(std::move(worker));
        }
    } catch (...) {
        posix::close_quietly(status_pipe[1]);
        abandon_started_workers();
        throw;
    }
    // From now on only the fork server holds write ends: end of file means every exit was reported.
    ::close(status_pipe[1]);
    for (std::size_t i = 0; i < workers_.size(); ++i) {
        const int index = static_cast<int>(i);
        ProcessRegistry::instance().spawned(workers_[i]->pid, true,
                                            {[this, index] { terminate(index, true); }, [this, index] { crash(index); }});
    }
    posix::set_nonblocking(status_fd_);
    thread_ = std::thread([this] { run(); });
}

// start() failed half-way: kill what was started and wait (briefly) for the server to reap it.
void ForkWorkerTransport::abandon_started_workers() {
    for (auto& worker : workers_) ::kill(worker->pid, SIGKILL);
    std::size_t remaining = workers_.size();
    while (remaining > 0) {
        pollfd watched{status_fd_, POLLIN, 0};
        if (::poll(&watched, 1, 2000) <= 0) break;
        ForkServerExitReport report;
        if (::read(status_fd_, &report, sizeof report) != static_cast<ssize_t>(sizeof report)) break;
        --remaining;
    }
    for (auto& worker : workers_) posix::close_quietly(worker->fd);
    workers_.clear();
    posix::close_quietly(status_fd_);
    posix::close_quietly(wake_fds_[0]);
    posix::close_quietly(wake_fds_[1]);
    status_fd_ = wake_fds_[0] = wake_fds_[1] = -1;
}

std::vector<int> ForkWorkerTransport::pids() const {
    std::vector<int> pids;
    for (const auto& worker : workers_) pids.push_back(worker->pid);
    return pids;
}

void ForkWorkerTransport::terminate(int index, bool force) {
    Worker& worker = *workers_.at(static_cast<std::size_t>(index));
    // Once reaped, the pid may belong to someone else: never signal it again. (Between the fork
    // server reaping it and `exited` being set there is a window of a message's latency; the
    // kernel would have to hand out the same pid again within it, after pid_max others.)
    if (!worker.exited.load()) ::kill(worker.pid, force ? SIGKILL : SIGTERM);
}

// The panel's Crash button: the signal a bad pointer would raise inside the worker.
void ForkWorkerTransport::crash(int index) {
    Worker& worker = *workers_.at(static_cast<std::size_t>(index));
    if (!worker.exited.load()) ::kill(worker.pid, SIGSEGV);
}

void ForkWorkerTransport::join() {
    if (thread_.joinable()) thread_.join();
}

ForkWorkerTransport::~ForkWorkerTransport() {
    if (thread_.joinable()) {
        // Nobody stopped the workers: force them, so the join below ends.
        for (std::size_t i = 0; i < workers_.size(); ++i) terminate(static_cast<int>(i), true);
        thread_.join();
    }
    for (auto& worker : workers_) {
        ProcessRegistry::instance().drop_controls(worker->pid);  // they call into this object
        posix::close_quietly(worker->fd);
    }
    posix::close_quietly(status_fd_);
    posix::close_quietly(wake_fds_[0]);
    posix::close_quietly(wake_fds_[1]);
}

//-----------------------------------------------------------------------------
// [SECTION] Sending (any thread, never blocks)
//-----------------------------------------------------------------------------

bool ForkWorkerTransport::flush_locked(Worker& worker) {
    while (worker.outgoing_sent < worker.outgoing.size()) {
        const ssize_t sent = ::send(worker.fd, worker.outgoing.data() + worker.outgoing_sent, worker.outgoing.size() - worker.outgoing_sent,
                                    MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
            // EPIPE/ECONNRESET: the worker died. Its exit report is on the way; drop the bytes.
            worker.outgoing.clear();
            worker.outgoing_sent = 0;
            return true;
        }
        worker.outgoing_sent += static_cast<std::size_t>(sent);
    }
    worker.outgoing.clear();
    worker.outgoing_sent = 0;
    return true;
}

void ForkWorkerTransport::send(int index, const std::uint8_t* frame, std::size_t size) {
    Worker& worker = *workers_.at(static_cast<std::size_t>(index));
    ProcessRegistry::instance().sent(worker.pid, frame, size);
    std::lock_guard<std::mutex> lock(worker.out_mutex);
    if (worker.fd < 0) return;  // channel closed: the worker is dead
    const bool was_empty = worker.outgoing.empty();
    worker.outgoing.insert(worker.outgoing.end(), frame, frame + size);
    // On the transport thread, output is flushed once per poll round (one write for many replies).
    if (on_transport_thread()) return;
    if (was_empty && !flush_locked(worker)) wake();  // the rest goes out when the socket has room
}

void ForkWorkerTransport::wake() {
    const char byte = 1;
    [[maybe_unused]] const ssize_t ignored = ::write(wake_fds_[1], &byte, 1);  // full: already awake
}

//-----------------------------------------------------------------------------
// [SECTION] The transport thread: replies, exits, pending output
//-----------------------------------------------------------------------------

void ForkWorkerTransport::close_channel(Worker& worker) {
    std::lock_guard<std::mutex> lock(worker.out_mutex);
    posix::close_quietly(worker.fd);
    worker.fd = -1;
    worker.outgoing.clear();
    worker.outgoing_sent = 0;
}

// Reads what has arrived and delivers whole frames. until_end: the worker is dead, so read
// everything it wrote before dying (its last replies come before its exit).
void ForkWorkerTransport::read_replies(int index, bool until_end) {
    Worker& worker = *workers_[static_cast<std::size_t>(index)];
    constexpr std::size_t kChunk = 64 * 1024;
    for (int round = 0; worker.fd >= 0 && (until_end || round < 16); ++round) {  // bounded: others get a turn
        std::uint8_t* space = worker.incoming.prepare(kChunk);
        const ssize_t received = ::recv(worker.fd, space, kChunk, MSG_DONTWAIT);
        if (received < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!until_end) break;
                // A dead worker's socket has everything already; EAGAIN means another process
                // still holds its end. Do not spin: the exit report is what counts.
                break;
            }
            close_channel(worker);  // ECONNRESET
            break;
        }
        if (received == 0) {
            close_channel(worker);
            break;
        }
        worker.incoming.commit(static_cast<std::size_t>(received));
        const std::uint8_t* payload = nullptr;
        std::size_t size = 0;
        try {
            while (worker.incoming.next(payload, size)) {
                ProcessRegistry::instance().received(worker.pid, payload, size);
                events_.on_reply(index, payload, size);
            }
        } catch (const SerializationError& error) {
            // A frame length that cannot be right: the stream is lost. End the worker; its exit breaks the pool.
            std::fprintf(stderr, "pp::ProcessPool: worker pid %d: %s\n", worker.pid, error.what());
            terminate(index, true);
            close_channel(worker);
            break;
        }
        if (static_cast<std::size_t>(received) < kChunk && !until_end) break;  // drained for now
    }
}

void ForkWorkerTransport::report_exit(int index, const WorkerExit& exit) {
    Worker& worker = *workers_[static_cast<std::size_t>(index)];
    if (worker.exit_reported) return;
    read_replies(index, true);
    close_channel(worker);
    worker.exited.store(true);
    worker.exit_reported = true;
    ++reported_;
    ProcessRegistry::instance().ended(worker.pid, exit);
    events_.on_exit(index, exit);
}

void ForkWorkerTransport::read_exit_reports() {
    for (;;) {
        ForkServerExitReport reports[16];
        const ssize_t received = ::read(status_fd_, reports, sizeof reports);
        if (received < 0) {
            if (errno == EINTR) continue;
            return;  // EAGAIN: nothing more for now
        }
        if (received == 0) {
            // Every write end is closed but some workers were never reported: the server died.
            posix::close_quietly(status_fd_);
            status_fd_ = -1;
            bool server_died = false;
            for (const auto& worker : workers_) server_died = server_died || !worker->exit_reported;
            if (server_died) ForkServer::reap_if_dead(500);  // or it stays our zombie until exit
            for (std::size_t i = 0; i < workers_.size(); ++i) {
                if (workers_[i]->exit_reported) continue;
                WorkerExit exit;
                exit.pid = workers_[i]->pid;
                exit.known = false;
                exit.how = "ended, but its exit status was lost because the fork server died";
                report_exit(static_cast<int>(i), exit);
            }
            return;
        }
        const std::size_t count = static_cast<std::size_t>(received) / sizeof(ForkServerExitReport);
        for (std::size_t r = 0; r < count; ++r)
            for (std::size_t i = 0; i < workers_.size(); ++i)
                if (workers_[i]->pid == reports[r].pid) report_exit(static_cast<int>(i), make_exit(reports[r].pid, reports[r].wait_status));
    }
}

void ForkWorkerTransport::run() {
    thread_id_.store(std::this_thread::get_id());
    const int count = static_cast<int>(workers_.size());
    std::vector<pollfd> watched;
    std::vector<int> worker_of;  // pollfd index -> worker index
    while (reported_ < count) {
        watched.clear();
        worker_of.clear();
        watched.push_back({wake_fds_[0], POLLIN, 0});
        worker_of.push_back(-1);
        if (status_fd_ >= 0) {
            watched.push_back({status_fd_, POLLIN, 0});
            worker_of.push_back(-1);
        }
        for (int i = 0; i < count; ++i) {
            Worker& worker = *workers_[static_cast<std::size_t>(i)];
            std::lock_guard<std::mutex> lock(worker.out_mutex);
            if (worker.fd < 0) continue;
            short interest = POLLIN;
            if (!worker.outgoing.empty()) interest |= POLLOUT;
            watched.push_back({worker.fd, interest, 0});
            worker_of.push_back(i);
        }
        if (::poll(watched.data(), watched.size(), -1) < 0) {
            if (errno == EINTR) continue;
            std::perror("pp::ProcessPool: poll");
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            continue;
        }
        if (watched[0].revents & POLLIN) {
            char drain[256];
            while (::read(wake_fds_[0], drain, sizeof drain) > 0) {}
        }
        for (std::size_t w = 1; w < watched.size(); ++w) {
            const int index = worker_of[w];
            if (index < 0 || !(watched[w].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            read_replies(index, false);
        }
        // Exits after replies: a worker's last replies must reach the pool before its death does.
        if (status_fd_ >= 0 && watched[1].fd == status_fd_ && (watched[1].revents & (POLLIN | POLLHUP | POLLERR))) read_exit_reports();
        // One write per worker for everything queued during this round (replies trigger new tasks).
        for (auto& worker : workers_) {
            std::lock_guard<std::mutex> lock(worker->out_mutex);
            if (worker->fd >= 0 && !worker->outgoing.empty()) flush_locked(*worker);
        }
    }
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] make_default_worker_transport
//-----------------------------------------------------------------------------

std::unique_ptr<WorkerTransport> make_default_worker_transport() { return std::make_unique<ForkWorkerTransport>(); }
void prepare_default_worker_transport(int) {}  // the fork server started with the program

}  // namespace pp
