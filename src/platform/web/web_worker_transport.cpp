// The page's WorkerTransport: each worker "process" is a Web Worker running its own instance of
// process_worker.wasm (separate memory, no SharedArrayBuffer), reached only by postMessage of bytes.
// The same interface as the native fork pool (platform/posix/fork_transport.cpp), so
// ProcessPoolExecutor and pp::Process run unchanged on top of it.
//
// Threads: lessons create pools on pthreads, but Web Workers belong to the browser's main
// thread. So spawn and terminate go to the main thread through process_host.js (queued calls:
// nobody waits, the main thread least of all). Request and reply frames do not: the main thread
// draws the UI, and a frame that waited for it waited up to a whole frame (tens of ms in a busy
// page). Each browser process gets a MessageChannel whose other end belongs to the relay, a
// pthread that lives on its JS event loop (process_host.js, $PPRelay): it posts the request
// frames queued here, and hands reply frames straight to this transport's inbox
// (pp_web_process_event). The transport's own pthread takes them from there and calls
// Events::on_reply / on_exit. Frames are still bytes over postMessage; only the relay's queue of
// outgoing frames is in the page's own memory.
//
// The single-threaded page (PP_COOPERATIVE: not cross-origin isolated, no -pthread) runs this same
// transport: Web Workers and postMessage need no SharedArrayBuffer. There the transport's thread
// is a fiber (pp::sync), the process_host.js calls run directly (on the main thread, where every
// fiber runs), and there is no relay: frames go through the main thread, whose onmessage puts
// replies in the inbox between frames; the waiting fiber runs on the scheduler's next slice.
//
// Watchdog: a Web Worker that loops forever, or whose instance hangs, fires no event at all (nor
// does Worker.terminate()). So the transport thread watches every worker that owes replies: when
// one has answered nothing for the reply timeout (pp_set_process_reply_timeout_ms), it is
// terminated as hung, which breaks its pool with a message that says so.
//
// Index of this file
// [SECTION] Inboxes: main thread -> transport thread
// [SECTION] The relay: a pthread on its JS event loop that owns the frames' MessagePorts
// [SECTION] The single-threaded page: no relay, and a virtual clock to keep in step
// [SECTION] WebWorkerTransport
// [SECTION] The transport thread: frames and exits
// [SECTION] make_default_worker_transport
#include "core/process_protocol.hpp"
#include "core/process_registry.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"
#include "core/worker_transport.hpp"

#include <emscripten.h>

#if defined(PP_COOPERATIVE)
#include "platform/cooperative/scheduler.hpp"
#else
#include <emscripten/threading.h>

#include <pthread.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

// process_host.js (proxied to the main thread; called directly in the single-threaded page).
extern "C" {
void pp_process_host_spawn(int transport, int index, int pid, int relay);
void pp_process_host_send(int transport, int index, std::uint8_t* data, std::size_t size);  // frees data
void pp_process_host_terminate(int transport, int index, int force);
void pp_process_host_crash(int transport, int index);
void pp_process_host_release(int transport);
void pp_process_host_prepare(int spares);
}

