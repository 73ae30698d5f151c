// What a process pool needs from a platform: start worker processes, move bytes, report exits.
//
// Natively: workers forked by the fork server, one unix socket each (platform/posix).
// In the browser: Web Workers, each its own WebAssembly instance, bytes over postMessage (platform/web).
// The executor logic above it (core/process_pool_executor.hpp, core/process.hpp) is shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pp {

// How a worker process ended, learned after it was reaped (natively: waitpid() in the fork server).
struct WorkerExit {
    int pid = 0;
    int exit_code = 0;  // meaningful when signal == 0
    int signal = 0;     // > 0: killed by this signal
    bool known = true;  // false: the status was lost (the fork server itself died)
    std::string how;    // "exited with code 3", "was killed by signal 9 (SIGKILL)"

    // Python's Process.exitcode: the exit code, or minus the signal number.
    int python_exitcode() const { return signal != 0 ? -signal : exit_code; }
    bool clean() const { return known && signal == 0 && exit_code == 0; }
};

class WorkerTransport {
public:
    struct Events {
        // One whole reply frame's payload from worker `index`. Called on the transport's thread.
        std::function<void(int index, const std::uint8_t* payload, std::size_t size)> on_reply;
        // Worker `index` has ended and was reaped; called once per worker, after its last reply,
        // on the transport's thread.
        std::function<void(int index, const WorkerExit& exit)> on_exit;
    };

    virtual ~WorkerTransport() = default;

    // "ForkProcess": worker processes are named <prefix>-<n> in traces, like Python's.
    virtual const char* process_name_prefix() const = 0;

    // Starts `count` workers and the thread that delivers `events`. Throws std::system_error
    // (or std::runtime_error) when a worker cannot be started; nothing is left running then.
    virtual void start(int count, Events events) = 0;
    virtual std::vector<int> pids() const = 0;

    // Queues one whole frame (length prefix included) for worker `index`. Never blocks on a
    // full pipe, from any thread. Bytes for a worker that already died are dropped: its exit is
    // reported through on_exit instead.
    virtual void send(int index, const std::uint8_t* frame, std::size_t size) = 0;

    // Asks (SIGTERM, force=false) or forces (SIGKILL) a live worker to end. Its exit is reported as usual.
    virtual void terminate(int index, bool force) = 0;

    // Blocks until every worker's exit was reported and the transport's thread has ended.
    // Workers only exit on a Stop request, a crash or terminate(): arrange one of them first.
    // Must not be called from the transport's thread (a callback): it would wait for itself.
    virtual void join() = 0;
    virtual bool on_transport_thread() const = 0;
};

// The platform's transport (fork server natively). Defined by pp_platform, not pp_core: call it
// from inline code (as the executors' convenience constructors do) so the linker finds it.
std::unique_ptr<WorkerTransport> make_default_worker_transport();
// Gets the next default transports ready ahead of time, without waiting for anything: the page
// compiles process_worker.wasm and keeps `spare_processes` Web Workers started (each with its own
// instance already made), so that the first processes of a pool start in tens of ms, not a
// worker's start-up. Never fewer spares than an earlier call asked for. Natively nothing (the
// fork server runs).
void prepare_default_worker_transport(int spare_processes);

}  // namespace pp
