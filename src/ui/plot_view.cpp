#include "ui/plot_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
}  // namespace

void draw_line_plot(const char* id, const char* title, const PlotAxes& axes, const std::vector<PlotSeries>& series,
                    ImVec2 size) {
    ImGui::PushID(id);
    ImGui::BeginGroup();  // so that SameLine() after the plot places the next one beside it
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetTextLineHeight();
    // Rows, top to bottom: title, plot, tick labels, axis label, legend.
    const float left = origin.x + 46, right = origin.x + size.x - 8;
    const float top = origin.y + line + 6, bottom = origin.y + size.y - line * 3 - 8;

    double y_max = axes.diagonal ? axes.x_max : 0, y_min = 0;
    for (const auto& s : series)
        for (const auto& [x, y] : s.points) y_max = std::max(y_max, y);
    if (!axes.y_from_zero) {
        y_min = y_max;
        for (const auto& s : series)
            for (const auto& p : s.points) y_min = std::min(y_min, p.second);
    }
    if (y_max <= y_min) y_max = y_min + 1;
    y_max *= 1.08;
    const double x_span = std::max(axes.x_max - axes.x_min, 1e-9);
    const auto to_screen = [&](double x, double y) {
        return ImVec2(left + static_cast<float>((x - axes.x_min) / x_span) * (right - left),
                      bottom - static_cast<float>((y - y_min) / (y_max - y_min)) * (bottom - top));
    };

    draw->AddText({origin.x, origin.y}, IM_COL32(230, 230, 230, 255), title);
    draw->AddRect({left, top}, {right, bottom}, IM_COL32(255, 255, 255, 60));
    char text[32];
    const double y_step = tick_step(y_min, y_max, 4);
    for (double y = std::ceil(y_min / y_step) * y_step; y <= y_max; y += y_step) {
        const ImVec2 p = to_screen(axes.x_min, y);
        draw->AddLine({left, p.y}, {right, p.y}, IM_COL32(255, 255, 255, 20));
        std::snprintf(text, sizeof text, "%g", y);
        draw->AddText({left - ImGui::CalcTextSize(text).x - 4, p.y - line / 2}, IM_COL32(190, 190, 190, 255), text);
    }
    for (double x = axes.x_min; x <= axes.x_max + 1e-9; x += std::max(1.0, tick_step(axes.x_min, axes.x_max, 6))) {
        const ImVec2 p = to_screen(x, y_min);
        draw->AddLine({p.x, bottom}, {p.x, bottom + 3}, IM_COL32(255, 255, 255, 90));
        std::snprintf(text, sizeof text, "%g", x);
        draw->AddText({p.x - ImGui::CalcTextSize(text).x / 2, bottom + 3}, IM_COL32(190, 190, 190, 255), text);
    }
    draw->AddText({(left + right) / 2 - ImGui::CalcTextSize(axes.x_label).x / 2, bottom + line + 2},
                  IM_COL32(160, 160, 160, 255), axes.x_label);
    const float title_width = ImGui::CalcTextSize(title).x;
    draw->AddText({origin.x + title_width + 8, origin.y}, IM_COL32(160, 160, 160, 255), axes.y_label);

    if (axes.diagonal) {  // the ideal: N workers, N times faster
        const double end = std::min(axes.x_max, y_max);
        for (double x = axes.x_min; x < end; x += 0.1)
            draw->AddLine(to_screen(x, x), to_screen(std::min(x + 0.05, end), std::min(x + 0.05, end)),
                          IM_COL32(255, 255, 255, 70));
    }

    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const PlotSeries* hovered = nullptr;
    std::pair<double, double> hovered_point;
    for (const auto& s : series) {
        for (std::size_t i = 0; i < s.points.size(); ++i) {
            const ImVec2 p = to_screen(s.points[i].first, s.points[i].second);
            if (i > 0) draw->AddLine(to_screen(s.points[i - 1].first, s.points[i - 1].second), p, s.colour, 2.0f);
            draw->AddCircleFilled(p, 3.5f, s.colour);
            if (std::abs(mouse.x - p.x) < 5 && std::abs(mouse.y - p.y) < 5) {
                hovered = &s;
                hovered_point = s.points[i];
            }
        }
    }
    ImGui::Dummy({size.x, size.y - line - 6});
    if (hovered && ImGui::IsWindowHovered())
        ImGui::SetTooltip("%s\n%g %s: %.3g (%s)", hovered->name.c_str(), hovered_point.first, axes.x_label,
                          hovered_point.second, axes.y_label);
    // Legend: the series' colours and names.
    bool first = true;
    for (const auto& s : series) {
        if (!first) ImGui::SameLine(0, 12);
        first = false;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        draw->AddRectFilled({p.x, p.y + line / 2 - 2}, {p.x + 14, p.y + line / 2 + 2}, s.colour);
        ImGui::Dummy({16, line});
        ImGui::SameLine(0, 2);
        ImGui::TextUnformatted(s.name.c_str());
    }
    ImGui::EndGroup();
    ImGui::PopID();
}

}  // namespace pp::ui