namespace pp {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Inboxes: main thread -> transport thread
//-----------------------------------------------------------------------------

// Event kinds, as in process_host.js. kReplyLost: a reply found no memory on the page.
enum EventKind : int { kReply = 1, kExited = 2, kCrashed = 3, kTerminated = 4, kReady = 5, kReplyLost = 6 };

// How long a browser process may owe a reply before the watchdog ends it as hung. Five minutes:
// the longest task of any lesson at its slowest settings is multiprocessing's cube(), 5 prints
// 1.5 x 10 s apart at time scale 2, about 150 s, and a long CPU task must never be killed for
// being long; a process that is truly stuck is still ended, not left to hang its lesson forever.
// Tests shorten it with pp_set_process_reply_timeout_ms().
constexpr int kDefaultReplyTimeoutMs = 5 * 60 * 1000;
std::atomic<int> g_reply_timeout_ms{kDefaultReplyTimeoutMs};

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct InboxEvent {
    int index = 0;
    int kind = 0;
    int code = 0;  // kReplyLost: the size of the reply that was lost
    Bytes bytes;
    std::uint64_t task_id = 0;  // kReplyLost
};

struct Inbox {
    std::mutex mutex;
    sync::condition_variable ready;
    std::deque<InboxEvent> events;
};

// Transport id -> inbox. Events for a transport that is gone are dropped.
std::mutex g_inboxes_mutex;
std::unordered_map<int, std::shared_ptr<Inbox>> g_inboxes;
int g_next_transport_id = 1;
// Simulated pids: the page is process 1 (core/ids.cpp), its browser processes 2, 3, ...
std::atomic<int> g_next_pid{2};

// The main thread saw something happen now (an event from a worker, a clock reading for one).
// Only the single-threaded page does anything here (its virtual clock catches up with real time).
void outside_event_now();

// Into transport `transport`'s inbox (dropped when that transport is gone). A short lock only:
// the main thread must never wait for long.
void push_event(int transport, InboxEvent&& event) {
    std::shared_ptr<Inbox> inbox;
    {
        std::lock_guard<std::mutex> lock(g_inboxes_mutex);
        auto found = g_inboxes.find(transport);
        if (found == g_inboxes.end()) return;
        inbox = found->second;
    }
    {
        std::lock_guard<std::mutex> lock(inbox->mutex);
        inbox->events.push_back(std::move(event));
    }
    inbox->ready.notify_one();
}

// pp_web_fail_next_allocations(): how many pp_web_alloc() calls still have to fail.
std::atomic<int> g_failures_asked{0};

}  // namespace
}  // namespace pp

extern "C" {

// Memory for bytes JavaScript hands to C++ (a reply's frames; the page's .wasm address in
// program_image.cpp): malloc(size), or 0 when memory ran out. Any thread. Every such copy in JS
// checks for 0: with ALLOW_MEMORY_GROWTH malloc returns 0 once the heap cannot grow, and bytes
// written through it overwrote the page's memory from address 0 (the reply then vanished, and
// its task looked hung until the watchdog blamed the worker).
EMSCRIPTEN_KEEPALIVE void* pp_web_alloc(std::size_t size) {
    for (int asked = pp::g_failures_asked.load(); asked > 0;)
        if (pp::g_failures_asked.compare_exchange_weak(asked, asked - 1)) return nullptr;
    return std::malloc(size);
}

// Tests: the next `count` calls of pp_web_alloc() fail as if memory ran out (0: none). Running a
// page out of memory for real takes gigabytes.
EMSCRIPTEN_KEEPALIVE void pp_web_fail_next_allocations(int count) { pp::g_failures_asked.store(count > 0 ? count : 0); }

// Called by process_host.js (main thread or relay): takes ownership of `data` (from pp_web_alloc).
EMSCRIPTEN_KEEPALIVE void pp_web_process_event(int transport, int index, int kind, std::uint8_t* data, int size, int code) {
    pp::outside_event_now();
    pp::InboxEvent event;
    event.index = index;
    event.kind = kind;
    event.code = code;
    if (data && size > 0) event.bytes.assign(data, data + size);
    std::free(data);
    pp::push_event(transport, std::move(event));
}

// Called by process_host.js when a reply from worker `index` found no memory on the page (its
// bytes were never copied in): task `task_id` (in two halves: JS numbers are not 64-bit) fails
// at once with an out-of-memory error, instead of looking hung until the watchdog.
EMSCRIPTEN_KEEPALIVE void pp_web_process_reply_lost(int transport, int index, std::uint32_t task_id_low, std::uint32_t task_id_high,
                                                    int lost_size) {
    pp::outside_event_now();
    pp::InboxEvent event;
    event.index = index;
    event.kind = pp::kReplyLost;
    event.code = lost_size;
    event.task_id = (std::uint64_t{task_id_high} << 32) | task_id_low;
    try {
        pp::push_event(transport, std::move(event));
    } catch (const std::bad_alloc&) {
        // Not even this much memory: the task is left to the watchdog, the last resort.
    }
}

// Sets the watchdog's reply timeout for browser processes (see kDefaultReplyTimeoutMs); <= 0
// restores the default. Applies to pools and processes already running, too.
EMSCRIPTEN_KEEPALIVE void pp_set_process_reply_timeout_ms(int timeout_ms) {
    pp::g_reply_timeout_ms.store(timeout_ms > 0 ? timeout_ms : pp::kDefaultReplyTimeoutMs);
}

// The trace clock, read by process_host.js on the main thread when it starts a worker.
EMSCRIPTEN_KEEPALIVE double pp_web_trace_now_ns() {
    pp::outside_event_now();
    return static_cast<double>(pp::trace::now_ns());
}

}  // extern "C"

