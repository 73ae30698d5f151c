// The accessible layer's frame list. See semantics.hpp.
//
// Index of this file
// [SECTION] Nodes and what the page asked for
// [SECTION] Publishing
// [SECTION] Sending a frame, and its cost
// [SECTION] The page's side (exported functions)
#include "ui/semantics.hpp"

#include "core/json.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // the last item's disabled flag
#include "platform/semantics.hpp"
#include "ui/test_hook.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace pp::ui::semantics {

//-----------------------------------------------------------------------------
// [SECTION] Nodes and what the page asked for
//-----------------------------------------------------------------------------
namespace {
const char* role_name(Role role) {
    switch (role) {
    case Role::Heading: return "heading";
    case Role::Text: return "text";
    case Role::Code: return "code";
    case Role::Log: return "log";
    case Role::Button: return "button";
    case Role::Checkbox: return "checkbox";
    case Role::Slider: return "slider";
    case Role::Choice: return "choice";
    case Role::Tab: return "tab";
    case Role::TabList: return "tablist";
    case Role::Navigation: return "navigation";
    case Role::Table: return "table";
    }
    return "text";
}

// The page names a node by this number, so that its calls back pass no strings (a direct call
// into the module, which also works in the single-threaded build).
std::uint32_t key_of(std::string_view id) {
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (const char c : id) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    return hash & 0x7fffffff;  // stays a positive JavaScript number either way
}

struct Frame {
    std::string json;  // this frame's nodes, as they are published
    int nodes = 0;
    std::string group;  // the open group's id ("" outside one)
    Role group_role = Role::Navigation;
    std::int64_t spent_ns = 0;
};
Frame g_frame;
std::string g_sent;                        // the last list the page got
std::set<std::uint32_t> g_activated;       // pressed by the page since the last frame
std::map<std::uint32_t, double> g_values;  // values set by the page since the last frame

struct Stats {
    long frames = 0, sent = 0;
    double total_ms = 0, max_ms = 0;
    double page_ms = 0;  // of total_ms: in the page's update of its elements
    // The first list the page gets creates all its elements (and runs its code for the first
    // time): that frame's cost apart, and the most any later frame cost.
    double first_ms = 0, first_page_ms = 0, max_later_ms = 0;
    int nodes = 0;
    std::size_t bytes = 0;
    // The last frames' costs, oldest first once full: a median of them says what a usual frame
    // costs, which a few frames descheduled on a busy machine do not move (a mean they do).
    static constexpr std::size_t kRecentFrames = 120;
    float recent_ms[kRecentFrames] = {};
} g_stats;

// Adds the time until it goes out of scope to the frame's cost.
struct Timed {
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    ~Timed() { g_frame.spent_ns += (std::chrono::steady_clock::now() - started).count(); }
};

void append_number(std::string& json, const char* key, double value) {
    char text[48];
    std::snprintf(text, sizeof text, ",\"%s\":%.6g", key, value);
    json += text;
}

void append_array(std::string& json, const std::vector<std::string>& items) {
    json += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) json += ',';
        append_json_string(json, items[i]);
    }
    json += ']';
}

void append_strings(std::string& json, const char* key, const std::vector<std::string>& items) {
    json += ",\"";
    json += key;
    json += "\":";
    append_array(json, items);
}

