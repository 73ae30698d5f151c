// Line plots with axes, ticks and units, for measured results (wall time and speedup by workers).
// Every point is a median with whiskers from the fastest to the slowest run (core/stats.hpp).
#pragma once

#include "imgui.h"

#include <string>
#include <vector>

namespace pp::ui {

struct PlotPoint {
    double x = 0;
    double y = 0;              // the median
    double low = 0, high = 0;  // the whiskers: the range of the runs (both == y: none)
    int samples = 0;           // how many runs the median is of
    bool flagged = false;      // not to be believed: the hover and a note under the title say why
};

struct PlotSeries {
    std::string name;
    ImU32 colour = 0;
    std::vector<PlotPoint> points;  // sorted by x
    bool dashed = false;            // a prediction, not a measurement
};

struct PlotAxes {
    const char* x_label = "";  // "workers"
    const char* y_label = "";  // "wall time (s)"
    double x_min = 0, x_max = 1;
    bool y_from_zero = true;
    bool diagonal = false;  // draw the ideal speedup y = x, dashed
    // > 0: the machine's cores, drawn as a dotted line at x = cores ("2 cores here").
    int cores = 0;
    // With `diagonal` and `cores`: the ideal stops rising at the core count (CPU-bound work
    // cannot go faster than the cores; waiting can, so I/O-bound plots leave it off).
    bool ideal_capped_at_cores = false;
    const char* flag_note = "";                   // why flagged points are not believed, shown under the title
    bool log_x = false;                           // x on a log scale (x > 0), ticks at each power of ten
    std::string (*x_format)(double x) = nullptr;  // a tick's label ("10 us"); nullptr: "%g"
    bool ideal_at_one = false;                    // a line at y = 1: above it pays off, below it costs
    bool legend = true;                           // false: plots side by side share one (draw_plot_legend)
};

// Draws a plot at the cursor, `size` pixels big with its legend under it (remembered as widget
// "plot_<id>"). Hovering a point shows its series, median, range and number of runs.
void draw_line_plot(const char* id, const char* title, const PlotAxes& axes, const std::vector<PlotSeries>& series, ImVec2 size);

// A plot's legend alone, `width` wide at the cursor (remembered as widget `id`), and its height.
void draw_plot_legend(const char* id, const PlotAxes& axes, const std::vector<PlotSeries>& series, float width);
float plot_legend_height(const PlotAxes& axes, const std::vector<PlotSeries>& series, float width);

}  // namespace pp::ui