#if !defined(PP_COOPERATIVE)
extern "C" void pp_relay_run(std::int32_t* wake_counter);  // process_host.js, on the relay thread: installs it, then returns

namespace pp {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] The relay: a pthread on its JS event loop that owns the frames' MessagePorts
//-----------------------------------------------------------------------------

// What the relay takes from its queue (read by process_host.js: keep the layout in step).
struct RelayItem {
    std::int32_t transport;
    std::int32_t index;
    std::int32_t kind;  // 1: post `size` bytes of frames to the worker; 2: forget the transport's ports
    std::int32_t size;
    std::uint8_t data[1];
};

struct Relay {
    std::mutex mutex;
    std::deque<RelayItem*> queue;
    alignas(4) std::int32_t wake_counter = 0;  // bumped and notified for every item; the relay waits on it
    std::atomic<int> thread{0};                // the relay's pthread_t, 0 until it listens
    std::atomic<bool> failed{false};           // it could not be started
    std::atomic<bool> enabled{true};           // tests switch it off to check the main-thread path
};
Relay g_relay;

void relay_push(int transport, int index, int kind, const std::uint8_t* bytes, std::size_t size) {
    auto* item = static_cast<RelayItem*>(std::malloc(sizeof(RelayItem) + size));
    if (!item) throw std::bad_alloc();
    item->transport = transport;
    item->index = index;
    item->kind = kind;
    item->size = static_cast<std::int32_t>(size);
    if (size > 0) std::memcpy(item->data, bytes, size);
    {
        std::lock_guard<std::mutex> lock(g_relay.mutex);
        g_relay.queue.push_back(item);
    }
    __atomic_fetch_add(&g_relay.wake_counter, 1, __ATOMIC_SEQ_CST);
    emscripten_futex_wake(&g_relay.wake_counter, INT_MAX);  // wakes the relay's Atomics.waitAsync
}

// Starts the relay, once, without waiting for it.
void start_relay_thread() {
    if (!g_relay.enabled.load()) return;
    static std::once_flag started;
    std::call_once(started, [] {
        try {
            std::thread([] {
                pp_relay_run(&g_relay.wake_counter);
                g_relay.thread.store(static_cast<int>(pthread_self()));
                emscripten_exit_with_live_runtime();  // back to this worker's event loop, for good
            }).detach();
        } catch (const std::system_error& error) {  // no thread to spare: the main thread relays
            std::fprintf(stderr, "pp::ProcessPool: no relay thread (%s); frames go through the main thread\n", error.what());
            g_relay.failed.store(true);
        }
    });
}

// Starts the relay if need be, and waits (briefly) until it listens. Returns its pthread_t, or 0
// when it could not start in time: then frames go through the main thread, only slower.
int relay_thread() {
    if (!g_relay.enabled.load()) return 0;
    start_relay_thread();
    if (g_relay.failed.load()) return 0;
    for (int waited_ms = 0; g_relay.thread.load() == 0 && waited_ms < 2000; ++waited_ms)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return g_relay.thread.load();
}

void outside_event_now() {}

}  // namespace
}  // namespace pp

extern "C" {

// Tests: 0 makes transports started from now on send and receive through the main thread, as
// when the relay cannot start; 1 restores the relay.
EMSCRIPTEN_KEEPALIVE void pp_use_process_relay(int use) { pp::g_relay.enabled.store(use != 0); }

// The relay's next item (malloc'd: the caller frees it), or null when the queue is empty.
EMSCRIPTEN_KEEPALIVE pp::RelayItem* pp_relay_take() {
    std::lock_guard<std::mutex> lock(pp::g_relay.mutex);
    if (pp::g_relay.queue.empty()) return nullptr;
    pp::RelayItem* item = pp::g_relay.queue.front();
    pp::g_relay.queue.pop_front();
    return item;
}

}  // extern "C"

#else  // PP_COOPERATIVE

namespace pp {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] The single-threaded page: no relay, and a virtual clock to keep in step
//-----------------------------------------------------------------------------

