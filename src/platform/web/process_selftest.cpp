// Self-checks and measurements of the page's browser processes, driven by the browser tests
// (tests/browser/processes.test.mjs) through two exported functions. Linked into BOTH WebAssembly
// programs: the page runs the checks, and process_worker.wasm needs the same registered tasks
// (a worker finds a task by name in its own registry, like a fork()ed child).
//
// Index of this file
// [SECTION] Tasks (run inside the process workers)
// [SECTION] Checks: crash, hang, watchdog, bench, out of memory, nested pool
// [SECTION] Exports: pp_process_selftest_start / pp_process_selftest_result
#include "core/errors.hpp"
#include "core/future.hpp"
#include "core/ids.hpp"
#include "core/process_pool_executor.hpp"
#include "core/program_image.hpp"
#include "core/task_registry.hpp"

#include <emscripten.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

// The page's transport (web_worker_transport.cpp). Weak: process_worker.wasm links this file too
// and has no transport; only the page runs the checks.
extern "C" __attribute__((weak)) void pp_set_process_reply_timeout_ms(int timeout_ms);
extern "C" __attribute__((weak)) void pp_web_fail_next_allocations(int count);

namespace pp::web_selftest {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Tasks (run inside the process workers)
//-----------------------------------------------------------------------------

int square(int n) { return n * n; }
PP_REGISTER_TASK_AS(square, "web_selftest.square");

// Ends the worker's instance the way a bug would: 0 calls abort(), 1 executes a trap instruction.
int crash(int how) {
    if (how == 0) std::abort();
    __builtin_trap();
}
PP_REGISTER_TASK_AS(crash, "web_selftest.crash");

int noop(int n) { return n; }
PP_REGISTER_TASK_AS(noop, "web_selftest.noop");

// Never returns, and never answers anything else: only Worker.terminate() ends it.
int spin(int) {
    volatile bool forever = true;
    while (forever) {
    }
    return 0;
}
PP_REGISTER_TASK_AS(spin, "web_selftest.spin");

// A pool inside a process's task: Python allows it; a browser process cannot start Web Workers.
int square_in_nested_pool(int n) {
    ProcessPoolExecutor inner(1);
    return inner.submit(square_task, n).result();
}
PP_REGISTER_TASK_AS(square_in_nested_pool, "web_selftest.square_in_nested_pool");

//-----------------------------------------------------------------------------
// [SECTION] Checks: crash, hang, watchdog, bench, out of memory, nested pool
//-----------------------------------------------------------------------------

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += ' ';
            continue;
        }
        out += c;
    }
    return out + "\"";
}

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// A task that traps breaks its pool (BrokenProcessPool for its future and for later submits);
// a new pool works afterwards.
std::string check_crash(int how) {
    std::string json = "{";
    {
        ProcessPoolExecutor pool(2);
        Future<int> crashed = pool.submit(crash_task, how);
        try {
            crashed.result();
            json += "\"crash_error\":\"none\"";
        } catch (const BrokenProcessPool& error) {
            json += "\"crash_error\":\"BrokenProcessPool\",\"crash_message\":" + quoted(error.what());
        } catch (const std::exception& error) {
            json += "\"crash_error\":" + quoted(error.what());
        }
        try {
            static_cast<void>(pool.submit(square_task, 3));
            json += ",\"submit_after\":\"accepted\"";
        } catch (const BrokenProcessPool&) {
            json += ",\"submit_after\":\"BrokenProcessPool\"";
        }
    }
    ProcessPoolExecutor pool(2);
    const std::vector<int> squares = pool.map(square_task, std::vector<int>{1, 2, 3, 4, 5});
    json += ",\"new_pool\":[";
    for (std::size_t i = 0; i < squares.size(); ++i) json += (i ? "," : "") + std::to_string(squares[i]);
    return json + "]}";
}

// A worker that never answers cannot hang shutdown(): after the grace period it is terminated,
// and its task fails with BrokenProcessPool.
std::string check_hang() {
    ProcessPoolOptions options;
    options.max_workers = 1;
    options.shutdown_grace = std::chrono::milliseconds(300);
    std::string json = "{";
    const auto start = std::chrono::steady_clock::now();
    {
        ProcessPoolExecutor pool(options);
        Future<int> stuck = pool.submit(spin_task, 0);
        pool.shutdown(true);
        json += "\"shutdown_ms\":" + std::to_string(static_cast<int>(ms_since(start)));
        try {
            stuck.result();
            json += ",\"hang_error\":\"none\"";
        } catch (const BrokenProcessPool& error) {
            json += ",\"hang_error\":\"BrokenProcessPool\",\"hang_message\":" + quoted(error.what());
        }
    }
    return json + "}";
}

