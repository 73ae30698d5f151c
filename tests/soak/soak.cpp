// pp_soak: long runs, pool churn and chaos for the native executors. Every scenario counts what
// it tried and what went wrong, prints the figures, and the program fails if anything went wrong.
//
//   build/native/pp_soak               the short form, about a minute (CTest: Soak.short):
//                                      100,000 thread tasks, 100,000 fork tasks, 200 churn cycles, 300 chaos runs
//   build/native/pp_soak --long        the figures: 1,000,000 thread-pool tasks, 1,000,000 fork-pool
//                                      tasks, 1,000 churn cycles of a 4-process pool, 1,000 chaos runs
//   --only threads|fork|churn|chaos    one scenario;  --seed N   the chaos plan (default 1)
//
// Index of this file
// [SECTION] Measuring: resident memory, open descriptors, zombies
// [SECTION] Watchdog: a step that makes no progress for a minute is a hang
// [SECTION] Long runs: thread pool and fork pool, memory and descriptors after warm-up
// [SECTION] Pool churn: create and destroy a 4-process pool, again and again
// [SECTION] Chaos: one worker ended at a random moment, sometimes the fork server too
// [SECTION] main
#include "../native/process_test_tasks.hpp"

#include "core/thread_pool_executor.hpp"
#include "platform/posix/fork_server.hpp"

#include <dirent.h>
#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using pp_test::zombies_of_this_test;

