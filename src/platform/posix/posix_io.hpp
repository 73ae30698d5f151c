// Small POSIX helpers shared by the fork server, the worker processes and the fork transport.
#pragma once

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <string>
#include <system_error>

namespace pp::posix {

[[noreturn]] inline void throw_errno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

// close() that keeps errno, for cleanup paths.
void close_quietly(int fd);
void set_nonblocking(int fd);
void set_cloexec(int fd, bool on);

// Closes every descriptor >= `first` (close_range where the kernel has it).
void close_descriptors_from(int first);

// Writes everything to a blocking socket without raising SIGPIPE. Returns false if the peer is gone.
bool send_all(int fd, const void* data, std::size_t size);

// "SIGKILL" for 9, "signal 42" for what strsignal-style tables do not know.
std::string signal_name(int signal_number);
// "exited with code 3", "was killed by signal 9 (SIGKILL)" from a waitpid() status.
std::string describe_wait_status(int wait_status);

// Threads of this process right now (from /proc/self/task); 0 when that cannot be read.
int count_threads();

}  // namespace pp::posix