// Opens a node's object for the last item: id, key, role, name, rectangle (clipped to what its
// window shows: a widget scrolled out of a pane has no area), disabled, and its group.
void open_node(const char* id, Role role, std::string_view name) {
    const bool group = role == Role::TabList || role == Role::Navigation;
    if (!group && role != Role::Table) remember_widget(id);  // a group has no rectangle of its own
    ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    const ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 clip_min = draw->GetClipRectMin(), clip_max = draw->GetClipRectMax();
    min = {std::clamp(min.x, clip_min.x, clip_max.x), std::clamp(min.y, clip_min.y, clip_max.y)};
    max = {std::clamp(max.x, min.x, clip_max.x), std::clamp(max.y, min.y, clip_max.y)};
    std::string& json = g_frame.json;
    json += g_frame.nodes++ ? ",{\"id\":" : "{\"id\":";
    append_json_string(json, id);
    json += ",\"k\":" + std::to_string(key_of(id));
    json += ",\"r\":\"";
    json += role_name(role);
    json += "\",\"n\":";
    append_json_string(json, name);
    char rect[96];
    std::snprintf(rect, sizeof rect, ",\"x\":%.0f,\"y\":%.0f,\"w\":%.0f,\"h\":%.0f", min.x, min.y, max.x - min.x, max.y - min.y);
    json += rect;
    if (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) json += ",\"d\":1";
    // A tab list holds its tabs only (not what a tab shows); a navigation, everything in it.
    if (!g_frame.group.empty() && !group && (role == Role::Tab || g_frame.group_role == Role::Navigation)) {
        json += ",\"p\":";
        append_json_string(json, g_frame.group);
    }
}
void close_node() { g_frame.json += '}'; }

}  // namespace

std::optional<double> take_value(const char* id) {
    const auto found = g_values.find(key_of(id));
    if (found == g_values.end()) return std::nullopt;
    const double value = found->second;
    g_values.erase(found);
    return value;
}

//-----------------------------------------------------------------------------
// [SECTION] Publishing
//-----------------------------------------------------------------------------
void begin_frame() {
    g_frame = {};
    g_frame.json.reserve(g_sent.size() + 256);
}

bool take_activation(const char* id) { return g_activated.erase(key_of(id)) > 0; }

bool button(const char* id, std::string_view name, bool current) {
    Timed timed;
    open_node(id, Role::Button, name);
    if (current) g_frame.json += ",\"s\":1";
    close_node();
    return take_activation(id);
}

bool tab_item(const char* id, const char* label, int flags) {
    if (take_activation(id)) flags |= ImGuiTabItemFlags_SetSelected;
    const bool open = ImGui::BeginTabItem(label, nullptr, flags);
    Timed timed;
    open_node(id, Role::Tab, label);
    if (open) g_frame.json += ",\"s\":1";
    close_node();
    return open;
}

bool checkbox(const char* id, std::string_view name, bool& on) {
    Timed timed;
    const bool flip = take_activation(id) && !(ImGui::GetItemFlags() & ImGuiItemFlags_Disabled);
    if (flip) on = !on;
    open_node(id, Role::Checkbox, name);
    if (on) g_frame.json += ",\"s\":1";
    close_node();
    return flip;
}

bool slider(const char* id, std::string_view name, double& value, double min, double max, double step, std::string_view text) {
    Timed timed;
    const std::optional<double> asked = take_value(id);
    const bool set = asked && !(ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) && *asked == *asked;  // not NaN
    if (set) value = std::clamp(*asked, min, max);
    open_node(id, Role::Slider, name);
    append_number(g_frame.json, "min", min);
    append_number(g_frame.json, "max", max);
    append_number(g_frame.json, "step", step);
    append_number(g_frame.json, "num", value);
    g_frame.json += ",\"v\":";
    append_json_string(g_frame.json, text);
    close_node();
    return set;
}

bool choice(const char* id, std::string_view name, int& index, const std::vector<std::string>& options) {
    Timed timed;
    const std::optional<double> asked = take_value(id);
    const bool set =
        asked && !(ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) && *asked >= 0 && *asked < static_cast<double>(options.size());
    if (set) index = static_cast<int>(*asked);
    open_node(id, Role::Choice, name);
    append_number(g_frame.json, "num", index);
    append_strings(g_frame.json, "o", options);
    close_node();
    return set;
}

void text(const char* id, Role role, std::string_view name, std::string_view text, int level) {
    Timed timed;
    open_node(id, role, name);
    if (level) append_number(g_frame.json, "l", level);
    g_frame.json += ",\"v\":";
    append_json_string(g_frame.json, text);
    close_node();
}

void log(const char* id, std::string_view name, const std::vector<std::string>& lines) {
    Timed timed;
    open_node(id, Role::Log, name);
    append_strings(g_frame.json, "lines", lines);
    close_node();
}

