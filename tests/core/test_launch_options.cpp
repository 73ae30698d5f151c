// LaunchOptions.*: URL / flag settings become a lesson and parameters, and bad ones get messages.
#include "lessons/launch_options.hpp"

#include "doctest.h"

#include <string>
#include <vector>

using pp::lessons::parse_launch_options;

TEST_CASE("LaunchOptions.ValidSettingsApplyOverTheLessonsDefaults.1thread") {
    const auto options =
        parse_launch_options({"--lesson", "thread-pool", "--workers", "2", "--scale", "0.1", "--sleep", "2.5", "--autorun"});
    REQUIRE(options.lesson != nullptr);
    CHECK(std::string(options.lesson->info.id) == "thread-pool");
    CHECK(options.params.workers == 2);
    CHECK(options.params.tasks == options.lesson->info.defaults.tasks);
    CHECK(options.params.time_scale == doctest::Approx(0.1));
    CHECK(options.params.sleep == doctest::Approx(2.5));
    CHECK(options.autorun);
    CHECK(options.messages.empty());
}

TEST_CASE("LaunchOptions.BadSettingsGetMessagesAndSafeValues.1thread") {
    const auto options = parse_launch_options(
        {"--lesson", "nope", "--workers", "-1", "--tasks", "99999999999", "--scale", "abc", "--gil", "maybe", "--colour", "red",
         "--sleep", "0"});
    CHECK(options.lesson == nullptr);
    CHECK(options.params.workers == 1);
    CHECK(options.params.tasks == pp::lessons::LessonParams::kMaxTasks);
    CHECK(options.params.time_scale == doctest::Approx(1.0));
    std::string all;
    for (const auto& message : options.messages) all += message + "\n";
    CHECK(all.find("there is no lesson 'nope'") != std::string::npos);
    CHECK(all.find("workers must be 1..16, so -1 became 1") != std::string::npos);
    CHECK(all.find("tasks must be 1..64") != std::string::npos);
    CHECK(all.find("scale=abc is not a number") != std::string::npos);
    CHECK(all.find("gil=maybe is not 0 or 1") != std::string::npos);
    CHECK(all.find("unknown setting 'colour' ignored") != std::string::npos);
    CHECK(all.find("sleep must be 0.1..10 seconds, so 0 became 0.1") != std::string::npos);
}

TEST_CASE("LaunchOptions.KeyEqualsValueKeepsValuesThatLookLikeFlags.1thread") {
    // The page passes ?lesson=thread-pool&export=--smoke-test as one argument per setting: the
    // "--smoke-test" there is export's (bad) value, not a second setting.
    const auto options = parse_launch_options({"--lesson=thread-pool", "--workers=2", "--export=--smoke-test", "--autorun"});
    REQUIRE(options.lesson != nullptr);
    CHECK(std::string(options.lesson->info.id) == "thread-pool");
    CHECK(options.params.workers == 2);
    CHECK(options.export_dir == "--smoke-test");
    CHECK_FALSE(options.smoke_test);
    CHECK(options.autorun);
    CHECK(options.messages.empty());
    const auto help = parse_launch_options({"--help"}); // the page's ?help: a message, not an exit
    REQUIRE(help.messages.size() == 1);
    CHECK(help.messages[0] == "unknown setting 'help' ignored");
}

TEST_CASE("LaunchOptions.TimelineBenchmarkEventsAreBounded.1thread") {
    CHECK(parse_launch_options({"--bench", "timeline"}).bench_timeline_events == 100000);
    const auto huge = parse_launch_options({"--bench", "timeline", "--events", "999999999"});
    CHECK(huge.bench_timeline_events == 2000000);
    CHECK(huge.messages.size() == 1);
    CHECK(parse_launch_options({"--bench", "teapot"}).bench_timeline_events == 0);
}

TEST_CASE("LaunchOptions.IdleSecondsAreBounded.1thread") {
    CHECK(parse_launch_options({"--lesson", "thread-pool", "--autorun", "--idle", "5"}).idle_seconds == doctest::Approx(5));
    CHECK(parse_launch_options({"--idle=0.5"}).idle_seconds == doctest::Approx(0.5));
    for (const char* bad : {"-1", "soon", "99999"}) {
        const auto options = parse_launch_options({"--idle", bad});
        CHECK(options.idle_seconds == 0);
        REQUIRE(options.messages.size() == 1);
        CHECK(options.messages[0] == "idle=" + std::string(bad) + " is not 0..3600 seconds; not idling");
    }
}
