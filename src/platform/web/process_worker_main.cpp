// The entry point of a browser "process": the process_worker program (dist/process_worker.js/.wasm).
//
// Each browser process is one Web Worker running its OWN instance of this program: its own linear
// memory, no SharedArrayBuffer, so nothing is shared with the page or with other workers. It is
// built without -pthread (a second configuration of CMakeLists.txt, PP_WASM_PROCESS_WORKER=ON).
// web/process-worker.js feeds it request frames (4-byte length + payload, core/process_protocol.hpp)
// that the page posted, and posts back the reply frames it writes: the same bytes, and the same
// pp::WorkerLoop, as a native fork()ed worker (platform/posix/worker_process.cpp).
//
// Index of this file
// [SECTION] Exports called by web/process-worker.js
// [SECTION] nanosleep: sleep without burning the CPU
// [SECTION] make_default_worker_transport: no processes inside a process worker
#include "core/ids.hpp"
#include "core/process_protocol.hpp"
#include "core/trace.hpp"
#include "core/worker_channel.hpp"
#include "core/worker_loop.hpp"
#include "core/worker_transport.hpp"

#include <emscripten.h>

#include <time.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <exception>
#include <stdexcept>

namespace {

pp::WorkerLoop g_loop;
pp::FrameBuffer g_incoming;
std::size_t g_prepared = 0;

// Posts bytes (whole reply frames) to the page, through the hook process-worker.js installed.
EM_JS(void, pp_worker_post_replies, (const std::uint8_t* data, std::size_t size), {
    Module['ppPostReplies'](HEAPU8.slice(data, data + size));
});

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Exports called by web/process-worker.js
//-----------------------------------------------------------------------------

extern "C" {

// Once, before the first frame. `pid`: the simulated id the page assigned (this is a WebAssembly
// instance, not an OS process). `parent_now_ns`: the page's trace clock (trace::now_ns()) at this
// moment, so this instance's events and printed lines line up with the page's timeline.
// Called after a task has run, earlier trace lanes would keep the old pid and clock.
EMSCRIPTEN_KEEPALIVE void pp_worker_start(int pid, double parent_now_ns) {
    pp::set_simulated_pid(pid);
    pp::set_worker_channel(&pp_worker_post_replies);  // publish_variable(), print(): posted to the page at once
    if (std::isfinite(parent_now_ns))
        pp::trace::set_clock_offset_ns(static_cast<std::int64_t>(parent_now_ns) - pp::trace::now_ns());
}

// Space for `size` incoming bytes; write them there, then call pp_worker_handle(size). The
// pointer is valid until the next call of either (the buffer may move when it grows).
EMSCRIPTEN_KEEPALIVE std::uint8_t* pp_worker_buffer(std::size_t size) {
    g_prepared = size;
    return g_incoming.prepare(size);
}

// Handles every whole request frame received so far, posting each reply as soon as it is
// written. Returns -1 to keep serving, or the exit code (>= 0) this "process" ends with: 0 after a
// Stop request or a pp::Process's only task, 1 when that task threw, 70 for a corrupt stream.
// A trap or abort() inside a task is not caught here: it unwinds into process-worker.js as a
// JavaScript exception, which reports the crash.
EMSCRIPTEN_KEEPALIVE int pp_worker_handle(std::size_t size) {
    if (size > g_prepared) size = g_prepared;  // never commit bytes that were not prepared
    g_incoming.commit(size);
    g_prepared = 0;
    pp::ByteWriter replies;
    const std::uint8_t* payload = nullptr;
    std::size_t length = 0;
    try {
        while (g_incoming.next(payload, length)) {
            const pp::WorkerStep step = g_loop.handle(payload, length, replies);
            if (replies.size() > 0) {
                pp_worker_post_replies(replies.bytes().data(), replies.size());
                replies.clear();
            }
            if (step.exit) {
                std::fflush(nullptr);
                return step.exit_code;
            }
        }
    } catch (const std::exception& error) {
        // A request header that does not decode: nothing after it can be trusted (as natively).
        std::fprintf(stderr, "pp process worker %d: corrupt request stream: %s\n", pp::current_pid(), error.what());
        return 70;  // EX_SOFTWARE
    }
    return -1;
}

// The process panel's Crash button, for a worker that is between tasks: a trap instruction, as a
// bug would execute. It unwinds into process-worker.js, which reports the crash.
EMSCRIPTEN_KEEPALIVE void pp_worker_crash() {
    std::fprintf(stderr, "pp process worker %d: asked to crash (the process panel)\n", pp::current_pid());
    __builtin_trap();
}

}  // extern "C"

//-----------------------------------------------------------------------------
// [SECTION] nanosleep: sleep without burning the CPU
//-----------------------------------------------------------------------------
// Without -pthread, emscripten's libc sleeps by spinning on the clock (emscripten_thread_sleep),
// so a "process" that waits (time.sleep, a simulated download) would keep a core busy and slow
// down every other worker. std::this_thread::sleep_for ends in nanosleep(), so this program
// defines it: Atomics.wait on a private 4-byte SharedArrayBuffer (shared with nobody), which a
// Web Worker may block on. Where SharedArrayBuffer is missing (a page that is not isolated), the
// cell is the buffer of a small shared WebAssembly.Memory, which some browsers (Chromium) still
// allow there; where that fails too, it spins like libc. The cell is the page's control cell for
// this worker when it sent one: setting it to 1 (the panel's Crash button) wakes the sleep, and
// the worker traps.
namespace {
// Returns 1 when the page asked this worker to crash.
EM_JS(int, pp_worker_wait_ms, (double ms), {
    if (Module['ppControlCell'] === undefined) {  // false: no memory to wait on here
        var cell = false;
        try {
            cell = new Int32Array(typeof SharedArrayBuffer === 'function'
                                      ? new SharedArrayBuffer(4)
                                      : new WebAssembly.Memory({initial: 1, maximum: 1, shared: true}).buffer, 0, 1);
        } catch (error) {
        }
        Module['ppControlCell'] = cell;
    }
    if (Module['ppControlCell']) {
        Atomics.wait(Module['ppControlCell'], 0, 0, ms);
        return Atomics.load(Module['ppControlCell'], 0) === 1 ? 1 : 0;
    }
    var end = performance.now() + ms;
    while (performance.now() < end) {}
    return 0;
});
}  // namespace

extern "C" int nanosleep(const struct timespec* request, struct timespec* remaining) {
    if (!request || request->tv_nsec < 0 || request->tv_nsec > 999999999L || request->tv_sec < 0) {
        errno = EINVAL;
        return -1;
    }
    if (pp_worker_wait_ms(static_cast<double>(request->tv_sec) * 1000.0 + static_cast<double>(request->tv_nsec) / 1e6))
        pp_worker_crash();  // woken by the Crash button: trap inside the task, where a bug would
    if (remaining) *remaining = timespec{0, 0};
    return 0;
}

//-----------------------------------------------------------------------------
// [SECTION] make_default_worker_transport: no processes inside a process worker
//-----------------------------------------------------------------------------

namespace pp {

// The lessons' code is linked in whole (for their registered tasks), and it can create pools.
// A task that does so inside a browser process fails loudly instead of pretending.
std::unique_ptr<WorkerTransport> make_default_worker_transport() {
    throw std::runtime_error(
        "a browser process (an isolated WebAssembly instance in a Web Worker) cannot start processes of its "
        "own: only the page can create Web Workers for them");
}
void prepare_default_worker_transport(int) {}

}  // namespace pp
