// Hands the accessible layer's nodes (ui/semantics.hpp) to the page, which keeps its DOM
// elements over the canvas in step with them (web/playground-semantics.js). The desktop window
// has no DOM: there it does nothing (semantics_desktop.cpp). UI thread only.
#pragma once

#include <string>

namespace pp::platform {

// `json` is {"popup":bool,"nodes":[...]}; called only when it changed since the last call.
void publish_semantics(const std::string& json);

}  // namespace pp::platform