// No pthread to be the relay: every frame goes through the main thread (relay 0), where the
// fibers run anyway, so it costs no extra wait there.
void start_relay_thread() {}
int relay_thread() { return 0; }
void relay_push(int, int, int, const std::uint8_t*, std::size_t) {}  // never called: relay_ is 0

// A worker stamps its trace events in real time, from the page's trace clock at its start. The
// page's clock is virtual; while every fiber waits (for a process) it is paced behind real time,
// so each reply, exit and clock reading catches it up, and the two timelines line up.
void outside_event_now() { platform::cooperative::catch_up_with_real_time(); }

}  // namespace
}  // namespace pp

#endif  // PP_COOPERATIVE

namespace pp {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] WebWorkerTransport
//-----------------------------------------------------------------------------

class WebWorkerTransport final : public WorkerTransport {
public:
    WebWorkerTransport();
    ~WebWorkerTransport() override;

    // Python's multiprocessing names them after the start method; this one is the browser's own.
    const char* process_name_prefix() const override { return "WebWorkerProcess"; }
    void start(int count, Events events) override;
    std::vector<int> pids() const override { return pids_; }
    void send(int index, const std::uint8_t* frame, std::size_t size) override;
    void terminate(int index, bool force) override;
    void join() override {
        if (thread_.joinable()) thread_.join();
    }
    bool on_transport_thread() const override { return thread_id_.load() == sync::this_thread::get_id(); }

private:
    struct Worker {
        std::atomic<bool> exited{false};  // its end was reported: drop sends, ignore terminate
        FrameBuffer incoming;             // transport thread only
        Bytes outgoing;                   // transport thread only: frames sent from callbacks
        // Watchdog: task requests sent and not yet answered, and when it last answered anything.
        std::atomic<int> owed{0};
        std::atomic<std::int64_t> progress_ms{0};
        int hung_after_ms = 0;  // transport thread only: > 0 once the watchdog ended it
    };

    void run();
    void check_watchdog();
    void post(int index, const std::uint8_t* bytes, std::size_t size);
    void flush_outgoing();

    int id_ = 0;
    std::shared_ptr<Inbox> inbox_;
    int relay_ = 0;  // the relay's pthread_t, or 0: frames go through the main thread
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<int> pids_;
    Events events_;
    sync::thread thread_;  // a fiber in the single-threaded page
    std::atomic<sync::thread::id> thread_id_{};
};

WebWorkerTransport::WebWorkerTransport() : inbox_(std::make_shared<Inbox>()) {
    std::lock_guard<std::mutex> lock(g_inboxes_mutex);
    id_ = g_next_transport_id++;
    g_inboxes.emplace(id_, inbox_);
}

WebWorkerTransport::~WebWorkerTransport() {
    if (thread_.joinable()) {
        // Nobody stopped the workers: end them, so the join below ends (every terminate reports).
        for (std::size_t i = 0; i < workers_.size(); ++i) terminate(static_cast<int>(i), true);
        thread_.join();
    }
    {
        std::lock_guard<std::mutex> lock(g_inboxes_mutex);
        g_inboxes.erase(id_);
    }
    for (int pid : pids_) ProcessRegistry::instance().drop_controls(pid);  // they call into this object
    if (!workers_.empty()) {
        pp_process_host_release(id_);
        if (relay_) relay_push(id_, 0, 2, nullptr, 0);
    }
}

void WebWorkerTransport::start(int count, Events events) {
    if (!workers_.empty()) throw std::logic_error("WebWorkerTransport::start called twice");
    if (count < 1) throw std::invalid_argument("WebWorkerTransport::start: count must be >= 1");
    events_ = std::move(events);
    relay_ = relay_thread();
    for (int i = 0; i < count; ++i) {
        workers_.push_back(std::make_unique<Worker>());
        pids_.push_back(g_next_pid++);
    }
    // Queued for the main thread, before any send() (same queue, so in order). Requests wait in
    // process-worker.js while its instance loads. A worker that fails to load reports a crash.
    for (int i = 0; i < count; ++i) {
        const int pid = pids_[static_cast<std::size_t>(i)];
        ProcessRegistry::instance().spawned(pid, false,
                                            {[this, i] { terminate(i, true); },
                                             [this, i] {
                                                 if (!workers_[static_cast<std::size_t>(i)]->exited.load()) pp_process_host_crash(id_, i);
                                             }});
        pp_process_host_spawn(id_, i, pid, relay_);
    }
    thread_ = sync::thread([this] { run(); });
}

