// Where the UI's clickable widgets are, for browser tests that must click inside the canvas.
// ImGui draws everything into one <canvas>, so a test cannot find a button in the DOM: it asks
// the page (window.ppTestState()) for the rectangle remembered here, in CSS pixels.
#pragma once

#include <string>

namespace pp::ui {

// Call right after drawing a widget: remembers ImGui's last item rectangle under `name`.
void remember_widget(const char* name);

// {"name":[x,y,width,height],...} for the widgets remembered in the last frame.
std::string remembered_widgets_json();

// Starts a frame's list afresh, so a widget that is no longer drawn is no longer reported.
void forget_widgets();
// Remembers the tooltip shown this frame, if any, as widget "tooltip". Call after every window.
void remember_tooltip();

}  // namespace pp::ui
