// libFuzzer target: the settings a person types, through the public parse entry points: the
// page's URL and the desktop app's flags (lessons::parse_launch_options), and the one rule for a
// typed value that playground-cli's flags and the URL share (lessons::read_typed_value, with the
// messages quoting what was typed).
//
// Input: byte 0 picks the form (0: a URL query "k=v&k=v", each becoming "--k=v" as
// web/playground-loader.js passes it; 1: app flags, arguments split at NUL bytes; 2: one value
// for the setting byte 1 picks), the rest is the text. The rules, any break a crash:
// - no crash, no sanitizer report, no exception out of the parsers;
// - what they accept is in range: LessonParams::clamp() finds nothing left to fix;
// - at most one message per argument, plus a few for counts of the rest and events;
// - a value read as fine is in its row's range, one read as out of range is not, and both
//   messages quote the text exactly as typed.
#include "lessons/launch_options.hpp"
#include "lessons/lesson.hpp"
#include "lessons/settings.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

[[noreturn]] void broken_rule(const std::string& rule) {
    std::fprintf(stderr, "fuzz_settings: %s\n", rule.c_str());
    std::abort();
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    for (char c : text) {
        if (c == separator) {
            parts.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    parts.push_back(part);
    return parts;
}

void check_in_range(pp::lessons::LessonParams params, const char* who) {
    const std::string left = params.clamp();
    if (!left.empty()) broken_rule(std::string(who) + " let an out-of-range value through: " + left);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const int form = data[0] % 3;
    const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);

    if (form == 2) {
        using pp::lessons::TypedValue;
        const pp::lessons::Setting& setting = pp::lessons::kLessonSettings[data[1] % pp::lessons::kLessonSettingCount];
        const TypedValue read = pp::lessons::read_typed_value(setting, text);
        if (read.problem == TypedValue::Problem::None && (read.value < setting.min || read.value > setting.max))
            broken_rule("a value read as fine is out of range");
        if (read.problem == TypedValue::Problem::OutOfRange && read.value >= setting.min && read.value <= setting.max)
            broken_rule("a value read as out of range is in range");
        if (read.problem != TypedValue::Problem::None) {
            if (pp::lessons::refusal_message(setting, text).find("'" + text + "'") == std::string::npos)
                broken_rule("the refusal does not quote what was typed");
            if (pp::lessons::page_message(setting, text, read).find(text) == std::string::npos)
                broken_rule("the page's message does not quote what was typed");
        }
        return 0;
    }
    std::vector<std::string> args;
    if (form == 0) {
        for (const std::string& pair : split(text, '&'))
            if (!pair.empty()) args.push_back("--" + pair);  // "k=v" -> "--k=v", "k" -> "--k"
    } else {
        args = split(text, '\0');
    }
    const pp::lessons::LaunchOptions options = pp::lessons::parse_launch_options(args);
    check_in_range(options.params, "parse_launch_options");
    if (options.messages.size() > args.size() + 3) broken_rule("more messages than arguments");
    if (options.bench_timeline_events < 0 || options.bench_timeline_events > 2'000'000) broken_rule("events out of range");
    return 0;
}
