// The process panel: every process of this program (core/process_registry.hpp), one row each:
// pid, state, the task it runs, tasks done, its own copy of the variables it published, the
// messages it exchanged, how it ended, and Kill / Crash buttons. The program's own row lists
// what each of its threads published, so the thread lesson shows threads sharing one counter.
#pragma once

#include "core/process_registry.hpp"

#include <cstdint>
#include <vector>

namespace pp::ui {

class ProcessPanel {
public:
    // UI thread, once per frame. Never waits: when the registry is busy it shows the last rows.
    void draw(float height);

private:
    void draw_compact(float height);

    std::vector<ProcessInfo> rows_;
    std::uint64_t version_ = 0;
};

}  // namespace pp::ui
