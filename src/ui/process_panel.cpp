// ProcessPanel: a table of the registry's rows, with Kill / Crash per live child process.
#include "ui/process_panel.hpp"

#include "imgui.h"
#include "platform/runtime.hpp"
#include "ui/semantics.hpp"
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
    if (bytes < 10 * 1024)
        std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
    else if (bytes < 10 * 1024 * 1024)
        std::snprintf(text, sizeof text, "%.1f KB", bytes / 1024.0);
    else
        std::snprintf(text, sizeof text, "%.1f MB", bytes / (1024.0 * 1024.0));
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

// Kill / Crash for a live child process; remembered as kill_<pid> / crash_<pid> for the tests.
void draw_buttons(const ProcessInfo& process) {
    if (!process.can_control || has_ended(process.state)) return;
    char id[32];
    const std::string whose = " process " + std::to_string(process.pid) + " (" + process.name + ")";
    std::snprintf(id, sizeof id, "kill_%d", process.pid);
    if (semantics::button_pressed(ImGui::SmallButton("Kill"), id, "Kill" + whose)) ProcessRegistry::instance().kill(process.pid);
    const bool forked = platform::process_kind() == platform::ProcessKind::Forked;
    if (ImGui::IsItemHovered()) {
        if (forked)
            ImGui::SetTooltip("kill(%d, SIGKILL)", process.pid);
        else
            ImGui::SetTooltip("Worker.terminate(): the browser ends it at once");
    }
    ImGui::SameLine();
    std::snprintf(id, sizeof id, "crash_%d", process.pid);
    if (semantics::button_pressed(ImGui::SmallButton("Crash"), id, "Crash" + whose)) ProcessRegistry::instance().crash(process.pid);
    if (ImGui::IsItemHovered()) {
        if (forked)
            ImGui::SetTooltip("kill(%d, SIGSEGV): it dies as a bad pointer would make it", process.pid);
        else
            ImGui::SetTooltip("It executes a trap instruction in its own instance, as a bug would: at once if it "
                              "sleeps, else when its computation next sleeps or ends");
    }
}

// The variables as one line, for the accessible layer's table.
std::string variables_text(const ProcessInfo& process) {
    std::string text;
    for (const ProcessVariable& variable : process.variables) {
        if (!text.empty()) text += ", ";
        if (!variable.thread.empty()) text += variable.thread + ": ";
        text += variable.name + " = " + std::to_string(variable.value);
    }
    return text.empty() ? "-" : text;
}

std::string messages_text(const ProcessInfo& process) {
    char text[128];
    std::snprintf(text, sizeof text, "%llu / %llu  (%s / %s)", static_cast<unsigned long long>(process.messages_sent),
                  static_cast<unsigned long long>(process.messages_received), byte_count(process.bytes_sent).c_str(),
                  byte_count(process.bytes_received).c_str());
    return text;
}

// Both layouts' rows as the accessible layer's table (the last item: the panel's table or list).
void publish_table(const std::vector<ProcessInfo>& rows) {
    std::vector<std::vector<std::string>> cells;
    for (const ProcessInfo& p : rows)
        cells.push_back({std::to_string(p.pid), p.is_this_process ? "MainProcess (this program)" : p.name, to_string(p.state),
                         variables_text(p), p.task.empty() ? "-" : p.task, p.is_this_process ? "-" : std::to_string(p.tasks_done),
                         p.is_this_process ? "-" : messages_text(p), p.how});
    semantics::table("processes_table", "Processes",
                     {"pid", "process", "state", "its own variables", "running task", "done", "messages sent / received", "how it ended"},
                     cells);
}
}  // namespace

void ProcessPanel::draw_compact(float height) {
    ImGui::BeginChild("processes", {0, height}, false, ImGuiWindowFlags_HorizontalScrollbar);
    for (const ProcessInfo& process : rows_) {
        ImGui::PushID(process.pid);
        draw_buttons(process);
        if (process.can_control && !has_ended(process.state)) ImGui::SameLine();
        ImGui::BeginGroup();
        ImGui::TextColored(state_colour(process.state), "%-8s", to_string(process.state));
        ImGui::SameLine();
        ImGui::Text("pid %d %s", process.pid, process.is_this_process ? "(this program)" : process.name.c_str());
        if (!process.task.empty()) {
            ImGui::SameLine();
            ImGui::TextUnformatted(process.task.c_str());
        }
        for (const ProcessVariable& variable : process.variables) {
            ImGui::SameLine();
            if (variable.thread.empty())
                ImGui::TextDisabled("%s=%lld", variable.name.c_str(), static_cast<long long>(variable.value));
            else
                ImGui::TextDisabled("%s:%s=%lld", variable.thread.c_str(), variable.name.c_str(), static_cast<long long>(variable.value));
        }
        ImGui::EndGroup();
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::Text("pid %d, %s: %s", process.pid, process.name.c_str(), to_string(process.state));
            if (!process.is_this_process)
                ImGui::Text("tasks done %llu; messages sent / received %s", static_cast<unsigned long long>(process.tasks_done),
                            messages_text(process).c_str());
            draw_variables(process);
            if (!process.how.empty()) ImGui::TextUnformatted(process.how.c_str());
            ImGui::EndTooltip();
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
    publish_table(rows_);
}

void ProcessPanel::draw(float height) {
    ProcessRegistry::instance().try_snapshot(rows_, version_);

    // Narrow (an embedded page, 800 px wide): one line per process, buttons first, details on hover.
    if (ImGui::GetContentRegionAvail().x < 640) {
        draw_compact(height);
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("processes", 9, flags, {0, height > 40 ? height : 40})) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("pid");
    ImGui::TableSetupColumn("");  // Kill / Crash
    ImGui::TableSetupColumn("process");
    ImGui::TableSetupColumn("state");
    ImGui::TableSetupColumn("its own variables");
    ImGui::TableSetupColumn("running task");
    ImGui::TableSetupColumn("done");
    ImGui::TableSetupColumn("messages sent / received");
    ImGui::TableSetupColumn("how it ended");
    ImGui::TableHeadersRow();

    for (const ProcessInfo& process : rows_) {
        ImGui::PushID(process.pid);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%d", process.pid);

        ImGui::TableNextColumn();
        draw_buttons(process);

        ImGui::TableNextColumn();
        ImGui::TextUnformatted(process.is_this_process ? "MainProcess (this program)" : process.name.c_str());

        ImGui::TableNextColumn();
        ImGui::TextColored(state_colour(process.state), "%s", to_string(process.state));
        if (!process.how.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", process.how.c_str());

        ImGui::TableNextColumn();
        draw_variables(process);

        ImGui::TableNextColumn();
        if (process.task.empty())
            ImGui::TextDisabled("-");
        else
            ImGui::TextUnformatted(process.task.c_str());

        ImGui::TableNextColumn();
        if (process.is_this_process)
            ImGui::TextDisabled("-");
        else
            ImGui::Text("%llu", static_cast<unsigned long long>(process.tasks_done));

        ImGui::TableNextColumn();
        if (process.is_this_process) {
            ImGui::TextDisabled("-");
        } else {
            ImGui::TextUnformatted(messages_text(process).c_str());
        }

        ImGui::TableNextColumn();
        ImGui::TextUnformatted(process.how.c_str());
        ImGui::PopID();
    }
    ImGui::EndTable();
    publish_table(rows_);
}

}  // namespace pp::ui
