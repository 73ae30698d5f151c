#include "lessons/share_link.hpp"

#include <cstdio>

namespace pp::lessons {

namespace {

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

// For an attribute value: & < > " become entities.
std::string html_escaped(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace

std::string settings_query(const Lesson& lesson, const LessonParams& params) {
    const unsigned uses = lesson.info.params;
    std::string query = "lesson=" + std::string(lesson.info.id);  // ids are [a-z-]: nothing to escape
    if (uses & kUsesWorkers) query += "&workers=" + std::to_string(params.workers);
    if (uses & kUsesTasks) query += "&tasks=" + std::to_string(params.tasks);
    if (uses & kUsesTimeScale) query += "&scale=" + number(params.time_scale);
    if (uses & kUsesSleep) query += "&sleep=" + number(params.sleep);
    if (uses & kUsesGil) query += params.gil ? "&gil=1" : "&gil=0";
    return query;
}

std::string share_url(std::string_view page_url, const Lesson& lesson, const LessonParams& params, bool embed) {
    return std::string(page_url) + "?" + settings_query(lesson, params) + (embed ? "&embed=1" : "");
}

std::string embed_snippet(std::string_view page_url, const Lesson& lesson, const LessonParams& params) {
    return "<iframe src=\"" + html_escaped(share_url(page_url, lesson, params, true)) + "\"\n"
           "        width=\"" + std::to_string(kEmbedWidth) + "\" height=\"" + std::to_string(kEmbedHeight) +
           "\" style=\"border: 0; max-width: 100%;\"\n"
           "        allow=\"cross-origin-isolated; clipboard-write\"\n"
           "        title=\"Parallel Playground: " + html_escaped(lesson.info.title) + "\"></iframe>";
}

const char* const kEmbedHostRequirements =
    "Threads need a cross-origin isolated frame. The playground's server sends the headers for it "
    "(scripts/serve.py: COOP, COEP, CORP and Document-Isolation-Policy). The course page then needs one of:\n"
    "  - nothing more in Chrome/Edge 137+: Document-Isolation-Policy isolates the frame on any page;\n"
    "  - elsewhere, the course page itself served with\n"
    "      Cross-Origin-Opener-Policy: same-origin\n"
    "      Cross-Origin-Embedder-Policy: require-corp\n"
    "    (the allow=\"cross-origin-isolated\" attribute then passes isolation to the frame);\n"
    "  - otherwise the frame explains, and links to the lesson in a new tab.";

}  // namespace pp::lessons