// A worker in an endless loop fires no event: the watchdog ends it once it has owed a reply for
// the (here shortened) timeout, and its task fails with BrokenProcessPool saying it hung. The
// other worker of the pool is ended with it; a new pool works.
std::string check_watchdog() {
    if (!pp_set_process_reply_timeout_ms) return "{\"error\":\"no browser process transport here\"}";
    // 1.5 s for this block's pool, and the default again however the block ends (an exception
    // too): later pools must not get the short limit.
    struct ShortWatchdog {
        ShortWatchdog() { pp_set_process_reply_timeout_ms(1500); }
        ~ShortWatchdog() { pp_set_process_reply_timeout_ms(0); }
    };
    std::string json = "{";
    const auto start = std::chrono::steady_clock::now();
    {
        ShortWatchdog short_watchdog;
        ProcessPoolExecutor pool(2);
        Future<int> stuck = pool.submit(spin_task, 0);
        try {
            stuck.result();
            json += "\"watchdog_error\":\"none\"";
        } catch (const BrokenProcessPool& error) {
            json += "\"watchdog_error\":\"BrokenProcessPool\",\"watchdog_message\":" + quoted(error.what());
        }
        json += ",\"broken_after_ms\":" + std::to_string(static_cast<int>(ms_since(start)));
    }
    ProcessPoolExecutor pool(2);
    json += ",\"new_pool\":" + std::to_string(pool.submit(square_task, 12).result());
    return json + "}";
}

// The page's low memory (addresses 0 to 255): what a copy through a null pointer would overwrite.
std::string low_memory() {
    char* text = reinterpret_cast<char*>(EM_ASM_INT({
        var bytes = Array.from(HEAPU8.subarray(0, 256));
        var text = bytes.join(',');
        var out = _malloc(text.length + 1);
        stringToUTF8(text, out, text.length + 1);
        return out;
    }));
    std::string copy = text ? text : "";
    std::free(text);
    return copy;
}

template <class Body>
std::string with_result_of(const char* key, Body body) {
    try {
        return std::string("\"") + key + "\":" + std::to_string(body());
    } catch (const std::exception& error) {
        return std::string("\"") + key + "_error\":" + quoted(error.what());
    }
}

// A reply that finds no memory on the page (malloc returned 0) fails its own task with a clear
// error, instead of being written over address 0 and lost (its task then looked hung). The pool,
// its worker and the next task carry on.
std::string check_reply_out_of_memory() {
    if (!pp_web_fail_next_allocations) return "{\"error\":\"no browser process transport here\"}";
    std::string json = "{";
    ProcessPoolExecutor pool(1);
    json += with_result_of("before", [&] { return pool.submit(square_task, 2).result(std::chrono::seconds(20)); });
    const std::string low_before = low_memory();
    pp_web_fail_next_allocations(1);
    Future<int> lost = pool.submit(square_task, 7);
    try {
        json += ",\"lost\":" + std::to_string(lost.result(std::chrono::seconds(20)));
    } catch (const RemoteTaskError& error) {
        json += ",\"lost_error\":\"RemoteTaskError\",\"lost_type\":" + quoted(error.type_name()) +
                ",\"lost_message\":" + quoted(error.message());
    } catch (const std::exception& error) {
        json += ",\"lost_error\":" + quoted(error.what());
    }
    pp_web_fail_next_allocations(0);
    json += std::string(",\"low_memory_unchanged\":") + (low_memory() == low_before ? "true" : "false");
    json += "," + with_result_of("after", [&] { return pool.submit(square_task, 8).result(std::chrono::seconds(20)); });
    json += std::string(",\"broken\":") + (pool.broken() ? "true" : "false");
    return json + "}";
}

// The program lesson's "where did this program come from": with no memory for the answer it
// knows nothing (and writes nothing at address 0); then it knows again.
std::string check_program_image_out_of_memory() {
    if (!pp_web_fail_next_allocations) return "{\"error\":\"no browser process transport here\"}";
    const std::string low_before = low_memory();
    pp_web_fail_next_allocations(1);
    const ProgramImage starved = program_image();
    pp_web_fail_next_allocations(0);
    const bool unchanged = low_memory() == low_before;
    const ProgramImage fed = program_image();
    return "{\"starved_location\":" + quoted(starved.location) + ",\"low_memory_unchanged\":" +
           (unchanged ? "true" : "false") + ",\"location\":" + quoted(fed.location) + "}";
}

// A task that creates a pool of its own: natively it works (as in Python); in a browser process
// it fails with a clear error, and the pool carries on.
std::string check_nested_pool() {
    std::string json = "{";
    ProcessPoolExecutor pool(1);
    try {
        json += "\"nested\":" + std::to_string(pool.submit(square_in_nested_pool_task, 7).result(std::chrono::seconds(20)));
    } catch (const RemoteTaskError& error) {
        json += "\"nested_error\":\"RemoteTaskError\",\"nested_message\":" + quoted(error.message());
    } catch (const std::exception& error) {
        json += "\"nested_error\":" + quoted(error.what());
    }
    json += "," + with_result_of("after", [&] { return pool.submit(square_task, 8).result(std::chrono::seconds(20)); });
    return json + "}";
}

