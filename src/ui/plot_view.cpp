#include "ui/plot_view.hpp"

#include "ui/test_hook.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace pp::ui {

namespace {
// About `count` round tick values covering [lo, hi].
double tick_step(double lo, double hi, int count) {
    const double raw = (hi - lo) / std::max(count, 1);
    const double power = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (power * m >= raw) return power * m;
    return power * 10;
}

constexpr ImU32 kGuideColour = IM_COL32(255, 255, 255, 90);
constexpr ImU32 kFlagColour = IM_COL32(255, 190, 60, 255);

// A dashed line from a to b, for the ideal and the core count.
void dashed_line(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour) {
    const float length = std::hypot(b.x - a.x, b.y - a.y);
    for (float at = 0; at < length; at += 8) {
        const float to = std::min(at + 4, length);
        draw->AddLine({a.x + (b.x - a.x) * at / length, a.y + (b.y - a.y) * at / length},
                      {a.x + (b.x - a.x) * to / length, a.y + (b.y - a.y) * to / length}, colour, 1.5f);
    }
}
// The legend's entries (the series' colours and names, then the guides' dashes) and where each
// goes in `width`: entries share a line while they fit, and a name longer than the line wraps,
// so that the legend never runs past its right edge.
struct Legend {
    struct Entry {
        const char* name;
        ImU32 colour;
        bool dashed;
        ImVec2 at;  // from the legend's top left
    };
    std::vector<Entry> entries;
    float name_width = 0, height = 0;
};
constexpr float kLegendMark = 18;

Legend legend_layout(const PlotAxes& axes, const std::vector<PlotSeries>& series, float width) {
    Legend legend;
    for (const auto& s : series)
        if (!s.dashed) legend.entries.push_back({s.name.c_str(), s.colour, false, {}});
    if (std::any_of(series.begin(), series.end(), [](const PlotSeries& s) { return s.dashed; }))
        legend.entries.push_back({"predicted from the overheads", kGuideColour, true, {}});
    if (axes.diagonal)
        legend.entries.push_back(
            {axes.ideal_capped_at_cores && axes.cores > 0 ? "ideal (up to the cores)" : "ideal (waiting needs no core)",
             kGuideColour,
             true,
             {}});
    legend.name_width = std::max(width - kLegendMark, 40.0f);
    const float gap = 12, spacing_y = ImGui::GetStyle().ItemSpacing.y;
    float x = 0, y = 0, row = 0;
    for (Legend::Entry& entry : legend.entries) {
        const ImVec2 text = ImGui::CalcTextSize(entry.name, nullptr, false, legend.name_width);
        const float entry_width = kLegendMark + text.x;
        if (x > 0 && x + gap + entry_width > width) {
            y += row + spacing_y;
            x = row = 0;
        } else if (x > 0) {
            x += gap;
        }
        entry.at = {x, y};
        x += entry_width;
        row = std::max(row, text.y);
    }
    legend.height = legend.entries.empty() ? 0 : y + row;
    return legend;
}

void draw_legend_at(const Legend& legend, ImVec2 origin) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    for (const Legend::Entry& entry : legend.entries) {
        const ImVec2 p{origin.x + entry.at.x, origin.y + entry.at.y};
        if (entry.dashed)
            dashed_line(draw, {p.x, p.y + line / 2}, {p.x + 14, p.y + line / 2}, entry.colour);
        else
            draw->AddRectFilled({p.x, p.y + line / 2 - 2}, {p.x + 14, p.y + line / 2 + 2}, entry.colour);
        draw->AddText(nullptr, 0, {p.x + kLegendMark, p.y}, ImGui::GetColorU32(ImGuiCol_Text), entry.name, nullptr, legend.name_width);
    }
}
}  // namespace

float plot_legend_height(const PlotAxes& axes, const std::vector<PlotSeries>& series, float width) {
    return legend_layout(axes, series, width).height;
}

void draw_plot_legend(const char* id, const PlotAxes& axes, const std::vector<PlotSeries>& series, float width) {
    const Legend legend = legend_layout(axes, series, width);
    draw_legend_at(legend, ImGui::GetCursorScreenPos());
    ImGui::Dummy({width, std::max(legend.height, 1.0f)});
    remember_widget(id);
}

