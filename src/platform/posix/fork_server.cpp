// pp::ForkServer: the parent's client, and the server process's loop.
//
// Index of this file
// [SECTION] Wire format of the control socket
// [SECTION] Server process: forking workers, reaping them, reporting exits
// [SECTION] Client: start, spawn_worker, stop
#include "platform/posix/fork_server.hpp"

#include "core/task_registry.hpp"
#include "core/trace.hpp"
#include "platform/posix/posix_io.hpp"
#include "platform/posix/worker_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] Wire format of the control socket
//-----------------------------------------------------------------------------
// SOCK_SEQPACKET keeps message boundaries, so each request is one recvmsg() with its two
// descriptors (worker channel, status pipe) attached as SCM_RIGHTS.
namespace {

constexpr std::uint32_t kSpawnMagic = 0x70705357;  // "ppSW"

struct SpawnRequest {
    std::uint32_t magic = kSpawnMagic;
};
struct SpawnReply {
    std::int32_t pid = -1;
    std::int32_t error = 0;  // errno when pid < 0
};

bool send_with_fds(int socket_fd, const void* data, std::size_t size, const int* fds, int fd_count) {
    iovec io{const_cast<void*>(data), size};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 2)] = {};
    msghdr message{};
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = CMSG_SPACE(sizeof(int) * static_cast<std::size_t>(fd_count));
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * static_cast<std::size_t>(fd_count));
    std::memcpy(CMSG_DATA(header), fds, sizeof(int) * static_cast<std::size_t>(fd_count));
    for (;;) {
        const ssize_t sent = ::sendmsg(socket_fd, &message, MSG_NOSIGNAL);
        if (sent >= 0) return static_cast<std::size_t>(sent) == size;
        if (errno != EINTR) return false;
    }
}

// Returns the bytes received (0 at end of stream, -1 on error); fills up to two descriptors.
ssize_t receive_with_fds(int socket_fd, void* data, std::size_t size, int* fds, int& fd_count) {
    iovec io{data, size};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 2)] = {};
    msghdr message{};
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    fd_count = 0;
    ssize_t received;
    do {
        received = ::recvmsg(socket_fd, &message, MSG_CMSG_CLOEXEC);
    } while (received < 0 && errno == EINTR);
    if (received <= 0) return received;
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        const std::size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof fd);
            if (fd_count < 2)
                fds[fd_count++] = fd;
            else
                ::close(fd);
        }
    }
    return received;
}

//-----------------------------------------------------------------------------
// [SECTION] Server process: forking workers, reaping them, reporting exits
//-----------------------------------------------------------------------------

int g_sigchld_write_fd = -1;

void on_sigchld(int) {
    const int saved = errno;
    const char byte = 0;
    [[maybe_unused]] const ssize_t ignored = ::write(g_sigchld_write_fd, &byte, 1);  // full pipe: a wake-up is pending anyway
    errno = saved;
}

// In the worker, right after the server forked it.
[[noreturn]] void become_worker(int channel_fd, pid_t server_pid) {
    trace::reset_after_fork();  // the lane takes this process's pid
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int signal_number : {SIGCHLD, SIGINT, SIGTERM, SIGPIPE}) ::sigaction(signal_number, &default_action, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
#ifdef __linux__
    // If the server dies, so do we (it would otherwise leave us orphaned and unreaped by it).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != server_pid) ::_exit(1);
#else
    (void)server_pid;
#endif
    // Keep stdin/out/err and the channel (as fd 3); the server's other descriptors - its control
    // socket, other pools' status pipes and channels - must not stay open in here.
    if (channel_fd != 3) {
        if (::dup2(channel_fd, 3) < 0) ::_exit(71);
    } else {
        posix::set_cloexec(3, false);
    }
    posix::close_descriptors_from(4);
    posix::run_worker_process(3);
}

