// ProcessPanel: a table of the registry's rows, with Kill / Crash per live child process.
#include "ui/process_panel.hpp"

#include "imgui.h"
#include "ui/test_hook.hpp"

#include <cstdio>
#include <string>

namespace pp::ui {

namespace {

ImVec4 state_colour(ProcessState state) {
    switch (state) {
    case ProcessState::Starting: return {0.95f, 0.8f, 0.3f, 1};
    case ProcessState::Idle: return {0.6f, 0.6f, 0.6f, 1};
    case ProcessState::Running: return {0.35f, 0.65f, 0.95f, 1};
    case ProcessState::Exited: return {0.45f, 0.8f, 0.45f, 1};
    case ProcessState::Killed: return {0.9f, 0.6f, 0.3f, 1};
    case ProcessState::Crashed: return {0.95f, 0.4f, 0.4f, 1};
    }
    return {1, 1, 1, 1};
}

std::string byte_count(std::uint64_t bytes) {
    char text[32];
    if (bytes < 10 * 1024) std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
    else if (bytes < 10 * 1024 * 1024) std::snprintf(text, sizeof text, "%.1f KB", bytes / 1024.0);
    else std::snprintf(text, sizeof text, "%.1f MB", bytes / (1024.0 * 1024.0));
    return text;
}

// "counter = 5 @0x55d4c2a3c010": one line per thread that published (a worker has one).
void draw_variables(const ProcessInfo& process) {
    if (process.variables.empty()) {
        ImGui::TextDisabled("-");
        return;
    }
    std::string thread_shown = "\x01";  // no thread name is this
    std::string line;
    const auto flush = [&] {
        if (!line.empty()) ImGui::TextUnformatted(line.c_str());
        line.clear();
    };
    for (const ProcessVariable& variable : process.variables) {
        if (variable.thread != thread_shown) {
            flush();
            thread_shown = variable.thread;
            if (!variable.thread.empty()) line = variable.thread + ":  ";
        } else {
            line += ",  ";
        }
        char value[96];
        if (variable.address != 0)
            std::snprintf(value, sizeof value, "%s = %lld @0x%llx", variable.name.c_str(), static_cast<long long>(variable.value),
                          static_cast<unsigned long long>(variable.address));
        else
            std::snprintf(value, sizeof value, "%s = %lld", variable.name.c_str(), static_cast<long long>(variable.value));
        line += value;
    }
    flush();
}

}  // namespace

void ProcessPanel::draw(float height) {
    ProcessRegistry::instance().try_snapshot(rows_, version_);

#ifdef __EMSCRIPTEN__
    ImGui::TextDisabled("Browser processes are isolated WebAssembly instances in Web Workers standing in for OS "
                        "processes; the native build forks real ones.");
#else
    ImGui::TextDisabled("Real processes: fork()ed children with their own memory. Kill sends SIGKILL, Crash SIGSEGV.");
#endif
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Each process has its own copy of every variable: the same name (and natively the same "
                          "address) holds a different value in each. Kill or crash one: its pool breaks "
                          "(BrokenProcessPool), the other processes and this program carry on, and the next run works.");

    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
    const float table_height = height - ImGui::GetTextLineHeightWithSpacing();
    if (!ImGui::BeginTable("processes", 9, flags, {0, table_height > 40 ? table_height : 40})) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("pid");
    ImGui::TableSetupColumn("");  // Kill / Crash
    ImGui::TableSetupColumn("process");
    ImGui::TableSetupColumn("state");
    ImGui::TableSetupColumn("running task");
    ImGui::TableSetupColumn("done");
    ImGui::TableSetupColumn("its own variables");
    ImGui::TableSetupColumn("messages sent / received");
    ImGui::TableSetupColumn("how it ended");
    ImGui::TableHeadersRow();

    for (const ProcessInfo& process : rows_) {
        ImGui::PushID(process.pid);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%d", process.pid);

        ImGui::TableNextColumn();
        if (process.can_control && !has_ended(process.state)) {
            char name[32];
            if (ImGui::SmallButton("Kill")) ProcessRegistry::instance().kill(process.pid);
            std::snprintf(name, sizeof name, "kill_%d", process.pid);
            remember_widget(name);
#ifdef __EMSCRIPTEN__
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Worker.terminate(): the browser ends it at once");
#else
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("kill(%d, SIGKILL)", process.pid);
#endif
            ImGui::SameLine();
            if (ImGui::SmallButton("Crash")) ProcessRegistry::instance().crash(process.pid);
            std::snprintf(name, sizeof name, "crash_%d", process.pid);
            remember_widget(name);
#ifdef __EMSCRIPTEN__
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("It executes a trap instruction in its own instance, as a bug would: at once if it "
                                  "sleeps, else when its computation next sleeps or ends");
#else
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("kill(%d, SIGSEGV): dies as a bad pointer would make it", process.pid);
#endif
        }

        ImGui::TableNextColumn();
        ImGui::TextUnformatted(process.is_this_process ? "MainProcess (this program)" : process.name.c_str());

        ImGui::TableNextColumn();
        ImGui::TextColored(state_colour(process.state), "%s", to_string(process.state));
        if (!process.how.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", process.how.c_str());

        ImGui::TableNextColumn();
        if (process.task.empty()) ImGui::TextDisabled("-");
        else ImGui::TextUnformatted(process.task.c_str());

        ImGui::TableNextColumn();
        if (process.is_this_process) ImGui::TextDisabled("-");
        else ImGui::Text("%llu", static_cast<unsigned long long>(process.tasks_done));

        ImGui::TableNextColumn();
        draw_variables(process);

        ImGui::TableNextColumn();
        if (process.is_this_process) {
            ImGui::TextDisabled("-");
        } else {
            ImGui::Text("%llu / %llu  (%s / %s)", static_cast<unsigned long long>(process.messages_sent),
                        static_cast<unsigned long long>(process.messages_received), byte_count(process.bytes_sent).c_str(),
                        byte_count(process.bytes_received).c_str());
        }

        ImGui::TableNextColumn();
        ImGui::TextUnformatted(process.how.c_str());
        ImGui::PopID();
    }
    ImGui::EndTable();
}

}  // namespace pp::ui
