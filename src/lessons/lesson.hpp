// What every lesson is made of, and what a running lesson can use.
//
// Index of this file
// [SECTION] LessonInfo: what the lesson list and the page show
// [SECTION] LessonContext: console, tutorial-time sleeps, pause and stop
// [SECTION] Lesson and the lesson list
//
// A lesson is one file in src/lessons/. Its run() is real code: the threads, pools and processes
// it creates are real, and the part of the file between "// [LESSON CODE]" and
// "// [END LESSON CODE]" is what the page shows next to the tutorial's Python. Calls to ctx.print()
// and ctx.sleep() remember the source line they were made from, so the page highlights the line
// each thread is on without any markers cluttering the code.
#pragma once

#include "core/print.hpp"
#include "core/stats.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"
#include "lessons/settings.hpp"
#include "lessons/tile_board.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pp::lessons {

//-----------------------------------------------------------------------------
// [SECTION] LessonInfo: what the lesson list and the page show
//-----------------------------------------------------------------------------
struct LessonInfo {
    int number = 0;                  // the tutorial's section order
    const char* id = "";             // "thread-pool": in URLs and on the command line
    const char* title = "";          // "ThreadPoolExecutor"
    const char* explanation = "";    // a few sentences, in our own words
    const char* python_code = "";    // the tutorial's example, as the tutorial prints it
    unsigned params = 0;             // the settings it reads: uses_settings("workers", "tasks")
    LessonParams defaults;           // what the lesson starts with
    bool creates_processes = false;  // it starts child processes (the page readies its workers early)
    bool measures = false;           // an experiment: the panel opens on its plots and image
    bool steppable = false;          // the student can take the scheduler's seat (core/schedule.hpp)
    const char* link_url = nullptr;  // further reading, shown under the explanation
    const char* link_label = nullptr;
};

// Python's own page on its free-threaded build (3.13t, officially supported in 3.14).
inline constexpr const char* kFreeThreadingDocs = "https://docs.python.org/3/howto/free-threading-python.html";

//-----------------------------------------------------------------------------
// [SECTION] LessonContext: console, tutorial-time sleeps, pause and stop
//-----------------------------------------------------------------------------
// One per run, shared by every thread the lesson starts. All members are thread-safe.
class LessonContext {
public:
    struct ConsoleLine {
        double at_ms = 0;  // when it was printed, since the run started, on the trace clock
        std::string text;
        std::string lane;  // the trace lane (thread) or process that printed it
    };
    struct LaneLine {
        std::string lane;
        int source_line = 0;  // line in the lesson's .cpp file
    };
    // One point of a plotted series: "CPU-bound: processes" at x workers took these
    // seconds, one sample per repetition (after a warm-up run; see core/stats.hpp).
    struct Measurement {
        std::string series;
        double x = 0;
        Samples seconds;
    };

    explicit LessonContext(LessonParams params);

    const LessonParams& params() const { return params_; }

    // print(): the console line, as Python's print() would show it, marked on the calling
    // thread's timeline lane. Remembers the caller's line.
    void print(std::string_view text, int source_line = __builtin_LINE());
    // A line printed elsewhere with pp::print(): by a child process (it arrives the moment the
    // child printed it; core/print.hpp) or by a thread of this program. Lines are kept in the
    // order they arrive, which is the order they were printed within one process.
    void print_line(const PrintedLine& line);
    // time.sleep(tutorial_seconds), scaled by params().time_scale. Releases the emulated GIL and
    // is traced as Sleep. Pause stretches it; Stop ends it at once (and every later one).
    void sleep(double tutorial_seconds, int source_line = __builtin_LINE());
    // Real seconds for `tutorial_seconds`, after the time scale: for sleeps in other processes.
    double scaled(double tutorial_seconds) const { return tutorial_seconds * params_.time_scale; }
    // Marks the line the calling thread has reached (for code that neither prints nor sleeps).
    void at(int source_line = __builtin_LINE());
    // For CPU loops: waits while paused. Returns false once Stop was pressed: end the loop then.
    bool keep_going();
    bool stopped() const;

    // What a model predicts for a point of a series (a line drawn beside the measurements).
    struct Prediction {
        std::string series;
        double x = 0;
        double y = 0;
    };