void WebWorkerTransport::send(int index, const std::uint8_t* frame, std::size_t size) {
    Worker& worker = *workers_.at(static_cast<std::size_t>(index));
    if (worker.exited.load() || size == 0) return;
    ProcessRegistry::instance().sent(pids_[static_cast<std::size_t>(index)], frame, size);
    int tasks = 0;
    for_each_frame(frame, size, [&](const std::uint8_t* payload, std::size_t length) { tasks += is_task_request(payload, length); });
    // The clock starts when the worker starts to owe something, not when it last answered long ago.
    if (tasks > 0 && worker.owed.fetch_add(tasks) == 0) worker.progress_ms.store(steady_ms());
    // From a callback (a reply made room for more tasks): collected, and posted as one message
    // per worker once this round of events is handled. Each message costs the busy main thread
    // a turn, so many small tasks go much faster this way (as the native transport's one write
    // per poll round).
    if (on_transport_thread()) {
        worker.outgoing.insert(worker.outgoing.end(), frame, frame + size);
        return;
    }
    post(index, frame, size);
}

// To the relay, which posts it on the worker's MessagePort at once; or else a private copy for the
// main thread, which posts (and frees) it whenever it gets to it.
void WebWorkerTransport::post(int index, const std::uint8_t* bytes, std::size_t size) {
    if (relay_) {
        relay_push(id_, index, 1, bytes, size);
        return;
    }
    auto* copy = static_cast<std::uint8_t*>(std::malloc(size));
    if (!copy) throw std::bad_alloc();
    std::memcpy(copy, bytes, size);
    pp_process_host_send(id_, index, copy, size);
}

void WebWorkerTransport::flush_outgoing() {
    for (std::size_t i = 0; i < workers_.size(); ++i) {
        Worker& worker = *workers_[i];
        if (!worker.outgoing.empty() && !worker.exited.load()) post(static_cast<int>(i), worker.outgoing.data(), worker.outgoing.size());
        worker.outgoing.clear();
    }
}

void WebWorkerTransport::terminate(int index, bool force) {
    Worker& worker = *workers_.at(static_cast<std::size_t>(index));
    if (!worker.exited.load()) pp_process_host_terminate(id_, index, force ? 1 : 0);
}

//-----------------------------------------------------------------------------
// [SECTION] The transport thread: frames and exits
//-----------------------------------------------------------------------------

WorkerExit describe_end(int pid, const InboxEvent& event, int hung_after_ms) {
    WorkerExit exit;
    exit.pid = pid;
    const std::string text(event.bytes.begin(), event.bytes.end());
    if (hung_after_ms > 0) {
        exit.signal = 9;
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f", hung_after_ms / 1000.0);
        exit.how = std::string("hung: it owed a reply and answered nothing for ") + seconds +
                   " s (an endless loop, or a task longer than the watchdog allows), so the page's watchdog "
                   "terminated it (Worker.terminate(), reported as SIGKILL)";
    } else if (event.kind == kExited) {
        exit.exit_code = event.code;
        exit.how = "exited with code " + std::to_string(event.code);
    } else if (event.kind == kCrashed) {
        exit.signal = event.code;  // 6, like SIGABRT: the instance trapped or aborted
        exit.how = "crashed (" + text + "); its WebAssembly instance was discarded";
    } else {
        exit.signal = event.code;  // 15 or 9: what terminate() asked for
        exit.how = event.code == 9 ? "was killed (Worker.terminate(), reported as SIGKILL)"
                                   : "was terminated (Worker.terminate(), reported as SIGTERM)";
    }
    return exit;
}

