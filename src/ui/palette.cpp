#include "ui/palette.hpp"

namespace pp::ui {

ImU32 colour_of(TraceKind kind) {
    switch (kind) {
    case TraceKind::TaskRun: return IM_COL32(76, 148, 235, 255);      // running: blue
    case TraceKind::Sleep: return IM_COL32(150, 155, 165, 255);       // sleeping: grey
    case TraceKind::IoWait: return IM_COL32(235, 170, 60, 255);       // waiting on I/O: amber
    case TraceKind::GilWait: return IM_COL32(225, 80, 80, 255);       // waiting for the GIL: red
    case TraceKind::LockWait: return IM_COL32(170, 110, 220, 255);    // waiting for a lock: purple
    case TraceKind::JoinBlocked: return IM_COL32(80, 190, 170, 255);  // blocked in join(): teal
    case TraceKind::ResultWait: return IM_COL32(165, 195, 75, 255);   // waiting for a result: olive
    case TraceKind::TaskSubmitted: return IM_COL32(240, 240, 240, 255);
    case TraceKind::ThreadStart: return IM_COL32(110, 220, 110, 255);
    case TraceKind::ThreadEnd: return IM_COL32(230, 120, 120, 255);
    case TraceKind::Print: return IM_COL32(250, 220, 90, 255);
    case TraceKind::Note: return IM_COL32(255, 90, 200, 255);
    case TraceKind::GilHeld: return IM_COL32(200, 200, 200, 255);  // drawn in its holder's colour (timeline_view)
    }
    return IM_COL32(255, 0, 255, 255);
}

const char* describe(TraceKind kind) {
    switch (kind) {
    case TraceKind::TaskRun: return "running";
    case TraceKind::Sleep: return "sleeping";
    case TraceKind::IoWait: return "waiting on I/O";
    case TraceKind::GilWait: return "waiting for the GIL";
    case TraceKind::LockWait: return "waiting for a lock";
    case TraceKind::JoinBlocked: return "blocked in join()";
    case TraceKind::ResultWait: return "waiting for a result";
    case TraceKind::TaskSubmitted: return "task submitted";
    case TraceKind::ThreadStart: return "start()";
    case TraceKind::ThreadEnd: return "thread ended";
    case TraceKind::Print: return "print()";
    case TraceKind::Note: return "note";
    case TraceKind::GilHeld: return "holds the GIL";
    }
    return "?";
}

void draw_legend() {
    static const TraceKind kSpans[] = {TraceKind::TaskRun,  TraceKind::Sleep,       TraceKind::IoWait,    TraceKind::GilWait,
                                       TraceKind::LockWait, TraceKind::JoinBlocked, TraceKind::ResultWait};
    static const TraceKind kTicks[] = {TraceKind::ThreadStart, TraceKind::TaskSubmitted, TraceKind::Print, TraceKind::ThreadEnd};
    const float size = ImGui::GetTextLineHeight();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    constexpr float kGap = 14;
    // On the line of the item before if it fits, else on a new line rather than off a narrow
    // (embedded) window. Decided before SameLine(): a NewLine() after it would count the gap in the
    // legend's width, past the window's edge.
    const auto next_fits = [&](float width) { return ImGui::GetItemRectMax().x + kGap + width <= right_edge; };
    bool first = true;
    const auto item = [&](TraceKind kind, bool tick) {
        const float width = size + 4 + ImGui::CalcTextSize(describe(kind)).x;
        if (!first && next_fits(width)) ImGui::SameLine(0, kGap);
        first = false;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (tick)
            draw->AddRectFilled({p.x + size * 0.4f, p.y}, {p.x + size * 0.6f, p.y + size}, colour_of(kind));
        else
            draw->AddRectFilled({p.x, p.y + 2}, {p.x + size, p.y + size - 2}, colour_of(kind), 2);
        ImGui::Dummy({size, size});
        ImGui::SameLine(0, 4);
        ImGui::TextUnformatted(describe(kind));
    };
    for (TraceKind kind : kSpans) item(kind, false);
    for (TraceKind kind : kTicks) item(kind, true);
    if (next_fits(ImGui::CalcTextSize("empty = idle").x)) ImGui::SameLine(0, kGap);
    ImGui::TextDisabled("empty = idle");
}

ImU32 name_colour(std::string_view name) {
    // Lanes are named "Thread-3", "ThreadPoolExecutor-0_1": spread them over the series colours.
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    return series_colour(static_cast<int>(hash % 5));
}

ImU32 series_colour(int series) {
    static const ImU32 kSeries[] = {IM_COL32(76, 148, 235, 255), IM_COL32(225, 80, 80, 255), IM_COL32(110, 200, 110, 255),
                                    IM_COL32(235, 170, 60, 255), IM_COL32(170, 110, 220, 255)};
    return kSeries[static_cast<unsigned>(series) % (sizeof kSeries / sizeof kSeries[0])];
}

}  // namespace pp::ui
