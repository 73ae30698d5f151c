#include "lessons/launch_options.hpp"

#include "core/schedule.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <utility>

namespace pp::lessons {

namespace {

std::optional<long long> whole_number(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || errno != 0 || *end != '\0' || text[0] == ' ') return std::nullopt;
    return value;
}

// The app's own switches (not lesson settings): a bare --autorun is on.
std::optional<bool> switch_value(const std::string& text) {
    if (text == "1" || text == "true" || text == "on" || text.empty()) return true;
    if (text == "0" || text == "false" || text == "off") return false;
    return std::nullopt;
}

// A URL can hold any number of unknown keys; the page lists this many, then counts the rest.
constexpr std::size_t kMaxUnknownListed = 5;

}  // namespace

LaunchOptions parse_launch_options(const std::vector<std::string>& args) {
    LaunchOptions out;
    // The lesson settings that were given, as typed; applied once the lesson (and its defaults) is known.
    std::vector<std::pair<const Setting*, std::string>> settings;
    std::optional<long long> events;
    bool bench = false;
    std::size_t unknown = 0, ignored = 0;

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0) {
            if (++ignored <= kMaxUnknownListed) out.messages.push_back("ignored '" + arg + "': settings look like --key value");
            continue;
        }
        // "--key=value" (what the page passes: a value may itself start with "--"), or
        // "--key value", or a bare "--key".
        const std::size_t equals = arg.find('=');
        const std::string key = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
        std::string value;
        if (equals != std::string::npos)
            value = arg.substr(equals + 1);
        else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0)
            value = args[++i];
        const auto read_switch = [&](bool& target) {  // a bad value leaves the switch off
            const auto on = switch_value(value);
            if (!on) out.messages.push_back(key + "=" + value + " is not 0 or 1; using off");
            target = on.value_or(false);
        };

        if (const Setting* setting = find_setting(key)) {
            settings.emplace_back(setting, value);
        } else if (key == "lesson") {
            out.lesson = find_lesson(value);
            if (!out.lesson) {
                std::string ids;
                for (const Lesson* lesson : all_lessons()) ids += (ids.empty() ? "" : ", ") + std::string(lesson->info.id);
                out.messages.push_back("there is no lesson '" + value + "'; the lessons are: " + ids);
            }
        } else if (key == "autorun") {
            read_switch(out.autorun);
        } else if (key == "idle") {
            static const Setting kIdle{"idle", "idle", SettingKind::Number, 0, 3600, 0, " seconds", "S", "", "", false};
            const TypedValue read = read_typed_value(kIdle, value);
            if (read.problem != TypedValue::Problem::None)
                out.messages.push_back("idle=" + value + " is not 0..3600 seconds; not idling");
            else
                out.idle_seconds = read.value;
        } else if (key == "embed") {
            read_switch(out.embed);
        } else if (key == "step") {
            read_switch(out.step);
        } else if (key == "schedule") {
            if (const std::string problem = schedule::check_schedule(value); !problem.empty())
                out.messages.push_back("schedule=" + value.substr(0, 40) + (value.size() > 40 ? "..." : "") + ": " + problem);
            else
                out.schedule = value;
        } else if (key == "export") {
            if (value.empty()) out.messages.push_back("export needs a folder: --export DIR");
            out.export_dir = value;
        } else if (key == "smoke-test") {
            out.smoke_test = true;
        } else if (key == "bench") {
            if (value == "timeline")
                bench = true;
            else
                out.messages.push_back("bench=" + value + " is not a benchmark; the one there is: timeline");
        } else if (key == "events") {
            if (!(events = whole_number(value))) out.messages.push_back("events=" + value + " is not a whole number; using 100000");
        } else if (++unknown <= kMaxUnknownListed) {
            out.messages.push_back("unknown setting '" + key + "' ignored");
        }
    }
    if (unknown > kMaxUnknownListed)
        out.messages.push_back("and " + std::to_string(unknown - kMaxUnknownListed) + " more unknown settings ignored");
    if (ignored > kMaxUnknownListed)
        out.messages.push_back("and " + std::to_string(ignored - kMaxUnknownListed) + " more values without a --key ignored");

    if (bench) {
        constexpr long long kMaxEvents = 2'000'000;  // a few hundred MB of events would stall the tab
        const long long wanted = events.value_or(100'000);
        out.bench_timeline_events = static_cast<int>(std::max(1LL, std::min(wanted, kMaxEvents)));
        if (wanted != out.bench_timeline_events)
            out.messages.push_back("events must be 1.." + std::to_string(kMaxEvents) + ", so " + std::to_string(wanted) + " became " +
                                   std::to_string(out.bench_timeline_events));
    }
    if (out.lesson) out.params = out.lesson->info.defaults;
    if ((out.step || !out.schedule.empty()) && out.lesson && !out.lesson->info.steppable) {
        out.messages.push_back(std::string(out.lesson->info.id) + " cannot be stepped; step mode is for thread, start-join, "
                                                                  "multithreading and thread-pool");
        out.step = false;
        out.schedule.clear();
    }
    for (const auto& [setting, typed] : settings) {
        const TypedValue read = read_typed_value(*setting, typed);
        if (read.problem != TypedValue::Problem::None) out.messages.push_back(page_message(*setting, typed, read));
        if (read.problem == TypedValue::Problem::NotValid) continue;  // the lesson's default stays
        setting->set(out.params, std::clamp(read.value, setting->min, setting->max));
    }
    return out;
}

}  // namespace pp::lessons
