// The lesson's sharing and export buttons, right-aligned on the lesson's title line:
//   Share   copies a link that reopens this lesson with these settings
//   Embed   shows the <iframe> snippet for a course page, with what the host page needs
//   Export  the run as trace.json (Chrome trace, like playground-cli --trace), the timeline as
//           PNG, the console as text: downloads in the page, files in the working directory natively
// Embedded (embed=1), Share and Embed give way to "Open in Parallel Playground", which opens the
// full page with the same settings in a new tab.
#pragma once

#include "lessons/lesson.hpp"
#include "lessons/lesson_runner.hpp"
#include "platform/share.hpp"
#include "ui/timeline_view.hpp"

#include <string>

namespace pp::ui {

class ShareBar {
public:
    enum class Action { None, LeaveEmbed };  // LeaveEmbed: the desktop app's "Open" shows the full layout

    // Call right after the title, on its line. `snapshot` is the runner's; the exports only offer
    // a run of `lesson`. UI thread, every frame.
    // `link_extra`: what links add to the lesson's settings (step mode's schedule).
    Action draw(const lessons::Lesson& lesson, const lessons::LessonParams& params, const std::string& link_extra,
                const lessons::LessonRunner::Snapshot& snapshot, TimelineView& timeline, bool embedded);

    // The three exports at once, into `folder` ("" = the working directory, or the downloads in
    // the page). The timeline's picture is taken when it next shows: until then
    // timeline.capture_pending() is true. A timeline on a hidden tab is skipped, with a notice.
    void export_all(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot, TimelineView& timeline,
                    const std::string& folder);

    // A notice is on screen: it goes away by itself, so the window must keep drawing until then.
    bool showing_notice() const;

private:
    void export_trace(const lessons::Lesson& lesson, const std::string& folder);
    void export_png(const lessons::Lesson& lesson, TimelineView& timeline, const std::string& folder);
    void export_console(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot, const std::string& folder);
    void draw_export_menu(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot, TimelineView& timeline);
    void draw_embed_window();
    void draw_notice();
    void notify(const platform::ShareResult& result);
    void copy(const std::string& text);

    std::string snippet_;  // the Embed window's text, made when it opens
    bool embed_window_open_ = false;
    std::string notice_;  // what the last action did, shown for a few seconds
    bool notice_ok_ = true;
    bool notice_is_copy_ = false;  // the browser may still refuse it (platform::copy_was_refused)
    double notice_until_ = 0;
};

// The console as a text file: a header naming the lesson and its settings, then one line per
// printed line ("  1.02 s  Number: 1").
std::string console_text(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot);

}  // namespace pp::ui
