// One colour per kind of trace event, used by every timeline and plot, and the legend that names them.
#pragma once

#include "core/trace.hpp"
#include "imgui.h"

#include <string_view>

namespace pp::ui {

// Bar colour for a span kind, or tick colour for an instant kind.
ImU32 colour_of(TraceKind kind);
// What a student reads in the legend and tooltips: "running", "waiting for the GIL", ...
const char* describe(TraceKind kind);

// A row of coloured swatches with their names, for the kinds a timeline can show.
void draw_legend();

// Colours for the series of a plot (threads with the GIL, threads without, processes...).
ImU32 series_colour(int series);
// A colour of its own for each name (the GIL lane's holders): the same name, the same colour.
ImU32 name_colour(std::string_view name);

}  // namespace pp::ui
