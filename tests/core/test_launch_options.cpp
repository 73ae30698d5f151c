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
    const auto options = parse_launch_options({"--lesson", "nope", "--workers", "-1", "--tasks", "99999999999", "--scale", "abc", "--gil",
                                               "maybe", "--colour", "red", "--sleep", "0"});
    CHECK(options.lesson == nullptr);
    CHECK(options.params.workers == 1);
    CHECK(options.params.tasks == pp::lessons::find_setting("tasks")->max);
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
    const auto help = parse_launch_options({"--help"});  // the page's ?help: a message, not an exit
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

TEST_CASE("LaunchOptions.NumbersAreReadOneWayAndEchoedAsTyped.1thread") {
    // A value far beyond any int is quoted as typed, not as whatever it was squeezed into.
    const auto huge = parse_launch_options({"--lesson=thread-pool", "--workers=-9223372036854775808", "--tasks=99999999999999999999"});
    REQUIRE(huge.messages.size() == 2);
    CHECK(huge.messages[0] == "workers must be 1..16, so -9223372036854775808 became 1");
    CHECK(huge.messages[1] == "tasks must be 1..64, so 99999999999999999999 became 64");
    CHECK(huge.params.workers == 1);
    CHECK(huge.params.tasks == 64);
    // Spaces before and after are treated alike: neither is a number.
    for (const char* typed : {" 3", "3 ", "3.0", "0x3", "", "1e1"}) {
        CAPTURE(typed);
        const auto options = parse_launch_options({"--lesson=thread-pool", std::string("--workers=") + typed});
        REQUIRE(options.messages.size() == 1);
        CHECK(options.messages[0] == std::string("workers=") + typed + " is not a whole number; using the lesson's default");
        CHECK(options.params.workers == options.lesson->info.defaults.workers);
    }
    for (const char* typed : {" 0.5", "0.5 ", "inf", "nan", "--1"}) {
        CAPTURE(typed);
        const auto options = parse_launch_options({"--lesson=thread-pool", std::string("--scale=") + typed});
        REQUIRE(options.messages.size() == 1);
        CHECK(options.messages[0] == std::string("scale=") + typed + " is not a number; using the lesson's default");
    }
}

TEST_CASE("LaunchOptions.AFloodOfUnknownSettingsGivesAFewMessages.1thread") {
    // A URL with half a million unknown keys: the first few are named, the rest counted.
    std::vector<std::string> args{"--lesson=thread-pool"};
    for (int i = 0; i < 500000; ++i) args.push_back("--junk" + std::to_string(i) + "=1");
    for (int i = 0; i < 1000; ++i) args.push_back("stray" + std::to_string(i));
    const auto options = parse_launch_options(args);
    REQUIRE(options.messages.size() == 12);
    CHECK(options.messages[0] == "unknown setting 'junk0' ignored");
    CHECK(options.messages[4] == "unknown setting 'junk4' ignored");
    CHECK(options.messages[10] == "and 499995 more unknown settings ignored");
    CHECK(options.messages[11] == "and 995 more values without a --key ignored");
    REQUIRE(options.lesson != nullptr);
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
