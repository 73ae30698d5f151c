// Links that reproduce a lesson with its settings: the Share button's URL, the address bar kept
// in sync, and the Embed button's <iframe> snippet for a course page.
//
// The query uses the keys parse_launch_options() reads (the page turns ?key=value into --key
// value), so opening a shared link gives the same lesson with the same settings.
#pragma once

#include "lessons/lesson.hpp"

#include <string>
#include <string_view>

namespace pp::lessons {

// "lesson=thread-pool&workers=3&tasks=5&scale=0.1&sleep=1": the lesson and every setting it
// reads (settings it ignores are left out). No leading '?'.
std::string settings_query(const Lesson& lesson, const LessonParams& params);

// page_url + "?" + settings_query (+ "&embed=1") + `extra` (step mode's "&step=1&schedule=..").
// page_url is the page's address without a query ("https://example.org/playground/"); a query or
// fragment left in it would be kept and break the link.
std::string share_url(std::string_view page_url, const Lesson& lesson, const LessonParams& params, bool embed = false,
                      std::string_view extra = {});

// The size the Embed snippet suggests: fits a course page's text column, and the compact layout.
constexpr int kEmbedWidth = 800, kEmbedHeight = 500;

// An <iframe> for a course page, showing the lesson compactly (embed=1). It carries
// allow="cross-origin-isolated" (threads need it in a frame from another origin) and
// allow="clipboard-write" (for the Share and Copy buttons).
std::string embed_snippet(std::string_view page_url, const Lesson& lesson, const LessonParams& params, std::string_view extra = {});

// What the page holding the iframe needs, in a few lines for the Embed window.
extern const char* const kEmbedHostRequirements;

}  // namespace pp::lessons
