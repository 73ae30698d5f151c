// How this build runs threads and processes, so the UI can say so in words. One answer per build:
// natively (posix/runtime.cpp), and in the page and its single-threaded fallback (web/runtime.cpp).
// The UI holds the words; this only says which case applies, so no UI code needs an #ifdef.
#pragma once

namespace pp::platform {

enum class ThreadKind {
    OperatingSystem,  // native: std::thread is an OS thread
    WebWorker,        // the isolated page: a Web Worker sharing the page's memory
    Fiber,            // the single-threaded page: a fiber, one core, switched by a scheduler
};
enum class ProcessKind {
    Forked,             // native: fork()ed by the fork server, signals reach it
    WebWorkerInstance,  // the page: a Web Worker running its own WebAssembly instance
};

ThreadKind thread_kind();
ProcessKind process_kind();
// The page has browser tabs (Open in a new tab); the desktop app has none.
bool has_tabs();

}  // namespace pp::platform
