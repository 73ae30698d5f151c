// Helpers shared by the tests in tests/core: clocks, scoped switches for the process-wide GIL
// and trace state, CPU work sized to this machine, and trace checks (lanes, nesting, JSON).
//
// Index of this file
// [SECTION] Time
// [SECTION] Scoped GIL and tracing (process-wide switches: always restore them)
// [SECTION] CPU work sized to this machine
// [SECTION] Trace helpers: lanes, nesting, intervals
// [SECTION] A tiny JSON checker (enough to verify the Chrome trace export)
#pragma once

#include "core/gil.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pp_test {

//-----------------------------------------------------------------------------
// [SECTION] Time
//-----------------------------------------------------------------------------
inline double seconds_since(pp::sync::clock::time_point start) {
    return std::chrono::duration<double>(pp::sync::clock::now() - start).count();
}

//-----------------------------------------------------------------------------
// [SECTION] Scoped GIL and tracing (process-wide switches: always restore them)
//-----------------------------------------------------------------------------
// Without the restore, a failing CHECK would leave the GIL on for the next test in the same
// process (under node, every test shares one process).
struct ScopedGil {
    explicit ScopedGil(bool on, std::chrono::nanoseconds interval = std::chrono::milliseconds(5)) {
        pp::gil::set_enabled(on);
        pp::gil::set_switch_interval(interval);
        pp::gil::reset_stats();
    }
    ~ScopedGil() {
        pp::gil::set_enabled(false);
        pp::gil::set_switch_interval(std::chrono::milliseconds(5));
    }
    ScopedGil(const ScopedGil&) = delete;
    ScopedGil& operator=(const ScopedGil&) = delete;
};

struct ScopedTrace {
    ScopedTrace() {
        pp::trace::clear();
        pp::trace::set_enabled(true);
    }
    ~ScopedTrace() {
        pp::trace::set_enabled(false);
        pp::trace::clear();
    }
    ScopedTrace(const ScopedTrace&) = delete;
    ScopedTrace& operator=(const ScopedTrace&) = delete;
};