[[noreturn]] void run_server(int control_fd) {
    trace::reset_after_fork();
    // Ctrl+C in a terminal signals the whole process group; like Python's forkserver, let the
    // parent decide what an interrupt means rather than dying and breaking every pool.
    ::signal(SIGINT, SIG_IGN);
    ::signal(SIGPIPE, SIG_IGN);  // a pool that went away closes its status pipe: EPIPE, not death

    if (control_fd != 3) {
        if (::dup2(control_fd, 3) < 0) ::_exit(71);
        control_fd = 3;
    }
    posix::close_descriptors_from(4);

    int sigchld_pipe[2];
    if (::pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) < 0) ::_exit(71);
    g_sigchld_write_fd = sigchld_pipe[1];
    struct sigaction action {};
    action.sa_handler = on_sigchld;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGCHLD, &action, nullptr);

    const pid_t server_pid = ::getpid();
    std::unordered_map<pid_t, int> status_fd_of;  // live children -> where to report their exit

    const auto report = [&](pid_t pid, int wait_status) {
        auto found = status_fd_of.find(pid);
        if (found == status_fd_of.end()) return;
        ForkServerExitReport exit_report{static_cast<std::int32_t>(pid), wait_status};
        // 8 bytes < PIPE_BUF: atomic, and the pool reads it whole.
        ssize_t written;
        do {
            written = ::write(found->second, &exit_report, sizeof exit_report);
        } while (written < 0 && errno == EINTR);
        ::close(found->second);
        status_fd_of.erase(found);
    };
    const auto reap_finished = [&] {
        int wait_status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &wait_status, WNOHANG)) > 0) report(pid, wait_status);
    };

    for (;;) {
        pollfd watched[2] = {{control_fd, POLLIN, 0}, {sigchld_pipe[0], POLLIN, 0}};
        if (::poll(watched, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (watched[1].revents & POLLIN) {
            char drain[64];
            while (::read(sigchld_pipe[0], drain, sizeof drain) > 0) {}
        }
        reap_finished();  // also after every spawn request: cheap, and catches a missed wake-up
        if (watched[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            SpawnRequest request;
            int fds[2] = {-1, -1};
            int fd_count = 0;
            const ssize_t received = receive_with_fds(control_fd, &request, sizeof request, fds, fd_count);
            if (received <= 0) break;  // the parent closed the socket (stop(), exit, or it died)
            SpawnReply reply;
            if (static_cast<std::size_t>(received) != sizeof request || request.magic != kSpawnMagic || fd_count != 2) {
                reply.error = EPROTO;
            } else {
                const pid_t pid = ::fork();
                if (pid == 0) become_worker(fds[0], server_pid);
                if (pid < 0) {
                    reply.error = errno;
                } else {
                    reply.pid = static_cast<std::int32_t>(pid);
                    status_fd_of[pid] = fds[1];
                    fds[1] = -1;  // kept until the exit is reported
                }
            }
            for (int fd : fds) posix::close_quietly(fd);
            ssize_t sent;
            do {
                sent = ::send(control_fd, &reply, sizeof reply, MSG_NOSIGNAL);
            } while (sent < 0 && errno == EINTR);
        }
    }

    // The parent is gone or asked us to stop: no child may outlive us unreaped.
    for (const auto& child : status_fd_of) ::kill(child.first, SIGKILL);
    while (!status_fd_of.empty()) {
        int wait_status = 0;
        const pid_t pid = ::waitpid(-1, &wait_status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;  // ECHILD: nothing left
        }
        report(pid, wait_status);
    }
    ::_exit(0);
}

//-----------------------------------------------------------------------------
// [SECTION] Client: start, spawn_worker, stop
//-----------------------------------------------------------------------------

std::mutex& client_mutex() {
    static std::mutex mutex;
    return mutex;
}
ForkServer* g_instance = nullptr;  // guarded by client_mutex(); leaked on purpose (see stop())
// Stopped servers, kept reachable so leak checkers (ASan's LeakSanitizer) see a deliberate leak
// rather than a lost pointer. Guarded by client_mutex().
std::vector<ForkServer*>* g_retired = nullptr;
bool g_atexit_registered = false;

// In the server, right after fork(): start_early() forked it holding client_mutex(), and every
// worker it forks inherits that. A worker may start a pool of its own (Python allows it), and
// then a fork server of its own: so here this process stops being the parent's client. The lock
// is held by this very thread (the only one here), so releasing it is well defined.
void forget_parents_server_in_child() {
    client_mutex().unlock();
    g_instance = nullptr;
    g_atexit_registered = false;
}

}  // namespace

void ForkServer::start() {
    // Workers get the registry as it is now; a task registered later would be unknown to them.
    TaskRegistry::instance().seal("the fork server started");
    std::fflush(nullptr);  // or buffered output would be written again by each child

    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) < 0) posix::throw_errno("socketpair");
    const pid_t pid = ::fork();
    if (pid < 0) {
        posix::close_quietly(ends[0]);
        posix::close_quietly(ends[1]);
        posix::throw_errno("fork (fork server)");
    }
    if (pid == 0) {
        ::close(ends[0]);
        forget_parents_server_in_child();
        run_server(ends[1]);
    }
    ::close(ends[1]);
    server_pid_ = pid;
    control_fd_ = ends[0];
}

