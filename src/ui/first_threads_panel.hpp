// The "Your first threads" panel: settings, the Start button, and each thread's report.
#pragma once

#include "lessons/first_threads.hpp"

namespace pp::ui {

class FirstThreadsPanel {
public:
    explicit FirstThreadsPanel(lessons::FirstThreads& lesson) : lesson_(lesson) {}
    void draw();  // UI thread, once per frame; never blocks

private:
    lessons::FirstThreads& lesson_;
    int thread_count_ = 4;
};

}  // namespace pp::ui