    // Results for the panel's plots, and an image computed tile by tile for its live view.
    void measure(std::string series, double x, Samples seconds);
    void predict(std::string series, double x, double y);
    std::vector<Prediction> predictions() const;
    std::vector<Measurement> measurements() const;
    TileBoard& tiles() { return tiles_; }
    const TileBoard& tiles() const { return tiles_; }

    // Called by the runner (the UI's buttons).
    void set_paused(bool paused);
    void request_stop();

    std::vector<ConsoleLine> console() const;
    std::vector<LaneLine> current_lines() const;
    // Since the run started, on the trace clock: the console's and the timeline's time agree.
    // (Virtual time in the single-threaded page: trace::clock_is_virtual().)
    double elapsed_ms() const;
    // The runner: the run starts now, with its trace (so the console's 0 is the timeline's 0).
    void start_clock() { started_trace_ns_.store(trace::now_ns()); }
    std::int64_t started_ns() const { return started_trace_ns_.load(); }

private:
    void mark_line(int source_line);

    const LessonParams params_;
    std::atomic<std::int64_t> started_trace_ns_;
    mutable std::mutex mutex_;
    sync::condition_variable changed_;  // pause, resume or stop
    bool paused_ = false;
    bool stopped_ = false;
    std::vector<ConsoleLine> console_;
    std::vector<LaneLine> lines_;
    std::vector<Measurement> measurements_;
    std::vector<Prediction> predictions_;
    TileBoard tiles_;
};

//-----------------------------------------------------------------------------
// [SECTION] Lesson and the lesson list
//-----------------------------------------------------------------------------
// A lesson: what to show, and the function that runs it. Each lesson file defines one, as
//     extern const Lesson kThreadPoolLesson;   // declared in lesson_list.cpp, which lists them all
struct Lesson {
    LessonInfo info;
    // Runs on a runner thread, never on the UI thread, so it may block (join, result()).
    // May throw: the runner shows the error and the run ends as failed.
    void (*run)(LessonContext& ctx) = nullptr;
    // The lesson's file name, to find its embedded code ("thread_pool.cpp").
    const char* source_file = "";
    // About how many seconds a run takes with these settings, shown before Run (and a run
    // estimated above kLongRunSeconds asks first). Rough, but on the long side.
    double (*estimate_seconds)(const LessonParams& params) = nullptr;
    // A lesson whose settings switch what it runs (the use-case lesson's experiment) names the
    // code that runs then: its file and Python. nullptr: source_file and info.python_code.
    const char* (*source_file_for)(const LessonParams& params) = nullptr;
    const char* (*python_code_for)(const LessonParams& params) = nullptr;

    const char* source_for(const LessonParams& params) const { return source_file_for ? source_file_for(params) : source_file; }
    const char* python_for(const LessonParams& params) const { return python_code_for ? python_code_for(params) : info.python_code; }
};

// Runs estimated longer than this ask for confirmation first (the page) or --yes (the CLI).
inline constexpr double kLongRunSeconds = 10 * 60;
// "about 7.5 s", "about 3 min", "about 3 h 42 min".
std::string describe_duration(double seconds);
// The lesson's estimate for `params`, 0 when it has none.
double estimate_run_seconds(const Lesson& lesson, const LessonParams& params);

// Every lesson, in the tutorial's order (the list is in lesson_list.cpp: a lesson that is not
// listed there is not linked in).
const std::vector<const Lesson*>& all_lessons();
// nullptr when no lesson has that id.
const Lesson* find_lesson(std::string_view id);

// The code between the lesson file's "// [LESSON CODE]" markers, embedded at build time.
struct LessonCode {
    std::string_view text;  // "" when the file has no markers
    int first_line = 0;     // source line of text's first line
    // (C++ line, Python line) for the lines marked "[py:N]" (scripts/embed_lesson_code.py).
    const std::pair<int, int>* python_lines = nullptr;
    std::size_t python_line_count = 0;

    // The line of the lesson's Python that C++ line `cpp_line` stands for; 0 when none.
    int python_line_for(int cpp_line) const {
        for (std::size_t i = 0; i < python_line_count; ++i)
            if (python_lines[i].first == cpp_line) return python_lines[i].second;
        return 0;
    }
};
LessonCode lesson_code(std::string_view source_file);

}  // namespace pp::lessons