void begin_group(const char* id, Role role, std::string_view name) {
    Timed timed;
    open_node(id, role, name);
    close_node();
    g_frame.group = id;
    g_frame.group_role = role;
}

void end_group() { g_frame.group.clear(); }

void table(const char* id, std::string_view caption, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows) {
    Timed timed;
    open_node(id, Role::Table, caption);
    append_strings(g_frame.json, "hdr", header);
    g_frame.json += ",\"rows\":[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i) g_frame.json += ',';
        append_array(g_frame.json, rows[i]);
    }
    g_frame.json += "]";
    close_node();
}

//-----------------------------------------------------------------------------
// [SECTION] Sending a frame, and its cost
//-----------------------------------------------------------------------------
void end_frame() {
    const auto started = std::chrono::steady_clock::now();
    // A popup (a menu, a dialog) lies over the main window: the page lets the pointer through
    // to the canvas while one is open, so its own elements never catch a click meant for it.
    const bool popup = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
    std::string json = std::string("{\"popup\":") + (popup ? "true" : "false") + ",\"nodes\":[" + g_frame.json + "]}";
    g_stats.nodes = g_frame.nodes;
    const bool first = g_stats.sent == 0;
    double page_ms = 0;
    if (json != g_sent) {
        const auto sending = std::chrono::steady_clock::now();
        platform::publish_semantics(json);
        page_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sending).count();
        g_stats.page_ms += page_ms;
        g_sent = std::move(json);
        g_stats.bytes = g_sent.size();
        ++g_stats.sent;
    }
    // What no widget took this frame was for a widget that is gone.
    g_activated.clear();
    g_values.clear();
    g_frame.spent_ns += (std::chrono::steady_clock::now() - started).count();
    const double ms = static_cast<double>(g_frame.spent_ns) / 1e6;
    g_stats.recent_ms[static_cast<std::size_t>(g_stats.frames) % Stats::kRecentFrames] = static_cast<float>(ms);
    ++g_stats.frames;
    g_stats.total_ms += ms;
    g_stats.max_ms = std::max(g_stats.max_ms, ms);
    if (first && g_stats.sent > 0) {
        g_stats.first_ms = ms;
        g_stats.first_page_ms = page_ms;
    } else if (!first) {
        g_stats.max_later_ms = std::max(g_stats.max_later_ms, ms);
    }
}

std::string stats_json() {
    char json[384];
    std::snprintf(json, sizeof json,
                  "{\"nodes\":%d,\"bytes\":%zu,\"frames\":%ld,\"sent\":%ld,\"total_ms\":%.3f,\"page_ms\":%.3f,\"max_ms\":%.3f,"
                  "\"first_ms\":%.3f,\"first_page_ms\":%.3f,\"max_later_ms\":%.3f,\"recent_ms\":[",
                  g_stats.nodes, g_stats.bytes, g_stats.frames, g_stats.sent, g_stats.total_ms, g_stats.page_ms, g_stats.max_ms,
                  g_stats.first_ms, g_stats.first_page_ms, g_stats.max_later_ms);
    std::string out = json;
    const auto frames = static_cast<std::size_t>(g_stats.frames);
    const std::size_t kept = std::min(frames, Stats::kRecentFrames);
    for (std::size_t i = 0; i < kept; ++i) {  // oldest first
        char cost[24];
        std::snprintf(cost, sizeof cost, "%s%.3f", i ? "," : "", g_stats.recent_ms[(frames - kept + i) % Stats::kRecentFrames]);
        out += cost;
    }
    return out + "]}";
}

}  // namespace pp::ui::semantics

//-----------------------------------------------------------------------------
// [SECTION] The page's side (exported functions)
//-----------------------------------------------------------------------------
// web/playground-semantics.js calls these between frames, on the UI thread, when an element is
// used; the widget that published `key` answers on the next frame.
extern "C" void pp_semantics_activate(int key) { pp::ui::semantics::g_activated.insert(static_cast<std::uint32_t>(key)); }
extern "C" void pp_semantics_set_value(int key, double value) { pp::ui::semantics::g_values[static_cast<std::uint32_t>(key)] = value; }
