// The accessible layer: what the app draws, told to the page as it draws it.
//
// ImGui draws everything into one <canvas>, which a screen reader, the Tab key or a text
// selection cannot enter. So, like Flutter's semantics tree or AccessKit, each widget the panels
// draw also publishes its role, name, value and rectangle here, right after ImGui drew it (the
// rectangle is ImGui's last item). At the end of the frame the list goes to the page
// (platform/semantics.hpp), which keeps one DOM element per node over the canvas
// (web/playground-semantics.js). Using such an element (a click, Enter, a screen reader's
// action, a new slider value) comes back here and is answered by the SAME widget's code on the
// next frame: `if (semantics::button_pressed(ImGui::Button("Run"), "run", "Run")) run();`. One UI, not two.
//
// Every published node is also a remembered widget (test_hook.hpp), for the browser tests.
// UI thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp::ui::semantics {

// What a node is for the page: the element it becomes (see web/playground-semantics.js).
enum class Role {
    Heading,     // <h1>/<h2>: a title
    Text,        // <p>: explanation, selectable
    Code,        // <pre>: a code pane's text
    Log,         // role="log": the console, one element per line
    Button,      // <button>
    Checkbox,    // <input type="checkbox">
    Slider,      // <input type="range">
    Choice,      // <select>
    Tab,         // role="tab", inside a TabList
    TabList,     // role="tablist": groups the tabs that follow it (end_group() closes it)
    Navigation,  // <nav>: groups the lesson list
    Table,       // <table>: a plot's or the timeline's data (table())
};

// Starts a frame's list afresh. What the page asked for since the last frame stays pending for
// this frame's widgets, and is dropped at end_frame() if no widget took it.
void begin_frame();
// Sends this frame's nodes to the page when they differ from the last frame's, and times the
// whole layer (its publishing calls, the comparison and the page's DOM update).
void end_frame();

// Whether the page activated node `id` (clicked, Enter, Space, a screen reader's action) since
// the last frame. Consumes it. For widgets that must know before they are drawn (a tab to select).
bool take_activation(const char* id);
// A value the page set on node `id` since the last frame (consumed), for widgets with their own
// meaning of it (the timeline's keys: see TimelineView).
std::optional<double> take_value(const char* id);

// The last ImGui item is a button: publishes it; true when the page pressed it.
bool button(const char* id, std::string_view name, bool current = false);
// button() for the item ImGui just drew, which the pointer `clicked`: true when either pressed
// it. (The argument is evaluated first, so the item is drawn before it is published.)
inline bool button_pressed(bool clicked, const char* id, std::string_view name, bool current = false) {
    const bool from_page = button(id, name, current);
    return clicked || from_page;
}
// ImGui::BeginTabItem(label, nullptr, flags), published as a tab of the TabList being
// published; the page's press selects it. Returns what BeginTabItem returns.
bool tab_item(const char* id, const char* label, int flags = 0);
// A checkbox: a press from the page flips `on`; true when it did.
bool checkbox(const char* id, std::string_view name, bool& on);
// A slider over [min, max] in steps of `step`, showing `text`: a value from the page is clamped
// into `value`; true when it changed it.
bool slider(const char* id, std::string_view name, double& value, double min, double max, double step, std::string_view text);
// One of `options`: the page's choice goes into `index`; true when it changed it.
bool choice(const char* id, std::string_view name, int& index, const std::vector<std::string>& options);
// Text the last item shows (a heading's level is 1 or 2).
void text(const char* id, Role role, std::string_view name, std::string_view text, int level = 0);
// The console: `lines` in order; the page appends what is new.
void log(const char* id, std::string_view name, const std::vector<std::string>& lines);

// A group (TabList, Navigation) around the nodes published until end_group(). Groups do not nest.
void begin_group(const char* id, Role role, std::string_view name);
void end_group();
// The last item's data as a table: a caption, a header row and rows of text cells. (Not a
// remembered widget: it describes an item that is one already.)
void table(const char* id, std::string_view caption, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows);

// {"nodes":N,"frames":..,"sent":..,"total_ms":..,"max_ms":..,"first_ms":..,"max_later_ms":..,
// "recent_ms":[..]}: the layer's cost, for the tests (first_ms: the frame that created the page's
// elements; recent_ms: each of the last 120 frames', oldest first).
std::string stats_json();

}  // namespace pp::ui::semantics