// Spawn to first result (4 processes), the round trip of one tiny task, and a map of 10k tiny
// tasks on 4 processes.
std::string bench() {
    const auto spawned = std::chrono::steady_clock::now();
    ProcessPoolExecutor pool(4);
    std::vector<Future<int>> first;
    for (int i = 0; i < 4; ++i) first.push_back(pool.submit(noop_task, i));
    first[0].result();
    const double first_ms = ms_since(spawned);
    for (auto& f : first) f.result();
    const double all_four_ms = ms_since(spawned);

    std::vector<double> trips;
    for (int i = 0; i < 200; ++i) {
        const auto start = std::chrono::steady_clock::now();
        pool.submit(noop_task, i).result();
        trips.push_back(ms_since(start));
    }
    std::sort(trips.begin(), trips.end());

    std::vector<int> inputs(10000);
    std::iota(inputs.begin(), inputs.end(), 0);
    const auto mapped = std::chrono::steady_clock::now();
    const std::vector<int> outputs = pool.map(noop_task, inputs);
    const double map_ms = ms_since(mapped);
    const bool map_ok = outputs == inputs;

    char json[400];
    std::snprintf(json, sizeof json,
                  "{\"spawn_to_first_result_ms\":%.2f,\"spawn_to_all_four_ms\":%.2f,\"round_trip_median_ms\":%.3f,"
                  "\"round_trip_p90_ms\":%.3f,\"map_10k_ms\":%.1f,\"map_10k_tasks_per_s\":%.0f,\"map_ok\":%s}",
                  first_ms, all_four_ms, trips[trips.size() / 2], trips[trips.size() * 9 / 10], map_ms,
                  10000.0 / (map_ms / 1000.0), map_ok ? "true" : "false");
    return json;
}

// Spawn to first result and to all results with `processes` processes, one tiny task each: the
// cost of starting them (bench/browser_processes.mjs runs 1, 4 and 16 on a cold page).
std::string spawn(int processes) {
    const auto spawned = std::chrono::steady_clock::now();
    ProcessPoolExecutor pool(processes);
    std::vector<Future<int>> results;
    for (int i = 0; i < processes; ++i) results.push_back(pool.submit(noop_task, i));
    results[0].result();
    const double first_ms = ms_since(spawned);
    for (auto& f : results) f.result();
    const double all_ms = ms_since(spawned);
    char json[160];
    std::snprintf(json, sizeof json, "{\"processes\":%d,\"spawn_to_first_result_ms\":%.2f,\"spawn_to_all_ms\":%.2f}",
                  processes, first_ms, all_ms);
    return json;
}

//-----------------------------------------------------------------------------
// [SECTION] Exports: pp_process_selftest_start / pp_process_selftest_result
//-----------------------------------------------------------------------------

std::mutex g_mutex;
std::string g_result;  // "" while running
bool g_running = false;

}  // namespace
}  // namespace pp::web_selftest

extern "C" {

// Starts a check on its own thread (the browser's main thread must never wait for processes):
// "crash-abort", "crash-trap", "hang", "watchdog", "bench", "reply-oom", "image-oom" or
// "nested-pool", or "spawn-N" (N processes, 1 to 64). Returns 0 if another check is still running.
EMSCRIPTEN_KEEPALIVE int pp_process_selftest_start(const char* which) {
    using namespace pp::web_selftest;
    const std::string name = which ? which : "";
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        if (g_running) return 0;
        g_running = true;
        g_result.clear();
    }
    std::thread([name] {
        std::string result;
        try {
            if (name == "crash-abort") result = check_crash(0);
            else if (name == "crash-trap") result = check_crash(1);
            else if (name == "hang") result = check_hang();
            else if (name == "watchdog") result = check_watchdog();
            else if (name == "bench") result = bench();
            else if (name == "reply-oom") result = check_reply_out_of_memory();
            else if (name == "image-oom") result = check_program_image_out_of_memory();
            else if (name == "nested-pool") result = check_nested_pool();
            else if (name.rfind("spawn-", 0) == 0 && std::atoi(name.c_str() + 6) >= 1 && std::atoi(name.c_str() + 6) <= 64)
                result = spawn(std::atoi(name.c_str() + 6));
            else result = "{\"error\":" + quoted("unknown check '" + name + "'") + "}";
        } catch (const std::exception& error) {
            result = "{\"error\":" + quoted(error.what()) + "}";
        }
        std::lock_guard<std::mutex> lock(g_mutex);
        g_result = result;
        g_running = false;
    }).detach();
    return 1;
}

// The last check's JSON, or "" while it runs. The pointer is valid until the next start.
EMSCRIPTEN_KEEPALIVE const char* pp_process_selftest_result() {
    using namespace pp::web_selftest;
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_running ? "" : g_result.c_str();
}

}  // extern "C"
