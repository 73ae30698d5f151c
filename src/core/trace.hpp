// The execution trace: who ran what, when, and what they waited for.
//
// Index of this file
// [SECTION] Event kinds
// [SECTION] TraceLane, TraceEvent: plain data, easy to serialize across processes
// [SECTION] pp::trace: the process-wide recorder (switch, record, snapshot, export)
// [SECTION] TraceSpan: RAII span on the calling thread's lane
//
// Timestamps are nanoseconds since one process-wide epoch taken from std::chrono::steady_clock
// when the program starts (static initialization). steady_clock is CLOCK_MONOTONIC on Linux,
// which is system-wide, and a fork()ed child inherits the epoch, so a child's events line up with
// its parent's. A process started any other way (exec) has its own epoch: its timestamps do not
// compare. On x86-64 Linux, once a program has run 200 ms, now_ns() reads the CPU's time-stamp
// counter instead, calibrated against steady_clock (trace.cpp: a read costs 10 ns, not 25).
//
// Cost: each thread appends to its own buffer (registered once, found through a thread_local);
// there is no global lock on the hot path, and a usual append (the same name as the thread's last
// event, no args) takes no lock at all: no atomic read-modify-write, one release store that
// publishes the event to readers. When tracing is off, recording is one relaxed atomic load.
#pragma once

#include "core/ids.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] Event kinds
//-----------------------------------------------------------------------------
enum class TraceKind : std::uint8_t {
    TaskSubmitted,  // instant, on the submitting thread
    TaskRun,        // span, on the worker: started..finished
    Sleep,          // span: pp::sleep_for
    IoWait,         // span: simulated I/O
    LockWait,       // span: blocked on a contended mutex
    GilWait,        // span: waiting for the emulated GIL
    JoinBlocked,    // span: join() waiting for another thread or process
    ThreadStart,    // instant, first event of a thread's lane
    ThreadEnd,      // instant, last event of a thread's lane
    Print,          // instant: a line printed (args: the text), by this process or a child (core/print.hpp)
    Note,           // instant: something a stepped run wants seen (args: "one increment lost"; core/schedule.hpp)
    GilHeld,        // span, on the "GIL" lane: one thread held the emulated GIL (name: the holder; args: who waited)
    ResultWait,     // span: blocked until a future's result is there (result(), map(), as_completed())
};
constexpr int kTraceKindCount = 13;

// "TaskRun", "GilWait", ...: used as the Chrome trace category, and for serialization.
const char* to_string(TraceKind kind);
std::optional<TraceKind> trace_kind_from_string(std::string_view text);
// TaskSubmitted, ThreadStart, ThreadEnd, Print and Note are instants (end_ns == begin_ns); the rest are spans.
bool is_instant(TraceKind kind);

//-----------------------------------------------------------------------------
// [SECTION] TraceLane, TraceEvent: plain data, easy to serialize across processes
//-----------------------------------------------------------------------------
// One horizontal lane of the timeline: a thread of a process.
struct TraceLane {
    int pid = 0;
    std::uint64_t tid = 0;  // pp::current_tid(): joined threads keep their own lanes (see core/ids.hpp)
    std::string name;       // "MainThread", "ThreadPoolExecutor-0_1", ...
};

// The lane the emulated GIL's holdings are drawn on (core/gil.hpp): not a thread, so a tid no
// thread has. Timelines put it above the threads of its process.
constexpr std::uint64_t kGilLaneTid = ~std::uint64_t{0};
inline bool is_gil_lane(const TraceLane& lane) { return lane.tid == kGilLaneTid; }

struct TraceEvent {
    TraceKind kind = TraceKind::TaskRun;
    TraceLane lane;
    std::uint64_t task_id = 0;  // 0 when the event is not about a task
    std::string name;           // short label: "task", "sleep", "count_primes"
    std::string args;           // optional short detail: "n=3", "200 ms"
    std::int64_t begin_ns = 0;
    std::int64_t end_ns = 0;   // == begin_ns for instants
    bool in_progress = false;  // snapshot_live() only: a span still open, so end_ns is only "now"
};

