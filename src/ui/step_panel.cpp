// StepPanel: the threads of a stepped run as clickable rows, Finish, and Explore's outcomes.
//
// Index of this file
// [SECTION] The whole panel
// [SECTION] The threads, one row each
// [SECTION] Finish: the rest without the student
// [SECTION] Explore: outcomes as bars
// [SECTION] Test hook
#include "ui/step_panel.hpp"

#include "core/json.hpp"
#include "imgui.h"
#include "ui/palette.hpp"
#include "ui/semantics.hpp"
#include "ui/test_hook.hpp"

#include <algorithm>
#include <cstdio>

namespace pp::ui {

using schedule::ThreadView;
using semantics::Role;

namespace {
const ImVec4 kNoteColour{1.0f, 0.45f, 0.8f, 1.0f};  // as the timeline's note marks
const ImVec4 kHintColour{0.95f, 0.8f, 0.3f, 1.0f};

const char* headline(const schedule::View& v) {
    if (!v.on) return v.steps > 0 ? "The stepped run has ended (or runs on by itself)." : "Press Run: you will choose which thread moves.";
    if (v.deadlock) return "No thread can move: each waits for another. A deadlock.";
    if (v.waiting_for_student) return "You are the scheduler: click a thread, or press its number, to let it take one step.";
    return "A thread is moving...";
}
}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The whole panel
//-----------------------------------------------------------------------------
StepPanel::Request StepPanel::draw(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot,
                                   const std::optional<schedule::ExploreResult>& explored, float height) {
    Request request;
    if (snapshot.lesson != &lesson || !snapshot.stepped) view_ = schedule::View{};  // another lesson's, or none
    ImGui::BeginChild("step_panel", {0, height});
    const bool active = snapshot.stepped &&
                        (snapshot.state == lessons::LessonRunner::State::Running || snapshot.state == lessons::LessonRunner::State::Paused);
    ImGui::TextWrapped("%s", headline(view_));
    semantics::text("step_headline", Role::Text, "", headline(view_));
    if (!view_.error.empty()) {
        ImGui::TextColored(kHintColour, "%s", view_.error.c_str());
        semantics::text("step_error", Role::Text, "", view_.error);
    }

    // The shared values, the steps so far and the schedule that reproduces them.
    std::string shared;
    for (const auto& [name, value] : view_.shared) shared += name + " = " + std::to_string(value) + "   ";
    char status[512];
    std::snprintf(status, sizeof status, "%s%d step%s   schedule: %s", shared.c_str(), view_.steps, view_.steps == 1 ? "" : "s",
                  view_.schedule.empty() ? "(no choice yet)" : view_.schedule.c_str());
    ImGui::TextUnformatted(status);
    semantics::text("step_status", Role::Text, "", status);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The thread you chose at each moment two or more could move. Share puts it in the link;\n"
                          "the same schedule replays the same run: same console, same counter, same timeline.");

    draw_threads(active);
    for (std::size_t i = 0; i < view_.notes.size(); ++i) {
        ImGui::TextColored(kNoteColour, "! %s", view_.notes[i].c_str());
        semantics::text(("step_note_" + std::to_string(i)).c_str(), Role::Text, "", "! " + view_.notes[i]);
    }

    // The challenge (the thread lesson, while updates can be lost).
    if (lesson.info.params & lessons::setting_bit("lock") && snapshot.params.lock != lessons::kWithLock) {
        std::string yours =
            view_.steps_at_first_note >= 0 ? std::to_string(view_.steps_at_first_note) + " steps" : std::string("no update lost yet");
        std::string best = explored && explored->fewest_steps_to_note >= 0
                               ? std::to_string(explored->fewest_steps_to_note) + " (found by exploring every schedule)"
                               : std::string("press Explore to find out");
        const std::string challenge =
            "Challenge: lose an update in as few steps as possible. You: " + yours + ". Fewest possible: " + best + ".";
        ImGui::TextWrapped("%s", challenge.c_str());
        semantics::text("step_challenge", Role::Text, "", challenge);
    }

