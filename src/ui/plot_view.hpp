// Line plots with axes, ticks and units, for measured results (wall time and speedup by workers).
#pragma once

#include "imgui.h"

#include <string>
#include <utility>
#include <vector>

namespace pp::ui {

struct PlotSeries {
    std::string name;
    ImU32 colour = 0;
    std::vector<std::pair<double, double>> points;  // (x, y), sorted by x
};

struct PlotAxes {
    const char* x_label = "";   // "workers"
    const char* y_label = "";   // "wall time (s)"
    double x_min = 0, x_max = 1;
    bool y_from_zero = true;
    bool diagonal = false;      // draw y = x (ideal speedup), dashed
};

// Draws a plot `size` pixels big at the cursor, with a legend under it. Hovering a point shows
// its series and value.
void draw_line_plot(const char* id, const char* title, const PlotAxes& axes, const std::vector<PlotSeries>& series,
                    ImVec2 size);

}  // namespace pp::ui
