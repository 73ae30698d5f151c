// ShareBar: Share, Embed, Export and "Open in Parallel Playground". See share_bar.hpp.
#include "ui/share_bar.hpp"

#include "core/png_writer.hpp"
#include "core/trace.hpp"
#include "imgui.h"
#include "lessons/share_link.hpp"
#include "platform/runtime.hpp"
#include "ui/semantics.hpp"
#include "ui/test_hook.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace pp::ui {

namespace {
constexpr double kNoticeSeconds = 5;
constexpr const char* kOpenFullLabel = "Open in Parallel Playground \xE2\x86\x97";  // U+2197 (the font has it)

float button_width(const char* label) { return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2; }
}  // namespace

std::string console_text(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot) {
    std::string text = "# Parallel Playground, lesson " + std::to_string(lesson.info.number) + ". " + lesson.info.title +
                       "\n# settings: " + lessons::settings_query(lesson, snapshot.params) + "\n";
    char at[32];
    for (const auto& line : snapshot.console) {
        std::snprintf(at, sizeof at, "%7.2f s  ", line.at_ms / 1000);
        text += at + line.text + "\n";
    }
    return text;
}

ShareBar::Action ShareBar::draw(const lessons::Lesson& lesson, const lessons::LessonParams& params, const std::string& link_extra,
                                const lessons::LessonRunner::Snapshot& snapshot, TimelineView& timeline, bool embedded) {
    Action action = Action::None;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float total = embedded ? button_width("Export") + spacing + button_width(kOpenFullLabel)
                                 : button_width("Share") + button_width("Embed") + button_width("Export") + spacing * 2;
    // Right-aligned on the title's line, or on a line of their own when the title leaves no room.
    const float right = ImGui::GetWindowContentRegionMax().x;
    // (SetCursorPosX, not SameLine(x): after NewLine() that would go back up to the title's line.)
    ImGui::SameLine();
    if (ImGui::GetCursorPosX() + total > right) ImGui::NewLine();
    ImGui::SetCursorPosX(std::max(right - total, ImGui::GetCursorPosX()));

    if (!embedded) {
        if (semantics::button_pressed(ImGui::Button("Share"), "share", "Share: copy a link to this lesson with these settings")) {
            copy(lessons::share_url(platform::page_url(), lesson, params, false, link_extra));
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Copy a link that opens this lesson with these settings");
        ImGui::SameLine();
        if (semantics::button_pressed(ImGui::Button("Embed"), "embed", "Embed: an iframe for a course page")) {
            snippet_ = lessons::embed_snippet(platform::page_url(), lesson, params, link_extra);
            embed_window_open_ = true;
            ImGui::OpenPopup("Embed this lesson");
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("An <iframe> for a course page, with these settings");
        ImGui::SameLine();
    }
    if (semantics::button_pressed(ImGui::Button("Export"), "export", "Export the run")) ImGui::OpenPopup("export_menu");
    if (embedded) {
        ImGui::SameLine();
        if (semantics::button_pressed(ImGui::Button(kOpenFullLabel), "open_full", "Open in Parallel Playground (new tab)")) {
            const std::string url = lessons::share_url(platform::page_url(), lesson, params, false, link_extra);
            if (!platform::open_in_new_tab(url)) {
                if (platform::has_tabs())
                    copy(url);  // a blocked pop-up: the link, to open by hand
                else
                    action = Action::LeaveEmbed;  // no tabs: the desktop app shows its full layout instead
            }
        }
    }
    draw_export_menu(lesson, snapshot, timeline);
    draw_embed_window();
    draw_notice();
    return action;
}

void ShareBar::draw_export_menu(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot, TimelineView& timeline) {
    if (!ImGui::BeginPopup("export_menu")) return;
    const bool has_run = snapshot.lesson == &lesson && snapshot.state != lessons::LessonRunner::State::Idle;
    if (!has_run) ImGui::TextDisabled("Run the lesson first: the exports are of its run.");
    ImGui::BeginDisabled(!has_run);
    if (semantics::button_pressed(ImGui::Selectable("trace.json  (Perfetto, speedscope, chrome://tracing)"), "export_trace",
                                  "trace.json (Perfetto, speedscope, chrome://tracing)"))
        export_trace(lesson, "");
    if (semantics::button_pressed(ImGui::Selectable("Timeline as PNG"), "export_png", "Timeline as PNG")) {
        if (!timeline.shown_recently()) notify({true, "Open the Timeline tab: the picture is taken when it shows"});
        export_png(lesson, timeline, "");
    }
    if (semantics::button_pressed(ImGui::Selectable("Console as text"), "export_console", "Console as text"))
        export_console(lesson, snapshot, "");
    ImGui::EndDisabled();
    ImGui::EndPopup();
}

namespace {
std::string in_folder(const std::string& folder, const std::string& name) { return folder.empty() ? name : folder + "/" + name; }
}  // namespace

void ShareBar::export_trace(const lessons::Lesson& lesson, const std::string& folder) {
    notify(platform::save_file(in_folder(folder, lesson.info.id + std::string("-trace.json")), trace::to_chrome_trace_json(),
                               "application/json"));
}

void ShareBar::export_png(const lessons::Lesson& lesson, TimelineView& timeline, const std::string& folder) {
    const std::string path = in_folder(folder, lesson.info.id + std::string("-timeline.png"));
    timeline.capture_next_draw([this, path](platform::Capture capture) {
        try {
            notify(platform::save_file(path, png::encode_rgba(capture.width, capture.height, capture.rgba.data()), "image/png"));
        } catch (const std::invalid_argument& error) {
            notify({false, std::string("No picture: the timeline is not on screen (") + error.what() + ")"});
        }
    });
}

void ShareBar::export_console(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot, const std::string& folder) {
    notify(
        platform::save_file(in_folder(folder, lesson.info.id + std::string("-console.txt")), console_text(lesson, snapshot), "text/plain"));
}

void ShareBar::export_all(const lessons::Lesson& lesson, const lessons::LessonRunner::Snapshot& snapshot, TimelineView& timeline,
                          const std::string& folder) {
    export_trace(lesson, folder);
    export_console(lesson, snapshot, folder);
    if (timeline.shown_recently())
        export_png(lesson, timeline, folder);
    else
        notify({false, "No timeline picture: the timeline is on a hidden tab"});
}

void ShareBar::draw_embed_window() {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos({viewport->WorkPos.x + viewport->WorkSize.x / 2, viewport->WorkPos.y + viewport->WorkSize.y / 2},
                            ImGuiCond_Appearing, {0.5f, 0.5f});
    ImGui::SetNextWindowSize({std::min(720.0f, viewport->WorkSize.x - 20), std::min(440.0f, viewport->WorkSize.y - 20)},
                             ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("Embed this lesson", &embed_window_open_)) return;
    ImGui::TextWrapped("Paste this into a course page (it shows this lesson, with these settings, in a compact layout):");
    const float snippet_height = std::max(ImGui::GetTextLineHeight() * 5.5f, ImGui::GetContentRegionAvail().y * 0.4f);
    ImGui::InputTextMultiline("##snippet", snippet_.data(), snippet_.size() + 1, {-1, snippet_height}, ImGuiInputTextFlags_ReadOnly);
    remember_widget("embed_snippet");
    if (semantics::button_pressed(ImGui::Button("Copy"), "embed_copy", "Copy the snippet")) copy(snippet_);
    ImGui::SameLine();
    if (semantics::button_pressed(ImGui::Button("Close"), "embed_close", "Close")) ImGui::CloseCurrentPopup();
    ImGui::BeginChild("requirements");
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", lessons::kEmbedHostRequirements);
    ImGui::PopStyleColor();
    ImGui::EndChild();
    ImGui::EndPopup();
}

void ShareBar::notify(const platform::ShareResult& result) {
    notice_ = result.message;
    notice_ok_ = result.ok;
    notice_is_copy_ = false;
    notice_until_ = ImGui::GetTime() + kNoticeSeconds;
}

void ShareBar::copy(const std::string& text) {
    notify(platform::copy_text(text));
    if (notice_ok_) notice_ += ": " + text.substr(0, text.find('\n'));
    notice_is_copy_ = true;
}

bool ShareBar::showing_notice() const { return !notice_.empty() && ImGui::GetTime() <= notice_until_; }

// A small note in the window's bottom-right corner: it never moves the lesson's layout.
void ShareBar::draw_notice() {
    if (!showing_notice()) return;
    if (notice_is_copy_ && platform::copy_was_refused()) {
        notify({false, "The browser refused the clipboard: the text is shown selected, for Ctrl+C"});
    }
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos({viewport->WorkPos.x + viewport->WorkSize.x - 10, viewport->WorkPos.y + viewport->WorkSize.y - 10},
                            ImGuiCond_Always, {1, 1});
    ImGui::SetNextWindowSizeConstraints({0, 0}, {viewport->WorkSize.x - 20, 200});
    ImGui::Begin("##notice", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoInputs |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
    ImGui::PushTextWrapPos(viewport->WorkSize.x - 40);
    ImGui::TextColored(notice_ok_ ? ImVec4(0.55f, 0.85f, 0.55f, 1) : ImVec4(0.95f, 0.45f, 0.4f, 1), "%s", notice_.c_str());
    ImGui::PopTextWrapPos();
    ImGui::End();
}

}  // namespace pp::ui
