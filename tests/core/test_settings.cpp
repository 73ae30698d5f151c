// Settings.*: the one table of lesson settings, and the one rule for reading what a user typed.
#include "lessons/lesson.hpp"
#include "lessons/settings.hpp"

#include <doctest.h>

#include <set>
#include <string>

using namespace pp::lessons;

TEST_CASE("Settings.EveryRowIsConsistent.1thread") {
    std::set<std::string> keys;
    unsigned bits = 0;
    const LessonParams defaults;
    for (const Setting& setting : kLessonSettings) {
        CAPTURE(setting.key);
        CHECK(keys.insert(setting.key).second);  // one row per key
        CHECK((bits & bit_of(setting)) == 0);    // one bit per row
        bits |= bit_of(setting);
        CHECK(setting.min <= setting.default_value);
        CHECK(setting.default_value <= setting.max);
        CHECK(setting.get(defaults) == doctest::Approx(setting.default_value));  // LessonParams() is the table's defaults
        CHECK(int(setting.whole != nullptr) + int(setting.number != nullptr) + int(setting.on != nullptr) == 1);
        CHECK((setting.kind == SettingKind::WholeNumber || setting.kind == SettingKind::Choice) == (setting.whole != nullptr));
        CHECK(find_setting(setting.key) == &setting);
    }
    CHECK(find_setting("colour") == nullptr);
    CHECK(uses_settings("workers", "gil") == (setting_bit("workers") | setting_bit("gil")));
}

TEST_CASE("Settings.EveryLessonReadsOnlyRowsOfTheTable.1thread") {
    unsigned all = 0;
    for (const Setting& setting : kLessonSettings) all |= bit_of(setting);
    for (const Lesson* lesson : all_lessons()) {
        CAPTURE(lesson->info.id);
        CHECK((lesson->info.params & ~all) == 0);
        LessonParams defaults = lesson->info.defaults;
        CHECK(defaults.clamp().empty());  // a lesson's own defaults are in range
    }
}

TEST_CASE("Settings.TypedValuesFollowOneRule.1thread") {
    const Setting& workers = *find_setting("workers");
    const Setting& scale = *find_setting("scale");
    const Setting& gil = *find_setting("gil");
    using Problem = TypedValue::Problem;
    CHECK(read_typed_value(workers, "7").problem == Problem::None);
    CHECK(read_typed_value(workers, "7").value == 7);
    CHECK(read_typed_value(workers, "+7").value == 7);
    CHECK(read_typed_value(workers, "0").problem == Problem::OutOfRange);
    CHECK(read_typed_value(workers, "-9223372036854775808").problem == Problem::OutOfRange);
    CHECK(read_typed_value(workers, "-9223372036854775808").value < -9e18);
    for (const char* bad : {"", " 7", "7 ", "7.0", "1e1", "0x7", "seven", "-", "+"}) {
        CAPTURE(bad);
        CHECK(read_typed_value(workers, bad).problem == Problem::NotValid);
    }
    CHECK(read_typed_value(scale, "0.05").value == doctest::Approx(0.05));
    CHECK(read_typed_value(scale, ".5").value == doctest::Approx(0.5));
    CHECK(read_typed_value(scale, "1e-1").problem == Problem::None);
    for (const char* bad : {" 1", "1 ", "inf", "nan", "1x", "--1"}) {
        CAPTURE(bad);
        CHECK(read_typed_value(scale, bad).problem == Problem::NotValid);
    }
    CHECK(read_typed_value(scale, "5").problem == Problem::OutOfRange);
    CHECK(read_typed_value(gil, "on").value == 1);
    CHECK(read_typed_value(gil, "0").value == 0);
    CHECK(read_typed_value(gil, "2").problem == Problem::NotValid);

    CHECK(refusal_message(workers, "-9223372036854775808") == "--workers must be a whole number from 1 to 16, not '-9223372036854775808'");
    CHECK(refusal_message(scale, "fast") == "--scale must be a number from 0.01 to 2, not 'fast'");
    CHECK(refusal_message(gil, "2") == "--gil must be 0 or 1, not '2'");
}

TEST_CASE("Settings.ClampSaysWhatItChanged.1thread") {
    LessonParams params;
    params.workers = 40;
    params.sleep = 0;
    CHECK(params.clamp() == "workers must be 1..16, so 40 became 16; sleep must be 0.1..10 seconds, so 0 became 0.1");
    CHECK(params.workers == 16);
    CHECK(params.sleep == doctest::Approx(0.1));
    CHECK(params.clamp().empty());
    CHECK(flags_text(uses_settings("workers", "scale"), params) == "--workers 16 --scale 1");
}
