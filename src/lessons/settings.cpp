#include "lessons/settings.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace pp::lessons {

namespace {
// "%g" of a value, for URLs, flags and messages: 3, 0.05, 2.5.
std::string short_number(double value) {
    char text[40];
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        std::snprintf(text, sizeof text, "%.0f", value);
    else
        std::snprintf(text, sizeof text, "%g", value);
    return text;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string kind_name(SettingKind kind) {
    switch (kind) {
    case SettingKind::WholeNumber: return "a whole number";
    case SettingKind::Number: return "a number";
    case SettingKind::Switch: return "0 or 1";
    case SettingKind::Choice: return "one of";
    }
    return "a value";
}
}  // namespace

//-----------------------------------------------------------------------------
// LessonParams and Setting
//-----------------------------------------------------------------------------
LessonParams::LessonParams()
    : workers(0), tasks(0), time_scale(0), sleep(0), gil(false), switch_interval_ms(0), increments(0), lock(0), experiment(0) {
    for (const Setting& setting : kLessonSettings) setting.set(*this, setting.default_value);
}

std::string LessonParams::clamp() {
    std::string changes;
    for (const Setting& setting : kLessonSettings) {
        const double value = setting.get(*this);
        if (std::isfinite(value) && value >= setting.min && value <= setting.max) continue;
        // Out of range goes to the nearer bound; not a number at all goes to the default.
        const double fixed = std::isfinite(value) ? std::clamp(value, setting.min, setting.max) : setting.default_value;
        changes += (changes.empty() ? "" : "; ") + std::string(setting.key) + " must be " + short_number(setting.min) + ".." +
                   short_number(setting.max) + setting.unit + ", so " + short_number(value) + " became " + short_number(fixed);
        setting.set(*this, fixed);
    }
    return changes;
}

double Setting::get(const LessonParams& params) const {
    if (whole) return params.*whole;
    if (number) return params.*number;
    return on && params.*on ? 1 : 0;
}

void Setting::set(LessonParams& params, double value) const {
    if (whole)
        params.*whole = static_cast<int>(std::lround(std::clamp(value, -1e9, 1e9)));
    else if (number)
        params.*number = value;
    else if (on)
        params.*on = value != 0;
}

std::string Setting::text(const LessonParams& params) const {
    if (kind == SettingKind::Choice) return choice(static_cast<int>(get(params)));
    return short_number(get(params));
}

std::string Setting::range_text() const {
    if (kind == SettingKind::Switch) return "0 or 1";
    if (kind == SettingKind::Choice) {
        std::string words;
        for (int i = 0; i <= static_cast<int>(max); ++i) words += (i == 0 ? "" : i == static_cast<int>(max) ? " or " : ", ") + choice(i);
        return words;
    }
    return "from " + short_number(min) + " to " + short_number(max);
}

std::string Setting::choice(int index) const {
    std::string_view words = kind == SettingKind::Choice ? value_name : "";
    for (int i = 0; !words.empty(); ++i) {
        const std::size_t bar = words.find('|');
        if (i == index) return std::string(words.substr(0, bar));
        if (bar == std::string_view::npos) break;
        words.remove_prefix(bar + 1);
    }
    return {};
}

int Setting::choice_index(std::string_view word) const {
    for (int i = 0; i <= static_cast<int>(max); ++i)
        if (!word.empty() && choice(i) == word) return i;
    return -1;
}

const Setting* find_setting(std::string_view key) {
    for (const Setting& setting : kLessonSettings)
        if (key == setting.key) return &setting;
    return nullptr;
}

//-----------------------------------------------------------------------------
// Reading and writing values
//-----------------------------------------------------------------------------
TypedValue read_typed_value(const Setting& setting, std::string_view text) {
    TypedValue out;
    const auto not_valid = [&] {
        out.problem = TypedValue::Problem::NotValid;
        return out;
    };
    if (setting.kind == SettingKind::Choice) {
        const int index = setting.choice_index(text);
        if (index < 0) return not_valid();
        out.value = index;
        return out;
    }
    if (setting.kind == SettingKind::Switch) {
        if (text.empty() || text == "1" || text == "true" || text == "on")
            out.value = 1;  // "?gil" alone: on
        else if (text == "0" || text == "false" || text == "off")
            out.value = 0;
        else
            return not_valid();
        return out;
    }
    if (text.empty() || text.size() > 64) return not_valid();
    if (setting.kind == SettingKind::WholeNumber) {
        // Digits and an optional sign, nothing else: "1e3", " 7" and "7 " are not whole numbers.
        const std::size_t digits_from = (text[0] == '-' || text[0] == '+') ? 1 : 0;
        if (digits_from == text.size() || !std::all_of(text.begin() + digits_from, text.end(), is_digit)) return not_valid();
    } else if (!is_digit(text[0]) && text[0] != '-' && text[0] != '+' && text[0] != '.') {
        return not_valid();  // strtod would skip leading spaces, and read "inf" and "nan"
    }
    // As a double, so that a value far beyond any int stays itself for the message.
    const std::string copy(text);
    char* end = nullptr;
    errno = 0;
    out.value = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(out.value)) return not_valid();
    if (out.value < setting.min || out.value > setting.max) out.problem = TypedValue::Problem::OutOfRange;
    return out;
}

std::string refusal_message(const Setting& setting, std::string_view typed) {
    // "a number of seconds from 0.1 to 10": the unit, when there is one, says what the number counts.
    const std::string what =
        setting.kind == SettingKind::Switch ? std::string("0 or 1")
        : setting.kind == SettingKind::Choice
            ? "one of " + setting.range_text()
            : kind_name(setting.kind) + (*setting.unit ? std::string(" of") + setting.unit : "") + " " + setting.range_text();
    return setting.flag_name() + " must be " + what + ", not '" + std::string(typed) + "'";
}

std::string page_message(const Setting& setting, std::string_view typed, const TypedValue& read) {
    if (read.problem == TypedValue::Problem::NotValid)
        return std::string(setting.key) + "=" + std::string(typed) + " is not " +
               (setting.kind == SettingKind::Choice ? "one of " + setting.range_text() : kind_name(setting.kind)) +
               "; using the lesson's default";
    return std::string(setting.key) + " must be " + short_number(setting.min) + ".." + short_number(setting.max) + setting.unit + ", so " +
           std::string(typed) + " became " + short_number(std::clamp(read.value, setting.min, setting.max));
}

std::string flags_text(unsigned uses, const LessonParams& params) {
    std::string text;
    for (const Setting& setting : kLessonSettings)
        if (uses & bit_of(setting)) text += (text.empty() ? "" : " ") + setting.flag_name() + " " + setting.text(params);
    return text;
}

}  // namespace pp::lessons