//-----------------------------------------------------------------------------
// [SECTION] CPU work sized to this machine
//-----------------------------------------------------------------------------
// The smallest hi (doubling from 20000) for which count_primes(0, hi) takes at least `target`
// on one thread, so timing tests work the same natively, under sanitizers and under node.
// Each size is timed twice and the faster run counts: a one-off stall (a sanitizer's start-up,
// a preempted thread) must not pick a size that is really far too small.
inline std::int64_t primes_limit_taking(std::chrono::milliseconds target) {
    auto time_once = [](std::int64_t hi) {
        const auto start = pp::sync::clock::now();
        (void)pp::count_primes(0, hi);
        return pp::sync::clock::now() - start;
    };
    std::int64_t hi = 20000;
    for (;;) {
        if (std::min(time_once(hi), time_once(hi)) >= target || hi > (std::int64_t(1) << 34)) return hi;
        hi *= 2;
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Trace helpers: lanes, nesting, intervals
//-----------------------------------------------------------------------------
using LaneKey = std::pair<int, std::uint64_t>;

inline LaneKey lane_of(const pp::TraceEvent& e) { return {e.lane.pid, e.lane.tid}; }
inline LaneKey lane_of_this_thread() {
    const pp::TraceLane lane = pp::trace::current_lane();
    return {lane.pid, lane.tid};
}

inline std::vector<pp::TraceEvent> events_of_kind(const std::vector<pp::TraceEvent>& events, pp::TraceKind kind) {
    std::vector<pp::TraceEvent> out;
    for (const auto& e : events)
        if (e.kind == kind) out.push_back(e);
    return out;
}

// Events grouped by lane, each lane in snapshot order (begin time, enclosing spans first).
inline std::map<LaneKey, std::vector<pp::TraceEvent>> by_lane(const std::vector<pp::TraceEvent>& events) {
    std::map<LaneKey, std::vector<pp::TraceEvent>> lanes;
    for (const auto& e : events) lanes[lane_of(e)].push_back(e);
    return lanes;
}

// Empty if every span on every lane ends after it begins and spans on one lane are either
// disjoint or nested; otherwise a description of the first violation.
inline std::string nesting_violation(const std::vector<pp::TraceEvent>& events) {
    for (auto& [lane, list] : by_lane(events)) {
        std::vector<pp::TraceEvent> spans;
        for (const auto& e : list) {
            if (e.end_ns < e.begin_ns) return "span " + e.name + " ends before it begins";
            if (!pp::is_instant(e.kind)) spans.push_back(e);
        }
        std::stable_sort(spans.begin(), spans.end(), [](const pp::TraceEvent& a, const pp::TraceEvent& b) {
            return a.begin_ns != b.begin_ns ? a.begin_ns < b.begin_ns : a.end_ns > b.end_ns;
        });
        std::vector<const pp::TraceEvent*> open;
        for (const auto& s : spans) {
            while (!open.empty() && open.back()->end_ns <= s.begin_ns) open.pop_back();
            if (!open.empty() && s.end_ns > open.back()->end_ns)
                return "on lane " + s.lane.name + ", " + pp::to_string(s.kind) + " '" + s.name + "' [" + std::to_string(s.begin_ns) + ", " +
                       std::to_string(s.end_ns) + "] overlaps " + pp::to_string(open.back()->kind) + " '" + open.back()->name + "' [" +
                       std::to_string(open.back()->begin_ns) + ", " + std::to_string(open.back()->end_ns) + "]";
            open.push_back(&s);
        }
    }
    return {};
}

struct Interval {
    std::int64_t begin = 0, end = 0;
};

// [begin, end) minus the given holes (sorted or not), as disjoint intervals.
inline std::vector<Interval> subtract(Interval whole, std::vector<Interval> holes) {
    std::sort(holes.begin(), holes.end(), [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
    std::vector<Interval> out;
    std::int64_t cursor = whole.begin;
    for (const auto& h : holes) {
        const std::int64_t b = std::max(h.begin, whole.begin), e = std::min(h.end, whole.end);
        if (e <= b) continue;
        if (b > cursor) out.push_back({cursor, b});
        cursor = std::max(cursor, e);
    }
    if (whole.end > cursor) out.push_back({cursor, whole.end});
    return out;
}

// The most spans open at one instant: a sweep over their begins and ends, an end before a begin
// at the same instant (spans that only touch never ran at once). A fact from the trace, where a
// wall-clock bound would race a loaded machine: "4 sleeps overlapped" holds however slow it is.
inline int most_at_once(const std::vector<pp::TraceEvent>& spans) {
    std::vector<std::pair<std::int64_t, int>> edges;
    for (const auto& s : spans) {
        edges.push_back({s.begin_ns, +1});
        edges.push_back({s.end_ns, -1});
    }
    std::sort(edges.begin(), edges.end());
    int open = 0, most = 0;
    for (const auto& edge : edges) most = std::max(most, open += edge.second);
    return most;
}

// Total time two sets of intervals overlap.
inline std::int64_t overlap_ns(const std::vector<Interval>& a, const std::vector<Interval>& b) {
    std::int64_t total = 0;
    for (const auto& x : a)
        for (const auto& y : b) total += std::max<std::int64_t>(0, std::min(x.end, y.end) - std::max(x.begin, y.begin));
    return total;
}

//-----------------------------------------------------------------------------
// [SECTION] A tiny JSON checker (enough to verify the Chrome trace export)
//-----------------------------------------------------------------------------
// Parses strict JSON (RFC 8259 grammar; numbers kept as text, \u escapes kept verbatim) into a
// small tree. parse() returns nullptr on any syntax error or trailing garbage.
struct Json {
    enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
    std::string text;                          // String: the unescaped-ish content; Number: the literal; Bool: "true"/"false"
    std::vector<std::shared_ptr<Json>> items;  // Array
    std::vector<std::pair<std::string, std::shared_ptr<Json>>> members;  // Object, in order

    const Json* get(const std::string& key) const {
        for (const auto& [k, v] : members)
            if (k == key) return v.get();
        return nullptr;
    }
    double number() const { return std::stod(text); }

    static std::shared_ptr<Json> parse(const std::string& s) {
        std::size_t i = 0;
        auto value = parse_value(s, i);
        skip_ws(s, i);
        return value && i == s.size() ? value : nullptr;
    }

private:
    static void skip_ws(const std::string& s, std::size_t& i) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
    }
    static bool literal(const std::string& s, std::size_t& i, const char* word) {
        const std::string w(word);
        if (s.compare(i, w.size(), w) != 0) return false;
        i += w.size();
        return true;
    }
    static bool parse_string(const std::string& s, std::size_t& i, std::string& out) {
        if (i >= s.size() || s[i] != '"') return false;
        ++i;
        while (i < s.size()) {
            const char c = s[i++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;  // raw control characters are invalid
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i >= s.size()) return false;
            const char e = s[i++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u':
                for (int k = 0; k < 4; ++k, ++i)
                    if (i >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
                out += "\\u" + s.substr(i - 4, 4);
                break;
            default: return false;
            }
        }
        return false;
    }
    static bool parse_number(const std::string& s, std::size_t& i, std::string& out) {
        const std::size_t start = i;
        auto digits = [&] {
            const std::size_t d = i;
            while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
            return i > d;
        };
        if (i < s.size() && s[i] == '-') ++i;
        if (i < s.size() && s[i] == '0')
            ++i;
        else if (!digits())
            return false;
        if (i < s.size() && s[i] == '.') {
            ++i;
            if (!digits()) return false;
        }
        if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
            ++i;
            if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
            if (!digits()) return false;
        }
        out = s.substr(start, i - start);
        return true;
    }
    static std::shared_ptr<Json> parse_value(const std::string& s, std::size_t& i) {
        skip_ws(s, i);
        auto v = std::make_shared<Json>();
        if (i >= s.size()) return nullptr;
        const char c = s[i];
        if (c == '{') {
            v->type = Type::Object;
            ++i;
            skip_ws(s, i);
            if (i < s.size() && s[i] == '}') return ++i, v;
            for (;;) {
                skip_ws(s, i);
                std::string key;
                if (!parse_string(s, i, key)) return nullptr;
                skip_ws(s, i);
                if (i >= s.size() || s[i++] != ':') return nullptr;
                auto member = parse_value(s, i);
                if (!member) return nullptr;
                v->members.emplace_back(std::move(key), std::move(member));
                skip_ws(s, i);
                if (i < s.size() && s[i] == ',') {
                    ++i;
                    continue;
                }
                if (i < s.size() && s[i] == '}') return ++i, v;
                return nullptr;
            }
        }
        if (c == '[') {
            v->type = Type::Array;
            ++i;
            skip_ws(s, i);
            if (i < s.size() && s[i] == ']') return ++i, v;
            for (;;) {
                auto item = parse_value(s, i);
                if (!item) return nullptr;
                v->items.push_back(std::move(item));
                skip_ws(s, i);
                if (i < s.size() && s[i] == ',') {
                    ++i;
                    continue;
                }
                if (i < s.size() && s[i] == ']') return ++i, v;
                return nullptr;
            }
        }
        if (c == '"') {
            v->type = Type::String;
            return parse_string(s, i, v->text) ? v : nullptr;
        }
        if (literal(s, i, "true")) return v->type = Type::Bool, v->text = "true", v;
        if (literal(s, i, "false")) return v->type = Type::Bool, v->text = "false", v;
        if (literal(s, i, "null")) return v;
        v->type = Type::Number;
        return parse_number(s, i, v->text) ? v : nullptr;
    }
};

}  // namespace pp_test
