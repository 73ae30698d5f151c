// The lesson settings, in one table: the page's controls, the URL, the command line's flags, the
// share link, clamping and --help all read it.
//
// Index of this file
// [SECTION] LessonParams: one field per setting
// [SECTION] Setting: one row
// [SECTION] The table
// [SECTION] Reading and writing values
//
// A new setting is one row in kLessonSettings and its field in LessonParams; every reader picks
// it up. A lesson says which settings it reads with uses_settings("workers", "tasks").
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pp::lessons {

//-----------------------------------------------------------------------------
// [SECTION] LessonParams: one field per setting
//-----------------------------------------------------------------------------
// The values of one run. A default-constructed one holds every row's default.
struct LessonParams {
    int workers;                // max_workers: threads or processes
    int tasks;                  // how many inputs to map over
    double time_scale;          // multiplies the tutorial's sleeps: 1 = as written, 0.1 = ten times faster
    double sleep;               // the length of the lesson's time.sleep(), in tutorial seconds (before time_scale)
    bool gil;                   // emulate CPython's global interpreter lock
    double switch_interval_ms;  // sys.setswitchinterval(), in milliseconds: how long a GIL holder keeps it
    int increments;             // the thread lesson: how many times each thread adds 1
    int lock;                   // the thread lesson: kWithoutLock, kWithLock or kBothLocks (one run after the other)
    int experiment;             // the use-case lesson: kUseCaseTable or kGranularity

    LessonParams();

    // Moves out-of-range values to the nearest allowed one and says what changed ("" if nothing),
    // so a bad value still runs something sensible.
    std::string clamp();
};

// LessonParams::lock
enum LockChoice : int { kWithoutLock = 0, kWithLock = 1, kBothLocks = 2 };
// LessonParams::experiment
enum ExperimentChoice : int { kUseCaseTable = 0, kGranularity = 1 };

//-----------------------------------------------------------------------------
// [SECTION] Setting: one row
//-----------------------------------------------------------------------------
// Choice: one of a few words ("without|with|both"), kept as its index in a whole-number field.
enum class SettingKind { WholeNumber, Number, Switch, Choice };

struct Setting {
    const char* key;    // "workers": the URL's key, and the flag --workers
    const char* label;  // the page's control: "time scale"
    SettingKind kind;
    double min, max;  // the allowed range (a switch: 0 and 1)
    double default_value;
    const char* unit;        // after a value in messages: " s", ""
    const char* value_name;  // in --help: "N", "X", "S", "0|1"; for a Choice, its words: "without|with|both"
    const char* help;        // --help, and the control's tooltip
    const char* format;      // the page's control shows the value so: "%d", "%.2fx", "%.1f s"
    bool logarithmic;        // the page's slider: more room for small values
    // The field it sets: the one that matches `kind` (a Choice's index is a whole number).
    int LessonParams::*whole = nullptr;
    double LessonParams::*number = nullptr;
    bool LessonParams::*on = nullptr;
    const char* flag = nullptr;  // the command line's name when it is not the key ("switch-interval")

    // "--workers": the command line's flag.
    std::string flag_name() const { return std::string("--") + (flag ? flag : key); }
    double get(const LessonParams& params) const;
    void set(LessonParams& params, double value) const;  // rounds whole numbers, reads non-zero as on
    // The value as a URL or a flag spells it: "3", "0.05", "1".
    std::string text(const LessonParams& params) const;
    // "from 1 to 16", "from 0.01 to 2", "0 or 1", "without, with or both": for messages.
    std::string range_text() const;
    // A Choice's word for `index` ("" out of range), and the index of `word` (-1 if none).
    std::string choice(int index) const;
    int choice_index(std::string_view word) const;
};

//-----------------------------------------------------------------------------
// [SECTION] The table
//-----------------------------------------------------------------------------
inline constexpr Setting kLessonSettings[] = {
    {"workers", "workers", SettingKind::WholeNumber, 1, 16, 3, "", "N", "max_workers: how many threads or processes", "%d", false,
     &LessonParams::workers},
    {"tasks", "tasks", SettingKind::WholeNumber, 1, 64, 5, "", "N", "how many inputs to map over", "%d", false, &LessonParams::tasks},
    {"scale", "time scale", SettingKind::Number, 0.01, 2, 1, "", "X",
     "multiplies every sleep: 1 sleeps as long as the tutorial says, 0.1 is ten times faster", "%.2fx", true, nullptr,
     &LessonParams::time_scale},
    {"sleep", "sleep", SettingKind::Number, 0.1, 10, 1, " seconds", "S",
     "how long the lesson's time.sleep() lasts, in seconds, before the time scale", "%.1f s", true, nullptr, &LessonParams::sleep},
    {"gil", "GIL", SettingKind::Switch, 0, 1, 0, "", "0|1",
     "on: threads as in CPython with the GIL (the default build), one at a time runs Python code; off: "
     "free-threaded CPython 3.13t/3.14t, or C++",
     "", false, nullptr, nullptr, &LessonParams::gil},
    {"switch", "switch interval", SettingKind::Number, 0.1, 100, 5, " ms", "MS",
     "sys.setswitchinterval(), in ms: how long a thread keeps the GIL before a waiting one asks for it", "%.1f ms", true, nullptr,
     &LessonParams::switch_interval_ms, nullptr, "switch-interval"},
    {"increments", "increments", SettingKind::WholeNumber, 1, 20000, 20000, "", "N",
     "how many times each thread adds 1 to the counter (at most 5 while you step)", "%d", true, &LessonParams::increments},
    {"lock", "lock", SettingKind::Choice, 0, 2, kBothLocks, "", "without|with|both",
     "count without a lock, with one, or both, one run after the other", "", false, &LessonParams::lock},
    {"experiment", "experiment", SettingKind::Choice, 0, 1, kUseCaseTable, "", "table|granularity",
     "the tutorial's table (I/O- and CPU-bound work), or the cost of parallelism: small tasks against big ones", "", false,
     &LessonParams::experiment},
};
inline constexpr std::size_t kLessonSettingCount = sizeof kLessonSettings / sizeof kLessonSettings[0];

// The row with this key; nullptr when there is none.
const Setting* find_setting(std::string_view key);

// The bit a lesson's LessonInfo::params sets for the row with this key (a compile error in a
// constant expression when there is no such row).
constexpr unsigned setting_bit(std::string_view key) {
    for (std::size_t i = 0; i < kLessonSettingCount; ++i)
        if (key == kLessonSettings[i].key) return 1u << i;
    throw std::invalid_argument("no lesson setting has this key");
}
template <class... Keys>
constexpr unsigned uses_settings(Keys... keys) {
    return (0u | ... | setting_bit(keys));
}
inline unsigned bit_of(const Setting& setting) { return 1u << static_cast<unsigned>(&setting - kLessonSettings); }

//-----------------------------------------------------------------------------
// [SECTION] Reading and writing values
//-----------------------------------------------------------------------------
// One rule for what a user typed, in a URL or a flag: a whole number is digits with an optional
// sign; a number is a decimal; a switch is 0/1, true/false or on/off. No spaces, before or after.
// The value is read even when it is far out of range (-9223372036854775808 stays that, for the
// message), and messages quote the text exactly as typed.
struct TypedValue {
    enum class Problem { None, NotValid, OutOfRange } problem = Problem::None;
    double value = 0;  // when not NotValid: what was typed, possibly out of range
};
TypedValue read_typed_value(const Setting& setting, std::string_view text);

// "--workers must be a whole number from 1 to 16, not '0'": the command line refuses bad values.
std::string refusal_message(const Setting& setting, std::string_view typed);
// "workers=abc is not a whole number; using the lesson's default" / "workers must be 1..16, so
// 99 became 16": the page uses something sensible instead, and says so.
std::string page_message(const Setting& setting, std::string_view typed, const TypedValue& read);

// "--workers N --scale X": the flags of the settings in `uses`, with their values, for messages.
std::string flags_text(unsigned uses, const LessonParams& params);

}  // namespace pp::lessons
