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
#include "ui/test_hook.hpp"

#include <algorithm>
#include <cstdio>

namespace pp::ui {

using schedule::ThreadView;

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
    if (!view_.error.empty()) ImGui::TextColored(kHintColour, "%s", view_.error.c_str());

    // The shared values, the steps so far and the schedule that reproduces them.
    std::string shared;
    for (const auto& [name, value] : view_.shared) shared += name + " = " + std::to_string(value) + "   ";
    ImGui::Text("%s%d step%s   schedule: %s", shared.c_str(), view_.steps, view_.steps == 1 ? "" : "s",
                view_.schedule.empty() ? "(no choice yet)" : view_.schedule.c_str());
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The thread you chose at each moment two or more could move. Share puts it in the link;\n"
                          "the same schedule replays the same run: same console, same counter, same timeline.");

    draw_threads(active);
    for (const std::string& note : view_.notes) ImGui::TextColored(kNoteColour, "! %s", note.c_str());

    // The challenge (the thread lesson, while updates can be lost).
    if (lesson.info.params & lessons::setting_bit("lock") && snapshot.params.lock != lessons::kWithLock) {
        std::string yours =
            view_.steps_at_first_note >= 0 ? std::to_string(view_.steps_at_first_note) + " steps" : std::string("no update lost yet");
        std::string best = explored && explored->fewest_steps_to_note >= 0
                               ? std::to_string(explored->fewest_steps_to_note) + " (found by exploring every schedule)"
                               : std::string("press Explore to find out");
        ImGui::TextWrapped("Challenge: lose an update in as few steps as possible. You: %s. Fewest possible: %s.", yours.c_str(),
                           best.c_str());
    }

    if (active) draw_finish();
    if (!active) {
        if (ImGui::Button("Explore every interleaving")) request.kind = Request::Kind::Explore;
        remember_widget("explore");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Runs the lesson under every order of its threads' steps on shared data,\n"
                              "and counts how each order ends.");
        if (snapshot.exploring) {
            ImGui::SameLine();
            ImGui::TextDisabled("exploring...");
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

    for (const ThreadView& t : view_.threads) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        char label[96];
        std::snprintf(label, sizeof label, "[%c] %s##step%d", schedule::schedule_char(t.number), t.name.c_str(), t.number);
        ImGui::BeginDisabled(!t.can_move);
        const bool clicked = ImGui::Selectable(label, false, ImGuiSelectableFlags_SpanAllColumns);
        ImGui::EndDisabled();
        char widget[32];
        std::snprintf(widget, sizeof widget, "step_thread_%d", t.number);
        remember_widget(widget);
        if ((clicked || typed == t.number) && t.can_move) schedule::step(t.number);
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
}

//-----------------------------------------------------------------------------
// [SECTION] Finish: the rest without the student
//-----------------------------------------------------------------------------
void StepPanel::draw_finish() {
    ImGui::TextDisabled("Finish:");
    ImGui::SameLine();
    if (ImGui::SmallButton("round robin")) schedule::finish(schedule::Policy::RoundRobin);
    remember_widget("finish_round_robin");
    ImGui::SameLine();
    char random[48];
    std::snprintf(random, sizeof random, "random (seed %llu)", static_cast<unsigned long long>(random_seed_));
    if (ImGui::SmallButton(random)) schedule::finish(schedule::Policy::Random, random_seed_++);
    remember_widget("finish_random");
    ImGui::SameLine();
    if (ImGui::SmallButton("as the OS would")) schedule::finish(schedule::Policy::FreeRunning);
    remember_widget("finish_free");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The controller lets go: the threads run at once, as the operating system schedules them.");
}

//-----------------------------------------------------------------------------
// [SECTION] Explore: outcomes as bars
//-----------------------------------------------------------------------------
StepPanel::Request StepPanel::draw_explored(const schedule::ExploreResult& explored) {
    Request request;
    ImGui::Text("%zu %sschedules, explored in %.2f s.%s", explored.schedules, explored.complete ? "" : "random ", explored.seconds,
                explored.complete ? "" : " (There are more: these are a random sample.)");
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
        if (ImGui::Button(id, {std::max(full * static_cast<float>(outcome.count) / static_cast<float>(most), 4.0f), 0}))
            request = Request{Request::Kind::Replay, outcome.schedule};
        ImGui::PopStyleColor();
        char widget[32];
        std::snprintf(widget, sizeof widget, "outcome_%zu", i);
        remember_widget(widget);
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