void ForkServer::start_early() {
    std::lock_guard<std::mutex> lock(client_mutex());
    if (g_instance) return;
    auto* server = new ForkServer;
    server->start();
    g_instance = server;
    if (!g_atexit_registered) {
        g_atexit_registered = true;
        std::atexit(&ForkServer::stop);
    }
}

namespace {
// With client_mutex() held: forgets a server that has been reaped (or is not our child any more).
void retire_locked(ForkServer* server, int control_fd) {
    posix::close_quietly(control_fd);
    if (!g_retired) g_retired = new std::vector<ForkServer*>;
    g_retired->push_back(server);
    if (g_instance == server) g_instance = nullptr;
}
}  // namespace

bool ForkServer::reap_if_dead(int grace_ms) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
    for (;;) {
        {
            std::lock_guard<std::mutex> lock(client_mutex());
            ForkServer* server = g_instance;
            if (!server) return false;
            const pid_t done = ::waitpid(server->server_pid_, nullptr, WNOHANG);
            if (done == server->server_pid_ || (done < 0 && errno == ECHILD)) {
                std::fprintf(stderr, "pp::ForkServer: the fork server (pid %d) died; a new one starts on next use\n", server->server_pid_);
                retire_locked(server, server->control_fd_);
                server->control_fd_ = -1;
                return true;
            }
        }
        if (std::chrono::steady_clock::now() >= give_up) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

ForkServer& ForkServer::instance() {
    reap_if_dead();
    {
        std::lock_guard<std::mutex> lock(client_mutex());
        if (g_instance) return *g_instance;
        const int threads = posix::count_threads();
        if (threads > 1) {
            static bool warned = false;
            if (!warned) {
                warned = true;
                std::fprintf(stderr,
                             "pp::ForkServer: starting lazily while %d threads run; a lock one of them holds "
                             "right now stays locked in every worker. Call pp::ForkServer::start_early() at "
                             "the top of main().\n",
                             threads);
            }
        }
    }
    start_early();
    std::lock_guard<std::mutex> lock(client_mutex());
    return *g_instance;
}

bool ForkServer::started() {
    std::lock_guard<std::mutex> lock(client_mutex());
    return g_instance != nullptr;
}

int ForkServer::spawn_worker(int channel_fd, int status_fd) {
    std::lock_guard<std::mutex> lock(client_mutex());  // one request/reply at a time on the socket
    if (control_fd_ < 0) throw std::system_error(ESRCH, std::generic_category(), "fork server stopped");
    const SpawnRequest request;
    const int fds[2] = {channel_fd, status_fd};
    if (!send_with_fds(control_fd_, &request, sizeof request, fds, 2))
        posix::throw_errno("fork server: sending a spawn request (has the server died?)");
    SpawnReply reply;
    ssize_t received;
    do {
        received = ::recv(control_fd_, &reply, sizeof reply, 0);
    } while (received < 0 && errno == EINTR);
    if (received != static_cast<ssize_t>(sizeof reply))
        throw std::system_error(received < 0 ? errno : EPIPE, std::generic_category(),
                                "fork server: no reply to a spawn request (has the server died?)");
    if (reply.pid < 0) throw std::system_error(reply.error, std::generic_category(), "fork server: fork");
    return reply.pid;
}

void ForkServer::stop() {
    std::lock_guard<std::mutex> lock(client_mutex());
    ForkServer* server = g_instance;
    if (!server) return;
    g_instance = nullptr;  // a later pool would start a new server (lazily, with the usual caveat)
    posix::close_quietly(server->control_fd_);
    server->control_fd_ = -1;
    // The server kills its leftovers and exits at once; bound the wait anyway.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (;;) {
        const pid_t done = ::waitpid(server->server_pid_, nullptr, WNOHANG);
        if (done != 0) break;  // reaped, or not our child any more (ECHILD)
        if (std::chrono::steady_clock::now() > give_up) {
            ::kill(server->server_pid_, SIGKILL);
            ::waitpid(server->server_pid_, nullptr, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // `server` is leaked: a pool thread may still hold the reference instance() returned.
    retire_locked(server, -1);
}

}  // namespace pp
