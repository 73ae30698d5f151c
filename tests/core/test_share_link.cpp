// ShareLink.*: a shared link reopens the same lesson with the same settings, and the embed
// snippet carries what a course page's iframe needs.
#include "lessons/launch_options.hpp"
#include "lessons/share_link.hpp"

#include <doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace pp::lessons;

namespace {

// What web/playground-loader.js does with the page's query: ?a=1&b becomes --a 1 --b.
std::vector<std::string> query_to_args(const std::string& query) {
    std::vector<std::string> args;
    std::size_t at = 0;
    while (at <= query.size()) {
        const std::size_t end = std::min(query.find('&', at), query.size());
        const std::string pair = query.substr(at, end - at);
        const std::size_t equals = pair.find('=');
        args.push_back("--" + pair.substr(0, equals));
        if (equals != std::string::npos && equals + 1 < pair.size()) args.push_back(pair.substr(equals + 1));
        at = end + 1;
    }
    return args;
}

}  // namespace

TEST_CASE("ShareLink.QueryReopensTheSameLessonAndSettings.1thread") {
    const Lesson* lesson = find_lesson("thread-pool");
    REQUIRE(lesson != nullptr);
    LessonParams params = lesson->info.defaults;
    params.workers = 7;
    params.tasks = 11;
    params.time_scale = 0.25f;  // the slider stores a float: the link must still round-trip
    params.sleep = 2.5;
    params.gil = !params.gil;
    const std::string query = settings_query(*lesson, params);
    const LaunchOptions reopened = parse_launch_options(query_to_args(query));
    CHECK(reopened.messages.empty());
    REQUIRE(reopened.lesson == lesson);
    CHECK(reopened.params.workers == 7);
    CHECK(reopened.params.tasks == 11);
    CHECK(reopened.params.time_scale == doctest::Approx(0.25));
    if (lesson->info.params & setting_bit("sleep")) CHECK(reopened.params.sleep == doctest::Approx(2.5));
    if (lesson->info.params & setting_bit("gil")) CHECK(reopened.params.gil == params.gil);
    CHECK_FALSE(reopened.embed);
    CHECK_FALSE(reopened.autorun);
}

TEST_CASE("ShareLink.EveryLessonsLinkParsesWithoutMessages.1thread") {
    for (const Lesson* lesson : all_lessons()) {
        CAPTURE(lesson->info.id);
        const std::string query = settings_query(*lesson, lesson->info.defaults);
        CHECK(query.rfind(std::string("lesson=") + lesson->info.id, 0) == 0);
        const LaunchOptions reopened = parse_launch_options(query_to_args(query + "&embed=1"));
        CHECK(reopened.messages.empty());
        CHECK(reopened.lesson == lesson);
        CHECK(reopened.embed);
    }
}

TEST_CASE("ShareLink.SettingsALessonIgnoresAreLeftOut.1thread") {
    const Lesson* lesson = find_lesson("program");
    REQUIRE(lesson != nullptr);
    const std::string query = settings_query(*lesson, lesson->info.defaults);
    if (!(lesson->info.params & setting_bit("workers"))) CHECK(query.find("workers=") == std::string::npos);
    if (!(lesson->info.params & setting_bit("gil"))) CHECK(query.find("gil=") == std::string::npos);
}

TEST_CASE("ShareLink.EmbedSnippetIsAnIsolatedCompactIframe.1thread") {
    const Lesson* lesson = find_lesson("thread-pool");
    REQUIRE(lesson != nullptr);
    LessonParams params = lesson->info.defaults;
    params.workers = 4;
    const std::string url = share_url("https://example.org/pp/", *lesson, params, true);
    CHECK(url.rfind("https://example.org/pp/?lesson=thread-pool&workers=4", 0) == 0);
    CHECK(url.size() > 8);
    CHECK(url.substr(url.size() - 8) == "&embed=1");

    const std::string snippet = embed_snippet("https://example.org/pp/", *lesson, params);
    CHECK(snippet.rfind("<iframe src=\"https://example.org/pp/?lesson=thread-pool&amp;workers=4&amp;", 0) == 0);
    CHECK(snippet.find("&amp;embed=1\"") != std::string::npos);
    CHECK(snippet.find("allow=\"cross-origin-isolated; clipboard-write\"") != std::string::npos);
    CHECK(snippet.find("width=\"800\" height=\"500\"") != std::string::npos);
    CHECK(snippet.find("</iframe>") != std::string::npos);
    CHECK(snippet.find("&workers") == std::string::npos);  // every & in the attribute is escaped
}

TEST_CASE("LaunchOptions.EmbedSwitch.1thread") {
    CHECK(parse_launch_options({"--lesson", "thread", "--embed", "1"}).embed);
    CHECK(parse_launch_options({"--embed"}).embed);
    CHECK_FALSE(parse_launch_options({"--embed", "0"}).embed);
    const LaunchOptions bad = parse_launch_options({"--embed", "sideways"});
    CHECK_FALSE(bad.embed);
    REQUIRE(bad.messages.size() == 1);
    CHECK(bad.messages[0].find("embed=sideways is not 0 or 1") != std::string::npos);
}

TEST_CASE("LaunchOptions.ExportNeedsAFolder.1thread") {
    CHECK(parse_launch_options({"--lesson", "thread", "--export", "out/run1"}).export_dir == "out/run1");
    const LaunchOptions bad = parse_launch_options({"--lesson", "thread", "--export"});
    CHECK(bad.export_dir.empty());
    REQUIRE(bad.messages.size() == 1);
    CHECK(bad.messages[0] == "export needs a folder: --export DIR");
}
