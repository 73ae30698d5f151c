// pp::ForkServer: a small process, forked while the program is still single-threaded, that
// forks every worker process later on (like Python's multiprocessing "forkserver").
//
// Why: fork() in a multithreaded process copies only the calling thread. Locks that other
// threads held at that instant - malloc's arena locks, the trace recorder's, iostream's, any
// std::mutex of the app - stay locked forever in the child, and the child deadlocks the first
// time it touches them. A GUI has many threads (renderer, audio, thread pools) by the time a
// lesson creates a process pool. So the pool does not fork itself: it asks the fork server,
// which has only ever had one thread, to fork on its behalf.
//
//     int main(int argc, char** argv) {
//         pp::ForkServer::start_early();   // first line: before SDL, before any std::thread
//         ...
//     }
//
// If start_early() was never called, the first pool or Process starts the server lazily. That
// is only safe while the program is still single-threaded; if other threads exist at that
// moment a warning is printed on stderr (once), because the server would inherit their locks.
//
// Consequences for tasks (as with Python's forkserver): workers are copies of the program as it
// was when the server started, not as it is when the pool is created. Globals changed later by
// the parent are not seen by workers; pass what a task needs as arguments. Tasks must be
// registered at static-init time (PP_REGISTER_TASK), which happens before start_early().
//
// The server reaps every child it forks (SIGCHLD + waitpid) and reports each exit status to
// the pool that asked for it; the parent reaps the server itself at exit. When the parent goes
// away (even by SIGKILL) the server sees its control socket close, kills what is left and exits;
// workers also get SIGKILL if the server dies (PR_SET_PDEATHSIG on Linux). No zombies, no orphans.
//
// A task may create a pool of its own, as in Python. The worker is single-threaded then, so it
// starts a server of its own lazily (the parent's is not its to use), and stops it when it exits.
#pragma once

#include <cstdint>

namespace pp {

// What the server writes to a pool's status pipe when one of that pool's workers was reaped.
struct ForkServerExitReport {
    std::int32_t pid = 0;
    std::int32_t wait_status = 0;  // as from waitpid(): WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG
};

class ForkServer {
public:
    // Forks the server now. Call it at the top of main(), while the program is single-threaded.
    // Calling it again does nothing. Throws std::system_error if the fork fails.
    static void start_early();

    // The running server, started lazily on first use (see above). Thread-safe. If the server
    // died (someone killed it), it is reaped and a new one is started, lazily, with the same
    // warning when other threads run: pools that used the dead one are broken, later ones work.
    static ForkServer& instance();
    static bool started();

    // The server's pid (a child of this process).
    int pid() const { return server_pid_; }

    // Asks the server to fork a worker that serves requests on `channel_fd` (one end of a socket
    // pair) and to write a ForkServerExitReport to `status_fd` once that worker was reaped.
    // Both descriptors are copied into the server; the caller keeps (and closes) its own.
    // Returns the worker's pid. Throws std::system_error if the server cannot fork or has died.
    int spawn_worker(int channel_fd, int status_fd);

    // Closes the control socket: the server kills any children still running, reaps them and
    // exits; then it is reaped here. Runs automatically at exit. After it, pools cannot start.
    static void stop();

    // Reaps the server if it has died, waiting up to `grace` for it to finish dying (its pipes
    // close a moment before it becomes a zombie). Returns true if it was dead. Without this a
    // killed server would stay a zombie child of this process until exit.
    static bool reap_if_dead(int grace_ms = 0);

private:
    ForkServer() = default;
    void start();

    int server_pid_ = 0;
    int control_fd_ = -1;
};

}  // namespace pp
