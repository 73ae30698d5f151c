#include "lessons/share_link.hpp"

namespace pp::lessons {

namespace {

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
    std::string query = "lesson=" + std::string(lesson.info.id);  // ids are [a-z-]: nothing to escape
    for (const Setting& setting : kLessonSettings)                // numbers and switches: nothing to escape either
        if (lesson.info.params & bit_of(setting)) query += "&" + std::string(setting.key) + "=" + setting.text(params);
    return query;
}

std::string share_url(std::string_view page_url, const Lesson& lesson, const LessonParams& params, bool embed, std::string_view extra) {
    return std::string(page_url) + "?" + settings_query(lesson, params) + (embed ? "&embed=1" : "") + std::string(extra);
}

std::string embed_snippet(std::string_view page_url, const Lesson& lesson, const LessonParams& params, std::string_view extra) {
    return "<iframe src=\"" + html_escaped(share_url(page_url, lesson, params, true, extra)) +
           "\"\n"
           "        width=\"" +
           std::to_string(kEmbedWidth) + "\" height=\"" + std::to_string(kEmbedHeight) +
           "\" style=\"border: 0; max-width: 100%;\"\n"
           "        allow=\"cross-origin-isolated; clipboard-write\"\n"
           "        title=\"Parallel Playground: " +
           html_escaped(lesson.info.title) + "\"></iframe>";
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
