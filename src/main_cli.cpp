/*******************************************************************************************
 *
 *   Parallel Playground - the command-line tool
 *
 *   playground-cli list
 *   playground-cli run LESSON [--workers N] [--tasks N] [--scale X] [--gil 0|1] [--trace FILE] [--yes]
 *   playground-cli run first-threads [--threads N] [--limit N]
 *   playground-cli bench [--workers N] [--tasks N] [--scale X] [--sleep S] [--trace FILE]
 *
 *   Same lessons as the app, printed instead of drawn. Bad input gets a message that says
 *   what was wrong and exit code 2; a failed run gets exit code 1.
 *
 *******************************************************************************************/
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>
#include <unistd.h>

#include "core/stats.hpp"
#include "core/trace.hpp"
#include "lessons/first_threads.hpp"
#ifndef __EMSCRIPTEN__
#include "platform/posix/fork_server.hpp"
#endif
#include "lessons/lesson.hpp"
#include "lessons/lesson_runner.hpp"
#include "lessons/use_cases.hpp"

namespace {

constexpr int kUsageError = 2;

const char* const kUsage =
    "usage: playground-cli <command> [options]\n"
    "\n"
    "commands:\n"
    "  list                      the lessons you can run\n"
    "  run LESSON                run a lesson; its output is what the tutorial's program prints\n"
    "      --workers N           max_workers / threads / processes, 1..16\n"
    "      --tasks N             how many inputs, 1..64\n"
    "      --scale X             multiply the tutorial's sleeps by X, 0.01..2 (default 1)\n"
    "      --sleep S             how long the lesson's time.sleep() lasts, 0.1..10 s (default: the tutorial's)\n"
    "      --gil 0|1             emulate Python's global interpreter lock (default 0)\n"
    "      --trace FILE          write the run's trace as Chrome Trace Event JSON\n"
    "      --yes                 run even when the estimate is over 10 minutes\n"
    "  run first-threads         start N real threads that count primes, and join them\n"
    "      --threads N           how many threads, 1..16 (default 4)\n"
    "      --limit N             count the primes below N, 1..100000000 (default 3000000)\n"
    "  bench                     the use-case experiment as a table: I/O-bound and CPU-bound work\n"
    "                            with 1..N workers as threads with the GIL, threads without it, and\n"
    "                            processes; per row the median wall time of 3 runs after a warm-up,\n"
    "                            its range, and the speedup; progress on stderr\n"
    "      --workers N --tasks N --scale X --sleep S --trace FILE --yes   as for run (defaults: use-cases')\n"
    "  --help                    this text\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "playground-cli: %s\n\n%s", message.c_str(), kUsage);
    return kUsageError;
}

// Parses a whole decimal number in [low, high]; anything else is a usage error.
bool parse_number(const char* text, long long low, long long high, long long& out) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < low || value > high) return false;
    out = value;
    return true;
}

int run_first_threads(int argc, char** argv) {
    long long thread_count = 4, limit = pp::lessons::FirstThreads::kDefaultLimit;
    for (int i = 0; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag != "--threads" && flag != "--limit") return usage_error("unknown option '" + flag + "' for first-threads");
        if (i + 1 >= argc) return usage_error(flag + " needs a value");
        const char* value = argv[++i];
        const bool ok = flag == "--threads"
                            ? parse_number(value, 1, pp::lessons::FirstThreads::kMaxThreads, thread_count)
                            : parse_number(value, 1, 100'000'000, limit);
        if (!ok)
            return usage_error(flag + " must be a whole number " +
                               (flag == "--threads" ? "from 1 to 16" : "from 1 to 100000000") + ", not '" + value + "'");
    }

    std::printf("Starting %lld thread%s to count the primes below %lld...\n", thread_count,
                thread_count == 1 ? "" : "s", limit);
    pp::lessons::FirstThreads lesson;
    lesson.start(static_cast<int>(thread_count), static_cast<std::uint64_t>(limit));
    pp::lessons::FirstThreadsRun run = lesson.snapshot();
    while (run.phase != pp::lessons::FirstThreadsRun::Phase::Done) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        run = lesson.snapshot();
    }
    for (const auto& t : run.threads)
        std::printf("  thread %d (id %llu): numbers %llu..%llu -> %llu primes, ran %.1f..%.1f ms\n", t.index,
                    static_cast<unsigned long long>(t.thread_id), static_cast<unsigned long long>(t.range_begin),
                    static_cast<unsigned long long>(t.range_end), static_cast<unsigned long long>(t.primes_found),
                    t.started_ms, t.finished_ms);
    std::printf("All %zu threads joined after %.1f ms: %llu primes below %llu.\n", run.threads.size(), run.wall_ms,
                static_cast<unsigned long long>(run.total_primes), static_cast<unsigned long long>(run.limit));
    return 0;
}

