// pp::ProcessRegistry: what this program knows about its processes, for the process panel.
//
// Index of this file
// [SECTION] ProcessInfo: one row of the panel
// [SECTION] ProcessRegistry: fed by the transports, read by the UI
// [SECTION] publish_variable: show a variable's value in the panel, from any process
//
// Both WorkerTransports (the fork pool natively, the page's Web Workers) report here what they
// start, send, receive and reap; pools and pp::Process add the names. Every update is a few
// field writes under one short lock, and the UI reads with try_snapshot(), which never waits:
// when the lock is busy it keeps the rows it has. Kill and Crash go back through the transport
// that started the process (controls it registered), so a pid that was reaped is never signalled.
#pragma once

#include "core/worker_transport.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] ProcessInfo: one row of the panel
//-----------------------------------------------------------------------------

enum class ProcessState { Starting, Idle, Running, Exited, Killed, Crashed };
const char* to_string(ProcessState state);
inline bool has_ended(ProcessState state) { return state >= ProcessState::Exited; }

// One value a process (or one thread of it) showed with publish_variable().
struct ProcessVariable {
    std::string thread;  // the publishing thread's lane name; "" for a worker process
    std::string name;
    std::int64_t value = 0;
    std::uint64_t address = 0;  // where it lives in that process's memory (0: not given)
};

struct ProcessInfo {
    int pid = 0;                   // real natively; in the page a number the page assigns (page = 1)
    std::string name;              // "MainProcess", "ForkProcess-3", "Process-1", ...
    bool is_this_process = false;  // the row of the program itself (the page, or the parent)
    ProcessState state = ProcessState::Starting;
    std::string how;   // once ended: "exited with code 0", "was killed by signal 9 (SIGKILL)"
    std::string task;  // the task it is running, "" when idle
    std::uint64_t tasks_done = 0;
    std::uint64_t messages_sent = 0, bytes_sent = 0;          // frames this program sent to it
    std::uint64_t messages_received = 0, bytes_received = 0;  // frames it sent back
    std::vector<ProcessVariable> variables;
    bool can_control = false;  // live, and Kill / Crash can reach it
};

//-----------------------------------------------------------------------------
// [SECTION] ProcessRegistry: fed by the transports, read by the UI
//-----------------------------------------------------------------------------

class ProcessRegistry {
public:
    // How Kill and Crash reach a process; called with the registry's lock held, so they must
    // only start the deed (a kill() system call, a message), never wait for it.
    struct Controls {
        std::function<void()> kill;   // natively SIGKILL; in the page Worker.terminate()
        std::function<void()> crash;  // natively SIGSEGV; in the page a trap inside its instance
    };

    static ProcessRegistry& instance();

    // Transports. `running` false: the process still loads (a browser process's instance),
    // ready() follows. A pid seen before (reused natively) starts a fresh row.
    void spawned(int pid, bool running, Controls controls);
    void ready(int pid);
    // Frames sent to `pid` (one or more, lengths included) and one reply frame's payload from it.
    void sent(int pid, const std::uint8_t* frames, std::size_t size);
    void received(int pid, const std::uint8_t* payload, std::size_t size);
    // The process was reaped. Its controls are dropped: nothing can signal that pid again.
    void ended(int pid, const WorkerExit& exit);
    // The transport is going away: its controls must not be called any more.
    void drop_controls(int pid);
    // Pools and pp::Process: the name traces use too.
    void set_name(int pid, std::string name);

    // Kill / Crash buttons. False when the process has ended or cannot be controlled.
    bool kill(int pid);
    bool crash(int pid);
    // Kills every live process it can control; returns how many. A lesson's Stop: as Ctrl+C
    // reaches a Python program's child processes too, and a run waiting on them ends at once.
    int kill_all();

    // This program's own row: a value one of its threads published (see publish_variable).
    void publish_local(std::string thread, std::string name, std::int64_t value, std::uint64_t address);

    // Rows: this program first, then every process in the order they started (the last
    // kMaxEnded ended ones are kept). Blocks for the short lock: not for the UI thread.
    std::vector<ProcessInfo> snapshot() const;
    // For the UI thread: copies the rows into `rows` only if they changed since `version` and
    // the lock is free at once; returns whether it did. Never waits.
    bool try_snapshot(std::vector<ProcessInfo>& rows, std::uint64_t& version) const;
    // Grows with every change of the rows: the app redraws when it did (a still window otherwise sleeps).
    std::uint64_t version() const { return version_.load(std::memory_order_acquire); }
    // Forgets ended processes and this program's published values (a new lesson run starts).
    void forget_ended();
    // [{"pid":..,"name":..,"state":..,...}] for the test hooks.
    std::string to_json() const;

    static constexpr std::size_t kMaxEnded = 64;

private:
    struct Entry {
        ProcessInfo info;
        bool ready = false;
        std::deque<std::string> in_flight;  // names of the tasks sent and not yet answered, in order
        Controls controls;
    };
    Entry* find_locked(int pid);
    void update_state_locked(Entry& entry);
    void set_variable_locked(std::vector<ProcessVariable>& variables, ProcessVariable variable);
    void changed_locked() { version_.fetch_add(1, std::memory_order_release); }

    mutable std::mutex mutex_;
    std::atomic<std::uint64_t> version_{1};
    ProcessInfo self_;
    std::vector<Entry> entries_;
};

//-----------------------------------------------------------------------------
// [SECTION] publish_variable: show a variable's value in the panel, from any process
//-----------------------------------------------------------------------------

// Shows `value` as this process's copy of `name` in the process panel (and `address`, where
// it lives in this process's memory). In a worker process the value is sent to the parent at
// once, as a Variable reply frame (core/worker_channel.hpp), so the panel shows it while the
// task still runs; in the program itself it is recorded under the calling thread's name. Costs
// one message in a worker: call it a few hundred times a second at most, not in every turn of a
// tight loop.
void publish_variable(std::string_view name, std::int64_t value, const void* address = nullptr);

}  // namespace pp
