/*******************************************************************************************
 *
 *   Parallel Playground - the command-line tool
 *
 *   playground-cli list
 *   playground-cli run LESSON [--workers N] [--tasks N] [--scale X] [--sleep S] [--gil 0|1]
 *                             [--trace FILE] [--yes]
 *   playground-cli run LESSON --schedule S | --seed N   one thread at a time, in the order S says
 *   playground-cli explore LESSON [settings]           every interleaving, and what each ends with
 *   playground-cli run first-threads [--threads N] [--limit N]
 *   playground-cli bench [table|granularity] [the use-case lesson's settings] [--trace FILE] [--yes]
 *
 *   Same lessons as the app, printed instead of drawn. Its flags are the lesson settings'
 *   table (lessons/settings.hpp), read with CLI11. Bad input gets a message that says what was
 *   wrong and exit code 2; a failed run gets exit code 1.
 *
 *******************************************************************************************/
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "core/schedule.hpp"
#include "core/stats.hpp"
#include "core/trace.hpp"
#include "lessons/first_threads.hpp"
#ifndef __EMSCRIPTEN__
#include "platform/posix/fork_server.hpp"
#endif
#include "lessons/lesson.hpp"
#include "lessons/lesson_runner.hpp"
#include "lessons/settings.hpp"
#include "lessons/use_cases.hpp"

namespace {

constexpr int kUsageError = 2;

int usage_error(const std::string& message) {
    std::fprintf(stderr, "playground-cli: %s\n(playground-cli --help lists the commands; playground-cli run --help the flags)\n",
                 message.c_str());
    return kUsageError;
}

// The flags every setting row gets, kept as typed: a refusal quotes exactly what was typed.
struct TypedFlags {
    std::map<const pp::lessons::Setting*, std::string> settings;
    std::string trace_path;
    bool yes = false;
    std::string schedule;  // run: replay this schedule (core/schedule.hpp)
    std::string seed;      // run: a random schedule, from this seed
};

void add_lesson_flags(CLI::App& command, TypedFlags& flags) {
    for (const pp::lessons::Setting& setting : pp::lessons::kLessonSettings)
        command.add_option(setting.flag_name(), flags.settings[&setting], std::string(setting.help) + " (" + setting.range_text() + ")")
            ->type_name(setting.value_name)
            ->take_last();
    command.add_option("--trace", flags.trace_path, "write the run's trace as Chrome Trace Event JSON (open it in Perfetto)")
        ->type_name("FILE");
    command.add_flag("--yes", flags.yes, "run even when the estimate is over 10 minutes");
}

// The settings given for `lesson` into params. Returns 0, or the exit code of the usage error
// it printed: a bad value, or a setting the lesson does not read.
int apply_lesson_flags(const CLI::App& command, const pp::lessons::Lesson& lesson, const TypedFlags& flags,
                       pp::lessons::LessonParams& params) {
    using namespace pp::lessons;
    for (const Setting& setting : kLessonSettings) {
        if (command.count(setting.flag_name()) == 0) continue;
        if (!(lesson.info.params & bit_of(setting))) {
            // Refused, not ignored: a setting that changes nothing would only mislead.
            std::string used;
            for (const Setting& other : kLessonSettings)
                if (lesson.info.params & bit_of(other)) used += (used.empty() ? "" : ", ") + other.flag_name();
            return usage_error(std::string(lesson.info.id) + " does not use " + setting.flag_name() +
                               (used.empty() ? std::string(" (it takes no settings)") : " (it uses " + used + ")"));
        }
        const std::string& typed = flags.settings.at(&setting);
        const TypedValue read = read_typed_value(setting, typed);
        if (read.problem != TypedValue::Problem::None) return usage_error(refusal_message(setting, typed));
        setting.set(params, read.value);
    }
    // Checked now, not after a run of minutes: the file must be one we can write.
    if (!flags.trace_path.empty() && !std::ofstream(flags.trace_path, std::ios::app))
        return usage_error("--trace: cannot write to '" + flags.trace_path + "'");
    return 0;
}

// first-threads is not a lesson of the table: its two flags are checked the same way.
const pp::lessons::Setting kThreadsFlag{
    "threads", "threads", pp::lessons::SettingKind::WholeNumber, 1, pp::lessons::FirstThreads::kMaxThreads, 4, "", "N", "how many threads",
    "%d",      false};
const pp::lessons::Setting kLimitFlag{"limit", "limit",     pp::lessons::SettingKind::WholeNumber,
                                      1,       100'000'000, static_cast<double>(pp::lessons::FirstThreads::kDefaultLimit),
                                      "",      "N",         "count the primes below N",
                                      "%d",    false};

int run_first_threads(const CLI::App& command, const std::string& threads_typed, const std::string& limit_typed) {
    long long thread_count = 4, limit = pp::lessons::FirstThreads::kDefaultLimit;
    for (const auto& [flag, typed, target] :
         {std::tuple{&kThreadsFlag, &threads_typed, &thread_count}, std::tuple{&kLimitFlag, &limit_typed, &limit}}) {
        if (command.count("--" + std::string(flag->key)) == 0) continue;
        const pp::lessons::TypedValue read = pp::lessons::read_typed_value(*flag, *typed);
        if (read.problem != pp::lessons::TypedValue::Problem::None) return usage_error(pp::lessons::refusal_message(*flag, *typed));
        *target = static_cast<long long>(read.value);
    }

    std::printf("Starting %lld thread%s to count the primes below %lld...\n", thread_count, thread_count == 1 ? "" : "s", limit);
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
                    static_cast<unsigned long long>(t.range_end), static_cast<unsigned long long>(t.primes_found), t.started_ms,
                    t.finished_ms);
    std::printf("All %zu threads joined after %.1f ms: %llu primes below %llu.\n", run.threads.size(), run.wall_ms,
                static_cast<unsigned long long>(run.total_primes), static_cast<unsigned long long>(run.limit));
    return 0;
}