bool parse_decimal(const char* text, double low, double high, double& out) {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !std::isfinite(value) || value < low || value > high) return false;
    out = value;
    return true;
}

// Reads the flags of `run LESSON` (and of `bench`) into params and trace_path. Returns 0, or
// the exit code of the usage error it printed.
int parse_lesson_flags(const pp::lessons::Lesson& lesson, int argc, char** argv, pp::lessons::LessonParams& params,
                       std::string& trace_path, bool& yes) {
    using pp::lessons::LessonParams;
    // The settings and what they change; a lesson reads only some of them (lesson.info.params).
    static const std::pair<const char*, unsigned> kSettings[] = {
        {"--workers", pp::lessons::kUsesWorkers}, {"--tasks", pp::lessons::kUsesTasks},
        {"--scale", pp::lessons::kUsesTimeScale}, {"--sleep", pp::lessons::kUsesSleep},
        {"--gil", pp::lessons::kUsesGil}};
    for (int i = 0; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--yes") {
            yes = true;
            continue;
        }
        const auto setting = std::find_if(std::begin(kSettings), std::end(kSettings),
                                          [&](const auto& s) { return flag == s.first; });
        if (setting == std::end(kSettings) && flag != "--trace")
            return usage_error("unknown option '" + flag + "' for " + lesson.info.id);
        if (setting != std::end(kSettings) && !(lesson.info.params & setting->second)) {
            // Refused, not ignored: a setting that changes nothing would only mislead.
            std::string used;
            for (const auto& [name, bit] : kSettings)
                if (lesson.info.params & bit) used += std::string(used.empty() ? "" : ", ") + name;
            return usage_error(std::string(lesson.info.id) + " does not use " + flag +
                               (used.empty() ? std::string(" (it takes no settings)") : " (it uses " + used + ")"));
        }
        if (i + 1 >= argc) return usage_error(flag + " needs a value");
        const char* value = argv[++i];
        long long number = 0;
        double decimal = 0;
        if (flag == "--workers") {
            if (!parse_number(value, 1, LessonParams::kMaxWorkers, number))
                return usage_error("--workers must be a whole number from 1 to 16, not '" + std::string(value) + "'");
            params.workers = static_cast<int>(number);
        } else if (flag == "--tasks") {
            if (!parse_number(value, 1, LessonParams::kMaxTasks, number))
                return usage_error("--tasks must be a whole number from 1 to 64, not '" + std::string(value) + "'");
            params.tasks = static_cast<int>(number);
        } else if (flag == "--scale") {
            if (!parse_decimal(value, LessonParams::kMinScale, LessonParams::kMaxScale, decimal))
                return usage_error("--scale must be a number from 0.01 to 2, not '" + std::string(value) + "'");
            params.time_scale = decimal;
        } else if (flag == "--sleep") {
            if (!parse_decimal(value, LessonParams::kMinSleep, LessonParams::kMaxSleep, decimal))
                return usage_error("--sleep must be a number of seconds from 0.1 to 10, not '" + std::string(value) + "'");
            params.sleep = decimal;
        } else if (flag == "--gil") {
            if (!parse_number(value, 0, 1, number))
                return usage_error("--gil must be 0 or 1, not '" + std::string(value) + "'");
            params.gil = number == 1;
        } else {
            // Checked now, not after a run of minutes: the file must be one we can write.
            if (!std::ofstream(value, std::ios::app))
                return usage_error("--trace: cannot write to '" + std::string(value) + "'");
            trace_path = value;
        }
    }
    return 0;
}

// A run estimated over 10 minutes needs --yes: a typo in a setting should not cost hours.
// Returns 0, or the exit code of the usage error it printed.
int check_run_length(const pp::lessons::Lesson& lesson, const pp::lessons::LessonParams& params, bool yes) {
    const double seconds = pp::lessons::estimate_run_seconds(lesson, params);
    if (yes || seconds <= pp::lessons::kLongRunSeconds) return 0;
    char settings[160];
    std::snprintf(settings, sizeof settings, "--workers %d --tasks %d --sleep %g --scale %g", params.workers, params.tasks,
                  params.sleep, params.time_scale);
    std::fprintf(stderr,
                 "playground-cli: %s with these settings (%s) would take %s, more than 10 minutes.\n"
                 "Add --yes to run it anyway, or choose smaller settings.\n",
                 lesson.info.id, settings, pp::lessons::describe_duration(seconds).c_str());
    return kUsageError;
}

