#include "ui/test_hook.hpp"

#include <cstdio>
#include <map>

#include "imgui.h"
#include "imgui_internal.h"  // the tooltip's window

namespace pp::ui {
namespace {
struct Rect {
    float x, y, width, height;
};
std::map<std::string, Rect> g_widgets;  // UI thread only
}  // namespace

void remember_widget(const char* name) {
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    g_widgets[name] = {min.x, min.y, max.x - min.x, max.y - min.y};
}

void forget_widgets() { g_widgets.clear(); }

void remember_tooltip() {
    // ImGui's tooltip window (BeginTooltip, SetTooltip), when one was drawn this frame.
    const ImGuiWindow* window = ImGui::FindWindowByName("##Tooltip_00");
    if (window && window->Active && window->Size.x > 0)
        g_widgets["tooltip"] = {window->Pos.x, window->Pos.y, window->Size.x, window->Size.y};
}

std::string remembered_widgets_json() {
    std::string json = "{";
    char buffer[192];
    for (const auto& [name, r] : g_widgets) {
        std::snprintf(buffer, sizeof buffer, "%s\"%s\":[%.1f,%.1f,%.1f,%.1f]", json.size() > 1 ? "," : "", name.c_str(), r.x, r.y, r.width,
                      r.height);
        json += buffer;
    }
    return json + "}";
}

}  // namespace pp::ui
