#include "ui/first_threads_panel.hpp"

#include <algorithm>

#include "core/stats.hpp"
#include "imgui.h"
#include "platform/runtime.hpp"
#include "ui/semantics.hpp"
#include "ui/test_hook.hpp"

namespace pp::ui {

namespace {
const ImVec4 kRunningColour{0.35f, 0.65f, 0.95f, 1.0f};
const ImVec4 kDoneColour{0.45f, 0.80f, 0.45f, 1.0f};

// A row's bar on a shared time axis: where this thread ran within the whole run.
void draw_time_bar(double started_ms, double finished_ms, double axis_ms, bool finished) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(ImGui::GetContentRegionAvail().x, 40.0f), height = ImGui::GetTextLineHeight();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(origin, {origin.x + width, origin.y + height}, IM_COL32(50, 54, 64, 255));
    if (axis_ms > 0) {
        const float x0 = origin.x + width * static_cast<float>(started_ms / axis_ms);
        const float x1 = origin.x + width * static_cast<float>(std::min(finished_ms / axis_ms, 1.0));
        draw->AddRectFilled({x0, origin.y}, {std::max(x1, x0 + 2), origin.y + height},
                            ImGui::ColorConvertFloat4ToU32(finished ? kDoneColour : kRunningColour));
    }
    ImGui::Dummy({width, height});
}
}  // namespace

void FirstThreadsPanel::draw() {
    const lessons::FirstThreadsRun run = lesson_.snapshot();
    const bool running = run.phase == lessons::FirstThreadsRun::Phase::Running;

    using semantics::Role;
    const platform::ThreadKind threads = platform::thread_kind();
    ImGui::TextUnformatted("Your first threads");
    semantics::text("home_title", Role::Heading, "", "Your first threads", 2);
    char intro[256];
    std::snprintf(intro, sizeof intro,
                  "A thread is the smallest unit of execution inside a process. Press Start to launch %s"
                  "threads: each counts the primes in its own slice of the numbers below %llu, and reports back.",
                  threads == platform::ThreadKind::Fiber ? "" : "real ",  // the fallback's fibers are explained below
                  static_cast<unsigned long long>(lessons::FirstThreads::kDefaultLimit));
    ImGui::TextWrapped("%s", intro);
    semantics::text("home_intro", Role::Text, "", intro);
    switch (threads) {
    case platform::ThreadKind::Fiber:
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(240, 180, 90, 255));
        ImGui::TextWrapped("This page is not cross-origin isolated, so it cannot start real threads: here every "
                           "std::thread is a fiber, and one scheduler switches between them on the page's main thread. "
                           "They take turns on one core, so together they finish no sooner than one thread would. "
                           "Open the playground in a new tab to see them run in parallel.");
        semantics::text("home_fibers", Role::Text, "",
                        "This page is not cross-origin isolated: every std::thread is a fiber, "
                        "and they take turns on one core.");
        ImGui::PopStyleColor();
        break;
    case platform::ThreadKind::WebWorker:
    case platform::ThreadKind::OperatingSystem: {
        char kind[128];
        std::snprintf(kind, sizeof kind,
                      threads == platform::ThreadKind::WebWorker
                          ? "In this page every std::thread is a Web Worker sharing the page's memory. Cores: %d"
                          : "Natively every std::thread is an operating-system thread. Cores: %d",
                      hardware_core_count());
        // Grey like TextDisabled, but wrapped: on a phone TextDisabled ran past the screen's edge.
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", kind);
        ImGui::PopStyleColor();
        semantics::text("home_thread_kind", Role::Text, "", kind);
        break;
    }
    }
    constexpr const char* kUnlikePython =
        "Unlike Python's threads, C++ threads run CPU-bound work in parallel: Python's global interpreter "
        "lock lets one thread at a time run Python code, which is why the tutorial uses processes for CPU work.";
    ImGui::TextWrapped("%s", kUnlikePython);
    semantics::text("home_python", Role::Text, "", kUnlikePython);
    ImGui::Separator();

    ImGui::SetNextItemWidth(200);
    ImGui::BeginDisabled(running);
    ImGui::SliderInt("threads", &thread_count_, 1, lessons::FirstThreads::kMaxThreads);
    double count = thread_count_;
    if (semantics::slider("threads", "threads", count, 1, lessons::FirstThreads::kMaxThreads, 1, std::to_string(thread_count_)))
        thread_count_ = static_cast<int>(count);
    char label[48];
    std::snprintf(label, sizeof label, "Start %d thread%s", thread_count_, thread_count_ == 1 ? "" : "s");
    ImGui::SameLine();
    // Below the slider when the pane is too narrow for both (a phone held upright).
    const float button_width = ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x;
    if (ImGui::GetCursorPosX() + button_width > ImGui::GetWindowContentRegionMax().x) ImGui::NewLine();
    if (semantics::button_pressed(ImGui::Button(label), "start_threads", label)) lesson_.start(thread_count_);
    ImGui::EndDisabled();

    if (run.phase == lessons::FirstThreadsRun::Phase::Idle) {
        ImGui::TextDisabled("No run yet.");
        return;
    }
    const auto finished = std::count_if(run.threads.begin(), run.threads.end(), [](auto& t) { return t.finished; });
    if (running)
        ImGui::TextColored(kRunningColour, "Running: %d of %zu threads finished", static_cast<int>(finished), run.threads.size());
    else {
        char done[160];
        std::snprintf(done, sizeof done, "Done: %zu threads joined after %.1f ms. Total: %llu primes below %llu.", run.threads.size(),
                      run.wall_ms, static_cast<unsigned long long>(run.total_primes), static_cast<unsigned long long>(run.limit));
        ImGui::TextColored(kDoneColour, "%s", done);
        semantics::text("home_result", Role::Text, "", done);
    }

    double axis_ms = run.wall_ms;
    for (const auto& t : run.threads) axis_ms = std::max(axis_ms, t.finished_ms);
    if (ImGui::BeginTable("threads", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("#");
        ImGui::TableSetupColumn("thread id");
        ImGui::TableSetupColumn("numbers");
        ImGui::TableSetupColumn("primes");
        ImGui::TableSetupColumn("when it ran (0 .. last join)", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (const auto& t : run.threads) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%d", t.index);
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(t.thread_id));
            ImGui::TableNextColumn();
            ImGui::Text("%llu .. %llu", static_cast<unsigned long long>(t.range_begin), static_cast<unsigned long long>(t.range_end));
            ImGui::TableNextColumn();
            if (t.finished)
                ImGui::Text("%llu", static_cast<unsigned long long>(t.primes_found));
            else
                ImGui::TextDisabled("counting...");
            ImGui::TableNextColumn();
            draw_time_bar(t.started_ms, t.finished ? t.finished_ms : axis_ms, axis_ms, t.finished);
        }
        ImGui::EndTable();
    }
}

}  // namespace pp::ui