// Writes what was traced to `path` (nothing to do when empty). Returns false after saying why.
bool write_trace(const std::string& path) {
    if (path.empty()) return true;
    std::ofstream out(path);
    out << pp::trace::to_chrome_trace_json();
    if (out) return true;
    std::fprintf(stderr, "playground-cli: could not write the trace to '%s'\n", path.c_str());
    return false;
}

// The exit code for a run that ended: 1 if the lesson threw (said on stderr), else 0.
int exit_code_of(const pp::lessons::Lesson& lesson, const pp::lessons::LessonRunner::Snapshot& done) {
    if (done.state != pp::lessons::LessonRunner::State::Failed) return 0;
    std::fprintf(stderr, "playground-cli: %s failed: %s\n", lesson.info.id, done.error.c_str());
    return 1;
}

int run_lesson(const pp::lessons::Lesson& lesson, int argc, char** argv) {
    pp::lessons::LessonParams params = lesson.info.defaults;
    std::string trace_path;
    bool yes = false;
    if (int error = parse_lesson_flags(lesson, argc, argv, params, trace_path, yes)) return error;
    if (int error = check_run_length(lesson, params, yes)) return error;

    pp::lessons::LessonRunner runner;
    runner.start(lesson, params);
    // Lines are printed as they arrive, the child processes' too (they send each line as they
    // print it), so this terminal shows them when a Python program's would.
    std::size_t printed = 0;
    for (bool finished = false; !finished;) {
        finished = runner.wait(std::chrono::milliseconds(10));
        const auto snapshot = runner.snapshot();
        for (; printed < snapshot.console.size(); ++printed) std::printf("%s\n", snapshot.console[printed].text.c_str());
        std::fflush(stdout);
    }
    const auto done = runner.snapshot();
    if (!write_trace(trace_path)) return 1;
    if (int failed = exit_code_of(lesson, done)) return failed;
    std::fprintf(stderr, "(%s ran in %.2f s)\n", lesson.info.id, done.elapsed_ms / 1000);
    return 0;
}

// One line of progress on stderr: redrawn in place on a terminal, one line per finished run
// otherwise (a log or a CI console would turn carriage returns into noise).
void show_progress(std::size_t done, std::size_t total, const std::string& last_run, double elapsed_s, bool terminal) {
    constexpr int kBarWidth = 30;
    const int filled = total ? static_cast<int>(kBarWidth * done / total) : kBarWidth;
    std::fprintf(stderr, "%s[%s%s] %2zu/%zu runs, %5.1f s  %-40s%s", terminal ? "\r" : "",
                 std::string(filled, '#').c_str(), std::string(kBarWidth - filled, '.').c_str(), done, total, elapsed_s,
                 last_run.c_str(), terminal ? "" : "\n");
    std::fflush(stderr);
}