namespace {

bool g_failed = false;

// Prints a failed check and remembers it: the program's exit code.
void check(bool ok, const std::string& what) {
    if (ok) return;
    g_failed = true;
    std::printf("  FAILED: %s\n", what.c_str());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

//-----------------------------------------------------------------------------
// [SECTION] Measuring: resident memory, open descriptors, zombies
//-----------------------------------------------------------------------------

// Resident memory of a process, in KiB (0 if it is gone).
long resident_kib(int pid) {
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    long pages_total = 0, pages_resident = 0;
    if (!(statm >> pages_total >> pages_resident)) return 0;
    return pages_resident * (::sysconf(_SC_PAGESIZE) / 1024);
}
long resident_kib() { return resident_kib(static_cast<int>(::getpid())); }

// This process's resident memory once the allocator has handed its free pages back. When the
// workers are descheduled (a busy machine), a whole batch waits in the queue at once and the heap
// grows by that batch; glibc may keep the freed pages resident for good, which reads as a step
// up with no byte leaked (seen under load: in use 100 KB before and after, free 0.7 MB to 3.3 MB).
// After malloc_trim only live blocks and their fragmentation stay resident: what a leak grows.
long resident_kib_after_trim() {
#ifdef __GLIBC__
    ::malloc_trim(0);
#endif
    return resident_kib();
}

long resident_kib_of(const std::vector<int>& pids) {
    long total = 0;
    for (int pid : pids) total += resident_kib(pid);
    return total;
}

int open_descriptors() {
    DIR* fds = ::opendir("/proc/self/fd");
    if (!fds) return -1;
    int count = 0;
    while (dirent* entry = ::readdir(fds))
        if (entry->d_name[0] != '.') ++count;
    ::closedir(fds);
    return count - 1;  // the directory's own descriptor
}

double growth_percent(long before, long after) { return before > 0 ? 100.0 * (after - before) / before : 0.0; }

// Zombies among our children and the fork server's, allowing a moment for reaping in flight.
std::size_t zombies_now() {
    std::size_t zombies = 0;
    pp_test::poll_until([&] { return (zombies = zombies_of_this_test().size()) == 0; }, 2s, 10ms);
    return zombies;
}

//-----------------------------------------------------------------------------
// [SECTION] Watchdog: a step that makes no progress for a minute is a hang
//-----------------------------------------------------------------------------
// Every scenario calls progress() after each step, which re-arms alarm(): if it ever fires, the
// step hung. An alarm, not a watchdog thread: the chaos restarts the fork server lazily, which is
// only safe while this program has a single thread.
constexpr unsigned kHangSeconds = 60;
const char* volatile g_step = "start";

void on_alarm(int) {
    const char head[] = "HANG: no progress for 60 s in step '";
    [[maybe_unused]] ssize_t ignored = ::write(1, head, sizeof head - 1);
    ignored = ::write(1, g_step, std::strlen(g_step));
    ignored = ::write(1, "'\n", 2);
    ::_exit(3);
}

void progress(const char* step) {
    g_step = step;
    ::alarm(kHangSeconds);
}

void start_watchdog() {
    ::signal(SIGALRM, on_alarm);
    progress("start");
}

//-----------------------------------------------------------------------------
// [SECTION] Long runs: thread pool and fork pool, memory and descriptors after warm-up
//-----------------------------------------------------------------------------
// Tasks go in batches of 10,000 (submit all, then collect), resident memory sampled after each
// (this process's after malloc_trim, see resident_kib_after_trim).
// The first tenth (two batches at least) is the warm-up: allocators and pools reach their working
// size there. Resident memory then swings with the allocator (a few %, batch to batch), so what
// is judged is its high-water mark: the second half's highest sample against the first half's.
// It may step up once (glibc grows an arena or its trim threshold: CI saw +260 KiB, 3 %, in the
// short form), so the bound is per task, not a percentage: a leak loses at least one malloc block
// per task, 32 bytes on 64-bit glibc, and the growth must stay under half of that.
// Open descriptors must not change at all.
constexpr long kBatch = 10'000;
constexpr double kLeakBytesPerTask = 16.0;  // half of glibc's smallest block (MINSIZE, 32 bytes)

long warm_up_batches(long tasks) {
    const long batches = (tasks + kBatch - 1) / kBatch;
    return std::max(2L, batches / 10);  // two at least: the second batch still finds new high-water marks
}

struct Steady {
    std::vector<long> rss_kib;  // after each batch past the warm-up
    int fds_warm = -1, fds_end = 0;
    void sample(long rss, int fds) {
        rss_kib.push_back(rss);
        if (fds_warm < 0) fds_warm = fds;
        fds_end = fds;
    }
    // Tasks run between the first half's last sample and the end: the ones a leak would show in.
    long tasks_in_second_half() const { return static_cast<long>(rss_kib.size() - rss_kib.size() / 2) * kBatch; }
    void report(const char* who) const {
        const std::size_t half = rss_kib.size() / 2;
        const long first = half ? *std::max_element(rss_kib.begin(), rss_kib.begin() + static_cast<long>(half)) : 0;
        const long second = half ? *std::max_element(rss_kib.begin() + static_cast<long>(half), rss_kib.end()) : 0;
        const long lowest = rss_kib.empty() ? 0 : *std::min_element(rss_kib.begin(), rss_kib.end());
        const std::string descriptors =
            fds_warm < 0 ? std::string() : "; open descriptors " + std::to_string(fds_warm) + " -> " + std::to_string(fds_end);
        const double bytes_per_task = half ? 1024.0 * static_cast<double>(second - first) / static_cast<double>(tasks_in_second_half()) : 0;
        std::printf("  %-8s resident after warm-up (%zu samples): high-water %ld KiB in the first half, %ld KiB in the "
                    "second: %+.2f %%, %+.1f bytes per task (lowest %ld)%s\n",
                    who, rss_kib.size(), first, second, growth_percent(first, second), bytes_per_task, lowest, descriptors.c_str());
        check(half > 0, std::string(who) + ": too few batches after the warm-up to compare");
        check(bytes_per_task < kLeakBytesPerTask, std::string(who) + ": resident memory grew by 16 bytes or more per task (a leak)");
        if (fds_warm >= 0) check(fds_end == fds_warm, std::string(who) + ": open descriptors changed");
    }
};

void thread_pool_long_run(long tasks) {
    std::printf("thread pool: %ld tasks on 4 threads, in batches of %ld\n", tasks, kBatch);
    const auto start = std::chrono::steady_clock::now();
    long wrong = 0, failed = 0, done = 0;
    Steady parent;
    {
        pp::ThreadPoolExecutor pool(4);
        std::vector<pp::Future<long>> futures;
        futures.reserve(kBatch);
        for (long first = 0; first < tasks; first += kBatch) {
            futures.clear();
            for (long i = first; i < first + kBatch && i < tasks; ++i) futures.push_back(pool.submit([i] { return i * 2; }));
            for (long i = 0; i < static_cast<long>(futures.size()); ++i) {
                try {
                    wrong += futures[static_cast<std::size_t>(i)].result() != (first + i) * 2;
                } catch (const std::exception&) {
                    ++failed;
                }
                ++done;
            }
            futures.clear();
            progress("thread pool batch");
            if (first / kBatch >= warm_up_batches(tasks)) parent.sample(resident_kib_after_trim(), open_descriptors());
        }
    }
    const double elapsed = seconds_since(start);
    std::printf("  tried %ld, wrong result %ld, failed %ld; %.1f s, %.0f tasks/s\n", done, wrong, failed, elapsed, done / elapsed);
    parent.report("parent");
    check(done == tasks && wrong == 0 && failed == 0, "thread pool: every task must return its own result");
}

void fork_pool_long_run(long tasks) {
    std::printf("fork pool: %ld tasks on 2 worker processes, in batches of %ld\n", tasks, kBatch);
    const auto start = std::chrono::steady_clock::now();
    long wrong = 0, failed = 0, done = 0;
    Steady parent, workers;
    const int fds_before_pool = open_descriptors();
    {
        pp::ProcessPoolOptions options;
        options.max_workers = 2;
        options.tasks_in_flight_per_worker = 16;
        pp::ProcessPoolExecutor pool(options);
        const std::vector<int> pids = pool.worker_pids();
        std::vector<pp::Future<int>> futures;
        futures.reserve(kBatch);
        for (long first = 0; first < tasks; first += kBatch) {
            futures.clear();
            for (long i = first; i < first + kBatch && i < tasks; ++i)
                futures.push_back(pool.submit(pp_test::identity_task, static_cast<int>(i)));
            for (long i = 0; i < static_cast<long>(futures.size()); ++i) {
                try {
                    wrong += futures[static_cast<std::size_t>(i)].result(30s) != first + i;
                } catch (const std::exception&) {
                    ++failed;
                }
                ++done;
            }
            futures.clear();
            progress("fork pool batch");
            if (first / kBatch >= warm_up_batches(tasks)) {
                parent.sample(resident_kib_after_trim(), open_descriptors());  // while the pool lives: its sockets count
                workers.sample(resident_kib_of(pids), -1);
            }
        }
    }
    const int fds_after_pool = open_descriptors();
    const double elapsed = seconds_since(start);
    std::printf("  tried %ld, wrong result %ld, failed %ld; %.1f s, %.0f tasks/s\n", done, wrong, failed, elapsed, done / elapsed);
    parent.report("parent");
    workers.report("workers");
    const std::size_t zombies = zombies_now();
    std::printf("  after the pool: zombies %zu, open descriptors %d (before it: %d)\n", zombies, fds_after_pool, fds_before_pool);
    check(zombies == 0, "fork pool: zombies left");
    check(fds_after_pool == fds_before_pool, "fork pool: descriptors left open after the pool");
    check(done == tasks && wrong == 0 && failed == 0, "fork pool: every task must return its own result");
}

//-----------------------------------------------------------------------------
// [SECTION] Pool churn: create and destroy a 4-process pool, again and again
//-----------------------------------------------------------------------------

void pool_churn(int cycles) {
    std::printf("pool churn: %d create/destroy cycles of a 4-process pool, one task per worker\n", cycles);
    const auto start = std::chrono::steady_clock::now();
    int failed = 0, cycles_with_zombies = 0, worst_fd_delta = 0;
    double slowest_s = 0;
    int fds_before = 0;
    for (int cycle = 0; cycle < cycles; ++cycle) {
        const auto cycle_start = std::chrono::steady_clock::now();
        try {
            pp::ProcessPoolExecutor pool(4);
            std::vector<pp::Future<int>> futures;
            for (int i = 0; i < 4; ++i) futures.push_back(pool.submit(pp_test::square_task, cycle + i));
            for (int i = 0; i < 4; ++i) failed += futures[static_cast<std::size_t>(i)].result(30s) != (cycle + i) * (cycle + i);
        } catch (const std::exception& error) {
            ++failed;
            std::printf("  cycle %d: %s\n", cycle, error.what());
        }
        slowest_s = std::max(slowest_s, seconds_since(cycle_start));
        if (!zombies_of_this_test().empty()) ++cycles_with_zombies;  // checked at once: the pool waited for its exits
        if (cycle == 0)
            fds_before = open_descriptors();  // after the first cycle: anything made once is made
        else
            worst_fd_delta = std::max(worst_fd_delta, std::abs(open_descriptors() - fds_before));
        progress("pool churn cycle");
    }
    const int fds_after = open_descriptors();
    const double elapsed = seconds_since(start);
    std::printf("  cycles %d, failed %d, cycles that left a zombie %d, open descriptors %d -> %d (worst difference %d), "
                "hangs 0; %.1f s, slowest cycle %.3f s\n",
                cycles, failed, cycles_with_zombies, fds_before, fds_after, worst_fd_delta, elapsed, slowest_s);
    check(failed == 0, "churn: every cycle's tasks must return their results");
    check(cycles_with_zombies == 0, "churn: no zombie after a cycle");
    check(fds_after == fds_before && worst_fd_delta == 0, "churn: no descriptor leaked");
}

//-----------------------------------------------------------------------------
// [SECTION] Chaos: one worker ended at a random moment, sometimes the fork server too
//-----------------------------------------------------------------------------
// Each run: a pool of 2 to 4 workers with 8 to 32 short tasks, and one fault at a random moment:
// SIGKILL or SIGSEGV sent to a random worker, or a task (at a random place in the queue) that calls
// abort() or _exit(3) after a random delay. One run in ten also kills the fork server. Every
// future must end, with its result or BrokenProcessPool; no zombie; and a new pool must work.

enum Fault { kSigkill, kSigsegv, kAbort, kExit, kFaultCount };
const char* const kFaultNames[kFaultCount] = {"SIGKILL", "SIGSEGV", "abort()", "_exit(3)"};

struct ChaosCounts {
    long runs = 0, by_fault[kFaultCount] = {}, server_kills = 0;
    long futures = 0, results = 0, broken = 0, other_errors = 0, hangs = 0, refused_submits = 0;
    long pools_broken = 0, runs_with_zombies = 0, workers_still_running = 0, probes_ok = 0, probes_failed = 0;
};

// A worker of a pool that is gone must not run on (a dead fork server's workers are init's to reap).
bool still_running(int pid) {
    pp_test::ProcStat stat;
    return !pp_test::poll_until([&] { return !pp_test::read_proc_stat(pid, stat) || stat.state == 'Z'; }, 5s, 5ms);
}

void chaos_run(std::mt19937_64& rng, ChaosCounts& counts) {
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int workers = pick(2, 4);
    const int tasks = pick(8, 32);
    const Fault fault = static_cast<Fault>(pick(0, kFaultCount - 1));
    const int fault_delay_ms = pick(0, 40);
    const bool kill_server = pick(0, 9) == 0;
    const int server_delay_ms = pick(0, 40);
    const int crash_at = pick(0, tasks - 1);  // where the abort()/_exit task goes in the queue
    std::vector<int> sleeps(static_cast<std::size_t>(tasks));
    for (int& s : sleeps) s = pick(0, 10);
    const int victim = pick(0, workers - 1);
    ++counts.runs;
    ++counts.by_fault[fault];
    counts.server_kills += kill_server;

    pp::ProcessPoolOptions options;
    options.max_workers = workers;
    options.tasks_in_flight_per_worker = pick(1, 4);
    options.shutdown_grace = 5000ms;
    std::vector<pp::Future<int>> futures;
    std::vector<int> expected;
    std::vector<int> pids;
    {
        pp::ProcessPoolExecutor pool(options);
        pids = pool.worker_pids();
        const int server = pp::ForkServer::instance().pid();
        for (int i = 0; i < tasks; ++i) {
            try {
                if ((fault == kAbort || fault == kExit) && i == crash_at) {
                    futures.push_back(
                        pool.submit(fault == kAbort ? pp_test::crash_with_abort_task : pp_test::crash_with_exit3_task, fault_delay_ms));
                    expected.push_back(-1);  // never a result
                } else {
                    futures.push_back(pool.submit(pp_test::sleep_then_return_task, sleeps[static_cast<std::size_t>(i)], i));
                    expected.push_back(i);
                }
            } catch (const pp::BrokenProcessPool&) {
                ++counts.refused_submits;  // the fault came first: Python raises at submit too
            }
        }
        // The signals come from here, at their moment; server and worker faults race each other.
        const auto start = std::chrono::steady_clock::now();
        bool worker_hit = fault != kSigkill && fault != kSigsegv, server_hit = !kill_server;
        while (!worker_hit || !server_hit) {
            const double ms = seconds_since(start) * 1000;
            if (!worker_hit && ms >= fault_delay_ms) {
                ::kill(pids[static_cast<std::size_t>(victim)], fault == kSigkill ? SIGKILL : SIGSEGV);
                worker_hit = true;
            }
            if (!server_hit && ms >= server_delay_ms) {
                ::kill(server, SIGKILL);
                server_hit = true;
            }
            std::this_thread::sleep_for(200us);
        }
        for (std::size_t i = 0; i < futures.size(); ++i) {
            ++counts.futures;
            try {
                const int value = futures[i].result(30s);
                if (value == expected[i])
                    ++counts.results;
                else
                    ++counts.other_errors;
            } catch (const pp::BrokenProcessPool&) {
                ++counts.broken;
            } catch (const pp::TimeoutError&) {
                ++counts.hangs;
            } catch (const std::exception& error) {
                ++counts.other_errors;
                std::printf("  run %ld: unexpected %s\n", counts.runs, error.what());
            }
        }
        counts.pools_broken += pool.broken();
    }
    progress("chaos run");
    if (zombies_now() != 0) ++counts.runs_with_zombies;
    for (int pid : pids) counts.workers_still_running += still_running(pid);
    try {
        pp::ProcessPoolExecutor probe(1);
        if (probe.submit(pp_test::square_task, 7).result(30s) == 49)
            ++counts.probes_ok;
        else
            ++counts.probes_failed;
    } catch (const std::exception& error) {
        ++counts.probes_failed;
        std::printf("  run %ld: the next pool failed: %s\n", counts.runs, error.what());
    }
    progress("chaos probe");
}

void chaos(int runs, std::uint64_t seed) {
    std::printf("chaos: %d pool runs, one worker ended at a random moment (seed %llu)\n", runs, static_cast<unsigned long long>(seed));
    const auto start = std::chrono::steady_clock::now();
    std::mt19937_64 rng(seed);
    ChaosCounts counts;
    int fds_before = 0;
    for (int run = 0; run < runs; ++run) {
        chaos_run(rng, counts);
        if (run == 0) fds_before = open_descriptors();
    }
    const int fds_after = open_descriptors();
    std::printf("  runs %ld: SIGKILL %ld, SIGSEGV %ld, abort() %ld, _exit(3) %ld; fork server killed in %ld\n", counts.runs,
                counts.by_fault[kSigkill], counts.by_fault[kSigsegv], counts.by_fault[kAbort], counts.by_fault[kExit], counts.server_kills);
    std::printf("  futures %ld: result %ld, BrokenProcessPool %ld, other error %ld, hung %ld; submits refused (pool "
                "already broken) %ld\n",
                counts.futures, counts.results, counts.broken, counts.other_errors, counts.hangs, counts.refused_submits);
    std::printf("  pools broken %ld of %ld; runs that left a zombie %ld; workers still running after their pool %ld; "
                "next pool worked %ld, failed %ld; open descriptors %d -> %d; %.1f s\n",
                counts.pools_broken, counts.runs, counts.runs_with_zombies, counts.workers_still_running, counts.probes_ok,
                counts.probes_failed, fds_before, fds_after, seconds_since(start));
    check(counts.futures == counts.results + counts.broken, "chaos: every future ends with its result or BrokenProcessPool");
    check(counts.hangs == 0, "chaos: no future may hang");
    check(counts.runs_with_zombies == 0, "chaos: no zombie");
    check(counts.workers_still_running == 0, "chaos: no worker outlives its pool");
    check(counts.probes_failed == 0 && counts.probes_ok == counts.runs, "chaos: the next pool works");
    check(fds_after == fds_before, "chaos: no descriptor leaked");
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] main
//-----------------------------------------------------------------------------

int main(int argc, char** argv) {
    pp::ForkServer::start_early();  // first: the program is still single-threaded
    bool long_form = false;
    std::string only;
    std::uint64_t seed = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--long")
            long_form = true;
        else if (arg == "--only" && i + 1 < argc)
            only = argv[++i];
        else if (arg == "--seed" && i + 1 < argc)
            seed = std::strtoull(argv[++i], nullptr, 10);
        else {
            std::fprintf(stderr, "usage: pp_soak [--long] [--only threads|fork|churn|chaos] [--seed N]\n");
            return 2;
        }
    }
    ::signal(SIGPIPE, SIG_IGN);
    start_watchdog();
    const auto start = std::chrono::steady_clock::now();
    std::printf("pp_soak, %s form\n", long_form ? "long" : "short");
    const auto wanted = [&](const char* name) { return only.empty() || only == name; };
    if (wanted("threads")) thread_pool_long_run(long_form ? 1'000'000 : 100'000);
    if (wanted("fork")) fork_pool_long_run(long_form ? 1'000'000 : 100'000);
    if (wanted("churn")) pool_churn(long_form ? 1000 : 200);
    if (wanted("chaos")) chaos(long_form ? 1000 : 300, seed);
    std::printf("pp_soak: %s in %.1f s\n", g_failed ? "FAILED" : "passed", seconds_since(start));
    return g_failed ? 1 : 0;
}
