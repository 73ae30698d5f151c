// Which lesson to open, with which settings: from the page's URL (?lesson=thread-pool&workers=3)
// or the desktop app's flags (--lesson thread-pool --workers 3). Both arrive as "--key value".
//
// Unlike the CLI, which refuses bad input, a page must always show something: a bad value gets
// a message that says what was wrong and what is used instead, never a blank page.
#pragma once

#include "lessons/lesson.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pp::lessons {

struct LaunchOptions {
    const Lesson* lesson = nullptr;     // nullptr: the app's home (no lesson named)
    LessonParams params;                // the lesson's defaults, with the given settings applied
    bool autorun = false;               // start the run at once
    bool embed = false;                 // compact layout for an iframe: no lesson list (embed=1)
    bool step = false;                  // step mode: the student schedules the threads (step=1)
    std::string schedule;               // replayed in step mode (schedule=0011; core/schedule.hpp)
    std::string export_dir;             // desktop app: when the autorun run ends, write its exports here
    bool smoke_test = false;            // desktop app: run, print the state, exit (tests/app)
    double idle_seconds = 0;            // with autorun: leave the lesson open this long first (tests/app)
    int bench_timeline_events = 0;      // > 0: the timeline frame-time benchmark with this many events
    std::vector<std::string> messages;  // one per problem, for the user to read
};

// args: alternating "--key" and "value" (a flag such as --autorun may stand alone).
// Keys: lesson, every lesson setting (lessons/settings.hpp), autorun, embed, export, smoke-test,
// bench (=timeline), events. Unknown keys get a message each, up to a few, then a count.
// Keys: lesson, workers, tasks, scale, sleep, gil, autorun, idle, embed, export, smoke-test, bench (=timeline),
// events.
LaunchOptions parse_launch_options(const std::vector<std::string>& args);

}  // namespace pp::lessons