// A run estimated over 10 minutes needs --yes: a typo in a setting should not cost hours.
// Returns 0, or the exit code of the usage error it printed.
int check_run_length(const pp::lessons::Lesson& lesson, const pp::lessons::LessonParams& params, bool yes) {
    const double seconds = pp::lessons::estimate_run_seconds(lesson, params);
    if (yes || seconds <= pp::lessons::kLongRunSeconds) return 0;
    std::fprintf(stderr,
                 "playground-cli: %s with these settings (%s) would take %s, more than 10 minutes.\n"
                 "Add --yes to run it anyway, or choose smaller settings.\n",
                 lesson.info.id, pp::lessons::flags_text(lesson.info.params, params).c_str(),
                 pp::lessons::describe_duration(seconds).c_str());
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

int run_lesson(const CLI::App& command, const pp::lessons::Lesson& lesson, const TypedFlags& flags, int experiment = -1) {
    pp::lessons::LessonParams params = lesson.info.defaults;
    if (experiment >= 0) params.experiment = experiment;  // bench granularity: the use-case lesson's second experiment
    if (int error = apply_lesson_flags(command, lesson, flags, params)) return error;
    if (int error = check_run_length(lesson, params, flags.yes)) return error;
    const std::string& trace_path = flags.trace_path;

    pp::lessons::StepOptions step;
    const auto given = [&](const char* flag) {  // bench has no --schedule: not given, then
        const CLI::Option* option = command.get_option_no_throw(flag);
        return option && option->count() > 0;
    };
    if (given("--schedule") || given("--seed")) {
        if (!lesson.info.steppable)
            return usage_error(std::string(lesson.info.id) + " cannot be stepped: --schedule and --seed are for thread, "
                                                             "start-join, multithreading and thread-pool");
        if (given("--schedule") && given("--seed")) return usage_error("--schedule or --seed, not both");
        if (const std::string problem = pp::schedule::check_schedule(flags.schedule); !problem.empty())
            return usage_error("--schedule: " + problem);
        step.on = true;
        step.schedule = flags.schedule;
        step.then = pp::schedule::Policy::RoundRobin;  // past the end of a short schedule
        if (given("--seed")) {
            const pp::lessons::Setting seed_flag{"seed", "seed", pp::lessons::SettingKind::WholeNumber, 0, 4294967295.0, 1, "", "N", "",
                                                 "%d",   false};
            const pp::lessons::TypedValue seed = pp::lessons::read_typed_value(seed_flag, flags.seed);
            if (seed.problem != pp::lessons::TypedValue::Problem::None)
                return usage_error(pp::lessons::refusal_message(seed_flag, flags.seed));
            step.then = pp::schedule::Policy::Random;
            step.seed = static_cast<std::uint64_t>(seed.value);
        }
    }

    pp::lessons::LessonRunner runner;
    runner.start(lesson, params, step);
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
    if (step.on) {  // what was replayed or drawn, so that it can be replayed again
        const pp::schedule::View stepped = pp::schedule::view();
        if (!stepped.error.empty()) std::fprintf(stderr, "playground-cli: %s\n", stepped.error.c_str());
        for (const std::string& note : stepped.notes) std::fprintf(stderr, "(%s)\n", note.c_str());
        std::fprintf(stderr, "(schedule: %s; %d steps)\n", stepped.schedule.c_str(), stepped.steps);
    }
    std::fprintf(stderr, "(%s ran in %.2f s)\n", lesson.info.id, done.elapsed_ms / 1000);
    return 0;
}

// `explore`: the lesson under every schedule of its choices on shared state, one line per
// outcome with one schedule that gives it (for run --schedule).
int run_explore(const CLI::App& command, const pp::lessons::Lesson& lesson, const TypedFlags& flags, std::size_t most) {
    if (!lesson.info.steppable)
        return usage_error(std::string(lesson.info.id) + " cannot be explored: explore is for thread, start-join, "
                                                         "multithreading and thread-pool");
    pp::lessons::LessonParams params = lesson.info.defaults;
    if (lesson.info.params & pp::lessons::setting_bit("increments")) params.increments = 1;  // one step each, unless asked
    if (int error = apply_lesson_flags(command, lesson, flags, params)) return error;

    pp::lessons::LessonRunner runner;
    pp::schedule::ExploreOptions options;
    options.max_schedules = most;
    runner.explore(lesson, params, options);
    runner.wait();
    const auto done = runner.snapshot();
    if (int failed = exit_code_of(lesson, done)) return failed;
    if (!done.params_note.empty()) std::fprintf(stderr, "(%s)\n", done.params_note.c_str());
    const pp::schedule::ExploreResult& result = *done.explored;
    const std::string of = std::to_string(result.schedules) + (result.complete ? " schedules" : " random schedules");
    if (!result.complete)
        std::printf("More than %zu schedules: these are %zu random ones (--most N explores further).\n", most, result.schedules);
    for (const pp::schedule::Outcome& outcome : result.outcomes) {
        std::printf("%s: %zu of %s\n", outcome.text.c_str(), outcome.count, of.c_str());
        std::printf("  schedule: %s\n", outcome.schedule.c_str());
    }
    if (result.fewest_steps_to_note >= 0)
        std::printf("Fewest steps to lose an update: %d\n  schedule: %s\n", result.fewest_steps_to_note,
                    result.fewest_steps_schedule.c_str());
    std::fprintf(stderr, "(%zu schedules in %.2f s: %.0f per second)\n", result.schedules, result.seconds,
                 result.seconds > 0 ? result.schedules / result.seconds : 0.0);
    return 0;
}

// One line of progress on stderr: redrawn in place on a terminal, one line per finished run
// otherwise (a log or a CI console would turn carriage returns into noise).
void show_progress(std::size_t done, std::size_t total, const std::string& last_run, double elapsed_s, bool terminal) {
    constexpr int kBarWidth = 30;
    const int filled = total ? static_cast<int>(kBarWidth * done / total) : kBarWidth;
    std::fprintf(stderr, "%s[%s%s] %2zu/%zu runs, %5.1f s  %-40s%s", terminal ? "\r" : "", std::string(filled, '#').c_str(),
                 std::string(kBarWidth - filled, '.').c_str(), done, total, elapsed_s, last_run.c_str(), terminal ? "" : "\n");
    std::fflush(stderr);
}

// `bench`: the use-case lesson's experiment, as a table. Every model (threads with the GIL,
// threads without it, fork()ed processes) runs the I/O-bound and the CPU-bound job with 1..N
// workers, each point a warm-up run then 3 timed ones; speedup is the 1-worker time of the same
// row group over this row's time, as the ratio of the medians and the widest range the runs allow.
int run_bench(const CLI::App& command, const TypedFlags& flags) {
    const pp::lessons::Lesson* lesson = pp::lessons::find_lesson("use-cases");
    pp::lessons::LessonParams params = lesson->info.defaults;
    if (int error = apply_lesson_flags(command, *lesson, flags, params)) return error;
    if (int error = check_run_length(*lesson, params, flags.yes)) return error;
    const std::string& trace_path = flags.trace_path;

    const int cores = pp::hardware_core_count();
    std::printf("The use-case experiment: %d downloads of %.2f s (I/O-bound) and a %dx%d image blurred in %dx%d tiles\n"
                "(CPU-bound), with 1..%d workers, on %d cores. Each row: a warm-up run, then %d timed runs;\n"
                "wall is their median, range the fastest to the slowest.\n\n",
                params.tasks, params.sleep * params.time_scale, pp::lessons::UseCaseImage::kWidth, pp::lessons::UseCaseImage::kHeight,
                pp::lessons::UseCaseImage::kTileSize, pp::lessons::UseCaseImage::kTileSize, params.workers, cores,
                pp::lessons::kUseCaseRepeats);
    std::fflush(stdout);
    const std::size_t total_runs = 2 * 3 * static_cast<std::size_t>(params.workers);  // works x models x worker counts
    const bool terminal = isatty(STDERR_FILENO) != 0;
    pp::lessons::LessonRunner runner;
    runner.start(*lesson, params);
    std::size_t shown = static_cast<std::size_t>(-1);
    for (bool finished = false; !finished;) {
        finished = runner.wait(std::chrono::milliseconds(100));
        const auto snapshot = runner.snapshot();
        const std::size_t done = snapshot.measurements.size();
        if (done == shown && !terminal) continue;  // a log gets a line per run, a terminal a live clock
        shown = done;
        const std::string last =
            done ? snapshot.measurements.back().series + ", " + std::to_string(static_cast<int>(snapshot.measurements.back().x)) + "w"
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
    std::printf("%-10s %-50s %7s %9s %17s %8s %13s\n", "work", "model", "workers", "wall (s)", "range (s)", "speedup", "range");
    std::string previous_series;
    std::vector<std::string> notes;
    for (const auto& m : done.measurements) {
        const auto colon = m.series.find(": ");
        if (m.series != previous_series && !previous_series.empty()) std::printf("\n");
        previous_series = m.series;
        const auto base = one_worker.find(m.series);
        const pp::Speedup s = m.x == 1                   ? pp::Speedup{1, 1, 1}  // the baseline itself
                              : base != one_worker.end() ? pp::speedup(base->second, m.seconds)
                                                         : pp::Speedup{};
        const bool too_fast = m.series.rfind("CPU-bound", 0) == 0 && pp::exceeds_cores(s, cores);
        char wall_range[48], speedup_range[48];
        std::snprintf(wall_range, sizeof wall_range, "%.3f-%.3f", m.seconds.min(), m.seconds.max());
        std::snprintf(speedup_range, sizeof speedup_range, "%.2f-%.2fx", s.low, s.high);
        std::printf("%-10s %-50s %7d %9.3f %17s %7.2fx %13s%s\n", m.series.substr(0, colon).c_str(), m.series.substr(colon + 2).c_str(),
                    static_cast<int>(m.x), m.seconds.median(), wall_range, s.median, speedup_range, too_fast ? "  !" : "");
        if (too_fast)
            notes.push_back("! " + m.series + ", " + std::to_string(static_cast<int>(m.x)) + " workers: more speedup than " +
                            std::to_string(cores) +
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
    CLI::App app{"Parallel Playground on the command line: the tutorial's lessons, printed instead of drawn.", "playground-cli"};
    app.require_subcommand(0, 1);
    app.add_subcommand("list", "the lessons you can run");

    CLI::App* run = app.add_subcommand("run", "run a lesson; its output is what the tutorial's program prints");
    std::string lesson_id, threads_typed, limit_typed;
    TypedFlags run_flags;
    run->add_option("LESSON", lesson_id, "a lesson id from 'playground-cli list', or first-threads")->required();
    add_lesson_flags(*run, run_flags);
    run->add_option("--schedule", run_flags.schedule, "step the threads in this order (from explore, or a stepped run)")->type_name("S");
    run->add_option("--seed", run_flags.seed, "step the threads in a random order, from this seed (it prints the schedule)")
        ->type_name("N");
    run->add_option("--threads", threads_typed, "first-threads: how many threads, 1..16 (default 4)")->type_name("N");
    run->add_option("--limit", limit_typed, "first-threads: count the primes below N, 1..100000000")->type_name("N");
    run->footer("Each lesson reads only some of the settings; giving one it does not read is an error.");

    CLI::App* bench = app.add_subcommand("bench", "the use-case experiment as a table (median of 3 runs, range, speedup)");
    std::string bench_what = "table";
    bench->add_option("WHAT", bench_what, "table (the tutorial's table), or granularity (the cost of parallelism by task size)")
        ->check(CLI::IsMember({"table", "granularity"}));
    bench->footer("I/O- and CPU-bound work with 1..N workers, as threads with the GIL, threads without it, and "
                  "processes; each row a warm-up run, then 3 timed runs. Progress on stderr.");
    TypedFlags bench_flags;
    add_lesson_flags(*bench, bench_flags);
    CLI::App* explore = app.add_subcommand("explore", "run a lesson under every interleaving of its threads' shared steps");
    std::string explore_lesson;
    TypedFlags explore_flags;
    std::size_t most = 20000;
    explore->add_option("LESSON", explore_lesson, "thread, start-join, multithreading or thread-pool")->required();
    add_lesson_flags(*explore, explore_flags);
    explore->add_option("--most", most, "at most this many schedules; beyond, count random ones (default 20000)")
        ->type_name("N")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
    explore->footer("Prints one line per outcome (the shared values at the end) with how many schedules give it, and "
                    "one such schedule, for 'run LESSON --schedule S'. Increments default to 1 here.");
    for (CLI::App* command : {run, bench, explore}) command->allow_extras();  // unknown flags get our own message below

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::ArgumentMismatch& error) {  // "--scale: 1 required TEXT missing"
        const std::string what = error.what();
        return usage_error(what.substr(0, what.find(':')) + " needs a value");
    } catch (const CLI::ExtrasError&) {  // at the top: not a command
        return usage_error("unknown command '" + std::string(argv[1]) + "'");
    } catch (const CLI::ParseError& error) {
        return usage_error(error.what());
    }
    const auto refuse_extras = [](const CLI::App& command, const std::string& what) {
        const std::vector<std::string> extras = command.remaining();
        return usage_error((extras.front().rfind("-", 0) == 0 ? "unknown option '" : "unexpected '") + extras.front() + "' for " + what);
    };

    if (app.got_subcommand("list")) {
        for (const auto* lesson : pp::lessons::all_lessons())
            std::printf("%-16s %2d. %s\n", lesson->info.id, lesson->info.number, lesson->info.title);
        std::puts("first-threads        Your first threads: N std::threads count primes, then join");
        return 0;
    }
    if (app.got_subcommand(explore)) {
        if (!explore->remaining().empty()) return refuse_extras(*explore, explore_lesson);
        if (const auto* found = pp::lessons::find_lesson(explore_lesson)) return run_explore(*explore, *found, explore_flags, most);
        return usage_error("no lesson named '" + explore_lesson + "' (see 'playground-cli list')");
    }
    if (app.got_subcommand(bench)) {
        if (!bench->remaining().empty()) return refuse_extras(*bench, "use-cases");
        if (bench_what == "granularity") {
            if (bench->count("--experiment")) return usage_error("bench granularity is the granularity experiment: no --experiment");
            return run_lesson(*bench, *pp::lessons::find_lesson("use-cases"), bench_flags, pp::lessons::kGranularity);
        }
        return run_bench(*bench, bench_flags);
    }
    if (app.got_subcommand(run)) {
        if (!run->remaining().empty()) return refuse_extras(*run, lesson_id);
        const bool first_threads = lesson_id == "first-threads";
        if (first_threads && (run->count("--schedule") || run->count("--seed"))) return usage_error("first-threads cannot be stepped");
        if (!first_threads && (run->count("--threads") || run->count("--limit")))
            return usage_error("--threads and --limit are for first-threads; " + lesson_id + " does not use them");
        if (first_threads) {
            for (const pp::lessons::Setting& setting : pp::lessons::kLessonSettings)
                if (run->count(setting.flag_name())) return usage_error("unknown option '" + setting.flag_name() + "' for first-threads");
            return run_first_threads(*run, threads_typed, limit_typed);
        }
        if (const auto* found = pp::lessons::find_lesson(lesson_id)) return run_lesson(*run, *found, run_flags);
        return usage_error("no lesson named '" + lesson_id + "' (see 'playground-cli list')");
    }
    return usage_error(argc > 1 ? "unknown command '" + std::string(argv[1]) + "'" : "missing command");
}
