#include "lessons/launch_options.hpp"

#include <cerrno>
#include <cmath>
#include <algorithm>
#include <cstdlib>

namespace pp::lessons {

namespace {

std::optional<long long> whole_number(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || errno != 0 || *end != '\0') return std::nullopt;
    return value;
}

std::optional<double> decimal_number(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || errno != 0 || *end != '\0' || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<bool> switch_value(const std::string& text) {
    if (text == "1" || text == "true" || text == "on" || text.empty()) return true;
    if (text == "0" || text == "false" || text == "off") return false;
    return std::nullopt;
}

}  // namespace

LaunchOptions parse_launch_options(const std::vector<std::string>& args) {
    LaunchOptions out;
    std::optional<long long> workers, tasks;
    std::optional<double> scale, sleep;
    std::optional<bool> gil;
    std::optional<long long> events;
    bool bench = false;

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0) {
            out.messages.push_back("ignored '" + arg + "': settings look like --key value");
            continue;
        }
        // "--key=value" (what the page passes: a value may itself start with "--"), or
        // "--key value", or a bare "--key".
        const std::size_t equals = arg.find('=');
        const std::string key = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
        std::string value;
        if (equals != std::string::npos) value = arg.substr(equals + 1);
        else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) value = args[++i];
        const auto bad = [&](const char* expected) {
            out.messages.push_back(key + "=" + value + " is not " + expected + "; using the lesson's default");
        };
        const auto read_switch = [&](bool& target) {  // a bad value leaves the switch off
            const auto on = switch_value(value);
            if (!on) bad("0 or 1");
            target = on.value_or(false);
        };

        if (key == "lesson") {
            out.lesson = find_lesson(value);
            if (!out.lesson) {
                std::string ids;
                for (const Lesson* lesson : all_lessons()) ids += (ids.empty() ? "" : ", ") + std::string(lesson->info.id);
                out.messages.push_back("there is no lesson '" + value + "'; the lessons are: " + ids);
            }
        } else if (key == "workers") {
            if (!(workers = whole_number(value))) bad("a whole number");
        } else if (key == "tasks") {
            if (!(tasks = whole_number(value))) bad("a whole number");
        } else if (key == "scale") {
            if (!(scale = decimal_number(value))) bad("a number");
        } else if (key == "sleep") {
            if (!(sleep = decimal_number(value))) bad("a number of seconds");
        } else if (key == "gil") {
            if (!(gil = switch_value(value))) bad("0 or 1");
        } else if (key == "autorun") {
            read_switch(out.autorun);
        } else if (key == "idle") {
            constexpr double kMaxIdle = 3600;
            const auto seconds = decimal_number(value);
            if (!seconds || *seconds < 0 || *seconds > kMaxIdle)
                out.messages.push_back("idle=" + value + " is not 0.." + std::to_string(static_cast<int>(kMaxIdle)) + " seconds; not idling");
            else
                out.idle_seconds = *seconds;
        } else if (key == "embed") {
            read_switch(out.embed);
        } else if (key == "export") {
            if (value.empty()) out.messages.push_back("export needs a folder: --export DIR");
            out.export_dir = value;
        } else if (key == "smoke-test") {
            out.smoke_test = true;
        } else if (key == "bench") {
            if (value == "timeline") bench = true;
            else out.messages.push_back("bench=" + value + " is not a benchmark; the one there is: timeline");
        } else if (key == "events") {
            if (!(events = whole_number(value))) bad("a whole number");
        } else {
            out.messages.push_back("unknown setting '" + key + "' ignored");
        }
    }

    if (bench) {
        constexpr long long kMaxEvents = 2'000'000;  // a few hundred MB of events would stall the tab
        const long long wanted = events.value_or(100'000);
        out.bench_timeline_events = static_cast<int>(std::max(1LL, std::min(wanted, kMaxEvents)));
        if (wanted != out.bench_timeline_events)
            out.messages.push_back("events must be 1.." + std::to_string(kMaxEvents) + ", so " + std::to_string(wanted) +
                                   " became " + std::to_string(out.bench_timeline_events));
    }
    if (out.lesson) out.params = out.lesson->info.defaults;
    // Whole numbers far outside int are clamped here, the rest by LessonParams::clamp().
    const auto to_int = [](long long v) { return static_cast<int>(std::max(-1'000'000LL, std::min(v, 1'000'000LL))); };
    if (workers) out.params.workers = to_int(*workers);
    if (tasks) out.params.tasks = to_int(*tasks);
    if (scale) out.params.time_scale = *scale;
    if (sleep) out.params.sleep = *sleep;
    if (gil) out.params.gil = *gil;
    const std::string clamped = out.params.clamp();
    if (!clamped.empty()) out.messages.push_back(clamped);
    return out;
}

}  // namespace pp::lessons