// `bench`: the use-case lesson's experiment, as a table. Every model (threads with the GIL,
// threads without it, fork()ed processes) runs the I/O-bound and the CPU-bound job with 1..N
// workers, each point a warm-up run then 3 timed ones; speedup is the 1-worker time of the same
// row group over this row's time, as the ratio of the medians and the widest range the runs allow.
int run_bench(int argc, char** argv) {
    const pp::lessons::Lesson* lesson = pp::lessons::find_lesson("use-cases");
    pp::lessons::LessonParams params = lesson->info.defaults;
    std::string trace_path;
    bool yes = false;
    if (int error = parse_lesson_flags(*lesson, argc, argv, params, trace_path, yes)) return error;
    if (int error = check_run_length(*lesson, params, yes)) return error;

    const int cores = pp::hardware_core_count();
    std::printf("The use-case experiment: %d downloads of %.2f s (I/O-bound) and a %dx%d image blurred in %dx%d tiles\n"
                "(CPU-bound), with 1..%d workers, on %d cores. Each row: a warm-up run, then %d timed runs;\n"
                "wall is their median, range the fastest to the slowest.\n\n",
                params.tasks, params.sleep * params.time_scale, pp::lessons::UseCaseImage::kWidth,
                pp::lessons::UseCaseImage::kHeight, pp::lessons::UseCaseImage::kTileSize,
                pp::lessons::UseCaseImage::kTileSize, params.workers, cores, pp::lessons::kUseCaseRepeats);
    std::fflush(stdout);
    const std::size_t total_runs = 2 * 3 * static_cast<std::size_t>(params.workers); // works x models x worker counts
    const bool terminal = isatty(STDERR_FILENO) != 0;
    pp::lessons::LessonRunner runner;
    runner.start(*lesson, params);
    std::size_t shown = static_cast<std::size_t>(-1);
    for (bool finished = false; !finished;) {
        finished = runner.wait(std::chrono::milliseconds(100));
        const auto snapshot = runner.snapshot();
        const std::size_t done = snapshot.measurements.size();
        if (done == shown && !terminal) continue; // a log gets a line per run, a terminal a live clock
        shown = done;
        const std::string last = done ? snapshot.measurements.back().series + ", " +
                                            std::to_string(static_cast<int>(snapshot.measurements.back().x)) + "w"
                                      : std::string("starting");
        show_progress(done, total_runs, last, snapshot.elapsed_ms / 1000, terminal);
    }
    if (terminal) std::fputc('\n', stderr);
    const auto done = runner.snapshot();
    if (!write_trace(trace_path)) return 1;
    if (int failed = exit_code_of(*lesson, done)) return failed;

    std::map<std::string, pp::Samples> one_worker;
    for (const auto& m : done.measurements)
        if (m.x == 1) one_worker[m.series] = m.seconds;
    std::printf("%-10s %-18s %7s %9s %17s %8s %13s\n", "work", "model", "workers", "wall (s)", "range (s)", "speedup",
                "range");
    std::string previous_series;
    std::vector<std::string> notes;
    for (const auto& m : done.measurements) {
        const auto colon = m.series.find(": ");
        if (m.series != previous_series && !previous_series.empty()) std::printf("\n");
        previous_series = m.series;
        const auto base = one_worker.find(m.series);
        const pp::Speedup s = m.x == 1 ? pp::Speedup{1, 1, 1}  // the baseline itself
                              : base != one_worker.end() ? pp::speedup(base->second, m.seconds) : pp::Speedup{};
        const bool too_fast = m.series.rfind("CPU-bound", 0) == 0 && pp::exceeds_cores(s, cores);
        char wall_range[48], speedup_range[48];
        std::snprintf(wall_range, sizeof wall_range, "%.3f-%.3f", m.seconds.min(), m.seconds.max());
        std::snprintf(speedup_range, sizeof speedup_range, "%.2f-%.2fx", s.low, s.high);
        std::printf("%-10s %-18s %7d %9.3f %17s %7.2fx %13s%s\n", m.series.substr(0, colon).c_str(),
                    m.series.substr(colon + 2).c_str(), static_cast<int>(m.x), m.seconds.median(), wall_range, s.median,
                    speedup_range, too_fast ? "  !" : "");
        if (too_fast)
            notes.push_back("! " + m.series + ", " + std::to_string(static_cast<int>(m.x)) +
                            " workers: more speedup than " + std::to_string(cores) +
                            " cores can give to CPU work: noise (a slow 1-worker run, or a busy machine), not an effect");
    }
    if (!notes.empty()) std::printf("\n");
    for (const std::string& note : notes) std::printf("%s\n", note.c_str());
    if (done.measurements.size() != total_runs) {
        std::fprintf(stderr, "playground-cli: bench: expected %zu runs, got %zu\n", total_runs, done.measurements.size());
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
#ifndef __EMSCRIPTEN__
    // First, while this program still has one thread: the server that forks every worker
    // process later (why: src/platform/posix/fork_server.hpp).
    pp::ForkServer::start_early();
#endif
    if (argc < 2) return usage_error("missing command");
    const std::string command = argv[1];
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (command == "list") {
        for (const auto* lesson : pp::lessons::all_lessons())
            std::printf("%-16s %2d. %s\n", lesson->info.id, lesson->info.number, lesson->info.title);
        std::puts("first-threads        Your first threads: N std::threads count primes, then join");
        return 0;
    }
    if (command == "bench") return run_bench(argc - 2, argv + 2);
    if (command == "run") {
        if (argc < 3) return usage_error("run needs a lesson name (see 'playground-cli list')");
        const std::string lesson = argv[2];
        if (lesson == "first-threads") return run_first_threads(argc - 3, argv + 3);
        if (const auto* found = pp::lessons::find_lesson(lesson)) return run_lesson(*found, argc - 3, argv + 3);
        return usage_error("no lesson named '" + lesson + "' (see 'playground-cli list')");
    }
    return usage_error("unknown command '" + command + "'");
}