void draw_line_plot(const char* id, const char* title, const PlotAxes& axes, const std::vector<PlotSeries>& series, ImVec2 size) {
    ImGui::PushID(id);
    ImGui::BeginGroup();  // so that SameLine() after the plot places the next one beside it
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetTextLineHeight();
    bool any_flagged = false;
    for (const auto& s : series)
        for (const PlotPoint& p : s.points) any_flagged |= p.flagged;
    const float spacing_y = ImGui::GetStyle().ItemSpacing.y;
    const Legend legend = axes.legend ? legend_layout(axes, series, size.x) : Legend{};
    const float legend_height = legend.height;
    // Rows, top to bottom: title (and its unit when it fits beside it), the flag note, plot, tick
    // labels, axis label, legend: together `size` tall.
    const float title_width = ImGui::CalcTextSize(title).x;
    const bool unit_beside = title_width + 8 + ImGui::CalcTextSize(axes.y_label).x <= size.x;
    const float note_height = any_flagged && axes.flag_note[0] ? line + 2 : 0;
    const float left = origin.x + 46, right = origin.x + size.x - 8;
    const float top = origin.y + line + 6 + note_height + (unit_beside ? 0 : line + 2);
    const float bottom = std::max(origin.y + size.y - legend_height - spacing_y - line * 2 - 8, top + 20);

    double y_max = 0, y_min = 0;
    if (axes.diagonal) y_max = axes.ideal_capped_at_cores && axes.cores > 0 ? std::min<double>(axes.x_max, axes.cores) : axes.x_max;
    for (const auto& s : series)
        for (const PlotPoint& p : s.points) y_max = std::max({y_max, p.y, p.high});
    if (!axes.y_from_zero) {
        y_min = y_max;
        for (const auto& s : series)
            for (const PlotPoint& p : s.points) y_min = std::min({y_min, p.y, p.low});
    }
    if (axes.ideal_at_one) y_max = std::max(y_max, 1.0);
    if (y_max <= y_min) y_max = y_min + 1;
    y_max *= 1.08;
    // x, or log10(x) on a log scale: positions along the axis.
    const auto x_position = [&](double x) { return axes.log_x ? std::log10(std::max(x, 1e-30)) : x; };
    const double x_lo = x_position(axes.x_min), x_span = std::max(x_position(axes.x_max) - x_lo, 1e-9);
    const auto to_screen = [&](double x, double y) {
        return ImVec2(left + static_cast<float>((x_position(x) - x_lo) / x_span) * (right - left),
                      bottom - static_cast<float>((y - y_min) / (y_max - y_min)) * (bottom - top));
    };

    draw->AddText({origin.x, origin.y}, IM_COL32(230, 230, 230, 255), title);
    if (note_height > 0) draw->AddText({origin.x, origin.y + line + 2}, kFlagColour, axes.flag_note);
    draw->AddRect({left, top}, {right, bottom}, IM_COL32(255, 255, 255, 60));
    char text[64];
    const double y_step = tick_step(y_min, y_max, 4);
    for (double y = std::ceil(y_min / y_step) * y_step; y <= y_max; y += y_step) {
        const ImVec2 p = to_screen(axes.x_min, y);
        draw->AddLine({left, p.y}, {right, p.y}, IM_COL32(255, 255, 255, 20));
        std::snprintf(text, sizeof text, "%g", y);
        draw->AddText({left - ImGui::CalcTextSize(text).x - 4, p.y - line / 2}, IM_COL32(190, 190, 190, 255), text);
    }
    std::vector<double> x_ticks;
    if (axes.log_x) {
        for (double decade = std::pow(10.0, std::ceil(std::log10(axes.x_min) - 1e-9)); decade <= axes.x_max * (1 + 1e-9); decade *= 10)
            x_ticks.push_back(decade);
    } else {
        for (double x = axes.x_min; x <= axes.x_max + 1e-9; x += std::max(1.0, tick_step(axes.x_min, axes.x_max, 6))) x_ticks.push_back(x);
    }
    for (const double x : x_ticks) {
        const ImVec2 p = to_screen(x, y_min);
        draw->AddLine({p.x, bottom}, {p.x, bottom + 3}, IM_COL32(255, 255, 255, 90));
        const std::string label = axes.x_format ? axes.x_format(x) : std::string();
        if (label.empty())
            std::snprintf(text, sizeof text, "%g", x);
        else
            std::snprintf(text, sizeof text, "%s", label.c_str());
        draw->AddText({p.x - ImGui::CalcTextSize(text).x / 2, bottom + 3}, IM_COL32(190, 190, 190, 255), text);
    }
    draw->AddText({(left + right) / 2 - ImGui::CalcTextSize(axes.x_label).x / 2, bottom + line + 2}, IM_COL32(160, 160, 160, 255),
                  axes.x_label);
    if (unit_beside)
        draw->AddText({origin.x + title_width + 8, origin.y}, IM_COL32(160, 160, 160, 255), axes.y_label);
    else
        draw->AddText({origin.x, origin.y + line + 2 + note_height}, IM_COL32(160, 160, 160, 255), axes.y_label);

    draw->PushClipRect({left, top}, {right, bottom}, true);
    const bool cores_shown = axes.cores > 0 && axes.cores >= axes.x_min && axes.cores <= axes.x_max;
    if (cores_shown) {  // the machine's cores: more workers than this cannot compute at once
        const ImVec2 a = to_screen(axes.cores, y_min), b = to_screen(axes.cores, y_max);
        dashed_line(draw, {a.x, b.y}, a, IM_COL32(255, 255, 255, 45));
        std::snprintf(text, sizeof text, "%d core%s here", axes.cores, axes.cores == 1 ? "" : "s");
        const float width = ImGui::CalcTextSize(text).x;
        const float x = a.x + 4 + width <= right ? a.x + 4 : a.x - 4 - width;
        draw->AddText({x, top + 2}, IM_COL32(200, 200, 200, 220), text);
    }
    if (axes.ideal_at_one) {  // break-even: above, the workers pay for themselves
        const ImVec2 a = to_screen(axes.x_min, 1), b = to_screen(axes.x_max, 1);
        dashed_line(draw, a, b, kGuideColour);
        draw->AddText({a.x + 4, a.y - line - 1}, IM_COL32(200, 200, 200, 220), "1x: no faster than one thread");
    }
    if (axes.diagonal) {  // the ideal: N workers, N times faster (up to the cores, for CPU work)
        const double knee = axes.ideal_capped_at_cores && axes.cores > 0 ? std::min<double>(axes.cores, axes.x_max) : axes.x_max;
        dashed_line(draw, to_screen(axes.x_min, axes.x_min), to_screen(knee, knee), kGuideColour);
        if (knee < axes.x_max) dashed_line(draw, to_screen(knee, knee), to_screen(axes.x_max, knee), kGuideColour);
    }
    draw->PopClipRect();

    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const PlotSeries* hovered = nullptr;
    const PlotPoint* hovered_point = nullptr;
    for (const auto& s : series) {
        for (std::size_t i = 0; i < s.points.size(); ++i) {
            const PlotPoint& point = s.points[i];
            const ImVec2 p = to_screen(point.x, point.y);
            if (i > 0 && s.dashed)
                dashed_line(draw, to_screen(s.points[i - 1].x, s.points[i - 1].y), p, s.colour);
            else if (i > 0)
                draw->AddLine(to_screen(s.points[i - 1].x, s.points[i - 1].y), p, s.colour, 2.0f);
            if (s.dashed) continue;        // a prediction: a line, no points to hover
            if (point.high > point.low) {  // whiskers: fastest to slowest run
                const ImVec2 lo = to_screen(point.x, point.low), hi = to_screen(point.x, point.high);
                draw->AddLine(lo, hi, s.colour, 1.5f);
                draw->AddLine({lo.x - 4, lo.y}, {lo.x + 4, lo.y}, s.colour, 1.5f);
                draw->AddLine({hi.x - 4, hi.y}, {hi.x + 4, hi.y}, s.colour, 1.5f);
            }
            draw->AddCircleFilled(p, 3.5f, s.colour);
            if (point.flagged) {
                draw->AddCircle(p, 7.0f, kFlagColour, 0, 2.0f);
                draw->AddText({p.x + 8, p.y - line}, kFlagColour, "!");
            }
            if (std::abs(mouse.x - p.x) < 6 && std::abs(mouse.y - p.y) < 6) {
                hovered = &s;
                hovered_point = &point;
            }
        }
    }
    // The plot's area, down to the legend; the legend's text is drawn, not laid out as items.
    ImGui::Dummy({size.x, std::max(size.y - legend_height - spacing_y, 1.0f)});
    if (hovered && ImGui::IsWindowHovered()) {
        ImGui::BeginTooltip();
        ImGui::Text("%s, %g %s", hovered->name.c_str(), hovered_point->x, axes.x_label);
        ImGui::Text("median %.3g %s", hovered_point->y, axes.y_label);
        if (hovered_point->samples > 0)
            ImGui::Text("range %.3g to %.3g, over %d runs after a warm-up", hovered_point->low, hovered_point->high,
                        hovered_point->samples);
        if (hovered_point->flagged && axes.flag_note[0]) ImGui::TextColored(ImColor(kFlagColour), "%s", axes.flag_note);
        ImGui::EndTooltip();
    }
    draw_legend_at(legend, {origin.x, origin.y + size.y - legend_height});
    if (legend_height > 0) ImGui::Dummy({size.x, legend_height});
    ImGui::EndGroup();
    ImGui::PopID();
    remember_widget((std::string("plot_") + id).c_str());  // the whole plot, legend included, for the tests
}

}  // namespace pp::ui