// Ends the workers that owed a reply and answered nothing for the reply timeout. Their end is
// reported like any terminate(), described as hung (describe_end).
void WebWorkerTransport::check_watchdog() {
    const int timeout_ms = g_reply_timeout_ms.load();
    const std::int64_t now = steady_ms();
    for (std::size_t i = 0; i < workers_.size(); ++i) {
        Worker& worker = *workers_[i];
        if (worker.exited.load() || worker.hung_after_ms > 0 || worker.owed.load() <= 0) continue;
        const std::int64_t silent_ms = now - worker.progress_ms.load();
        if (silent_ms < timeout_ms) continue;
        worker.hung_after_ms = static_cast<int>(silent_ms);
        std::fprintf(stderr, "pp::ProcessPool: browser process %d answered nothing for %lld ms; terminating it as hung\n", pids_[i],
                     static_cast<long long>(silent_ms));
        terminate(static_cast<int>(i), true);
    }
}

void WebWorkerTransport::run() {
    thread_id_.store(sync::this_thread::get_id());
    std::size_t reported = 0;
    std::deque<InboxEvent> batch;
    while (reported < workers_.size()) {
        {
            std::unique_lock<std::mutex> lock(inbox_->mutex);
            // Wake at least every quarter of the timeout (and every second at most) to run the watchdog.
            const int check_ms = std::clamp(g_reply_timeout_ms.load() / 4, 10, 1000);
            inbox_->ready.wait_for(lock, std::chrono::milliseconds(check_ms), [&] { return !inbox_->events.empty(); });
            batch.swap(inbox_->events);
        }
        for (InboxEvent& event : batch) {
            if (event.index < 0 || static_cast<std::size_t>(event.index) >= workers_.size()) continue;
            Worker& worker = *workers_[static_cast<std::size_t>(event.index)];
            if (worker.exited.load()) continue;
            const int pid = pids_[static_cast<std::size_t>(event.index)];
            if (event.kind == kReady) {
                ProcessRegistry::instance().ready(pid);
                continue;
            }
            if (event.kind == kReplyLost) {
                // What the pool would have got had the task thrown std::bad_alloc: its future
                // fails with that, and the pool and this worker carry on.
                Reply lost;
                lost.kind = ReplyKind::Raised;
                lost.task_id = event.task_id;
                lost.worker_pid = pid;
                lost.exception_type = "std::bad_alloc";
                lost.exception_message = "the page ran out of memory receiving this task's reply (" + std::to_string(event.code) +
                                         " bytes) from browser process " + std::to_string(pid) + "; the task ran, but its result is lost";
                ByteWriter payload;
                write_value(payload, lost);
                worker.owed.fetch_sub(1);
                worker.progress_ms.store(steady_ms());
                events_.on_reply(event.index, payload.bytes().data(), payload.size());
                continue;
            }
            if (event.kind == kReply) {
                std::uint8_t* space = worker.incoming.prepare(event.bytes.size());
                std::memcpy(space, event.bytes.data(), event.bytes.size());
                worker.incoming.commit(event.bytes.size());
                const std::uint8_t* payload = nullptr;
                std::size_t size = 0;
                try {
                    while (worker.incoming.next(payload, size)) {
                        ProcessRegistry::instance().received(pid, payload, size);
                        const ReplyKind kind = peek_reply_kind(payload, size);
                        if (ends_task(kind)) worker.owed.fetch_sub(1);
                        worker.progress_ms.store(steady_ms());  // a Variable shows it is alive, too
                        events_.on_reply(event.index, payload, size);
                    }
                } catch (const SerializationError& error) {
                    // A length that cannot be right: the stream is lost. End the worker; its exit breaks the pool.
                    std::fprintf(stderr, "pp::ProcessPool: worker pid %d: %s\n", pids_[static_cast<std::size_t>(event.index)],
                                 error.what());
                    terminate(event.index, true);
                }
                continue;
            }
            worker.exited.store(true);
            ++reported;
            const WorkerExit exit = describe_end(pid, event, worker.hung_after_ms);
            ProcessRegistry::instance().ended(pid, exit);
            events_.on_exit(event.index, exit);
        }
        batch.clear();
        flush_outgoing();
        check_watchdog();
    }
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] make_default_worker_transport
//-----------------------------------------------------------------------------

std::unique_ptr<WorkerTransport> make_default_worker_transport() { return std::make_unique<WebWorkerTransport>(); }
void prepare_default_worker_transport(int spare_processes) {
    start_relay_thread();  // its start is another hop through the main thread: not at the first pool
    pp_process_host_prepare(spare_processes);
}

}  // namespace pp