//-----------------------------------------------------------------------------
// [SECTION] pp::trace: the process-wide recorder (switch, record, snapshot, export)
//-----------------------------------------------------------------------------
namespace trace {

namespace detail {
inline std::atomic<bool> g_enabled{false};
}

// Nanoseconds since the process-wide epoch (see the top of this file).
std::int64_t now_ns();

// Replaces the clock behind now_ns() with `clock` (nanoseconds since any fixed point), for a
// platform whose steady_clock disagrees between threads. The page needs it: Emscripten aligns
// each Web Worker's clock to the page's by a message whose delivery time it cannot see, so a
// thread's timestamps can lag by milliseconds and a join would appear to end before the thread
// it waited for (platform/web/browser_clock.cpp). Call it first thing in main(), before any
// event is recorded: events timed by the old clock and the new one do not compare.
// `virtual_time`: the clock is a simulation's, not the wall's (the single-threaded page), so
// every time shown from it must say so.
void use_clock(std::int64_t (*clock)(), bool virtual_time = false);
// True after use_clock(..., true): times are virtual, and the console and timeline say so.
bool clock_is_virtual();

// For a process that did not inherit its parent's epoch (a browser process worker is a fresh
// WebAssembly instance with its own clock origin): adds `offset_ns` to every later now_ns(), so
// this process reads its parent's clock. Call it once, before recording anything: events
// recorded earlier, or times taken earlier, stay on the old clock and land at wrong places.
void set_clock_offset_ns(std::int64_t offset_ns);

// Off by default. Events recorded while off are dropped; spans that started while on still record.
inline bool enabled() noexcept { return detail::g_enabled.load(std::memory_order_relaxed); }
void set_enabled(bool on);

// Both do nothing when tracing is off. A span recorded on one lane must nest inside or follow the
// spans already recorded there (TraceSpan guarantees that); overlapping siblings confuse viewers.
void instant(TraceKind kind, std::string_view name, std::uint64_t task_id = 0, std::string_view args = {});
void span(TraceKind kind, std::string_view name, std::int64_t begin_ns, std::int64_t end_ns, std::uint64_t task_id = 0,
          std::string_view args = {});

// The calling thread's lane. Its name defaults to "MainThread" for the thread that started the
// program and "Thread-N" otherwise; pp::Thread and pool workers set theirs.
void set_lane_name(std::string_view name);
TraceLane current_lane();

// Ids for tasks, unique within this process (never 0). Executors take one per submit.
std::uint64_t next_task_id();

// Every event recorded so far (by live and finished threads, plus foreign ones), sorted by
// begin time, enclosing spans before the spans they contain. Safe while other threads record.
std::vector<TraceEvent> snapshot();
// snapshot(), plus the spans this process's threads are still in (TraceSpan, a pool's task),
// each ending at the snapshot's now_ns(). For a timeline drawn during a run: with snapshot()
// alone, a thread in the middle of a task shows an empty lane, which reads as idle. A child
// process's spans still arrive when its task ends. Exports and tests of what was recorded use
// snapshot().
std::vector<TraceEvent> snapshot_live();

// A span in progress on the calling thread, which snapshot_live() shows until it is closed.
// Returns a token for close_open_span(), 0 when tracing is off. TraceSpan does both itself;
// code that times a span by hand (a pool's task) calls them around the work. Close it on the
// thread that opened it, after recording the span: a span closed on another thread, or never,
// stays in snapshot_live() (growing with now) until that thread's next clear.
std::uint64_t open_span(TraceKind kind, std::string_view name, std::uint64_t task_id, std::int64_t begin_ns, std::string_view args = {});
void close_open_span(std::uint64_t token);
// Drops all recorded events (and the buffers of threads that have ended).
void clear();

// Adds events recorded elsewhere (a child process), kept as they are, lane pid included.
void append_foreign(std::vector<TraceEvent> events);
// Label for a process in the exported trace; default "MainProcess" for this one, "Process-<pid>" else.
void set_process_name(int pid, std::string_view name);

// Chrome Trace Event JSON ({"traceEvents":[...]}) that Perfetto and chrome://tracing open:
// "X" complete events and "i" instants in microseconds, "M" metadata naming processes and lanes.
// Thread ids are renumbered 1, 2, ... per process for readability.
std::string to_chrome_trace_json(const std::vector<TraceEvent>& events);
inline std::string to_chrome_trace_json() { return to_chrome_trace_json(snapshot()); }

// In a fork()ed child, before recording anything: forgets the parent's events and threads
// (only the calling thread survives a fork) and takes the child's pid. Without it, the child's
// snapshot would repeat the parent's events, and a lock held by a parent thread at fork time
// could deadlock the child.
void reset_after_fork();

}  // namespace trace

//-----------------------------------------------------------------------------
// [SECTION] TraceSpan: RAII span on the calling thread's lane
//-----------------------------------------------------------------------------
// { pp::TraceSpan span(pp::TraceKind::Sleep, "sleep", 0, "200 ms"); ... }  records begin..end.
// Does nothing (and copies no strings) when tracing is off at construction.
// Must end on the thread that created it: do not move it into another thread.
class TraceSpan {
public:
    TraceSpan(TraceKind kind, std::string_view name, std::uint64_t task_id = 0, std::string_view args = {});
    ~TraceSpan() { end(); }
    TraceSpan(const TraceSpan&) = delete;
    TraceSpan& operator=(const TraceSpan&) = delete;

    void set_args(std::string_view args);
    // Records now instead of at scope exit; later calls do nothing.
    void end();
    bool active() const noexcept { return active_; }

private:
    bool active_ = false;
    TraceKind kind_;
    std::uint64_t task_id_ = 0;
    std::uint64_t open_token_ = 0;  // trace::open_span()'s
    std::int64_t begin_ns_ = 0;
    std::string name_;
    std::string args_;
};

}  // namespace pp
