#include "platform/posix/posix_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace pp::posix {

void close_quietly(int fd) {
    if (fd < 0) return;
    const int saved = errno;
    ::close(fd);
    errno = saved;
}

void set_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) throw_errno("fcntl(O_NONBLOCK)");
}

void set_cloexec(int fd, bool on) {
    const int flags = ::fcntl(fd, F_GETFD);
    if (flags < 0) throw_errno("fcntl(F_GETFD)");
    if (::fcntl(fd, F_SETFD, on ? (flags | FD_CLOEXEC) : (flags & ~FD_CLOEXEC)) < 0) throw_errno("fcntl(F_SETFD)");
}

void close_descriptors_from(int first) {
#ifdef SYS_close_range
    if (::syscall(SYS_close_range, static_cast<unsigned>(first), ~0U, 0U) == 0) return;
#endif
    // Older kernels: walk /proc/self/fd, or guess a bound.
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        const int dir_fd = ::dirfd(dir);
        int to_close[1024];
        int count = 0;
        while (dirent* entry = ::readdir(dir)) {
            const int fd = std::atoi(entry->d_name);
            if (fd >= first && fd != dir_fd && count < 1024) to_close[count++] = fd;
        }
        ::closedir(dir);
        for (int i = 0; i < count; ++i) ::close(to_close[i]);
        return;
    }
    const long limit = ::sysconf(_SC_OPEN_MAX);
    for (int fd = first; fd < (limit > 0 ? limit : 4096); ++fd) ::close(fd);
}

bool send_all(int fd, const void* data, std::size_t size) {
    const char* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t sent = ::send(fd, bytes, size, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return false;  // EPIPE / ECONNRESET: the peer is gone
        }
        bytes += sent;
        size -= static_cast<std::size_t>(sent);
    }
    return true;
}

std::string signal_name(int signal_number) {
    switch (signal_number) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGXCPU: return "SIGXCPU";
    default: return "signal " + std::to_string(signal_number);
    }
}

std::string describe_wait_status(int wait_status) {
    if (WIFSIGNALED(wait_status)) {
        const int signal_number = WTERMSIG(wait_status);
        return "was killed by signal " + std::to_string(signal_number) + " (" + signal_name(signal_number) + ")";
    }
    if (WIFEXITED(wait_status)) return "exited with code " + std::to_string(WEXITSTATUS(wait_status));
    return "ended with wait status " + std::to_string(wait_status);
}

int count_threads() {
    DIR* dir = ::opendir("/proc/self/task");
    if (!dir) return 0;
    int count = 0;
    while (dirent* entry = ::readdir(dir))
        if (entry->d_name[0] != '.') ++count;
    ::closedir(dir);
    return count;
}

}  // namespace pp::posix