    if (active) draw_finish();
    if (!active) {
        if (semantics::button_pressed(ImGui::Button("Explore every interleaving"), "explore", "Explore every interleaving"))
            request.kind = Request::Kind::Explore;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Runs the lesson under every order of its threads' steps on shared data,\n"
                              "and counts how each order ends.");
        if (snapshot.exploring) {
            ImGui::SameLine();
            ImGui::TextDisabled("exploring...");
            semantics::text("exploring", Role::Text, "", "exploring...");
        }
    }
    if (explored && !snapshot.exploring) {
        const Request replay = draw_explored(*explored);
        if (replay.kind != Request::Kind::None) request = replay;
    }
    ImGui::EndChild();
    return request;
}

//-----------------------------------------------------------------------------
// [SECTION] The threads, one row each
//-----------------------------------------------------------------------------
void StepPanel::draw_threads(bool active) {
    if (view_.threads.empty()) return;
    if (!ImGui::BeginTable("step_threads", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
    ImGui::TableSetupColumn("thread", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("[0] ThreadPoolExecutor-0_0 ").x);
    ImGui::TableSetupColumn("state", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("finished ").x);
    ImGui::TableSetupColumn("next step", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("its own copy", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("register 00000 ").x);
    ImGui::TableHeadersRow();

    // A number typed (outside a text field) steps that thread, as a click on its row would.
    int typed = -1;
    const ImGuiIO& io = ImGui::GetIO();
    if (active && !io.WantTextInput)
        for (int i = 0; i < io.InputQueueCharacters.Size; ++i)
            if (const int n = schedule::schedule_number(static_cast<char>(io.InputQueueCharacters[i])); n >= 0) typed = n;

    std::vector<std::vector<std::string>> rows;  // the table, for the accessible layer
    for (const ThreadView& t : view_.threads) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        char label[96];
        std::snprintf(label, sizeof label, "[%c] %s##step%d", schedule::schedule_char(t.number), t.name.c_str(), t.number);
        char widget[32], name[96];
        std::snprintf(widget, sizeof widget, "step_thread_%d", t.number);
        std::snprintf(name, sizeof name, "Step thread %c (%s)", schedule::schedule_char(t.number), t.name.c_str());
        ImGui::BeginDisabled(!t.can_move);
        const bool clicked = semantics::button_pressed(ImGui::Selectable(label, false, ImGuiSelectableFlags_SpanAllColumns), widget, name);
        ImGui::EndDisabled();
        if ((clicked || typed == t.number) && t.can_move) schedule::step(t.number);
        std::string own;
        if (t.private_value) own = t.private_what + " " + std::to_string(*t.private_value);
        rows.push_back({label + std::string(), to_string(t.state), t.next, own});
        rows.back()[0].resize(rows.back()[0].find("##"));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(to_string(t.state));
        ImGui::TableNextColumn();
        if (t.state == ThreadView::State::Blocked)
            ImGui::TextDisabled("%s", t.next.c_str());
        else
            ImGui::TextUnformatted(t.next.c_str());
        ImGui::TableNextColumn();
        if (t.private_value) ImGui::Text("%s %lld", t.private_what.c_str(), static_cast<long long>(*t.private_value));
    }
    ImGui::EndTable();
    semantics::table("step_threads_table", "Threads of the stepped run", {"thread", "state", "next step", "its own copy"}, rows);
}

//-----------------------------------------------------------------------------
// [SECTION] Finish: the rest without the student
//-----------------------------------------------------------------------------
void StepPanel::draw_finish() {
    ImGui::TextDisabled("Finish:");
    ImGui::SameLine();
    if (semantics::button_pressed(ImGui::SmallButton("round robin"), "finish_round_robin", "Finish round robin"))
        schedule::finish(schedule::Policy::RoundRobin);
    ImGui::SameLine();
    char random[48];
    std::snprintf(random, sizeof random, "random (seed %llu)", static_cast<unsigned long long>(random_seed_));
    if (semantics::button_pressed(ImGui::SmallButton(random), "finish_random", std::string("Finish at ") + random))
        schedule::finish(schedule::Policy::Random, random_seed_++);
    ImGui::SameLine();
    if (semantics::button_pressed(ImGui::SmallButton("as the OS would"), "finish_free", "Finish as the OS would"))
        schedule::finish(schedule::Policy::FreeRunning);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The controller lets go: the threads run at once, as the operating system schedules them.");
}

//-----------------------------------------------------------------------------
// [SECTION] Explore: outcomes as bars
//-----------------------------------------------------------------------------
StepPanel::Request StepPanel::draw_explored(const schedule::ExploreResult& explored) {
    Request request;
    char summary[160];
    std::snprintf(summary, sizeof summary, "%zu %sschedules, explored in %.2f s.%s", explored.schedules, explored.complete ? "" : "random ",
                  explored.seconds, explored.complete ? "" : " (There are more: these are a random sample.)");
    ImGui::TextUnformatted(summary);
    semantics::text("explored_summary", Role::Text, "", summary);
    std::size_t most = 1;
    for (const auto& outcome : explored.outcomes) most = std::max(most, outcome.count);
    const float full = std::max(ImGui::GetContentRegionAvail().x - 260, 60.0f);
    for (std::size_t i = 0; i < explored.outcomes.size(); ++i) {
        const schedule::Outcome& outcome = explored.outcomes[i];
        ImGui::TextUnformatted(outcome.text.c_str());
        ImGui::SameLine(160);
        char id[32];
        std::snprintf(id, sizeof id, "##outcome%zu", i);
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(series_colour(static_cast<int>(i))));
        const bool clicked = ImGui::Button(id, {std::max(full * static_cast<float>(outcome.count) / static_cast<float>(most), 4.0f), 0});
        ImGui::PopStyleColor();
        char widget[32];
        std::snprintf(widget, sizeof widget, "outcome_%zu", i);
        const std::string name =
            "Replay: " + outcome.text + " (" + std::to_string(outcome.count) + " of " + std::to_string(explored.schedules) + " schedules)";
        if (semantics::button_pressed(clicked, widget, name)) request = Request{Request::Kind::Replay, outcome.schedule};
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Click to replay one of these schedules, then step on from its end:\n%s", outcome.schedule.c_str());
        ImGui::SameLine();
        ImGui::Text("%zu of %zu", outcome.count, explored.schedules);
    }
    return request;
}

//-----------------------------------------------------------------------------
// [SECTION] Test hook
//-----------------------------------------------------------------------------
std::string StepPanel::state_json() const {
    std::string json = std::string("{\"on\":") + (view_.on ? "true" : "false") +
                       ",\"waiting\":" + (view_.waiting_for_student ? "true" : "false") +
                       ",\"deadlock\":" + (view_.deadlock ? "true" : "false") + ",\"steps\":" + std::to_string(view_.steps) +
                       ",\"steps_at_first_note\":" + std::to_string(view_.steps_at_first_note) +
                       ",\"schedule\":" + json_string(view_.schedule) + ",\"error\":" + json_string(view_.error) + ",\"notes\":[";
    for (std::size_t i = 0; i < view_.notes.size(); ++i) json += (i ? "," : "") + json_string(view_.notes[i]);
    json += "],\"shared\":{";
    for (std::size_t i = 0; i < view_.shared.size(); ++i)
        json += (i ? "," : "") + json_string(view_.shared[i].first) + ":" + std::to_string(view_.shared[i].second);
    json += "},\"threads\":[";
    for (std::size_t i = 0; i < view_.threads.size(); ++i) {
        const ThreadView& t = view_.threads[i];
        json += (i ? ",{" : "{") + std::string("\"number\":") + std::to_string(t.number) + ",\"name\":" + json_string(t.name) +
                ",\"state\":" + json_string(to_string(t.state)) + ",\"next\":" + json_string(t.next) +
                ",\"can_move\":" + (t.can_move ? "true" : "false") + ",\"line\":" + std::to_string(t.source_line) + "}";
    }
    return json + "]}";
}

}  // namespace pp::ui
